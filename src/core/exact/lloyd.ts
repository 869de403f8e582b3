/**
 * One run of exact k-means on fixed-point points: the loop of docs/ARITHMETIC.md, in integers. Every quantity the result
 * depends on is an integer held in a float64 far below 2^53 (distances < 2^32, sums < 2^46), so the arithmetic is
 * exact and order-free, and the WGSL engine, which does the same integer operations, gets the same bits.
 *
 * Speed comes from filtering on a grid of colour boxes (the idea of Kanungo et al.'s filtering algorithm, 2002, on a
 * fixed two-level grid instead of a kd-tree): a centre `b` is dropped for a whole box when another centre `a` is
 * strictly nearer to every point of the box. That test is exact (`d(x,a) − d(x,b)` is linear in `x`, so its maximum
 * over the box is at a corner, computed in integers). A box left with one centre is labelled at once, its members'
 * sums added from precomputed box totals; otherwise its points are scanned against the surviving centres only, in
 * index order. The minimisers of every point always survive, so each label is the plain loop's (ties to the lowest
 * index), and the sums are the same integers. `test/unit/exact-lloyd.test.ts` checks this against a BigInt transcription.
 *
 * The assignment and the inertia run as WebAssembly kernels where they load (wasm/lloyd.ts: the same loops on the
 * grid held in an instance's memory, `KernelCache`), else as the JavaScript below; the tests run both.
 */
import { FIXED_SHIFT } from '../constants.js';
import { chunks, runSync, type Steps } from '../pace.js';
import { KernelCache, type Kernels, type Loaded } from '../wasm/kernels.js';
import {
  GRID_FIELDS, H_AFTER_COARSE, H_AFTER_FINE, H_ALL, H_CENTERS, H_CHANGED, H_COARSE_COUNT, H_COARSE_FIRST, H_COARSE_HI,
  H_COARSE_LO, H_COARSE_MEMO, H_COARSE_SUMS, H_COARSE_WEIGHT, H_COUNTS, H_FINE_HI, H_FINE_LO, H_FINE_MEMO, H_FINE_START,
  H_FINE_SUMS, H_FINE_WEIGHT, H_K, H_LABELS, H_POINTS, H_SUMS, H_WEIGHTS, HEADER_FIELDS,
} from '../wasm/lloyd-header.js';

export interface ExactRunOutcome {
  /** k × 3 centres in fixed point (128 per 8-bit unit). */
  centersFixed: Uint32Array;
  /** Cluster of each point (empty where the run was told its labels are not wanted: `keepLabels`). */
  labels: Int32Array;
  /** Points (or total weight) in each cluster under the final labels. */
  counts: Float64Array;
  /** Σ w · d(P, c_label), exact. */
  inertiaFixed: bigint;
  iterations: number;
  converged: boolean;
}

/**
 * Bits of each coordinate's 8-bit part dropped for the coarse boxes (16³ of them) and the fine boxes (64 per coarse
 * box). A coordinate's 8-bit part is `P >> FIXED_SHIFT`: the RGB byte, or OKLab's code rounded down to 8 bits.
 */
const COARSE_SHIFT = 4;
const FINE_SHIFT = 2;
const FINE_BITS = 3 * (COARSE_SHIFT - FINE_SHIFT);
/** A fine box of at most this many points is scanned against its coarse box's candidates, without a filter of its own. */
const SCAN_BOX_MAX_POINTS = 2;
/** Point-centre tests between two yields of an assignment (`pace.ts`): about a millisecond of work. */
const ASSIGN_CHUNK = 1 << 19;

/**
 * Points sorted by box, with each box's tight bounds and totals. Built once per point set and shared by every run on
 * it (typed arrays only, so it can go to a Worker).
 */
export interface PointGrid {
  n: number;
  /** n × 3 fixed-point coordinates, grouped by coarse box, then fine box. */
  points: Uint16Array;
  weights: Float64Array;
  /** Index in the caller's order of each sorted point. */
  order: Uint32Array;
  fine: BoxLevel;
  coarse: BoxLevel;
  /** Fine boxes of coarse box c: `coarseFirst[c] .. coarseFirst[c+1]`. */
  coarseFirst: Uint32Array;
}

interface BoxLevel {
  count: number;
  /** Fine: first point of box b is `start[b]`; coarse: unused (see `coarseFirst`). */
  start: Uint32Array;
  /** Tight bounds of the box's points, fixed point, 3 per box. */
  lo: Uint16Array;
  hi: Uint16Array;
  /** Total weight and weighted channel sums of the box's points. */
  weight: Float64Array;
  sums: Float64Array;
}

function newLevel(count: number): BoxLevel {
  return {
    count,
    start: new Uint32Array(count + 1),
    lo: new Uint16Array(3 * count).fill(0xffff),
    hi: new Uint16Array(3 * count),
    weight: new Float64Array(count),
    sums: new Float64Array(3 * count),
  };
}

function fineKey(x0: number, x1: number, x2: number): number {
  const p0 = x0 >> FIXED_SHIFT, p1 = x1 >> FIXED_SHIFT, p2 = x2 >> FIXED_SHIFT;
  const coarse = ((p0 >> COARSE_SHIFT) << 8) | ((p1 >> COARSE_SHIFT) << 4) | (p2 >> COARSE_SHIFT);
  const m = (1 << (COARSE_SHIFT - FINE_SHIFT)) - 1;
  const fine = (((p0 >> FINE_SHIFT) & m) << 4) | (((p1 >> FINE_SHIFT) & m) << 2) | ((p2 >> FINE_SHIFT) & m);
  return (coarse << FINE_BITS) | fine;
}

function addToBox(level: BoxLevel, b: number, p0: number, p1: number, p2: number, w: number): void {
  const { lo, hi, sums } = level;
  if (p0 < lo[3 * b]!) lo[3 * b] = p0;
  if (p1 < lo[3 * b + 1]!) lo[3 * b + 1] = p1;
  if (p2 < lo[3 * b + 2]!) lo[3 * b + 2] = p2;
  if (p0 > hi[3 * b]!) hi[3 * b] = p0;
  if (p1 > hi[3 * b + 1]!) hi[3 * b + 1] = p1;
  if (p2 > hi[3 * b + 2]!) hi[3 * b + 2] = p2;
  level.weight[b]! += w;
  sums[3 * b]! += w * p0;
  sums[3 * b + 1]! += w * p1;
  sums[3 * b + 2]! += w * p2;
}

/** Sorts the points by box (a counting sort on the 18-bit fine key) and totals each box. */
export function buildPointGrid(points: Uint16Array, weights: Float64Array): PointGrid {
  return runSync(buildPointGridSteps(points, weights));
}

/** Points per chunk of the grid's passes (`pace.ts`). */
const GRID_CHUNK = 1 << 16;

/** Below this many points the grid's sort is a two-pass radix sort: the 2^18-bucket counting sort would scan more buckets than points. */
const RADIX_MAX_POINTS = 1 << 16;

/** `buildPointGrid` as steps (`pace.ts`): it yields between chunks of points. */
export function* buildPointGridSteps(points: Uint16Array, weights: Float64Array): Steps<PointGrid> {
  const n = points.length / 3;
  const keys = new Uint32Array(n);
  yield* chunks(n, 4 * GRID_CHUNK, (from, to) => keyPoints(points, from, to, keys));
  // Points by key, ties in point order (both sorts are stable).
  const order = n < RADIX_MAX_POINTS ? radixOrder(keys) : yield* countingOrder(keys);
  yield;
  let fineCount = 0;
  let coarseCount = 0;
  let lastKey = -1;
  for (let s = 0; s < n; s++) {
    const key = keys[order[s]!]!;
    if (key === lastKey) continue;
    fineCount++;
    if (lastKey < 0 || key >> FINE_BITS !== lastKey >> FINE_BITS) coarseCount++;
    lastKey = key;
  }
  const grid: PointGrid = {
    n,
    points: new Uint16Array(3 * n),
    weights: new Float64Array(n),
    order,
    fine: newLevel(fineCount),
    coarse: newLevel(coarseCount),
    coarseFirst: new Uint32Array(coarseCount + 1),
  };
  const cursor = { f: -1, c: -1, lastKey: -1 };
  yield* chunks(n, GRID_CHUNK, (from, to) => fillGrid(grid, from, to, points, weights, keys, cursor));
  grid.fine.start[fineCount] = n;
  grid.coarseFirst[coarseCount] = fineCount;
  return grid;
}

function keyPoints(points: Uint16Array, from: number, to: number, keys: Uint32Array): void {
  for (let i = from; i < to; i++) keys[i] = fineKey(points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!);
}

/** A counting sort on the whole 18-bit key. */
function* countingOrder(keys: Uint32Array): Steps<Uint32Array> {
  const n = keys.length;
  const bucket = new Uint32Array((1 << (12 + FINE_BITS)) + 1);
  for (let i = 0; i < n; i++) bucket[keys[i]! + 1]!++;
  for (let key = 1; key < bucket.length; key++) bucket[key]! += bucket[key - 1]!;
  yield;
  const order = new Uint32Array(n);
  yield* chunks(n, 4 * GRID_CHUNK, (from, to) => orderPoints(from, to, keys, bucket, order));
  return order;
}

function orderPoints(from: number, to: number, keys: Uint32Array, bucket: Uint32Array, order: Uint32Array): void {
  for (let i = from; i < to; i++) order[bucket[keys[i]!]!++] = i;
}

/** Half of the 18-bit key per pass of `radixOrder`. */
const RADIX_BITS = (12 + FINE_BITS) / 2;

/** Two stable counting sorts on 9 bits each, low half first: the order `countingOrder` gives, with 2 × 512 buckets. */
function radixOrder(keys: Uint32Array): Uint32Array {
  const n = keys.length;
  const mask = (1 << RADIX_BITS) - 1;
  const low = new Uint32Array(mask + 2);
  const high = new Uint32Array(mask + 2);
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    low[(key & mask) + 1]!++;
    high[(key >> RADIX_BITS) + 1]!++;
  }
  for (let b = 1; b <= mask + 1; b++) {
    low[b]! += low[b - 1]!;
    high[b]! += high[b - 1]!;
  }
  const byLow = new Uint32Array(n);
  for (let i = 0; i < n; i++) byLow[low[keys[i]! & mask]!++] = i;
  const order = new Uint32Array(n);
  for (let s = 0; s < n; s++) {
    const i = byLow[s]!;
    order[high[keys[i]! >> RADIX_BITS]!++] = i;
  }
  return order;
}

/** Sorted points `from .. to` into the grid: copied in box order, boxes opened and totalled as they come. */
function fillGrid(
  grid: PointGrid, from: number, to: number, points: Uint16Array, weights: Float64Array, keys: Uint32Array,
  cursor: { f: number; c: number; lastKey: number },
): void {
  const { order, points: sorted, weights: w, fine, coarse, coarseFirst } = grid;
  let { f, c, lastKey } = cursor;
  for (let s = from; s < to; s++) {
    const i = order[s]!;
    const p0 = points[3 * i]!;
    const p1 = points[3 * i + 1]!;
    const p2 = points[3 * i + 2]!;
    sorted[3 * s] = p0;
    sorted[3 * s + 1] = p1;
    sorted[3 * s + 2] = p2;
    const wi = weights[i]!;
    w[s] = wi;
    const key = keys[i]!;
    if (key !== lastKey) {
      f++;
      fine.start[f] = s;
      if (lastKey < 0 || key >> FINE_BITS !== lastKey >> FINE_BITS) {
        c++;
        coarseFirst[c] = f;
      }
      lastKey = key;
    }
    addToBox(fine, f, p0, p1, p2, wi);
    addToBox(coarse, c, p0, p1, p2, wi);
  }
  cursor.f = f;
  cursor.c = c;
  cursor.lastKey = lastKey;
}

/**
 * Grids in instances of the WebAssembly kernels (wasm/lloyd.ts): loaded once, kept for the grid's next run
 * (`KernelCache`); `arrays` are the byte offsets of the grid's arrays, in the order of the header's first fields.
 */
const loadedGrids = new KernelCache<PointGrid, { arrays: number[] }>();

function loadGrid(grid: PointGrid, kernels: Kernels): { arrays: number[] } {
  const { fine, coarse } = grid;
  // The grid's header fields (lloyd-header.ts), each array at its field.
  const sources = new Array<Uint16Array | Uint32Array | Float64Array>(GRID_FIELDS);
  sources[H_POINTS] = grid.points;
  sources[H_WEIGHTS] = grid.weights;
  sources[H_FINE_START] = fine.start;
  sources[H_FINE_LO] = fine.lo;
  sources[H_FINE_HI] = fine.hi;
  sources[H_FINE_WEIGHT] = fine.weight;
  sources[H_FINE_SUMS] = fine.sums;
  sources[H_COARSE_LO] = coarse.lo;
  sources[H_COARSE_HI] = coarse.hi;
  sources[H_COARSE_WEIGHT] = coarse.weight;
  sources[H_COARSE_SUMS] = coarse.sums;
  sources[H_COARSE_FIRST] = grid.coarseFirst;
  const arrays = sources.map((a) => kernels.alloc(a.byteLength));
  const buffer = kernels.memory;
  sources.forEach((a, i) => new Uint8Array(buffer, arrays[i]!, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
  return { arrays };
}

/** A run's memory in the grid's instance: its arrays and the header the kernels read. */
interface RunMemory {
  loaded: { arrays: number[] } & Loaded;
  header: number;
  fields: Int32Array;
}

/** The state of one run: centres, labels (in grid order) and the per-cluster sums of the current labels. */
class LloydState {
  readonly centers: Float64Array;
  readonly labels: Int32Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  /** Per box: the label every point of the box has, or -1 when they may differ. */
  readonly fineMemo: Int32Array;
  readonly coarseMemo: Int32Array;
  /** Surviving centres, in index order: all, after the coarse test, after the fine test. */
  readonly all: Int32Array;
  readonly afterCoarse: Int32Array;
  readonly afterFine: Int32Array;

  readonly fine: BoxLevel;
  /** Where the WebAssembly kernels run the assignment; null where the JavaScript below does (the same values). */
  private readonly memory: RunMemory | null;

  constructor(
    readonly grid: PointGrid,
    initCenters: ArrayLike<number>,
    readonly k: number,
    /** Centres 0 .. fixedCount−1 are locked: `update` never moves them. */
    readonly fixedCount = 0,
  ) {
    this.fine = grid.fine;
    const { n } = grid;
    const fineCount = grid.fine.count;
    const coarseCount = grid.coarse.count;
    const loaded = loadedGrids.checkOut(grid, (kernels) => loadGrid(grid, kernels));
    const at =
      loaded &&
      loadedGrids.workMemory(grid, loaded, () => ({
        header: loaded.kernels.alloc(4 * HEADER_FIELDS), centers: loaded.kernels.alloc(24 * k), labels: loaded.kernels.alloc(4 * n),
        sums: loaded.kernels.alloc(24 * k), counts: loaded.kernels.alloc(8 * k), fineMemo: loaded.kernels.alloc(4 * fineCount),
        coarseMemo: loaded.kernels.alloc(4 * coarseCount), all: loaded.kernels.alloc(4 * k),
        afterCoarse: loaded.kernels.alloc(4 * k), afterFine: loaded.kernels.alloc(4 * k),
      }));
    if (loaded && at) {
      const { kernels } = loaded;
      const fields = kernels.i32(at.header, HEADER_FIELDS);
      fields.set(loaded.arrays);
      fields[H_COARSE_COUNT] = coarseCount;
      fields[H_CENTERS] = at.centers;
      fields[H_K] = k;
      fields[H_LABELS] = at.labels;
      fields[H_SUMS] = at.sums;
      fields[H_COUNTS] = at.counts;
      fields[H_FINE_MEMO] = at.fineMemo;
      fields[H_COARSE_MEMO] = at.coarseMemo;
      fields[H_ALL] = at.all;
      fields[H_AFTER_COARSE] = at.afterCoarse;
      fields[H_AFTER_FINE] = at.afterFine;
      this.memory = { loaded, header: at.header, fields };
      this.centers = kernels.f64(at.centers, 3 * k);
      this.labels = kernels.i32(at.labels, n);
      this.sums = kernels.f64(at.sums, 3 * k);
      this.counts = kernels.f64(at.counts, k);
      this.fineMemo = kernels.i32(at.fineMemo, fineCount);
      this.coarseMemo = kernels.i32(at.coarseMemo, coarseCount);
      this.all = kernels.i32(at.all, k);
      this.afterCoarse = kernels.i32(at.afterCoarse, k);
      this.afterFine = kernels.i32(at.afterFine, k);
    } else {
      this.memory = null;
      this.centers = new Float64Array(3 * k);
      this.labels = new Int32Array(n);
      this.sums = new Float64Array(3 * k);
      this.counts = new Float64Array(k);
      this.fineMemo = new Int32Array(fineCount);
      this.coarseMemo = new Int32Array(coarseCount);
      this.all = new Int32Array(k);
      this.afterCoarse = new Int32Array(k);
      this.afterFine = new Int32Array(k);
    }
    this.centers.set(initCenters);
    this.labels.fill(-1);
    this.fineMemo.fill(-1);
    this.coarseMemo.fill(-1);
    for (let j = 0; j < k; j++) this.all[j] = j;
  }

  /** Gives back the kernels' memory (the arrays above are then no longer the run's). */
  close(): void {
    const { memory } = this;
    if (!memory) return;
    loadedGrids.checkIn(this.grid, memory.loaded);
  }

  /**
   * Keeps, in order, the candidates that may be nearest to some point of box b: a candidate `a` (the box's `owner`
   * of the last assignment if it is one, else the candidate nearest the box's middle), and every other `j` unless `a`
   * is strictly nearer than `j` on all the box. Returns how many survive.
   */
  filter(level: BoxLevel, b: number, candidates: Int32Array, m: number, out: Int32Array, owner: number): number {
    const { centers } = this;
    const lo0 = level.lo[3 * b]!, hi0 = level.hi[3 * b]!;
    const lo1 = level.lo[3 * b + 1]!, hi1 = level.hi[3 * b + 1]!;
    const lo2 = level.lo[3 * b + 2]!, hi2 = level.hi[3 * b + 2]!;
    let a = -1;
    // The box's centre of the last assignment (`owner`), when it still is a candidate, is most likely its centre
    // again: tested first, it spares the search. Which `a` is tested first changes which centres are kept, never
    // that every point's nearest ones are.
    if (owner >= 0) for (let t = 0; t < m && a < 0; t++) if (candidates[t] === owner) a = owner;
    if (a < 0) {
      const m0 = (lo0 + hi0) / 2, m1 = (lo1 + hi1) / 2, m2 = (lo2 + hi2) / 2;
      let bestD = Infinity;
      for (let t = 0; t < m; t++) {
        const j = candidates[t]!;
        const d0 = m0 - centers[3 * j]!, d1 = m1 - centers[3 * j + 1]!, d2 = m2 - centers[3 * j + 2]!;
        const d = d0 * d0 + d1 * d1 + d2 * d2;
        if (d < bestD) {
          bestD = d;
          a = j;
        }
      }
    }
    const a0 = centers[3 * a]!, a1 = centers[3 * a + 1]!, a2 = centers[3 * a + 2]!;
    let kept = 0;
    for (let t = 0; t < m; t++) {
      const j = candidates[t]!;
      if (j !== a) {
        // max over the box of d(x,a) − d(x,j) = Σ_i (j_i − a_i)(2x_i − a_i − j_i), at the corner that maximises it.
        const b0 = centers[3 * j]!, b1 = centers[3 * j + 1]!, b2 = centers[3 * j + 2]!;
        const worst =
          (b0 - a0) * (2 * (b0 > a0 ? hi0 : lo0) - a0 - b0) +
          (b1 - a1) * (2 * (b1 > a1 ? hi1 : lo1) - a1 - b1) +
          (b2 - a2) * (2 * (b2 > a2 ? hi2 : lo2) - a2 - b2);
        if (worst < 0) continue;
      }
      out[kept++] = j;
    }
    return kept;
  }

  /** Labels points `from .. to` with `a`, counting changes; the caller adds the box's totals to the sums. */
  fill(from: number, to: number, a: number): number {
    const { labels } = this;
    let changed = 0;
    for (let i = from; i < to; i++) {
      if (labels[i] !== a) {
        labels[i] = a;
        changed++;
      }
    }
    return changed;
  }

  /** Labels each point of `from .. to` by exact distances to the surviving candidates; adds it to the sums. */
  scanPoints(from: number, to: number, candidates: Int32Array, m: number): number {
    const { points, weights } = this.grid;
    const { centers, labels, sums, counts } = this;
    let changed = 0;
    for (let i = from; i < to; i++) {
      const x0 = points[3 * i]!, x1 = points[3 * i + 1]!, x2 = points[3 * i + 2]!;
      let best = 0;
      let bestD = Infinity;
      for (let t = 0; t < m; t++) {
        const j = candidates[t]!;
        const d0 = x0 - centers[3 * j]!, d1 = x1 - centers[3 * j + 1]!, d2 = x2 - centers[3 * j + 2]!;
        const d = d0 * d0 + d1 * d1 + d2 * d2;
        // Strictly less, candidates in index order: a tie keeps the lower index.
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      }
      if (labels[i] !== best) {
        labels[i] = best;
        changed++;
      }
      const w = weights[i]!;
      counts[best]! += w;
      sums[3 * best]! += w * x0;
      sums[3 * best + 1]! += w * x1;
      sums[3 * best + 2]! += w * x2;
    }
    return changed;
  }

  /** Adds box b's totals to cluster a. */
  addBox(level: BoxLevel, b: number, a: number): void {
    const { sums, counts } = this;
    counts[a]! += level.weight[b]!;
    sums[3 * a]! += level.sums[3 * b]!;
    sums[3 * a + 1]! += level.sums[3 * b + 1]!;
    sums[3 * a + 2]! += level.sums[3 * b + 2]!;
  }

  /**
   * Labels every point against the current centres and recomputes the sums. Returns how many labels changed.
   * Steps (`pace.ts`): it yields after about ASSIGN_CHUNK point-centre tests (a coarse box is never split).
   */
  *assign(): Steps<number> {
    const { grid, fine, memory } = this;
    this.sums.fill(0);
    this.counts.fill(0);
    if (memory) {
      // The same boxes between two yields as below.
      const { kernels } = memory.loaded;
      memory.fields[H_CHANGED] = 0;
      for (let c = 0; c < grid.coarse.count; ) {
        c = kernels.exports.lloydAssign(memory.header, c, ASSIGN_CHUNK);
        if (c < grid.coarse.count) yield;
      }
      return memory.fields[H_CHANGED]!;
    }
    let changed = 0;
    let budget = ASSIGN_CHUNK;
    const { coarseFirst } = grid;
    for (let c = 0; c < grid.coarse.count; c++) {
      changed += this.assignCoarse(c);
      budget -= 16 + (fine.start[coarseFirst[c + 1]!]! - fine.start[coarseFirst[c]!]!) * this.k;
      if (budget < 0) {
        budget = ASSIGN_CHUNK;
        yield;
      }
    }
    return changed;
  }

  /** Σ w · d(P, c_label) over points from .. to in float64 (exact when the caller has bounded it below 2^53). */
  inertiaSmall(from: number, to: number): number {
    const { memory } = this;
    if (memory) return memory.loaded.kernels.exports.lloydInertia(memory.header, from, to);
    return inertiaSmall(this.grid.points, this.grid.weights, from, to, this.centers, this.labels);
  }

  /** `assign` on coarse box c: its points labelled, their sums added. Returns how many labels changed. */
  assignCoarse(c: number): number {
    const { grid, k, all, afterCoarse, afterFine, fineMemo, coarseMemo } = this;
    const { fine, coarse, coarseFirst } = grid;
    let changed = 0;
    const firstFine = coarseFirst[c]!;
    const endFine = coarseFirst[c + 1]!;
    const mc = this.filter(coarse, c, all, k, afterCoarse, coarseMemo[c]!);
    if (mc === 1) {
      const a = afterCoarse[0]!;
      this.addBox(coarse, c, a);
      if (coarseMemo[c] !== a) {
        changed += this.fill(fine.start[firstFine]!, fine.start[endFine]!, a);
        coarseMemo[c] = a;
        fineMemo.fill(a, firstFine, endFine);
      }
      return changed;
    }
    coarseMemo[c] = -1;
    for (let f = firstFine; f < endFine; f++) {
      const from = fine.start[f]!, to = fine.start[f + 1]!;
      if (to - from <= SCAN_BOX_MAX_POINTS) {
        // Testing so few points costs less than filtering their box.
        fineMemo[f] = -1;
        changed += this.scanPoints(from, to, afterCoarse, mc);
        continue;
      }
      const mf = this.filter(fine, f, afterCoarse, mc, afterFine, fineMemo[f]!);
      if (mf === 1) {
        const a = afterFine[0]!;
        this.addBox(fine, f, a);
        if (fineMemo[f] !== a) {
          changed += this.fill(fine.start[f]!, fine.start[f + 1]!, a);
          fineMemo[f] = a;
        }
        continue;
      }
      fineMemo[f] = -1;
      changed += this.scanPoints(fine.start[f]!, fine.start[f + 1]!, afterFine, mf);
    }
    return changed;
  }

  /**
   * Moves each non-empty cluster to its members' rounded mean; an empty one stays, and so do the fixed ones. Returns
   * the exact squared shift.
   */
  update(): number {
    const { centers, k, sums, counts } = this;
    let shift = 0;
    for (let j = this.fixedCount; j < k; j++) {
      const n = counts[j]!;
      if (n === 0) continue;
      for (let c = 0; c < 3; c++) {
        const next = roundedMean(sums[3 * j + c]!, n);
        const delta = next - centers[3 * j + c]!;
        shift += delta * delta;
        centers[3 * j + c] = next;
      }
    }
    return shift;
  }
}

/**
 * `c' = floor((2·S + n) / (2n))`: S/n rounded half up, S the fixed-point sum. The float quotient is within one of the
 * true one, and the two integer checks make it exact whatever the rounding of the division.
 */
function roundedMean(sum: number, count: number): number {
  const num = 2 * sum + count;
  const den = 2 * count;
  let q = Math.floor(num / den);
  if (q * den > num) q--;
  else if ((q + 1) * den <= num) q++;
  return q;
}

/**
 * Σ w · d(P, c_label) as a bigint, exact. When the whole sum is below 2^53 (a sample's: every d < 3 · 32640² < 2^32,
 * so the total weight bounds it) every partial sum is an exact integer in float64 and the plain sum is the exact one;
 * else each product is split into 16-bit halves of `d` whose partial sums stay exact until flushed into bigints. Every
 * partial sum is an exact integer, so where the flushes fall (and the chunks: `pace.ts`) changes nothing.
 */
function* inertiaSteps(state: LloydState, totalWeight: number): Steps<bigint> {
  const { points, weights, n } = state.grid;
  const { centers, labels } = state;
  if (totalWeight * MAX_DISTANCE < 2 ** 53) {
    let total = 0;
    yield* chunks(n, GRID_CHUNK, (from, to) => {
      total += state.inertiaSmall(from, to);
    });
    return BigInt(total);
  }
  let total = 0n;
  yield* chunks(n, GRID_CHUNK, (from, to) => {
    total += inertiaRange(points, weights, from, to, centers, labels);
  });
  return total;
}

/** The largest squared distance between two fixed-point positions: 3 · (255 · 128)². */
const MAX_DISTANCE = 3 * (255 << FIXED_SHIFT) ** 2;

/** d(P_i, c_label(i)), an exact integer below 2^32. */
function labelDistance(points: Uint16Array, i: number, centers: Float64Array, labels: Int32Array): number {
  const j = labels[i]!;
  const d0 = points[3 * i]! - centers[3 * j]!;
  const d1 = points[3 * i + 1]! - centers[3 * j + 1]!;
  const d2 = points[3 * i + 2]! - centers[3 * j + 2]!;
  return d0 * d0 + d1 * d1 + d2 * d2;
}

/** Σ w · d over points `from .. to` in float64 (exact when the caller has bounded the sum below 2^53). */
function inertiaSmall(
  points: Uint16Array,
  weights: Float64Array,
  from: number,
  to: number,
  centers: Float64Array,
  labels: Int32Array,
): number {
  let total = 0;
  for (let i = from; i < to; i++) total += weights[i]! * labelDistance(points, i, centers, labels);
  return total;
}

/** Σ w · d over points `from .. to` for any weights, in 16-bit halves of d flushed into bigints. */
function inertiaRange(
  points: Uint16Array,
  weights: Float64Array,
  from: number,
  to: number,
  centers: Float64Array,
  labels: Int32Array,
): bigint {
  const FLUSH = 2 ** 52;
  let hi = 0n;
  let lo = 0n;
  let accHi = 0;
  let accLo = 0;
  for (let i = from; i < to; i++) {
    const d = labelDistance(points, i, centers, labels);
    const w = weights[i]!;
    const dHi = Math.floor(d / 65536);
    accHi += w * dHi;
    accLo += w * (d - dHi * 65536);
    if (accHi >= FLUSH || accLo >= FLUSH) {
      hi += BigInt(accHi);
      lo += BigInt(accLo);
      accHi = 0;
      accLo = 0;
    }
  }
  return (hi + BigInt(accHi)) * 65536n + lo + BigInt(accLo);
}

/**
 * One exact Lloyd run from `initCenters` (k × 3, fixed point), with the stopping rules of scikit-learn's
 * `_kmeans_single_lloyd`: strict convergence (labels unchanged), or a squared centre shift ≤ `tolFixed`, or `maxIter`
 * iterations; then a final assignment unless the labels had already settled.
 *
 * `points` are n × 3 fixed-point coordinates (`fixedCoords`: RGB · 128 or the OKLab code). `weights`, when given, must
 * be non-negative integers (e.g. the counts of distinct colours): the result is then the one the repeated points would
 * give.
 */
export function exactLloyd(
  points: Uint16Array,
  weights: ArrayLike<number> | undefined,
  initCenters: Uint32Array,
  k: number,
  maxIter: number,
  tolFixed: number,
  fixedCount = 0,
): ExactRunOutcome {
  const n = points.length / 3;
  const w = weights === undefined ? new Float64Array(n).fill(1) : Float64Array.from(weights);
  return exactLloydOnGrid(buildPointGrid(points, w), initCenters, k, maxIter, tolFixed, fixedCount);
}

/** `exactLloyd` on points already sorted into a grid (`buildPointGrid`), so that several runs share the sort. */
export function exactLloydOnGrid(
  grid: PointGrid,
  initCenters: Uint32Array,
  k: number,
  maxIter: number,
  tolFixed: number,
  fixedCount = 0,
): ExactRunOutcome {
  return runSync(exactLloydOnGridSteps(grid, initCenters, k, maxIter, tolFixed, fixedCount));
}

/**
 * `exactLloydOnGrid` as steps (`pace.ts`): it yields within and between iterations. `keepLabels`, when given, is asked
 * with the run's inertia whether its labels are wanted (a caller keeping only the best run need not spread the labels
 * of a run that cannot be it); when it says no, `labels` is empty.
 */
export function* exactLloydOnGridSteps(
  grid: PointGrid,
  initCenters: Uint32Array,
  k: number,
  maxIter: number,
  tolFixed: number,
  fixedCount = 0,
  keepLabels?: (inertiaFixed: bigint) => boolean,
): Steps<ExactRunOutcome> {
  // Integers held as doubles: int32 products of up to 32640² would overflow V8's small-integer path and deoptimise.
  const state = new LloydState(grid, initCenters, k, fixedCount);
  try {
    let strict = false;
    let stopped = false;
    let i = 0;
    for (; i < maxIter; i++) {
      // Iteration 0 compares against scikit-learn's `labels_old` of -1s, i.e. against nothing.
      const changed = yield* state.assign();
      const shift = state.update();
      if (i > 0 && changed === 0) {
        strict = true;
        stopped = true;
        break;
      }
      if (shift <= tolFixed) {
        stopped = true;
        break;
      }
      yield;
    }
    // After a tol stop (or maxIter) the centres moved since the last assignment: label against the final ones. After
    // a strict stop the last update came from unchanged labels, so the centres did not move and labels and counts stand.
    if (!strict) yield* state.assign();
    // Copied: the state's arrays may be the kernels' memory, reused once the run ends.
    const counts = Float64Array.from(state.counts);
    // The final labels' cluster weights add up to the points' total weight: k additions, no pass over the points.
    let totalWeight = 0;
    for (const c of counts) totalWeight += c;
    const inertiaFixed = yield* inertiaSteps(state, totalWeight);
    const wanted = keepLabels?.(inertiaFixed) ?? true;
    const labels = new Int32Array(wanted ? grid.n : 0);
    if (wanted) for (let s = 0; s < grid.n; s++) labels[grid.order[s]!] = state.labels[s]!;
    return {
      centersFixed: Uint32Array.from(state.centers),
      labels,
      counts,
      inertiaFixed,
      iterations: stopped ? i + 1 : maxIter,
      converged: stopped,
    };
  } finally {
    state.close();
  }
}

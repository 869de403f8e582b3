/**
 * `greedyKMeansPlusPlus` for points that share rows: point i of the m points is row `rowOf[i]` of X (u ≤ m distinct
 * rows), as an image's pixels are their distinct colours. A point's distance to a candidate depends on its row
 * alone, so distances are computed once per row (u of them, not m), while every sum the picks depend on (the
 * potential the next draws are scaled by, the cumulative sum they are searched in) still runs over the m points in
 * order, the rows gathered through `rowOf`. So the generator is consumed as scikit-learn consumes it and the same
 * points are picked, bit for bit, as `greedyKMeansPlusPlus` on the m rows written out.
 *
 * Two shortcuts, neither of which changes a pick (docs/ARITHMETIC.md, "Seeding"):
 * - **Boxes.** The rows are sorted into boxes with their bounds. A candidate farther from every point of a box than
 *   the box's farthest closest distance (by more than any rounding of the distance formula) leaves `min(closest, d)`
 *   unchanged there, so its distances in that box are never computed. A candidate is drawn where points are far from
 *   the centres chosen so far, so it changes only the boxes around it.
 * - **One exact sum a step.** scikit-learn picks the candidate whose potential (numpy's pairwise sum of the new
 *   closest distances over the m points) is lowest. Each candidate's potential is the current one minus its gain
 *   (`Σ weight · (closest − new)` over the rows it lowers), which the boxes give at no extra cost. When one gain beats
 *   the others by more than the summations' rounding could account for (by a billionth of the potential: hundreds of
 *   times that rounding), that candidate is the one the exact sums would pick; only its potential is then summed in
 *   numpy's order (and not at all at the last step, whose potential nothing uses). Near ties (two candidates on one
 *   colour, a flat image) fall back to the exact potential of every contender.
 *
 * The distances, the draws and the sums run as WebAssembly kernels where they load (`wasmSeeding`, wasm/seeding.ts),
 * else in JavaScript (`jsSeeding`): the same picks; the tests run both.
 */
import { chunkFor, chunks, type Steps } from '../pace.js';
import type { RandomState } from '../random.js';
import { distancesToCentre, distancesToRow } from './kmeans-plusplus.js';
import { pairwiseSumGather } from './numeric.js';
import { rowSquaredNorm } from './prepare.js';
import { KernelCache, type Kernels, type Loaded } from '../wasm/kernels.js';

/** Boxes per axis of the rows' bounding box: 16³ cells, of which a photo's colours fill a few hundred. */
const BOX_BINS = 16;

/**
 * Absolute slack on a box's lower bound: a distance computed by the formula (`-2·x·c + ‖c‖² + ‖x‖²`, coordinates
 * within ±1, norms ≤ 3) is within 1e-14 of the true squared distance between the float rows, and the bound itself is
 * computed to 1e-15. So a candidate whose bound exceeds a box's largest closest distance by this cannot lower any of
 * its rows.
 */
const BOUND_SLACK = 1e-12;

/**
 * Relative margin on gains (of the current potential) below which candidates count as tied and their potentials are
 * summed exactly. The rounding it must cover: numpy's pairwise sums, ~3e-15 of the potential each, and the gains' own
 * sequential sums, below 2e-12 of it even in the worst case.
 */
const TIE_MARGIN = 1e-9;

/**
 * Rows of X sorted by box: X, norms and `rowOf` renumbered so that box b holds rows `start[b] .. start[b+1]`, each
 * box with its bounds and each row with the number of points on it. Built once per point set, shared by its seedings.
 */
export interface RowBoxes {
  X: Float64Array;
  norms: Float64Array;
  rowOf: Uint32Array;
  u: number;
  /** Points on each row (integers). */
  weights: Float64Array;
  /** The row of the caller's X each sorted row is. */
  from: Uint32Array;
  count: number;
  start: Uint32Array;
  /** Per box, 3 values: the least and greatest coordinate of its rows on each axis. */
  lo: Float64Array;
  hi: Float64Array;
}

/** Sorts the u rows of X (with their squared norms, and `rowOf` renumbered) into boxes. */
export function rowBoxes(X: Float64Array, u: number, norms: Float64Array, rowOf: Uint32Array): RowBoxes {
  const keys = boxKeys(X, u);
  const bucket = new Uint32Array(BOX_BINS ** 3 + 1);
  for (let r = 0; r < u; r++) bucket[keys[r]! + 1]!++;
  let count = 0;
  for (let key = 1; key < bucket.length; key++) {
    if (bucket[key]! > 0) count++;
    bucket[key]! += bucket[key - 1]!;
  }
  const boxes: RowBoxes = {
    X: new Float64Array(3 * u),
    norms: new Float64Array(u),
    rowOf: new Uint32Array(rowOf.length),
    u,
    weights: new Float64Array(u),
    from: new Uint32Array(u),
    count,
    start: new Uint32Array(count + 1),
    lo: new Float64Array(3 * count),
    hi: new Float64Array(3 * count),
  };
  const newRow = new Uint32Array(u);
  const sortedKey = new Uint32Array(u);
  sortRows(X, norms, keys, bucket, u, newRow, sortedKey, boxes.from, boxes.X, boxes.norms);
  renumber(rowOf, newRow, boxes.rowOf, boxes.weights);
  boxBounds(boxes.X, sortedKey, u, boxes.start, boxes.lo, boxes.hi);
  return boxes;
}

/** Each row's box: its cell in a BOX_BINS³ grid over the rows' bounding box. */
function boxKeys(X: Float64Array, u: number): Uint32Array {
  let min0 = Infinity, min1 = Infinity, min2 = Infinity;
  let max0 = -Infinity, max1 = -Infinity, max2 = -Infinity;
  for (let r = 0; r < u; r++) {
    const v0 = X[3 * r]!, v1 = X[3 * r + 1]!, v2 = X[3 * r + 2]!;
    if (v0 < min0) min0 = v0;
    if (v0 > max0) max0 = v0;
    if (v1 < min1) min1 = v1;
    if (v1 > max1) max1 = v1;
    if (v2 < min2) min2 = v2;
    if (v2 > max2) max2 = v2;
  }
  const s0 = max0 > min0 ? BOX_BINS / (max0 - min0) : 0;
  const s1 = max1 > min1 ? BOX_BINS / (max1 - min1) : 0;
  const s2 = max2 > min2 ? BOX_BINS / (max2 - min2) : 0;
  const top = BOX_BINS - 1;
  const keys = new Uint32Array(u);
  for (let r = 0; r < u; r++) {
    const k0 = Math.min(top, Math.floor((X[3 * r]! - min0) * s0));
    const k1 = Math.min(top, Math.floor((X[3 * r + 1]! - min1) * s1));
    const k2 = Math.min(top, Math.floor((X[3 * r + 2]! - min2) * s2));
    keys[r] = (k0 * BOX_BINS + k1) * BOX_BINS + k2;
  }
  return keys;
}

/** Rows in box order (a counting sort on `keys`, `bucket` the starts), with where each went and came from. */
function sortRows(
  X: Float64Array, norms: Float64Array, keys: Uint32Array, bucket: Uint32Array, u: number,
  newRow: Uint32Array, sortedKey: Uint32Array, from: Uint32Array, sortedX: Float64Array, sortedNorms: Float64Array,
): void {
  for (let r = 0; r < u; r++) {
    const key = keys[r]!;
    const s = bucket[key]!++;
    newRow[r] = s;
    from[s] = r;
    sortedKey[s] = key;
    sortedX[3 * s] = X[3 * r]!;
    sortedX[3 * s + 1] = X[3 * r + 1]!;
    sortedX[3 * s + 2] = X[3 * r + 2]!;
    sortedNorms[s] = norms[r]!;
  }
}

/** Each point's row renumbered, and the points on each sorted row. */
function renumber(rowOf: Uint32Array, newRow: Uint32Array, out: Uint32Array, weights: Float64Array): void {
  for (let i = 0; i < rowOf.length; i++) {
    const s = newRow[rowOf[i]!]!;
    out[i] = s;
    weights[s]!++;
  }
}

/** Boxes in key order (sorted row s opens one where its key differs from the previous row's) and their bounds. */
function boxBounds(
  X: Float64Array, sortedKey: Uint32Array, u: number, start: Uint32Array, lo: Float64Array, hi: Float64Array,
): void {
  let b = -1;
  for (let s = 0; s < u; s++) {
    const v0 = X[3 * s]!, v1 = X[3 * s + 1]!, v2 = X[3 * s + 2]!;
    if (s === 0 || sortedKey[s] !== sortedKey[s - 1]) {
      start[++b] = s;
      lo[3 * b] = hi[3 * b] = v0;
      lo[3 * b + 1] = hi[3 * b + 1] = v1;
      lo[3 * b + 2] = hi[3 * b + 2] = v2;
      continue;
    }
    if (v0 < lo[3 * b]!) lo[3 * b] = v0;
    if (v0 > hi[3 * b]!) hi[3 * b] = v0;
    if (v1 < lo[3 * b + 1]!) lo[3 * b + 1] = v1;
    if (v1 > hi[3 * b + 1]!) hi[3 * b + 1] = v1;
    if (v2 < lo[3 * b + 2]!) lo[3 * b + 2] = v2;
    if (v2 > hi[3 * b + 2]!) hi[3 * b + 2] = v2;
  }
  start[b + 1] = u;
}

/** Scratch for a branch-free choice between two values. */
const PICK = new Float64Array(2);

/**
 * Candidate row `cand`'s distances to the rows `from .. to`, lowered to `closest` (`np.minimum`), into `out`; returns
 * `Σ weight · (closest − new)` over them. The formula and its order are `distancesToRow`'s.
 */
function lowerRows(
  X: Float64Array, norms: Float64Array, weights: Float64Array, closest: Float64Array, cand: number,
  from: number, to: number, out: Float64Array,
): number {
  const c0 = X[3 * cand]!, c1 = X[3 * cand + 1]!, c2 = X[3 * cand + 2]!, cNorm = norms[cand]!;
  const pick = PICK;
  let gain = 0;
  for (let i = from, p = 3 * from; i < to; i++, p += 3) {
    const dot = c0 * X[p]! + c1 * X[p + 1]! + c2 * X[p + 2]!;
    let dist = -2 * dot + cNorm + norms[i]!;
    if (dist < 0) dist = 0;
    const b = closest[i]!;
    pick[0] = dist;
    pick[1] = b;
    const v = pick[Number(b < dist)]!;
    out[i] = v;
    gain += weights[i]! * (b - v);
  }
  return gain;
}

/** Squared distance from row `cand` of X to box b's bounds (0 inside). */
function boxDistance(X: Float64Array, cand: number, lo: Float64Array, hi: Float64Array, b: number): number {
  let d = 0;
  for (let c = 0; c < 3; c++) {
    const v = X[3 * cand + c]!;
    const below = lo[3 * b + c]! - v;
    const above = v - hi[3 * b + c]!;
    const gap = below > 0 ? below : above > 0 ? above : 0;
    d += gap * gap;
  }
  return d;
}

/** Each box's largest closest distance into `boxMax`. */
function measureBoxes(boxes: RowBoxes, closest: Float64Array, boxMax: Float64Array): void {
  const { count, start } = boxes;
  for (let b = 0; b < count; b++) boxMax[b] = largest(closest, start[b]!, start[b + 1]!);
}

/** The largest of `a[from .. to]` (0 when empty: distances are never negative). */
function largest(a: Float64Array, from: number, to: number): number {
  let m = 0;
  for (let i = from; i < to; i++) if (a[i]! > m) m = a[i]!;
  return m;
}

/**
 * One seeding's state between steps and the operations on it, in JavaScript (`jsSeeding`) or with the WebAssembly
 * kernels (`wasmSeeding`, the same picks): the closest distances, each box's largest of them, and each candidate's
 * lowered distances, gain and boxes reached.
 */
interface Seeding {
  closest: Float64Array;
  candidateRows: Int32Array;
  reachedCount: Int32Array;
  gains: Float64Array;
  /** The closest distances as the distances to row `row` alone (the first centre), and the boxes' largest. */
  startAt(row: number): Steps<void>;
  /** Each box's largest closest distance, from the closest distances as they are. */
  measureBoxes(): void;
  /** numpy's pairwise sum of the closest distances over the points (through `rowOf`). */
  potential(): number;
  /** The potential were candidate t chosen (its lowered distances over the closest ones). */
  potentialWith(t: number): number;
  /** `drawCandidates` of the closest distances for `targets`, into `out`. */
  draw(targets: Float64Array, out: Int32Array): void;
  /** Every candidate's lowered distances and gain in boxes `fromBox .. toBox` (`lowerBoxes`). */
  lower(fromBox: number, toBox: number): void;
  /** Candidate t chosen: its lowered distances become the closest ones, and the boxes' largest are updated. */
  choose(t: number): void;
  /** Gives back what the seeding held. */
  close(): void;
}

function jsSeeding(boxes: RowBoxes, trials: number): Seeding {
  const { u, count, start, rowOf } = boxes;
  const closest = new Float64Array(u);
  const boxMax = new Float64Array(count);
  const candidateRows = new Int32Array(trials);
  const lowered = Array.from({ length: trials }, () => new Float64Array(u));
  const reached = Array.from({ length: trials }, () => new Int32Array(count));
  const reachedCount = new Int32Array(trials);
  const gains = new Float64Array(trials);
  let scratch: Float64Array | null = null;
  return {
    closest, candidateRows, reachedCount, gains,
    *startAt(row) {
      yield* chunks(u, chunkFor(3 + 4), (from, to) => distancesToRow(boxes.X, from, to, 3, row, boxes.norms, closest));
      this.measureBoxes();
    },
    measureBoxes: () => measureBoxes(boxes, closest, boxMax),
    potential: () => pairwiseSumGather(closest, rowOf),
    potentialWith(t) {
      scratch ??= new Float64Array(u);
      scratch.set(closest);
      applyLowered(scratch, lowered[t]!, reached[t]!, reachedCount[t]!, start);
      return pairwiseSumGather(scratch, rowOf);
    },
    draw: (targets, out) => drawCandidates(closest, rowOf, targets, out),
    lower(fromBox, toBox) {
      const { X, norms, weights, lo, hi } = boxes;
      for (let b = fromBox; b < toBox; b++) {
        const limit = boxMax[b]! + BOUND_SLACK;
        const from = start[b]!, to = start[b + 1]!;
        for (let t = 0; t < trials; t++) {
          const cand = candidateRows[t]!;
          if (boxDistance(X, cand, lo, hi, b) > limit) continue;
          gains[t]! += lowerRows(X, norms, weights, closest, cand, from, to, lowered[t]!);
          reached[t]![reachedCount[t]!++] = b;
        }
      }
    },
    choose: (t) => applyLowered(closest, lowered[t]!, reached[t]!, reachedCount[t]!, start, boxMax),
    close() {},
  };
}

/** Where a point set's rows lie in an instance of the kernels, as columns (byte offsets). */
interface RowColumns {
  x0: number; x1: number; x2: number; norms: number; weights: number; rowOf: number; start: number; lo: number; hi: number;
}

/** Rows in instances of the kernels: loaded once, kept for the point set's next seeding (`KernelCache`). */
const loadedRows = new KernelCache<RowBoxes, RowColumns>();

function loadRows(boxes: RowBoxes, kernels: Kernels): RowColumns {
  const { u, count, X } = boxes;
  const m = boxes.rowOf.length;
  const at = {
    x0: kernels.alloc(8 * u), x1: kernels.alloc(8 * u), x2: kernels.alloc(8 * u),
    norms: kernels.alloc(8 * u), weights: kernels.alloc(8 * u), rowOf: kernels.alloc(4 * m),
    start: kernels.alloc(4 * (count + 1)), lo: kernels.alloc(24 * count), hi: kernels.alloc(24 * count),
  };
  const x0 = kernels.f64(at.x0, u), x1 = kernels.f64(at.x1, u), x2 = kernels.f64(at.x2, u);
  for (let r = 0; r < u; r++) {
    x0[r] = X[3 * r]!;
    x1[r] = X[3 * r + 1]!;
    x2[r] = X[3 * r + 2]!;
  }
  kernels.f64(at.norms, u).set(boxes.norms);
  kernels.f64(at.weights, u).set(boxes.weights);
  kernels.u32(at.rowOf, m).set(boxes.rowOf);
  kernels.u32(at.start, count + 1).set(boxes.start);
  kernels.f64(at.lo, 3 * count).set(boxes.lo);
  kernels.f64(at.hi, 3 * count).set(boxes.hi);
  return at;
}

function wasmSeeding(boxes: RowBoxes, trials: number, rows: RowColumns & Loaded): Seeding {
  const { kernels } = rows;
  const { u, count } = boxes;
  const m = boxes.rowOf.length;
  const at = {
    closest: kernels.alloc(8 * u), boxMax: kernels.alloc(8 * count), candidateRows: kernels.alloc(4 * trials),
    lowered: kernels.alloc(8 * trials * u), reached: kernels.alloc(4 * trials * count), reachedCount: kernels.alloc(4 * trials),
    gains: kernels.alloc(8 * trials), targets: kernels.alloc(8 * trials), drawn: kernels.alloc(4 * trials), scratch: kernels.alloc(8 * u),
  };
  // Views only once everything is allocated: growing the memory detaches earlier ones.
  const closest = kernels.f64(at.closest, u);
  const scratch = kernels.f64(at.scratch, u);
  const reachedCount = kernels.i32(at.reachedCount, trials);
  const targets = kernels.f64(at.targets, trials);
  const drawn = kernels.i32(at.drawn, trials);
  const k = kernels.exports;
  const boxMax = kernels.f64(at.boxMax, count);
  return {
    closest,
    candidateRows: kernels.i32(at.candidateRows, trials),
    reachedCount,
    gains: kernels.f64(at.gains, trials),
    *startAt(row) {
      k.distancesToRow(rows.x0, rows.x1, rows.x2, rows.norms, u, row, at.closest, rows.start, count, at.boxMax);
    },
    measureBoxes: () => measureBoxes(boxes, closest, boxMax),
    potential: () => k.pairwiseSumGather(at.closest, rows.rowOf, 0, m),
    potentialWith(t) {
      scratch.set(closest);
      k.applyLowered(at.scratch, at.lowered + 8 * t * u, at.reached + 4 * t * count, reachedCount[t]!, rows.start, 0);
      return k.pairwiseSumGather(at.scratch, rows.rowOf, 0, m);
    },
    draw(wanted, out) {
      // The kernel walks the targets in ascending order, as `drawCandidates` does.
      const order = ascending(wanted);
      for (let j = 0; j < trials; j++) targets[j] = wanted[order[j]!]!;
      k.drawSorted(at.closest, rows.rowOf, m, at.targets, trials, at.drawn);
      for (let j = 0; j < trials; j++) out[order[j]!] = drawn[j]!;
    },
    lower(fromBox, toBox) {
      k.lowerBoxes(
        rows.x0, rows.x1, rows.x2, rows.norms, rows.weights, at.closest, rows.start, rows.lo, rows.hi, at.boxMax, u, count,
        trials, at.candidateRows, at.lowered, at.reached, at.reachedCount, at.gains, fromBox, toBox,
      );
    },
    choose: (t) => k.applyLowered(at.closest, at.lowered + 8 * t * u, at.reached + 4 * t * count, reachedCount[t]!, rows.start, at.boxMax),
    close() {
      loadedRows.checkIn(boxes, rows);
    },
  };
}

/** The seeding's state, with the WebAssembly kernels where they run. */
function openSeeding(boxes: RowBoxes, trials: number): Seeding {
  const rows = loadedRows.checkOut(boxes, (kernels) => loadRows(boxes, kernels));
  return (rows && loadedRows.workMemory(boxes, rows, () => wasmSeeding(boxes, trials, rows))) ?? jsSeeding(boxes, trials);
}

/** The indices of `targets` in ascending order of their values, ties in index order. */
function ascending(targets: Float64Array): number[] {
  return Array.from({ length: targets.length }, (_, t) => t).sort((a, b) => targets[a]! - targets[b]! || a - b);
}

/**
 * The candidates `np.searchsorted(np.cumsum(closest over the points), targets)` picks (clipped to m − 1), into `out`:
 * the running sum of the gathered distances, in point order, only as far as the highest target. The sum never
 * decreases, so the first index at which it reaches a target is where the left-side search lands.
 */
function drawCandidates(closest: Float64Array, rowOf: Uint32Array, targets: Float64Array, out: Int32Array): void {
  const m = rowOf.length;
  const n = targets.length;
  const order = ascending(targets);
  let next = 0;
  let target = targets[order[0]!]!;
  let sum = 0;
  for (let i = 0; i < m && next < n; i++) {
    sum += closest[rowOf[i]!]!;
    while (next < n && sum >= target) {
      out[order[next]!] = i;
      next++;
      if (next < n) target = targets[order[next]!]!;
    }
  }
  for (; next < n; next++) out[order[next]!] = m - 1;
}

/**
 * The chosen point indices (0 .. m−1, m = `rowOf.length`). X: u × 3 rows, float64, centred as `KMeans.fit` centres
 * the points; `xSquaredNorms` their squared norms. `boxes`, when given, must be `rowBoxes` of these rows (several
 * seedings of one point set share them).
 *
 * With `fixed` (f ≥ 1 centres, f × 3, in the space of X), `greedyKMeansPlusPlusSteps`'s variant for locked centres:
 * they count as centres 0 .. f−1 already chosen (indices −1), no first point is drawn, the closest distances start as
 * each row's distance to its nearest fixed centre (`np.minimum` over them, in order), and steps f .. k−1 follow.
 */
export function* greedyKMeansPlusPlusOnRowsSteps(
  X0: Float64Array, u: number, xSquaredNorms: Float64Array, rowOf0: Uint32Array, k: number, rng: RandomState,
  boxes: RowBoxes = rowBoxes(X0, u, xSquaredNorms, rowOf0), fixed?: Float64Array,
): Steps<Int32Array> {
  const trials = 2 + Math.floor(Math.log(k));
  const s = openSeeding(boxes, trials);
  try {
    return yield* seedSteps(boxes, k, rng, fixed, trials, s);
  } finally {
    s.close();
  }
}

function* seedSteps(boxes: RowBoxes, k: number, rng: RandomState, fixed: Float64Array | undefined, trials: number, s: Seeding): Steps<Int32Array> {
  const { X, norms, rowOf, count, u } = boxes;
  const m = rowOf.length;
  const indices = new Int32Array(k);
  const chunk = chunkFor(3 + 4);
  const fixedCount = fixed === undefined ? 0 : fixed.length / 3;
  const { closest, candidateRows, reachedCount, gains } = s;

  if (fixedCount === 0) {
    const first = rng.randint(m);
    indices[0] = first;
    yield* s.startAt(rowOf[first]!);
  } else {
    indices.fill(-1, 0, fixedCount);
    for (let f = 0; f < fixedCount; f++) {
      const norm = rowSquaredNorm(fixed!, f, 3);
      const bound = f === 0 ? undefined : closest;
      yield* chunks(u, chunk, (from, to) => distancesToCentre(X, from, to, 3, fixed!, 3 * f, norm, norms, closest, bound));
    }
    s.measureBoxes();
  }
  let currentPot = s.potential();
  yield;
  const firstStep = Math.max(1, fixedCount);
  if (firstStep >= k) return indices;

  const candidateIds = new Int32Array(trials);
  const targets = new Float64Array(trials);
  const pots = new Float64Array(trials);
  // Boxes per pause: about a chunk's worth of rows for every candidate.
  const boxChunk = Math.max(1, Math.floor((chunk / trials) * (count / Math.max(1, u))));

  for (let c = firstStep; c < k; c++) {
    const randVals = rng.uniform(trials);
    for (let t = 0; t < trials; t++) targets[t] = randVals[t]! * currentPot;
    s.draw(targets, candidateIds);
    for (let t = 0; t < trials; t++) candidateRows[t] = rowOf[candidateIds[t]!]!;
    yield;

    gains.fill(0);
    reachedCount.fill(0);
    for (let b = 0; b < count; b += boxChunk) {
      s.lower(b, Math.min(count, b + boxChunk));
      yield;
    }

    // The winner: the candidate of lowest potential, ties to the first (`np.argmin`).
    let bestGain = -Infinity;
    for (let t = 0; t < trials; t++) bestGain = Math.max(bestGain, gains[t]!);
    const margin = TIE_MARGIN * currentPot;
    let best = -1;
    let contenders = 0;
    for (let t = 0; t < trials; t++) {
      if (gains[t]! < bestGain - margin) continue;
      contenders++;
      if (best < 0) best = t;
    }
    let potKnown = false;
    if (contenders > 1) {
      // Too close to call from the gains: every contender's potential, summed as scikit-learn sums it.
      best = -1;
      for (let t = 0; t < trials; t++) {
        if (gains[t]! < bestGain - margin) continue;
        pots[t] = s.potentialWith(t);
        if (best < 0 || pots[t]! < pots[best]!) best = t;
        yield;
      }
      currentPot = pots[best]!;
      potKnown = true;
    }
    s.choose(best);
    indices[c] = candidateIds[best]!;
    // The potential scales the next step's draws; after the last step nothing reads it.
    if (c < k - 1 && !potKnown) currentPot = s.potential();
    yield;
  }
  return indices;
}

/**
 * Copies a candidate's lowered distances into `into` in the boxes it reached, and when `boxMax` is given, sets their
 * largest distance there.
 */
function applyLowered(
  into: Float64Array, lowered: Float64Array, reached: Int32Array, n: number, start: Uint32Array, boxMax?: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const b = reached[i]!;
    let most = 0;
    for (let r = start[b]!, end = start[b + 1]!; r < end; r++) {
      const v = lowered[r]!;
      into[r] = v;
      if (v > most) most = v;
    }
    if (boxMax) boxMax[b] = most;
  }
}

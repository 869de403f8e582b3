/**
 * The exact Lloyd assignment (src/core/exact/lloyd.ts, `LloydState.assign`) in WebAssembly: the grid filter on coarse
 * and fine boxes, boxes labelled at once, the rest scanned point by point. Every quantity is an integer held in a
 * float64 far below 2^53, so the arithmetic is exact in any order; the loops follow the JavaScript's order anyway, so
 * the labels, memos and sums are the same values, not just the same result.
 *
 * One run's memory is described by a header of int32 fields (`H_*`, src/core/wasm/lloyd-header.ts), written by the
 * caller.
 */

import {
  H_AFTER_COARSE, H_AFTER_FINE, H_ALL, H_CENTERS, H_CHANGED, H_COARSE_COUNT, H_COARSE_FIRST, H_COARSE_HI, H_COARSE_LO,
  H_COARSE_MEMO, H_COARSE_SUMS, H_COARSE_WEIGHT, H_COUNTS, H_FINE_HI, H_FINE_LO, H_FINE_MEMO, H_FINE_START, H_FINE_SUMS,
  H_FINE_WEIGHT, H_K, H_LABELS, H_POINTS, H_SUMS, H_WEIGHTS,
} from '../src/core/wasm/lloyd-header';

/** A fine box of at most this many points is scanned against its coarse box's candidates without a filter. */
const SCAN_BOX_MAX_POINTS: u32 = 2;

/** Where header field `at` is. */
@inline function fieldAt(header: usize, at: i32): usize {
  return header + (<usize>at << 2);
}

/** Header field `at`, an offset in memory. */
@inline function field(header: usize, at: i32): usize {
  return <usize>load<i32>(fieldAt(header, at));
}

@inline function coord(p: usize, i: usize): f64 {
  return <f64>load<u16>(p + (i << 1));
}

/** The squared distance from (x0, x1, x2) to centre j. */
@inline function distanceTo(centers: usize, j: i32, x0: f64, x1: f64, x2: f64): f64 {
  const c = centers + (<usize>j * 24);
  const d0 = x0 - load<f64>(c), d1 = x1 - load<f64>(c, 8), d2 = x2 - load<f64>(c, 16);
  return d0 * d0 + d1 * d1 + d2 * d2;
}

/** The candidate nearest (x0, x1, x2): strictly less in index order, so a tie keeps the lower index. */
@inline function nearest(centers: usize, candidates: usize, m: i32, x0: f64, x1: f64, x2: f64): i32 {
  let best: i32 = 0;
  let bestD = Infinity;
  for (let t: i32 = 0; t < m; t++) {
    const j = load<i32>(candidates + (<usize>t << 2));
    const d = distanceTo(centers, j, x0, x1, x2);
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  }
  return best;
}

/**
 * `LloydState.filter`: keeps, in order, the candidates that may be nearest to some point of box b (bounds lo, hi),
 * testing first the box's owner of the last assignment when it is a candidate, else the candidate nearest the box's
 * middle. Returns how many survive.
 */
function filter(centers: usize, lo: usize, hi: usize, b: usize, candidates: usize, m: i32, out: usize, owner: i32): i32 {
  const box = b * 3;
  const lo0 = coord(lo, box), lo1 = coord(lo, box + 1), lo2 = coord(lo, box + 2);
  const hi0 = coord(hi, box), hi1 = coord(hi, box + 1), hi2 = coord(hi, box + 2);
  let a: i32 = -1;
  if (owner >= 0) {
    for (let t: i32 = 0; t < m && a < 0; t++) if (load<i32>(candidates + (<usize>t << 2)) == owner) a = owner;
  }
  if (a < 0) a = nearest(centers, candidates, m, (lo0 + hi0) / 2, (lo1 + hi1) / 2, (lo2 + hi2) / 2);
  const ca = centers + (<usize>a * 24);
  const a0 = load<f64>(ca), a1 = load<f64>(ca, 8), a2 = load<f64>(ca, 16);
  let kept: i32 = 0;
  for (let t: i32 = 0; t < m; t++) {
    const j = load<i32>(candidates + (<usize>t << 2));
    if (j != a) {
      // max over the box of d(x,a) − d(x,j) = Σ_i (j_i − a_i)(2x_i − a_i − j_i), at the corner that maximises it.
      const c = centers + (<usize>j * 24);
      const b0 = load<f64>(c), b1 = load<f64>(c, 8), b2 = load<f64>(c, 16);
      const worst =
        (b0 - a0) * (2 * (b0 > a0 ? hi0 : lo0) - a0 - b0) +
        (b1 - a1) * (2 * (b1 > a1 ? hi1 : lo1) - a1 - b1) +
        (b2 - a2) * (2 * (b2 > a2 ? hi2 : lo2) - a2 - b2);
      if (worst < 0) continue;
    }
    store<i32>(out + (<usize>kept << 2), j);
    kept++;
  }
  return kept;
}

/** Labels points from .. to with a; returns how many changed. */
@inline function fill(labels: usize, from: usize, to: usize, a: i32): i32 {
  let changed: i32 = 0;
  for (let i = from; i < to; i++) {
    const at = labels + (i << 2);
    if (load<i32>(at) != a) {
      store<i32>(at, a);
      changed++;
    }
  }
  return changed;
}

/** Adds a weight and its coordinate sums to cluster j's totals. */
@inline function addTo(sums: usize, counts: usize, j: i32, w: f64, s0: f64, s1: f64, s2: f64): void {
  const count = counts + (<usize>j << 3);
  store<f64>(count, load<f64>(count) + w);
  const s = sums + <usize>j * 24;
  store<f64>(s, load<f64>(s) + s0);
  store<f64>(s, load<f64>(s, 8) + s1, 8);
  store<f64>(s, load<f64>(s, 16) + s2, 16);
}

/** Adds box b's totals (weight, sums) to cluster a. */
@inline function addBox(weight: usize, boxSums: usize, b: usize, sums: usize, counts: usize, a: i32): void {
  const t = boxSums + b * 24;
  addTo(sums, counts, a, load<f64>(weight + (b << 3)), load<f64>(t), load<f64>(t, 8), load<f64>(t, 16));
}

/** `LloydState.scanPoints`: each point of from .. to labelled by exact distances to the candidates, added to the sums. */
function scanPoints(header: usize, from: usize, to: usize, candidates: usize, m: i32): i32 {
  const points = field(header, H_POINTS);
  const weights = field(header, H_WEIGHTS);
  const centers = field(header, H_CENTERS);
  const labels = field(header, H_LABELS);
  const sums = field(header, H_SUMS);
  const counts = field(header, H_COUNTS);
  let changed: i32 = 0;
  for (let i = from; i < to; i++) {
    const x0 = coord(points, 3 * i), x1 = coord(points, 3 * i + 1), x2 = coord(points, 3 * i + 2);
    const best = nearest(centers, candidates, m, x0, x1, x2);
    const at = labels + (i << 2);
    if (load<i32>(at) != best) {
      store<i32>(at, best);
      changed++;
    }
    const w = load<f64>(weights + (i << 3));
    addTo(sums, counts, best, w, w * x0, w * x1, w * x2);
  }
  return changed;
}

/**
 * `scanPoints` for two candidates a < b, the usual case (a box on the boundary between two clusters): each point's
 * choice (b when strictly nearer, else a) is a select rather than a branch, and the two clusters' sums build up in
 * locals, added to the run's once at the end (integers: the same totals in any order).
 */
function scanTwo(header: usize, from: usize, to: usize, a: i32, b: i32): i32 {
  const points = field(header, H_POINTS);
  const weights = field(header, H_WEIGHTS);
  const centers = field(header, H_CENTERS);
  const labels = field(header, H_LABELS);
  const ca = centers + <usize>a * 24;
  const cb = centers + <usize>b * 24;
  const a0 = load<f64>(ca), a1 = load<f64>(ca, 8), a2 = load<f64>(ca, 16);
  const b0 = load<f64>(cb), b1 = load<f64>(cb, 8), b2 = load<f64>(cb, 16);
  let wa: f64 = 0, sa0: f64 = 0, sa1: f64 = 0, sa2: f64 = 0;
  let wb: f64 = 0, sb0: f64 = 0, sb1: f64 = 0, sb2: f64 = 0;
  let changed: i32 = 0;
  for (let i = from; i < to; i++) {
    const x0 = coord(points, 3 * i), x1 = coord(points, 3 * i + 1), x2 = coord(points, 3 * i + 2);
    const da0 = x0 - a0, da1 = x1 - a1, da2 = x2 - a2;
    const db0 = x0 - b0, db1 = x1 - b1, db2 = x2 - b2;
    const toB = db0 * db0 + db1 * db1 + db2 * db2 < da0 * da0 + da1 * da1 + da2 * da2;
    const best = select<i32>(b, a, toB);
    const at = labels + (i << 2);
    changed += <i32>(load<i32>(at) != best);
    store<i32>(at, best);
    const w = load<f64>(weights + (i << 3));
    const w1 = select<f64>(w, 0, toB);
    const w0 = w - w1;
    wa += w0;
    sa0 += w0 * x0;
    sa1 += w0 * x1;
    sa2 += w0 * x2;
    wb += w1;
    sb0 += w1 * x0;
    sb1 += w1 * x1;
    sb2 += w1 * x2;
  }
  const sums = field(header, H_SUMS);
  const counts = field(header, H_COUNTS);
  addTo(sums, counts, a, wa, sa0, sa1, sa2);
  addTo(sums, counts, b, wb, sb0, sb1, sb2);
  return changed;
}

/** `scanPoints`, or `scanTwo` for two candidates. */
@inline function scan(header: usize, from: usize, to: usize, candidates: usize, m: i32): i32 {
  return m == 2
    ? scanTwo(header, from, to, load<i32>(candidates), load<i32>(candidates, 4))
    : scanPoints(header, from, to, candidates, m);
}

/** `LloydState.assignCoarse` on coarse box c. Returns how many labels changed. */
function assignCoarse(header: usize, c: usize): i32 {
  const k = load<i32>(fieldAt(header, H_K));
  const centers = field(header, H_CENTERS);
  const fineStart = field(header, H_FINE_START);
  const coarseFirst = field(header, H_COARSE_FIRST);
  const fineMemo = field(header, H_FINE_MEMO);
  const coarseMemo = field(header, H_COARSE_MEMO);
  const afterCoarse = field(header, H_AFTER_COARSE);
  const afterFine = field(header, H_AFTER_FINE);
  const labels = field(header, H_LABELS);
  const sums = field(header, H_SUMS);
  const counts = field(header, H_COUNTS);
  let changed: i32 = 0;
  const firstFine = <usize>load<u32>(coarseFirst + (c << 2));
  const endFine = <usize>load<u32>(coarseFirst + (c << 2), 4);
  const memoAt = coarseMemo + (c << 2);
  const mc = filter(centers, field(header, H_COARSE_LO), field(header, H_COARSE_HI), c, field(header, H_ALL), k, afterCoarse, load<i32>(memoAt));
  if (mc == 1) {
    const a = load<i32>(afterCoarse);
    addBox(field(header, H_COARSE_WEIGHT), field(header, H_COARSE_SUMS), c, sums, counts, a);
    if (load<i32>(memoAt) != a) {
      changed += fill(labels, <usize>load<u32>(fineStart + (firstFine << 2)), <usize>load<u32>(fineStart + (endFine << 2)), a);
      store<i32>(memoAt, a);
      for (let f = firstFine; f < endFine; f++) store<i32>(fineMemo + (f << 2), a);
    }
    return changed;
  }
  store<i32>(memoAt, -1);
  const fineLo = field(header, H_FINE_LO);
  const fineHi = field(header, H_FINE_HI);
  const fineWeight = field(header, H_FINE_WEIGHT);
  const fineSums = field(header, H_FINE_SUMS);
  for (let f = firstFine; f < endFine; f++) {
    const from = <usize>load<u32>(fineStart + (f << 2));
    const to = <usize>load<u32>(fineStart + (f << 2), 4);
    const fm = fineMemo + (f << 2);
    if (to - from <= SCAN_BOX_MAX_POINTS) {
      // Testing so few points costs less than filtering their box.
      store<i32>(fm, -1);
      changed += scan(header, from, to, afterCoarse, mc);
      continue;
    }
    const mf = filter(centers, fineLo, fineHi, f, afterCoarse, mc, afterFine, load<i32>(fm));
    if (mf == 1) {
      const a = load<i32>(afterFine);
      addBox(fineWeight, fineSums, f, sums, counts, a);
      if (load<i32>(fm) != a) {
        changed += fill(labels, from, to, a);
        store<i32>(fm, a);
      }
      continue;
    }
    store<i32>(fm, -1);
    changed += scan(header, from, to, afterFine, mf);
  }
  return changed;
}

/**
 * Coarse boxes from `fromCoarse` on, until the budget of point-centre tests runs out (the JavaScript's pacing: 16 a
 * box plus its points × k): returns the next box, the count when done. Changed labels add up in the header.
 */
export function lloydAssign(header: usize, fromCoarse: i32, budget: i32): i32 {
  const count = load<i32>(fieldAt(header, H_COARSE_COUNT));
  const k = load<i32>(fieldAt(header, H_K));
  const fineStart = field(header, H_FINE_START);
  const coarseFirst = field(header, H_COARSE_FIRST);
  let changed: i32 = 0;
  let c = fromCoarse;
  for (; c < count; c++) {
    changed += assignCoarse(header, <usize>c);
    const first = load<u32>(fineStart + (<usize>load<u32>(coarseFirst + (<usize>c << 2)) << 2));
    const end = load<u32>(fineStart + (<usize>load<u32>(coarseFirst + (<usize>c << 2), 4) << 2));
    budget -= 16 + <i32>(end - first) * k;
    if (budget < 0) {
      c++;
      break;
    }
  }
  store<i32>(fieldAt(header, H_CHANGED), load<i32>(fieldAt(header, H_CHANGED)) + changed);
  return c;
}

/** Σ w · d(P_i, c_label(i)) over points from .. to, in float64 (exact where the caller has bounded it below 2^53). */
export function lloydInertia(header: usize, from: i32, to: i32): f64 {
  const points = field(header, H_POINTS);
  const weights = field(header, H_WEIGHTS);
  const centers = field(header, H_CENTERS);
  const labels = field(header, H_LABELS);
  let total: f64 = 0;
  for (let i = <usize>from; i < <usize>to; i++) {
    const c = centers + <usize>load<i32>(labels + (i << 2)) * 24;
    const d0 = coord(points, 3 * i) - load<f64>(c);
    const d1 = coord(points, 3 * i + 1) - load<f64>(c, 8);
    const d2 = coord(points, 3 * i + 2) - load<f64>(c, 16);
    total += load<f64>(weights + (i << 3)) * (d0 * d0 + d1 * d1 + d2 * d2);
  }
  return total;
}

/**
 * The k-means++ seeding's inner loops (src/core/sklearn/kmeans-plusplus-rows.ts) in WebAssembly: the candidates'
 * distances to the rows of the boxes they reach (SIMD, two rows at a time), the draws' running sum, numpy's pairwise
 * sum through the rows, and the copy of the chosen candidate's distances. Every value a pick depends on has the
 * JavaScript's bits: the distances follow `distancesToRow`'s formula operation by operation, the sums add in the
 * same order. Only the candidates' gains are summed in another order (two lanes), and they are compared with a
 * margin far above any rounding (the JavaScript's TIE_MARGIN), so the same candidate wins.
 *
 * The rows, sorted by box, are held as columns: x0, x1, x2, their squared norms and weights, float64 each.
 */

/** Slack on a box's lower bound (the JavaScript's BOUND_SLACK). */
const BOUND_SLACK: f64 = 1e-12;

/** `distancesToRow`'s formula for rows o/8 and o/8 + 1 (two lanes): `-2·(c·x) + ‖c‖² + ‖x‖²`, raised to 0. */
@inline function distanceLanes(
  x0: usize, x1: usize, x2: usize, norms: usize, o: usize, v0: v128, v1: v128, v2: v128, vn: v128,
): v128 {
  const dot = f64x2.add(
    f64x2.add(f64x2.mul(v0, v128.load(x0 + o)), f64x2.mul(v1, v128.load(x1 + o))),
    f64x2.mul(v2, v128.load(x2 + o)),
  );
  // pmax(d, 0) is `d < 0 ? 0 : d`: the JavaScript's choice exactly.
  return f64x2.pmax(f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(-2.0), dot), vn), v128.load(norms + o)), f64x2.splat(0.0));
}

/** The same for the one row at byte offset o. */
@inline function distance(x0: usize, x1: usize, x2: usize, norms: usize, o: usize, c0: f64, c1: f64, c2: f64, cNorm: f64): f64 {
  const dot = c0 * load<f64>(x0 + o) + c1 * load<f64>(x1 + o) + c2 * load<f64>(x2 + o);
  const dist = -2.0 * dot + cNorm + load<f64>(norms + o);
  return dist < 0 ? 0 : dist;
}

/**
 * Candidate (c0, c1, c2, squared norm cNorm) against rows from .. to: `min(closest, d)` into `out`, returning
 * `Σ weight · (closest − new)`. d is `-2·(c0·x0 + c1·x1 + c2·x2) + cNorm + norm`, raised to 0 when negative.
 */
@inline function lowerRows(
  x0: usize, x1: usize, x2: usize, norms: usize, weights: usize, closest: usize,
  c0: f64, c1: f64, c2: f64, cNorm: f64, from: usize, to: usize, out: usize,
): f64 {
  const v0 = f64x2.splat(c0);
  const v1 = f64x2.splat(c1);
  const v2 = f64x2.splat(c2);
  const vn = f64x2.splat(cNorm);
  let gain = f64x2.splat(0.0);
  let i = from;
  for (; i + 2 <= to; i += 2) {
    const o = i << 3;
    const dist = distanceLanes(x0, x1, x2, norms, o, v0, v1, v2, vn);
    // pmin(d, b) is `b < d ? b : d`: the JavaScript's choice exactly.
    const b = v128.load(closest + o);
    const v = f64x2.pmin(dist, b);
    v128.store(out + o, v);
    gain = f64x2.add(gain, f64x2.mul(v128.load(weights + o), f64x2.sub(b, v)));
  }
  let total = f64x2.extract_lane(gain, 0) + f64x2.extract_lane(gain, 1);
  if (i < to) {
    const o = i << 3;
    const dist = distance(x0, x1, x2, norms, o, c0, c1, c2, cNorm);
    const b = load<f64>(closest + o);
    const v = b < dist ? b : dist;
    store<f64>(out + o, v);
    total += load<f64>(weights + o) * (b - v);
  }
  return total;
}

/** Squared distance from (c0, c1, c2) to box b's bounds (0 inside), as the JavaScript's `boxDistance`. */
@inline function boxDistance(lo: usize, hi: usize, b: usize, c0: f64, c1: f64, c2: f64): f64 {
  const at = b * 24;
  let d: f64 = 0;
  let below = load<f64>(lo + at) - c0;
  let above = c0 - load<f64>(hi + at);
  let gap = below > 0 ? below : above > 0 ? above : 0;
  d += gap * gap;
  below = load<f64>(lo + at, 8) - c1;
  above = c1 - load<f64>(hi + at, 8);
  gap = below > 0 ? below : above > 0 ? above : 0;
  d += gap * gap;
  below = load<f64>(lo + at, 16) - c2;
  above = c2 - load<f64>(hi + at, 16);
  gap = below > 0 ? below : above > 0 ? above : 0;
  d += gap * gap;
  return d;
}

/**
 * Every candidate's lowered distances and gain in boxes fromBox .. toBox (`lowerBoxes`): a box a candidate cannot
 * reach (its bound beyond the box's largest closest distance) is skipped; a reached one is computed into the
 * candidate's row of `lowered` (u float64s each) and listed in its row of `reached` (count int32s each). Returns the
 * rows computed.
 */
export function lowerBoxes(
  x0: usize, x1: usize, x2: usize, norms: usize, weights: usize, closest: usize,
  start: usize, lo: usize, hi: usize, boxMax: usize, u: i32, count: i32,
  trials: i32, candidateRows: usize, lowered: usize, reached: usize, reachedCount: usize, gains: usize,
  fromBox: i32, toBox: i32,
): i32 {
  let work: i32 = 0;
  for (let b = fromBox; b < toBox; b++) {
    const limit = load<f64>(boxMax + (<usize>b << 3)) + BOUND_SLACK;
    const from = load<u32>(start + (<usize>b << 2));
    const to = load<u32>(start + (<usize>b << 2), 4);
    for (let t: i32 = 0; t < trials; t++) {
      const cand = <usize>load<i32>(candidateRows + (<usize>t << 2)) << 3;
      const c0 = load<f64>(x0 + cand);
      const c1 = load<f64>(x1 + cand);
      const c2 = load<f64>(x2 + cand);
      if (boxDistance(lo, hi, b, c0, c1, c2) > limit) continue;
      const gain = lowerRows(
        x0, x1, x2, norms, weights, closest, c0, c1, c2, load<f64>(norms + cand), from, to,
        lowered + (<usize>t * <usize>u << 3),
      );
      const g = gains + (<usize>t << 3);
      store<f64>(g, load<f64>(g) + gain);
      const n = reachedCount + (<usize>t << 2);
      const r = load<i32>(n);
      store<i32>(reached + ((<usize>t * <usize>count + <usize>r) << 2), b);
      store<i32>(n, r + 1);
      work += to - from;
    }
  }
  return work;
}

/**
 * `np.searchsorted(np.cumsum(closest over the points), targets)` for targets sorted ascending (`drawCandidates`): the
 * running sum of `closest[rowOf[i]]` in point order, as far as the highest target; out[j] is the first i at which it
 * reaches target j, or m − 1.
 */
export function drawSorted(closest: usize, rowOf: usize, m: i32, targets: usize, n: i32, out: usize): void {
  let next: i32 = 0;
  let target = load<f64>(targets);
  let sum: f64 = 0;
  for (let i: i32 = 0; i < m && next < n; i++) {
    sum += load<f64>(closest + (<usize>load<u32>(rowOf + (<usize>i << 2)) << 3));
    while (next < n && sum >= target) {
      store<i32>(out + (<usize>next << 2), i);
      next++;
      if (next < n) target = load<f64>(targets + (<usize>next << 3));
    }
  }
  for (; next < n; next++) store<i32>(out + (<usize>next << 2), m - 1);
}

@inline function at(a: usize, index: usize, i: usize): f64 {
  return load<f64>(a + (<usize>load<u32>(index + (i << 2)) << 3));
}

/** numpy's pairwise sum of `a[index[start .. start + n)]` (`pairwiseSumGather`): blocks of 128, 8 accumulators. */
export function pairwiseSumGather(a: usize, index: usize, start: i32, n: i32): f64 {
  const s = <usize>start;
  if (n < 8) {
    let res: f64 = 0;
    for (let i: i32 = 0; i < n; i++) res += at(a, index, s + <usize>i);
    return res;
  }
  if (n <= 128) {
    let r0 = at(a, index, s), r1 = at(a, index, s + 1), r2 = at(a, index, s + 2), r3 = at(a, index, s + 3);
    let r4 = at(a, index, s + 4), r5 = at(a, index, s + 5), r6 = at(a, index, s + 6), r7 = at(a, index, s + 7);
    const end = n - (n % 8);
    let i: i32 = 8;
    for (; i < end; i += 8) {
      const p = s + <usize>i;
      r0 += at(a, index, p); r1 += at(a, index, p + 1); r2 += at(a, index, p + 2); r3 += at(a, index, p + 3);
      r4 += at(a, index, p + 4); r5 += at(a, index, p + 5); r6 += at(a, index, p + 6); r7 += at(a, index, p + 7);
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += at(a, index, s + <usize>i);
    return res;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return pairwiseSumGather(a, index, start, n2) + pairwiseSumGather(a, index, start + n2, n - n2);
}

/**
 * Copies a candidate's lowered distances into `into` in the `n` boxes it reached (`applyLowered`), and when `boxMax`
 * is not 0, sets their largest distance there.
 */
export function applyLowered(into: usize, lowered: usize, reached: usize, n: i32, start: usize, boxMax: usize): void {
  for (let i: i32 = 0; i < n; i++) {
    const b = <usize>load<i32>(reached + (<usize>i << 2));
    const from = <usize>load<u32>(start + (b << 2));
    const to = <usize>load<u32>(start + (b << 2), 4);
    let most: f64 = 0;
    for (let r = from; r < to; r++) {
      const v = load<f64>(lowered + (r << 3));
      store<f64>(into + (r << 3), v);
      if (v > most) most = v;
    }
    if (boxMax) store<f64>(boxMax + (b << 3), most);
  }
}

/**
 * Every row's distance to row `cand` into `closest` (`distancesToRow`: the same formula, raised to 0 when negative),
 * then each box's largest (`boxMax`, from 0 as `largest` takes it).
 */
export function distancesToRow(
  x0: usize, x1: usize, x2: usize, norms: usize, u: i32, cand: i32, closest: usize, start: usize, count: i32, boxMax: usize,
): void {
  const c = <usize>cand << 3;
  const c0 = load<f64>(x0 + c), c1 = load<f64>(x1 + c), c2 = load<f64>(x2 + c), cNorm = load<f64>(norms + c);
  const v0 = f64x2.splat(c0);
  const v1 = f64x2.splat(c1);
  const v2 = f64x2.splat(c2);
  const vn = f64x2.splat(cNorm);
  const end = <usize>u;
  let i: usize = 0;
  for (; i + 2 <= end; i += 2) {
    const o = i << 3;
    v128.store(closest + o, distanceLanes(x0, x1, x2, norms, o, v0, v1, v2, vn));
  }
  if (i < end) store<f64>(closest + (i << 3), distance(x0, x1, x2, norms, i << 3, c0, c1, c2, cNorm));
  for (let b: i32 = 0; b < count; b++) {
    const from = <usize>load<u32>(start + (<usize>b << 2));
    const to = <usize>load<u32>(start + (<usize>b << 2), 4);
    let most: f64 = 0;
    for (let r = from; r < to; r++) {
      const v = load<f64>(closest + (r << 3));
      if (v > most) most = v;
    }
    store<f64>(boxMax + (<usize>b << 3), most);
  }
}

/**
 * One run of exact k-means on 8-bit points: the loop of docs/ARITHMETIC.md, in integers. Every quantity is an integer
 * held in a float64 far below 2^53 (distances < 2^32, sums < 2^48), so the arithmetic is exact and order-free, and
 * the WGSL engine, which does the same integer operations, gets the same bits.
 */
import { FIXED_ONE } from '../constants.js';

export interface ExactRunOutcome {
  /** k × 3 centres in fixed point (128 · 8-bit units). */
  centersFixed: Uint32Array;
  /** Cluster of each point. */
  labels: Int32Array;
  /** Points (or total weight) in each cluster under the final labels. */
  counts: Float64Array;
  /** Σ w · d(P, c_label), exact. */
  inertiaFixed: bigint;
  iterations: number;
  converged: boolean;
}

/**
 * Labels every point with its nearest centre (ties to the lowest index), accumulating per-cluster weights and 8-bit
 * sums. Returns how many labels differ from `previous`.
 */
function assign(
  points: Uint8Array,
  weights: Float64Array,
  n: number,
  centers: Float64Array,
  k: number,
  labels: Int32Array,
  previous: Int32Array,
  sums: Float64Array,
  counts: Float64Array,
): number {
  sums.fill(0);
  counts.fill(0);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const p0 = points[3 * i]!;
    const p1 = points[3 * i + 1]!;
    const p2 = points[3 * i + 2]!;
    const x0 = p0 * FIXED_ONE;
    const x1 = p1 * FIXED_ONE;
    const x2 = p2 * FIXED_ONE;
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      const d0 = x0 - centers[3 * j]!;
      const d1 = x1 - centers[3 * j + 1]!;
      const d2 = x2 - centers[3 * j + 2]!;
      const d = d0 * d0 + d1 * d1 + d2 * d2;
      // Strictly less: a tie keeps the lower index.
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    labels[i] = best;
    if (previous[i] !== best) changed++;
    const w = weights[i]!;
    counts[best]! += w;
    sums[3 * best]! += w * p0;
    sums[3 * best + 1]! += w * p1;
    sums[3 * best + 2]! += w * p2;
  }
  return changed;
}

/**
 * `c' = floor((2·128·S + n) / (2n))`: 128·S/n rounded half up. The float quotient is within one of the true one, and
 * the two integer checks make it exact whatever the rounding of the division.
 */
function roundedMean(sum: number, count: number): number {
  const num = 2 * FIXED_ONE * sum + count;
  const den = 2 * count;
  let q = Math.floor(num / den);
  if (q * den > num) q--;
  else if ((q + 1) * den <= num) q++;
  return q;
}

/** Moves each non-empty cluster to its members' rounded mean; an empty one stays. Returns the exact squared shift. */
function update(centers: Float64Array, k: number, sums: Float64Array, counts: Float64Array): number {
  let shift = 0;
  for (let j = 0; j < k; j++) {
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

/**
 * Σ w · d(P, c_label) as a bigint. `d < 2^32` and `w` may be large (a distinct colour's count), so each product is
 * split into 16-bit halves of `d` whose partial sums stay exact in float64 until flushed.
 */
function inertiaOf(
  points: Uint8Array,
  weights: Float64Array,
  n: number,
  centers: Float64Array,
  labels: Int32Array,
): bigint {
  const FLUSH = 2 ** 52;
  let hi = 0n;
  let lo = 0n;
  let accHi = 0;
  let accLo = 0;
  for (let i = 0; i < n; i++) {
    const j = labels[i]!;
    const d0 = points[3 * i]! * FIXED_ONE - centers[3 * j]!;
    const d1 = points[3 * i + 1]! * FIXED_ONE - centers[3 * j + 1]!;
    const d2 = points[3 * i + 2]! * FIXED_ONE - centers[3 * j + 2]!;
    const d = d0 * d0 + d1 * d1 + d2 * d2;
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
 * `weights`, when given, must be non-negative integers (e.g. the counts of distinct colours): the result is then the
 * one the repeated points would give.
 */
export function exactLloyd(
  points: Uint8Array,
  weights: ArrayLike<number> | undefined,
  initCenters: Uint32Array,
  k: number,
  maxIter: number,
  tolFixed: number,
): ExactRunOutcome {
  const n = points.length / 3;
  // One monomorphic weights array keeps the hot loops free of a branch and of generic element access.
  const w = weights === undefined ? new Float64Array(n).fill(1) : Float64Array.from(weights);
  // Integers held as doubles: int32 products of up to 32640² would overflow V8's small-integer path and deoptimise.
  const centers = Float64Array.from(initCenters);
  let labels = new Int32Array(n);
  // -1s first, as scikit-learn's `labels_old`; the first iteration ignores the comparison anyway.
  let previous = new Int32Array(n).fill(-1);
  const sums = new Float64Array(3 * k);
  const counts = new Float64Array(k);
  let strict = false;
  let stopped = false;
  let i = 0;
  for (; i < maxIter; i++) {
    const changed = assign(points, w, n, centers, k, labels, previous, sums, counts);
    const shift = update(centers, k, sums, counts);
    if (i > 0 && changed === 0) {
      strict = true;
      stopped = true;
      break;
    }
    if (shift <= tolFixed) {
      stopped = true;
      break;
    }
    [labels, previous] = [previous, labels];
  }
  // After a tol stop (or maxIter) the centres moved since the last assignment: label against the final ones. After a
  // strict stop the last update came from unchanged labels, so the centres did not move and labels and counts stand.
  if (!strict) assign(points, w, n, centers, k, labels, previous, sums, counts);
  return {
    centersFixed: Uint32Array.from(centers),
    labels,
    counts,
    inertiaFixed: inertiaOf(points, w, n, centers, labels),
    iterations: stopped ? i + 1 : maxIter,
    converged: stopped,
  };
}

/**
 * One run of exact k-means on 8-bit points: the loop of docs/ARITHMETIC.md, in integers. Every quantity the result
 * depends on is an integer held in a float64 far below 2^53 (distances < 2^32, sums < 2^48), so the arithmetic is
 * exact and order-free, and the WGSL engine, which does the same integer operations, gets the same bits.
 *
 * Speed comes from Hamerly's bounds (G. Hamerly, "Making k-means even faster", SDM 2010), used only to skip work whose
 * outcome is already certain: a point keeps its label without a scan when an upper bound on its distance to its
 * centre is strictly below a lower bound on its distance to every other centre, so its label is the unique nearest
 * and no tie can arise. The bounds are float64 and carry rounding, so a skip also needs a margin far larger than that
 * rounding; every label that is computed is computed from exact integer distances. Hence the same labels, sums,
 * centres and iterations as the plain loop, which `test/unit/exact-lloyd.test.ts` checks against a BigInt transcription.
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
 * Slack for a skip, in fixed-point distance units (1/128 of an 8-bit step). Bounds are sums of at most a few hundred
 * rounded square roots below 2^16, each off by < 2^-36: the accumulated error stays below 1e-8, far under this.
 */
const BOUND_MARGIN = 1e-4;

/** The state of one run: centres, labels and the per-cluster sums, kept current as labels change. */
class LloydState {
  readonly labels: Int32Array;
  /** Upper bound on each point's distance (not squared) to its centre. */
  readonly upper: Float64Array;
  /** Lower bound on each point's distance to every other centre. */
  readonly lower: Float64Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  /** How far each centre moved in the last update (Euclidean, float). */
  readonly moved: Float64Array;
  /** Half the distance from each centre to its nearest other centre. */
  readonly half: Float64Array;

  constructor(
    readonly points: Uint8Array,
    readonly weights: Float64Array,
    readonly n: number,
    readonly centers: Float64Array,
    readonly k: number,
  ) {
    this.labels = new Int32Array(n);
    this.upper = new Float64Array(n);
    this.lower = new Float64Array(n);
    this.sums = new Float64Array(3 * k);
    this.counts = new Float64Array(k);
    this.moved = new Float64Array(k);
    this.half = new Float64Array(k);
  }

  /**
   * Labels every point by a full scan of exact integer distances (ties to the lowest index) and sets its bounds;
   * accumulates the sums from scratch.
   */
  assignAll(): void {
    const { points, weights, n, labels, sums, counts } = this;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const best = this.scan(i);
      labels[i] = best;
      const w = weights[i]!;
      counts[best]! += w;
      sums[3 * best]! += w * points[3 * i]!;
      sums[3 * best + 1]! += w * points[3 * i + 1]!;
      sums[3 * best + 2]! += w * points[3 * i + 2]!;
    }
  }

  /** Nearest centre of point i by exact distances; sets its upper and lower bounds. */
  scan(i: number): number {
    const { points, centers, k } = this;
    const x0 = points[3 * i]! * FIXED_ONE;
    const x1 = points[3 * i + 1]! * FIXED_ONE;
    const x2 = points[3 * i + 2]! * FIXED_ONE;
    let best = 0;
    let bestD = Infinity;
    let secondD = Infinity;
    for (let j = 0; j < k; j++) {
      const d0 = x0 - centers[3 * j]!;
      const d1 = x1 - centers[3 * j + 1]!;
      const d2 = x2 - centers[3 * j + 2]!;
      const d = d0 * d0 + d1 * d1 + d2 * d2;
      // Strictly less: a tie keeps the lower index.
      if (d < bestD) {
        secondD = bestD;
        bestD = d;
        best = j;
      } else if (d < secondD) secondD = d;
    }
    this.upper[i] = Math.sqrt(bestD);
    this.lower[i] = Math.sqrt(secondD);
    return best;
  }

  /**
   * Labels every point against the current centres, scanning only the points whose bounds leave their label in doubt,
   * and moves each relabelled point's weight between the sums. Returns how many labels changed.
   */
  assignBounded(): number {
    const { points, weights, n, centers, labels, upper, lower, sums, counts, moved, half } = this;
    this.halfGaps();
    let maxMoved = 0;
    let maxAt = -1;
    let secondMoved = 0;
    for (let j = 0; j < this.k; j++) {
      const m = moved[j]!;
      if (m > maxMoved) {
        secondMoved = maxMoved;
        maxMoved = m;
        maxAt = j;
      } else if (m > secondMoved) secondMoved = m;
    }
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const a = labels[i]!;
      const u = upper[i]! + moved[a]!;
      const l = lower[i]! - (a === maxAt ? secondMoved : maxMoved);
      lower[i] = l;
      const bound = (l > half[a]! ? l : half[a]!) - BOUND_MARGIN;
      if (u < bound) {
        upper[i] = u;
        continue;
      }
      // Tighten the upper bound with the exact distance before a full scan.
      const d0 = points[3 * i]! * FIXED_ONE - centers[3 * a]!;
      const d1 = points[3 * i + 1]! * FIXED_ONE - centers[3 * a + 1]!;
      const d2 = points[3 * i + 2]! * FIXED_ONE - centers[3 * a + 2]!;
      const exact = Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2);
      if (exact < bound) {
        upper[i] = exact;
        continue;
      }
      const b = this.scan(i);
      if (b === a) continue;
      labels[i] = b;
      changed++;
      const w = weights[i]!;
      const p0 = points[3 * i]!;
      const p1 = points[3 * i + 1]!;
      const p2 = points[3 * i + 2]!;
      counts[a]! -= w;
      sums[3 * a]! -= w * p0;
      sums[3 * a + 1]! -= w * p1;
      sums[3 * a + 2]! -= w * p2;
      counts[b]! += w;
      sums[3 * b]! += w * p0;
      sums[3 * b + 1]! += w * p1;
      sums[3 * b + 2]! += w * p2;
    }
    return changed;
  }

  /** `half[j]` = half the distance from centre j to its nearest other centre (∞ when k = 1). */
  halfGaps(): void {
    const { centers, k, half } = this;
    half.fill(Infinity);
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const d0 = centers[3 * a]! - centers[3 * b]!;
        const d1 = centers[3 * a + 1]! - centers[3 * b + 1]!;
        const d2 = centers[3 * a + 2]! - centers[3 * b + 2]!;
        const h = Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2) / 2;
        if (h < half[a]!) half[a] = h;
        if (h < half[b]!) half[b] = h;
      }
    }
  }

  /** Moves each non-empty cluster to its members' rounded mean; an empty one stays. Returns the exact squared shift. */
  update(): number {
    const { centers, k, sums, counts, moved } = this;
    let shift = 0;
    for (let j = 0; j < k; j++) {
      const n = counts[j]!;
      let own = 0;
      if (n !== 0) {
        for (let c = 0; c < 3; c++) {
          const next = roundedMean(sums[3 * j + c]!, n);
          const delta = next - centers[3 * j + c]!;
          own += delta * delta;
          centers[3 * j + c] = next;
        }
      }
      shift += own;
      moved[j] = Math.sqrt(own);
    }
    return shift;
  }
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
  const w =
    weights instanceof Float64Array
      ? weights
      : weights === undefined
        ? new Float64Array(n).fill(1)
        : Float64Array.from(weights);
  // Integers held as doubles: int32 products of up to 32640² would overflow V8's small-integer path and deoptimise.
  const state = new LloydState(points, w, n, Float64Array.from(initCenters), k);
  let strict = false;
  let stopped = false;
  let assigned = false;
  let i = 0;
  for (; i < maxIter; i++) {
    // Iteration 0 compares against scikit-learn's `labels_old` of -1s, i.e. against nothing.
    let changed = 0;
    if (assigned) changed = state.assignBounded();
    else state.assignAll();
    assigned = true;
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
  }
  // After a tol stop (or maxIter) the centres moved since the last assignment: label against the final ones. After a
  // strict stop the last update came from unchanged labels, so the centres did not move and labels and counts stand.
  if (!strict) {
    if (assigned) state.assignBounded();
    else state.assignAll();
  }
  return {
    centersFixed: Uint32Array.from(state.centers),
    labels: state.labels,
    counts: state.counts,
    inertiaFixed: inertiaOf(points, w, n, state.centers, state.labels),
    iterations: stopped ? i + 1 : maxIter,
    converged: stopped,
  };
}

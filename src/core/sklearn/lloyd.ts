/**
 * One run of scikit-learn 1.2's Lloyd k-means (`_kmeans_single_lloyd` with `lloyd_iter_chunked_dense`), single
 * threaded, in float64 and in scikit-learn's order of operations:
 * - labels: argmin over j of `‖c_j‖² − 2·x·c_j` (the BLAS gemm `C := −2·X·Cᵀ + ‖C‖²`), strict `<`, lowest j on ties;
 * - sums: weighted coordinates added point by point into the labelled cluster;
 * - empty clusters relocated to the points farthest from their old centres;
 * - centres: sums times `1 / weight` (scikit-learn multiplies by the reciprocal);
 * - stop on unchanged labels (strict) or on `Σ shift² ≤ tol`, then one more E-step when not strict.
 */
import { chunkFor, chunks, runSync, type Steps } from '../pace.js';
import { largestIndices } from './argpartition.js';
import { pairwiseSum } from './numeric.js';
import { rowSquaredNorms } from './prepare.js';

export interface LloydRunResult {
  labels: Int32Array;
  /** k × d, row-major, in the centred space. */
  centers: Float64Array;
  inertia: number;
  iterations: number;
  converged: boolean;
}

/** Points and per-run scratch buffers shared by every run of one fit. */
export interface LloydProblem {
  X: Float64Array;
  n: number;
  d: number;
  k: number;
  /** Per-point weights; undefined when every point weighs 1. */
  weights: Float64Array | undefined;
  maxIter: number;
  /** Already scaled by the data's variance (`scaledTolerance`). */
  tol: number;
  /** Centres 0 .. fixedCount−1 are fixed (`KMeansOptions.fixed`): never moved, never relocated. Default 0. */
  fixedCount?: number;
}

/**
 * `_euclidean_dense_dense(a, b, squared=True)`: Cython's loop, unrolled by 4 (each group of four summed
 * left to right before it is added), the remainder added one term at a time.
 */
function squaredDistance(a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number {
  let result = 0;
  let j = 0;
  for (const end = d - (d % 4); j < end; j += 4) {
    const t0 = a[ai + j] - b[bi + j];
    const t1 = a[ai + j + 1] - b[bi + j + 1];
    const t2 = a[ai + j + 2] - b[bi + j + 2];
    const t3 = a[ai + j + 3] - b[bi + j + 3];
    result += t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3;
  }
  for (; j < d; j++) {
    const t = a[ai + j] - b[bi + j];
    result += t * t;
  }
  return result;
}

/**
 * The E-step on points `from .. to`: labels each with its nearest centre (`centerNorms` already computed). With `sums`,
 * also adds each point into the M-step's weighted sums and cluster weights (zeroed by the caller before point 0).
 */
function assign(
  p: LloydProblem, from: number, to: number, centers: Float64Array, centerNorms: Float64Array, labels: Int32Array,
  sums?: { centers: Float64Array; weights: Float64Array },
): void {
  const { X, d, k, weights } = p;
  for (let i = from; i < to; i++) {
    const xi = i * d;
    let best = 0;
    let bestDist = 0;
    for (let j = 0; j < k; j++) {
      const cj = j * d;
      // gemm's inner product, accumulated from 0 in feature order, then −2·dot + ‖c‖².
      let dot = 0;
      for (let f = 0; f < d; f++) dot += centers[cj + f] * X[xi + f];
      const dist = -2 * dot + centerNorms[j];
      if (j === 0 || dist < bestDist) {
        bestDist = dist;
        best = j;
      }
    }
    labels[i] = best;
    if (sums) {
      const w = weights === undefined ? 1 : weights[i];
      sums.weights[best] += w;
      const cb = best * d;
      for (let f = 0; f < d; f++) sums.centers[cb + f] += X[xi + f] * w;
    }
  }
}

/**
 * `assign` specialised for d = 3 and unit weights: the workload of every image (RGB points). Same arithmetic,
 * same order; the sums path and the labels-only path are separate loops so neither tests a flag per point.
 */
function assignRgb(
  p: LloydProblem, from: number, to: number, centers: Float64Array, centerNorms: Float64Array, labels: Int32Array,
  sums?: { centers: Float64Array; weights: Float64Array },
): void {
  const { X, k } = p;
  if (sums === undefined) {
    for (let i = from, xi = 3 * from; i < to; i++, xi += 3) labels[i] = nearestRgb(centers, centerNorms, k, X[xi], X[xi + 1], X[xi + 2]);
    return;
  }
  const sc = sums.centers;
  const sw = sums.weights;
  for (let i = from, xi = 3 * from; i < to; i++, xi += 3) {
    const x0 = X[xi], x1 = X[xi + 1], x2 = X[xi + 2];
    const best = nearestRgb(centers, centerNorms, k, x0, x1, x2);
    labels[i] = best;
    sw[best] += 1;
    const cb = best * 3;
    sc[cb] += x0;
    sc[cb + 1] += x1;
    sc[cb + 2] += x2;
  }
}

/** The whole E-step, in chunks of points with a yield after each (`pace.ts`); the sums come out the same. */
function* assignSteps(
  p: LloydProblem, centers: Float64Array, centerNorms: Float64Array, labels: Int32Array,
  sums?: { centers: Float64Array; weights: Float64Array },
): Steps<void> {
  const step = p.d === 3 && p.weights === undefined ? assignRgb : assign;
  rowSquaredNorms(centers, p.k, p.d, centerNorms);
  if (sums) {
    sums.centers.fill(0);
    sums.weights.fill(0);
  }
  yield* chunks(p.n, chunkFor(p.k * (p.d + 2)), (from, to) => step(p, from, to, centers, centerNorms, labels, sums));
}

/** argmin over j of `−2·x·c_j + ‖c_j‖²`, strict `<` so the lowest j wins ties. */
function nearestRgb(centers: Float64Array, centerNorms: Float64Array, k: number, x0: number, x1: number, x2: number): number {
  let best = 0;
  let bestDist = -2 * (centers[0] * x0 + centers[1] * x1 + centers[2] * x2) + centerNorms[0];
  for (let j = 1, cj = 3; j < k; j++, cj += 3) {
    const dist = -2 * (centers[cj] * x0 + centers[cj + 1] * x1 + centers[cj + 2] * x2) + centerNorms[j];
    if (dist < bestDist) {
      bestDist = dist;
      best = j;
    }
  }
  return best;
}

/**
 * `_relocate_empty_clusters_dense`: each empty cluster takes one of the points farthest from their old centre
 * (in numpy's argpartition order), moving that point's weight out of its own cluster's sums.
 * scikit-learn 1.2.1 relocates even when every distance is 0 (more clusters than distinct points; later versions
 * skip that case), so ties are broken by argpartition's swap order: the `k-exceeds-distinct` fixture needs this.
 */
function relocateEmptyClusters(
  p: LloydProblem, centersOld: Float64Array, labels: Int32Array, sumCenters: Float64Array, sumWeights: Float64Array,
): void {
  const { X, n, d, k, weights } = p;
  const empty: number[] = [];
  for (let j = p.fixedCount ?? 0; j < k; j++) if (sumWeights[j] === 0) empty.push(j);
  if (empty.length === 0) return;

  const distances = new Float64Array(n);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    const ci = labels[i] * d;
    for (let f = 0; f < d; f++) {
      const t = X[xi + f] - centersOld[ci + f];
      row[f] = t * t;
    }
    // `((X - centers_old[labels])**2).sum(axis=1)`: numpy's pairwise sum over each row.
    distances[i] = pairwiseSum(row);
  }

  const far = largestIndices(distances, empty.length);
  for (let e = 0; e < empty.length; e++) {
    const newId = empty[e];
    const farIdx = far[e];
    const w = weights === undefined ? 1 : weights[farIdx];
    const oldId = labels[farIdx];
    for (let f = 0; f < d; f++) {
      const v = X[farIdx * d + f] * w;
      sumCenters[oldId * d + f] -= v;
      sumCenters[newId * d + f] = v;
    }
    sumWeights[newId] = w;
    sumWeights[oldId] -= w;
  }
}

/** `_average_centers` then `_center_shift`: centres from sums, and `Σ_j ‖c'_j − c_j‖²` as scikit-learn sums it. */
function updateCenters(
  p: LloydProblem, centersOld: Float64Array, centersNew: Float64Array, sumWeights: Float64Array, shift: Float64Array,
): number {
  const { d, k } = p;
  const fixedCount = p.fixedCount ?? 0;
  // A fixed centre stays where it is: its shift is 0.
  centersNew.set(centersOld.subarray(0, fixedCount * d));
  for (let j = fixedCount; j < k; j++) {
    const w = sumWeights[j];
    if (w > 0) {
      const alpha = 1 / w;
      for (let f = 0; f < d; f++) centersNew[j * d + f] *= alpha;
    }
  }
  for (let j = 0; j < k; j++) {
    // center_shift holds Euclidean norms (a sqrt); the tolerance test squares them back.
    const s = Math.sqrt(squaredDistance(centersNew, j * d, centersOld, j * d, d));
    shift[j] = s * s;
  }
  return pairwiseSum(shift);
}

/** `_inertia_dense`: Σ w · ‖x − c_label‖², point by point (in chunks, the running sum carried from one to the next). */
export function* inertiaSteps(p: LloydProblem, centers: Float64Array, labels: Int32Array): Steps<number> {
  let inertia = 0;
  yield* chunks(p.n, chunkFor(2 * p.d), (from, to) => {
    inertia = addInertia(p, from, to, centers, labels, inertia);
  });
  return inertia;
}

/** `inertia` plus the terms of points `from .. to`, added one by one. */
function addInertia(p: LloydProblem, from: number, to: number, centers: Float64Array, labels: Int32Array, inertia: number): number {
  const { X, d, weights } = p;
  for (let i = from; i < to; i++) {
    const dist = squaredDistance(X, i * d, centers, labels[i] * d, d);
    inertia += dist * (weights === undefined ? 1 : weights[i]);
  }
  return inertia;
}

/** `inertiaSteps` run to the end. */
export function inertiaOf(p: LloydProblem, centers: Float64Array, labels: Int32Array): number {
  return runSync(inertiaSteps(p, centers, labels));
}

function sameLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Runs Lloyd from `centersInit` (k × d, centred space; not modified). */
export function lloydRun(p: LloydProblem, centersInit: Float64Array): LloydRunResult {
  return runSync(lloydRunSteps(p, centersInit));
}

/** `lloydRun` as steps (`pace.ts`): it yields between chunks of points and between iterations. */
export function* lloydRunSteps(p: LloydProblem, centersInit: Float64Array): Steps<LloydRunResult> {
  const { n, d, k, maxIter, tol } = p;
  let centers = Float64Array.from(centersInit);
  let centersNew = new Float64Array(k * d);
  const sumWeights = new Float64Array(k);
  const centerNorms = new Float64Array(k);
  const shift = new Float64Array(k);
  const labels = new Int32Array(n);
  const labelsOld = new Int32Array(n).fill(-1);

  let strict = false;
  let converged = false;
  let i = 0;
  for (; i < maxIter; i++) {
    yield* assignSteps(p, centers, centerNorms, labels, { centers: centersNew, weights: sumWeights });
    relocateEmptyClusters(p, centers, labels, centersNew, sumWeights);
    const shiftTotal = updateCenters(p, centers, centersNew, sumWeights, shift);
    [centers, centersNew] = [centersNew, centers];
    if (sameLabels(labels, labelsOld)) {
      strict = true;
      converged = true;
      break;
    }
    if (shiftTotal <= tol) {
      converged = true;
      break;
    }
    labelsOld.set(labels);
    yield;
  }
  // The loop variable of a Python `for` keeps its last value; `n_iter_` is that plus one.
  const iterations = Math.min(i, maxIter - 1) + 1;
  if (!strict) yield* assignSteps(p, centers, centerNorms, labels);
  const inertia = yield* inertiaSteps(p, centers, labels);
  return { labels, centers, inertia, iterations, converged };
}

/**
 * `kmeans()` and `kmeansPlusPlus()`: scikit-learn 1.2.1's `KMeans(algorithm="lloyd")` and `kmeans_plusplus`,
 * reproduced in float64 so the same points and seed give the same labels, centres and iteration count.
 */
import { InvalidInputError, InvalidOptionError, throwIfAborted } from '../errors.js';
import { RandomState } from '../random.js';
import type { KMeansOptions, KMeansPlusPlusResult, KMeansResult, Points } from '../types.js';
import {
  checkMagnitudes,
  checkMagnitudesSteps,
  flattenPoints,
  resolveKMeansOptions,
  validatePoints,
  validatePointsSteps,
} from '../validate.js';
import { runPaced, runSync, type Steps } from '../pace.js';
import { greedyKMeansPlusPlus, greedyKMeansPlusPlusSteps } from './kmeans-plusplus.js';
import { lloydRunSteps, type LloydProblem, type LloydRunResult } from './lloyd.js';
import { centerPointsSteps, rowSquaredNorms, scaledToleranceSteps } from './prepare.js';

/**
 * scikit-learn's `_is_same_clustering`: whether two labelings are the same partition up to a renaming of clusters.
 * A run whose inertia is lower only by rounding, with the same partition, does not replace the best.
 */
export function isSameClustering(a: Int32Array, b: Int32Array, k: number): boolean {
  const mapping = new Int32Array(k).fill(-1);
  for (let i = 0; i < a.length; i++) {
    const m = mapping[a[i]];
    if (m === -1) mapping[a[i]] = b[i];
    else if (m !== b[i]) return false;
  }
  return true;
}

function rows(flat: ArrayLike<number>, k: number, d: number, offset?: Float64Array): number[][] {
  const out: number[][] = [];
  for (let j = 0; j < k; j++) {
    const row: number[] = [];
    for (let f = 0; f < d; f++) row.push(offset ? flat[j * d + f] + offset[f] : flat[j * d + f]);
    out.push(row);
  }
  return out;
}

function gatherRows(X: Float64Array, d: number, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length * d);
  for (let j = 0; j < indices.length; j++) out.set(X.subarray(indices[j] * d, indices[j] * d + d), j * d);
  return out;
}

/** A seeding's initial centres: the m fixed rows, then the chosen points (indices m .. k−1). */
function initialCenters(X: Float64Array, d: number, indices: Int32Array, fixed: Float64Array): Float64Array {
  const m = fixed.length / d;
  const out = gatherRows(X, d, indices.subarray(m));
  if (m === 0) return out;
  const all = new Float64Array(indices.length * d);
  all.set(fixed);
  all.set(out, m * d);
  return all;
}

/** The `fixed` option: m ≤ k rows of d finite values, minus the points' column mean (the space the runs work in). */
function fixedRows(fixed: KMeansOptions['fixed'], d: number, k: number, mean: Float64Array): Float64Array {
  if (fixed === undefined) return new Float64Array(0);
  const { flat, d: fd } = flattenPoints(fixed, d);
  if (fd !== d || flat.length % d !== 0) throw new InvalidOptionError(`fixed must hold rows of ${d} values.`);
  const m = flat.length / d;
  if (m > k) throw new InvalidOptionError(`fixed holds ${m} centres; k = ${k} clusters can hold at most ${k}.`);
  const out = new Float64Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidOptionError(`fixed[${i}] is not a finite number.`);
    out[i] = v - mean[i % d]!;
  }
  return out;
}

/**
 * k-means on N points of `dimensions` values (default 3), as scikit-learn's `KMeans(n_clusters=k,
 * random_state=seed, n_init=nInit, max_iter=maxIter, tol=tol, algorithm="lloyd").fit(points, sample_weight=weights)`.
 * Throws InvalidOptionError / InvalidInputError on bad input, AbortError when `signal` has fired before it starts.
 * Synchronous: it holds its thread until it ends. `kmeansAsync` gives the same result and can be aborted mid-run.
 */
export function kmeans(input: Points, options: KMeansOptions): KMeansResult {
  return runSync(kmeansSteps(input, options));
}

/**
 * `kmeans` that lets the event loop turn every few milliseconds (`pace.ts`), so that it neither blocks a page nor
 * ignores an abort: it rejects with AbortError within about `SLICE_MS` of `signal` firing. Same bits as `kmeans`.
 */
export function kmeansAsync(input: Points, options: KMeansOptions): Promise<KMeansResult> {
  return runPaced(kmeansSteps(input, options), options?.signal);
}

/** `kmeans` as steps: validation first, then one yield at least between passes over the points. */
export function* kmeansSteps(input: Points, options: KMeansOptions): Steps<KMeansResult> {
  const { flat: points, d } = flattenPoints(input, options?.dimensions);
  const n = yield* validatePointsSteps(points, d);
  const { k, seed, nInit, maxIter, tol, weights, signal } = resolveKMeansOptions(options, n);
  yield* checkMagnitudesSteps(points, n, d, weights);
  throwIfAborted(signal);

  // scikit-learn scales tol on the points as given, before it centres them.
  const scaledTol = yield* scaledToleranceSteps(points, n, d, tol);
  const { X, mean, xSquaredNorms } = yield* centerPointsSteps(points, n, d);
  const fixed = fixedRows(options.fixed, d, k, mean);
  const fixedCount = fixed.length / d;
  const problem: LloydProblem = { X, n, d, k, weights, maxIter, tol: scaledTol, fixedCount };
  const rng = new RandomState(seed);

  let best: LloydRunResult | undefined;
  for (let run = 0; run < nInit; run++) {
    const indices = yield* greedyKMeansPlusPlusSteps(X, n, d, k, rng, xSquaredNorms, fixedCount > 0 ? fixed : undefined);
    const result = yield* lloydRunSteps(problem, initialCenters(X, d, indices, fixed));
    if (best === undefined || (result.inertia < best.inertia && !isSameClustering(result.labels, best.labels, k))) {
      best = result;
    }
  }
  const chosen = best!;
  // A safety net behind checkMagnitudes: a non-finite answer is never returned as if it were one.
  if (!Number.isFinite(chosen.inertia) || !chosen.centers.every(Number.isFinite)) {
    throw new InvalidInputError('points are too large for float64 sums: k-means ended with a non-finite inertia or centre.');
  }
  return {
    centers: rows(chosen.centers, k, d, mean),
    labels: chosen.labels,
    inertia: chosen.inertia,
    iterations: chosen.iterations,
    converged: chosen.converged,
  };
}

/**
 * The greedy k-means++ seeding alone, as scikit-learn's `kmeans_plusplus(points, k, random_state=seed)`: on the
 * points as given (not centred). Returns the chosen points and their indices.
 */
export function kmeansPlusPlus(input: Points, k: number, seed: number, dimensions?: number): KMeansPlusPlusResult {
  const { flat: points, d } = flattenPoints(input, dimensions);
  const n = validatePoints(points, d);
  resolveKMeansOptions({ k, seed }, n);
  checkMagnitudes(points, n, d);
  const X = Float64Array.from(points);
  const indices = greedyKMeansPlusPlus(X, n, d, k, new RandomState(seed), rowSquaredNorms(X, n, d));
  return { centers: rows(gatherRows(X, d, indices), k, d), indices };
}

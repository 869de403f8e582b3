/**
 * The data preparation `KMeans.fit` does before any run: float64 copy, column mean subtracted (for more accurate
 * distances), squared row norms (`row_norms(X, squared=True)`), and the tolerance scaled by the data's variance.
 */
import { chunkFor, chunks, runSync, type Steps } from '../pace.js';
import { pairwiseSum } from './numeric.js';

/** Squared norm of row `row`, summed left to right as numpy's `einsum('ij,ij->i')` does for short rows. */
export function rowSquaredNorm(X: Float64Array, row: number, d: number): number {
  const base = row * d;
  let s = 0;
  for (let j = 0; j < d; j++) {
    const v = X[base + j];
    s += v * v;
  }
  return s;
}

/** Squared norms of every row of X (n × d). */
export function rowSquaredNorms(
  X: Float64Array, n: number, d: number, out: Float64Array = new Float64Array(n),
): Float64Array {
  for (let i = 0; i < n; i++) out[i] = rowSquaredNorm(X, i, d);
  return out;
}

/**
 * `X.mean(axis=0)` on a C-ordered array: numpy adds row after row into the column accumulators (not pairwise, since
 * the reduced axis is the outer one), then divides by n.
 */
export function columnMean(X: ArrayLike<number>, n: number, d: number): Float64Array {
  return runSync(columnMeanSteps(X, n, d));
}

/** Adds rows `from .. to` of X into the column accumulators `sums`, row after row. */
function addRows(X: ArrayLike<number>, from: number, to: number, d: number, sums: Float64Array): void {
  for (let i = from; i < to; i++) {
    const base = i * d;
    for (let j = 0; j < d; j++) sums[j] += X[base + j];
  }
}

/** `columnMean` as steps (`pace.ts`): the rows are added in the same order, a chunk at a time. */
function* columnMeanSteps(X: ArrayLike<number>, n: number, d: number): Steps<Float64Array> {
  const mean = new Float64Array(d);
  yield* chunks(n, chunkFor(d), (from, to) => addRows(X, from, to, d, mean));
  for (let j = 0; j < d; j++) mean[j] = mean[j] / n;
  return mean;
}

/** Copies points to float64, subtracts the column mean (as KMeans.fit does); returns X, the mean and squared row norms. */
export function centerPoints(
  points: ArrayLike<number>,
  n: number,
  d: number,
): { X: Float64Array; mean: Float64Array; xSquaredNorms: Float64Array } {
  return runSync(centerPointsSteps(points, n, d));
}

/** Rows `from .. to` of `points` minus the mean into X, and their squared norms. */
function centerRows(
  points: ArrayLike<number>, from: number, to: number, d: number, mean: Float64Array, X: Float64Array, norms: Float64Array,
): void {
  for (let i = from; i < to; i++) {
    const base = i * d;
    for (let j = 0; j < d; j++) X[base + j] = points[base + j] - mean[j];
    norms[i] = rowSquaredNorm(X, i, d);
  }
}

/** `centerPoints` as steps (`pace.ts`). */
export function* centerPointsSteps(
  points: ArrayLike<number>,
  n: number,
  d: number,
): Steps<{ X: Float64Array; mean: Float64Array; xSquaredNorms: Float64Array }> {
  const mean = yield* columnMeanSteps(points, n, d);
  const X = new Float64Array(n * d);
  const xSquaredNorms = new Float64Array(n);
  yield* chunks(n, chunkFor(2 * d), (from, to) => centerRows(points, from, to, d, mean, X, xSquaredNorms));
  return { X, mean, xSquaredNorms };
}

/**
 * scikit-learn's `_tolerance`: `mean(var(X, axis=0)) * tol`, on the points before centring. `np.var` takes the
 * column mean, then the column sums of squared deviations, both accumulated row by row, each divided by n.
 */
export function scaledTolerance(points: ArrayLike<number>, n: number, d: number, tol: number): number {
  return runSync(scaledToleranceSteps(points, n, d, tol));
}

/** Adds the squared deviations from the mean of rows `from .. to`, column by column, row after row. */
function addSquaredDeviations(
  points: ArrayLike<number>, from: number, to: number, d: number, mean: Float64Array, ss: Float64Array,
): void {
  for (let i = from; i < to; i++) {
    const base = i * d;
    for (let j = 0; j < d; j++) {
      const dev = points[base + j] - mean[j];
      ss[j] += dev * dev;
    }
  }
}

/** `scaledTolerance` as steps (`pace.ts`). */
export function* scaledToleranceSteps(points: ArrayLike<number>, n: number, d: number, tol: number): Steps<number> {
  if (tol === 0) return 0;
  const mean = yield* columnMeanSteps(points, n, d);
  const ss = new Float64Array(d);
  yield* chunks(n, chunkFor(2 * d), (from, to) => addSquaredDeviations(points, from, to, d, mean, ss));
  for (let j = 0; j < d; j++) ss[j] = ss[j] / n;
  return (pairwiseSum(ss) / d) * tol;
}

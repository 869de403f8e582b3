/**
 * scikit-learn 1.2's greedy k-means++ (`_kmeans_plusplus`), step for step, so the same generator state picks the
 * same rows. Distances are `_euclidean_distances`: `(-2·x·c + ‖c‖²) + ‖x‖²`, clipped at 0, in that order.
 */
import { chunkFor, chunks, runSync, type Steps } from '../pace.js';
import type { RandomState } from '../random.js';
import { cumulativeSum, pairwiseSumSteps, searchSortedLeft } from './numeric.js';
import { rowSquaredNorm, rowSquaredNorms } from './prepare.js';

/**
 * Squared distances from row `c` to rows `from .. to`, as `_euclidean_distances(X[c], X, squared=True)` computes
 * them, each then lowered to `bound[i]` where that is smaller (`np.minimum(closest_dist_sq, ...)`) when a bound is
 * given.
 */
function distancesToRow(
  X: Float64Array, from: number, to: number, d: number, c: number, xSquaredNorms: Float64Array, out: Float64Array,
  bound?: Float64Array,
): void {
  distancesToCentre(X, from, to, d, X, c * d, xSquaredNorms[c], xSquaredNorms, out, bound);
}

/** `distancesToRow` from a centre held at `C[cBase ..]` (a row of X, or a fixed centre), of squared norm `cNorm`. */
function distancesToCentre(
  X: Float64Array, from: number, to: number, d: number, C: Float64Array, cBase: number, cNorm: number,
  xSquaredNorms: Float64Array, out: Float64Array, bound?: Float64Array,
): void {
  if (d === 3) {
    const c0 = C[cBase], c1 = C[cBase + 1], c2 = C[cBase + 2];
    for (let i = from, p = 3 * from; i < to; i++, p += 3) {
      const dot = c0 * X[p] + c1 * X[p + 1] + c2 * X[p + 2];
      let dist = -2 * dot + cNorm + xSquaredNorms[i];
      if (dist < 0) dist = 0;
      if (bound !== undefined && bound[i] < dist) dist = bound[i];
      out[i] = dist;
    }
    return;
  }
  for (let i = from; i < to; i++) {
    const base = i * d;
    let dot = 0;
    for (let j = 0; j < d; j++) dot += C[cBase + j] * X[base + j];
    let dist = -2 * dot + cNorm + xSquaredNorms[i];
    if (dist < 0) dist = 0;
    if (bound !== undefined && bound[i] < dist) dist = bound[i];
    out[i] = dist;
  }
}

/** Greedy k-means++ on row-major float64 X (n × d), consuming `rng` as scikit-learn does. Returns chosen row indices. */
export function greedyKMeansPlusPlus(
  X: Float64Array, n: number, d: number, k: number, rng: RandomState,
  xSquaredNorms: Float64Array = rowSquaredNorms(X, n, d), fixed?: Float64Array,
): Int32Array {
  return runSync(greedyKMeansPlusPlusSteps(X, n, d, k, rng, xSquaredNorms, fixed));
}

/**
 * `greedyKMeansPlusPlus` as steps (`pace.ts`): it yields between chunks of every pass over the points.
 *
 * With `fixed` (m ≥ 1 centres, m × d, in the space of X), the variant for locked centres: the fixed centres count as
 * centres 0 .. m−1 already chosen, so no first point is drawn; the closest distances start as each point's distance
 * to its nearest fixed centre (`np.minimum` over them, in order), and the greedy step picks centres m .. k−1 as usual
 * (`2 + floor(log k)` trials, k counting the fixed ones). The first m indices are −1. Without `fixed` (or with m = 0)
 * it is scikit-learn's seeding, draw for draw.
 */
export function* greedyKMeansPlusPlusSteps(
  X: Float64Array, n: number, d: number, k: number, rng: RandomState, xSquaredNorms: Float64Array,
  fixed?: Float64Array,
): Steps<Int32Array> {
  const m = fixed === undefined ? 0 : fixed.length / d;
  const indices = new Int32Array(k);
  const trials = 2 + Math.floor(Math.log(k));
  const chunk = chunkFor(d + 4);

  let closest = new Float64Array(n);
  if (m === 0) {
    const first = rng.randint(n);
    indices[0] = first;
    yield* chunks(n, chunk, (from, to) => distancesToRow(X, from, to, d, first, xSquaredNorms, closest));
  } else {
    indices.fill(-1, 0, m);
    for (let f = 0; f < m; f++) {
      const norm = rowSquaredNorm(fixed!, f, d);
      const bound = f === 0 ? undefined : closest;
      yield* chunks(n, chunk, (from, to) =>
        distancesToCentre(X, from, to, d, fixed!, f * d, norm, xSquaredNorms, closest, bound),
      );
    }
  }
  let currentPot = yield* pairwiseSumSteps(closest);

  const cumulative = new Float64Array(n);
  const candidateIds = new Int32Array(trials);
  // One row of distances per candidate; the winner's row becomes `closest`, so rows are swapped, never copied.
  const rows = Array.from({ length: trials }, () => new Float64Array(n));
  const pots = new Float64Array(trials);

  for (let c = Math.max(1, m); c < k; c++) {
    const randVals = rng.uniform(trials);
    // `np.cumsum`, carried from chunk to chunk.
    let sum = 0;
    const potentials = closest;
    yield* chunks(n, 4 * chunk, (from, to) => {
      sum = cumulativeSum(potentials, cumulative, from, to, sum);
    });
    for (let t = 0; t < trials; t++) {
      candidateIds[t] = Math.min(searchSortedLeft(cumulative, randVals[t] * currentPot), n - 1);
    }
    let best = 0;
    for (let t = 0; t < trials; t++) {
      const row = rows[t]!;
      const candidate = candidateIds[t];
      yield* chunks(n, chunk, (from, to) => distancesToRow(X, from, to, d, candidate, xSquaredNorms, row, closest));
      pots[t] = yield* pairwiseSumSteps(row);
      if (pots[t] < pots[best]) best = t;
    }
    currentPot = pots[best];
    const winner = rows[best]!;
    rows[best] = closest;
    closest = winner;
    indices[c] = candidateIds[best];
  }
  return indices;
}

/**
 * scikit-learn 1.2's greedy k-means++ (`_kmeans_plusplus`), step for step, so the same generator state picks the
 * same rows. Distances are `_euclidean_distances`: `(-2·x·c + ‖c‖²) + ‖x‖²`, clipped at 0, in that order.
 */
import { chunkFor, chunks, runSync, type Steps } from '../pace.js';
import type { RandomState } from '../random.js';
import { cumulativeSum, pairwiseSumSteps, searchSortedLeft } from './numeric.js';
import { rowSquaredNorm, rowSquaredNorms } from './prepare.js';

/** Scratch for a branch-free choice between two values (`distancesToRow`). */
const PICK = new Float64Array(2);

/**
 * Squared distances from row `c` to rows `from .. to`, as `_euclidean_distances(X[c], X, squared=True)` computes
 * them, each then lowered to `bound[i]` where that is smaller (`np.minimum(closest_dist_sq, ...)`) when a bound is
 * given.
 */
export function distancesToRow(
  X: Float64Array, from: number, to: number, d: number, c: number, xSquaredNorms: Float64Array, out: Float64Array,
  bound?: Float64Array,
): void {
  const cBase = c * d;
  const cNorm = xSquaredNorms[c];
  if (d === 3) {
    const c0 = X[cBase], c1 = X[cBase + 1], c2 = X[cBase + 2];
    if (bound === undefined) {
      for (let i = from, p = 3 * from; i < to; i++, p += 3) {
        const dot = c0 * X[p] + c1 * X[p + 1] + c2 * X[p + 2];
        let dist = -2 * dot + cNorm + xSquaredNorms[i];
        if (dist < 0) dist = 0;
        out[i] = dist;
      }
      return;
    }
    // Which of the two is smaller is as good as random from point to point, so a branch on it is mispredicted half
    // the time (V8 compiles `?:` and Math.min to branches): the smaller is picked by index instead (3× faster).
    const pick = PICK;
    for (let i = from, p = 3 * from; i < to; i++, p += 3) {
      const dot = c0 * X[p] + c1 * X[p + 1] + c2 * X[p + 2];
      let dist = -2 * dot + cNorm + xSquaredNorms[i];
      if (dist < 0) dist = 0;
      const b = bound[i];
      pick[0] = dist;
      pick[1] = b;
      out[i] = pick[Number(b < dist)];
    }
    return;
  }
  for (let i = from; i < to; i++) {
    const base = i * d;
    let dot = 0;
    for (let j = 0; j < d; j++) dot += X[cBase + j] * X[base + j];
    let dist = -2 * dot + cNorm + xSquaredNorms[i];
    if (dist < 0) dist = 0;
    if (bound !== undefined && bound[i] < dist) dist = bound[i];
    out[i] = dist;
  }
}

/**
 * `distancesToRow` (d = 3, with a bound) for candidates `ids[t..t+3)` at once, into `out0..out2`: the points, their
 * norms and the bound are read once for the three.
 */
export function distancesToThreeRows(
  X: Float64Array, from: number, to: number, ids: Int32Array, t: number, xSquaredNorms: Float64Array,
  out0: Float64Array, out1: Float64Array, out2: Float64Array, bound: Float64Array,
): void {
  const a = 3 * ids[t], b = 3 * ids[t + 1], c = 3 * ids[t + 2];
  const a0 = X[a], a1 = X[a + 1], a2 = X[a + 2], aNorm = xSquaredNorms[ids[t]];
  const b0 = X[b], b1 = X[b + 1], b2 = X[b + 2], bNorm = xSquaredNorms[ids[t + 1]];
  const c0 = X[c], c1 = X[c + 1], c2 = X[c + 2], cNorm = xSquaredNorms[ids[t + 2]];
  const pick = PICK;
  for (let i = from, p = 3 * from; i < to; i++, p += 3) {
    const x0 = X[p], x1 = X[p + 1], x2 = X[p + 2], norm = xSquaredNorms[i];
    const limit = bound[i];
    pick[1] = limit;
    let da = -2 * (a0 * x0 + a1 * x1 + a2 * x2) + aNorm + norm;
    if (da < 0) da = 0;
    pick[0] = da;
    out0[i] = pick[Number(limit < da)];
    let db = -2 * (b0 * x0 + b1 * x1 + b2 * x2) + bNorm + norm;
    if (db < 0) db = 0;
    pick[0] = db;
    out1[i] = pick[Number(limit < db)];
    let dc = -2 * (c0 * x0 + c1 * x1 + c2 * x2) + cNorm + norm;
    if (dc < 0) dc = 0;
    pick[0] = dc;
    out2[i] = pick[Number(limit < dc)];
  }
}

/**
 * `distancesToRow` from a centre that is not a row of X (a fixed centre, at `C[cBase ..]`, of squared norm `cNorm`):
 * the same formula in the same order, lowered to `bound` (`np.minimum`) when one is given.
 */
export function distancesToCentre(
  X: Float64Array, from: number, to: number, d: number, C: Float64Array, cBase: number, cNorm: number,
  xSquaredNorms: Float64Array, out: Float64Array, bound?: Float64Array,
): void {
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
    // Every candidate's distances in one pass over the points (each computed as alone: the same bits).
    const bound = closest;
    yield* chunks(n, chunk / trials, (from, to) => {
      let t = 0;
      if (d === 3) {
        for (; t + 3 <= trials; t += 3) {
          distancesToThreeRows(X, from, to, candidateIds, t, xSquaredNorms, rows[t]!, rows[t + 1]!, rows[t + 2]!, bound);
        }
      }
      for (; t < trials; t++) distancesToRow(X, from, to, d, candidateIds[t]!, xSquaredNorms, rows[t]!, bound);
    });
    let best = 0;
    for (let t = 0; t < trials; t++) {
      pots[t] = yield* pairwiseSumSteps(rows[t]!);
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

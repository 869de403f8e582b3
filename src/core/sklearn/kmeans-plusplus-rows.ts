/**
 * `greedyKMeansPlusPlus` for points that share rows: point i of the m points is row `rowOf[i]` of X (u ≤ m distinct
 * rows), as an image's pixels are their distinct colours. A point's distance to a candidate depends on its row
 * alone, so distances are computed once per row (u of them, not m), while every sum (the potentials, the cumulative
 * sum the candidates are drawn from) still runs over the m points in order, the rows gathered through `rowOf`. So the
 * generator is consumed as scikit-learn consumes it and the same points are picked, bit for bit, as
 * `greedyKMeansPlusPlus` on the m rows written out.
 */
import { chunkFor, chunks, type Steps } from '../pace.js';
import type { RandomState } from '../random.js';
import { distancesToRow, distancesToThreeRows } from './kmeans-plusplus.js';
import { pairwiseSumGather, searchSortedLeft } from './numeric.js';

/**
 * The chosen point indices (0 .. m−1, m = `rowOf.length`). X: u × 3 rows, float64, centred as `KMeans.fit` centres
 * the points; `xSquaredNorms` their squared norms.
 */
export function* greedyKMeansPlusPlusOnRowsSteps(
  X: Float64Array, u: number, xSquaredNorms: Float64Array, rowOf: Uint32Array, k: number, rng: RandomState,
): Steps<Int32Array> {
  const m = rowOf.length;
  const indices = new Int32Array(k);
  const trials = 2 + Math.floor(Math.log(k));
  const chunk = chunkFor(3 + 4);

  let closest = new Float64Array(u);
  const first = rng.randint(m);
  indices[0] = first;
  yield* chunks(u, chunk, (from, to) => distancesToRow(X, from, to, 3, rowOf[first]!, xSquaredNorms, closest));
  let currentPot = pairwiseSumGather(closest, rowOf);
  yield;

  const cumulative = new Float64Array(m);
  const candidateIds = new Int32Array(trials);
  const candidateRows = new Int32Array(trials);
  // One row of distances per candidate; the winner's becomes `closest`, so they are swapped, never copied.
  const rows = Array.from({ length: trials }, () => new Float64Array(u));
  const pots = new Float64Array(trials);

  for (let c = 1; c < k; c++) {
    const randVals = rng.uniform(trials);
    let highest = 0;
    for (let t = 0; t < trials; t++) highest = Math.max(highest, randVals[t]! * currentPot);
    // `np.cumsum`, carried from chunk to chunk, only as far as the highest value searched for: the sum is
    // non-decreasing, so no later entry can be the first at or above any of them.
    let end = 0;
    while (end < m) {
      const to = Math.min(m, end + 4 * chunk);
      end = cumulativeSumGatherUntil(closest, rowOf, cumulative, end, to, end > 0 ? cumulative[end - 1]! : 0, highest);
      if (cumulative[end - 1]! >= highest) break;
      yield;
    }
    for (let t = 0; t < trials; t++) {
      candidateIds[t] = Math.min(searchSortedLeft(cumulative.subarray(0, end), randVals[t]! * currentPot), m - 1);
      candidateRows[t] = rowOf[candidateIds[t]!]!;
    }
    const bound = closest;
    yield* chunks(u, chunk / trials, (from, to) => {
      let t = 0;
      for (; t + 3 <= trials; t += 3) {
        distancesToThreeRows(X, from, to, candidateRows, t, xSquaredNorms, rows[t]!, rows[t + 1]!, rows[t + 2]!, bound);
      }
      for (; t < trials; t++) distancesToRow(X, from, to, 3, candidateRows[t]!, xSquaredNorms, rows[t]!, bound);
    });
    let best = 0;
    for (let t = 0; t < trials; t++) {
      pots[t] = pairwiseSumGather(rows[t]!, rowOf);
      if (pots[t]! < pots[best]!) best = t;
      yield;
    }
    currentPot = pots[best]!;
    const winner = rows[best]!;
    rows[best] = closest;
    closest = winner;
    indices[c] = candidateIds[best]!;
  }
  return indices;
}

/**
 * `cumulativeSumGather` over `from .. to` that stops after the first running sum at or above `limit`: returns the
 * index after it, or `to`.
 */
function cumulativeSumGatherUntil(
  a: Float64Array, index: Uint32Array, out: Float64Array, from: number, to: number, sum: number, limit: number,
): number {
  let s = sum;
  for (let i = from; i < to; i++) {
    s += a[index[i]!]!;
    out[i] = s;
    if (s >= limit) return i + 1;
  }
  return to;
}

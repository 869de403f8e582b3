/**
 * numpy's reductions, reproduced to the last bit: scikit-learn's k-means++ decides between candidates by comparing
 * sums, so the sums must be rounded exactly as numpy rounds them.
 */

/** numpy unrolls its pairwise sum by 8 and recurses above this many elements (`PW_BLOCKSIZE`). */
const PW_BLOCKSIZE = 128;

/**
 * `np.sum` of `a[start .. start+n)`, a contiguous float64 run: numpy's pairwise summation (`DOUBLE_pairwise_sum`).
 * Below 8 elements a plain loop; up to 128, eight interleaved accumulators combined as a tree; above, halves split
 * on a multiple of 8.
 */
export function pairwiseSum(a: Float64Array, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const p = start + i;
      r0 += a[p]; r1 += a[p + 1]; r2 += a[p + 2]; r3 += a[p + 3];
      r4 += a[p + 4]; r5 += a[p + 5]; r6 += a[p + 6]; r7 += a[p + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** Elements summed without a yield by `pairwiseSumSteps`: a sub-millisecond stretch. */
const PAIRWISE_STEP = 1 << 16;

/**
 * `pairwiseSum` as steps (`pace.ts`): the same halving, so the same tree of additions and the same bits, with a
 * yield after each stretch of at most PAIRWISE_STEP elements.
 */
export function* pairwiseSumSteps(a: Float64Array, start = 0, n = a.length - start): Generator<void, number, void> {
  if (n <= PAIRWISE_STEP) {
    const sum = pairwiseSum(a, start, n);
    yield;
    return sum;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  const left = yield* pairwiseSumSteps(a, start, n2);
  return left + (yield* pairwiseSumSteps(a, start + n2, n - n2));
}

/**
 * `np.cumsum`: a running sum, left to right, into `out`, over `from .. to` and going on from `sum` (the running sum
 * before `from`), so that it can be computed a chunk at a time. Returns the running sum at `to`.
 */
export function cumulativeSum(a: Float64Array, out: Float64Array, from = 0, to = a.length, sum = 0): number {
  let s = sum;
  for (let i = from; i < to; i++) {
    s += a[i];
    out[i] = s;
  }
  return s;
}

/** `np.searchsorted(sorted, v, side='left')`: the first index whose value is ≥ v (length if none). */
export function searchSortedLeft(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `pairwiseSum` of the values `a[index[start]], a[index[start+1]], …` (n of them): the same tree of additions, so the
 * same bits as the sum of that array written out. For points that share rows (`kmeans-plusplus-rows.ts`).
 */
export function pairwiseSumGather(a: Float64Array, index: Uint32Array, start = 0, n = index.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[index[start + i]!]!;
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = a[index[start]!]!, r1 = a[index[start + 1]!]!, r2 = a[index[start + 2]!]!, r3 = a[index[start + 3]!]!;
    let r4 = a[index[start + 4]!]!, r5 = a[index[start + 5]!]!, r6 = a[index[start + 6]!]!, r7 = a[index[start + 7]!]!;
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const p = start + i;
      r0 += a[index[p]!]!; r1 += a[index[p + 1]!]!; r2 += a[index[p + 2]!]!; r3 += a[index[p + 3]!]!;
      r4 += a[index[p + 4]!]!; r5 += a[index[p + 5]!]!; r6 += a[index[p + 6]!]!; r7 += a[index[p + 7]!]!;
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += a[index[start + i]!]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSumGather(a, index, start, n2) + pairwiseSumGather(a, index, start + n2, n - n2);
}


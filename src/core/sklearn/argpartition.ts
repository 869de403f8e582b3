/**
 * `np.argpartition` for float64, ported from numpy 1.24's `introselect_` (npysort/selection.cpp, arg variant).
 * scikit-learn relocates empty clusters to `np.argpartition(distances, -n)[:-n-1:-1]`; when distances tie (as they
 * do when k exceeds the number of distinct points) which indices come out depends on numpy's exact swap sequence,
 * so this follows it step for step. numpy 2's SIMD selection orders ties differently, hence a port, not a sort.
 */

/** numpy's float `less`: NaN sorts last. */
function less(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

function swap(t: Int32Array, i: number, j: number): void {
  const x = t[i];
  t[i] = t[j];
  t[j] = x;
}

/** `npy_get_msb`: floor(log2(n)). */
function msb(n: number): number {
  let depth = 0;
  while ((n >>= 1) > 0) depth++;
  return depth;
}

/** O(n·kth) selection for a small kth. `o` is the offset of the sub-array inside `t`. */
function dumbSelect(v: Float64Array, t: Int32Array, o: number, num: number, kth: number): void {
  for (let i = 0; i <= kth; i++) {
    let minIdx = i;
    let minVal = v[t[o + i]];
    for (let k = i + 1; k < num; k++) {
      if (less(v[t[o + k]], minVal)) {
        minIdx = k;
        minVal = v[t[o + k]];
      }
    }
    swap(t, o + i, o + minIdx);
  }
}

function median3Swap(v: Float64Array, t: Int32Array, o: number, low: number, mid: number, high: number): void {
  if (less(v[t[o + high]], v[t[o + mid]])) swap(t, o + high, o + mid);
  if (less(v[t[o + high]], v[t[o + low]])) swap(t, o + high, o + low);
  // The pivot goes to low, the lowest of the three to low + 1.
  if (less(v[t[o + low]], v[t[o + mid]])) swap(t, o + low, o + mid);
  swap(t, o + mid, o + low + 1);
}

function median5(v: Float64Array, t: Int32Array, o: number): number {
  if (less(v[t[o + 1]], v[t[o]])) swap(t, o + 1, o);
  if (less(v[t[o + 4]], v[t[o + 3]])) swap(t, o + 4, o + 3);
  if (less(v[t[o + 3]], v[t[o]])) swap(t, o + 3, o);
  if (less(v[t[o + 4]], v[t[o + 1]])) swap(t, o + 4, o + 1);
  if (less(v[t[o + 2]], v[t[o + 1]])) swap(t, o + 2, o + 1);
  if (less(v[t[o + 3]], v[t[o + 2]])) return less(v[t[o + 3]], v[t[o + 1]]) ? 1 : 3;
  return 2;
}

function medianOfMedian5(v: Float64Array, t: Int32Array, o: number, num: number): number {
  const nmed = Math.floor(num / 5);
  for (let i = 0, subleft = 0; i < nmed; i++, subleft += 5) {
    const m = median5(v, t, o + subleft);
    swap(t, o + subleft + m, o + i);
  }
  if (nmed > 2) introselect(v, t, o, nmed, Math.floor(nmed / 2));
  return Math.floor(nmed / 2);
}

/** Rearranges `t[o .. o+num)` so that position kth holds the index of the kth smallest value. */
function introselect(v: Float64Array, t: Int32Array, o: number, num: number, kth: number): void {
  let low = 0;
  let high = num - 1;
  if (kth - low < 3) {
    dumbSelect(v, t, o + low, high - low + 1, kth - low);
    return;
  }
  if (kth === num - 1) {
    // numpy's shortcut for the maximum: the last of equal maxima wins.
    let maxIdx = low;
    let maxVal = v[t[o + low]];
    for (let k = low + 1; k < num; k++) {
      if (!less(v[t[o + k]], maxVal)) {
        maxIdx = k;
        maxVal = v[t[o + k]];
      }
    }
    swap(t, o + kth, o + maxIdx);
    return;
  }
  let depthLimit = msb(num) * 2;
  while (low + 1 < high) {
    let ll = low + 1;
    let hh = high;
    if (depthLimit > 0 || hh - ll < 5) {
      median3Swap(v, t, o, low, low + Math.floor((high - low) / 2), high);
    } else {
      const mid = ll + medianOfMedian5(v, t, o + ll, hh - ll);
      swap(t, o + mid, o + low);
      ll--;
      hh++;
    }
    depthLimit--;
    const pivot = v[t[o + low]];
    for (;;) {
      do ll++; while (less(v[t[o + ll]], pivot));
      do hh--; while (less(pivot, v[t[o + hh]]));
      if (hh < ll) break;
      swap(t, o + ll, o + hh);
    }
    swap(t, o + low, o + hh);
    if (hh >= kth) high = hh - 1;
    if (hh <= kth) low = ll;
  }
  if (high === low + 1 && less(v[t[o + high]], v[t[o + low]])) swap(t, o + high, o + low);
}

/** `np.argpartition(values, kth)` for one kth in 0..n-1. */
export function argpartition(values: Float64Array, kth: number): Int32Array {
  const t = new Int32Array(values.length);
  for (let i = 0; i < t.length; i++) t[i] = i;
  introselect(values, t, 0, values.length, kth);
  return t;
}

/** `np.argpartition(values, -count)[:-count-1:-1]`: indices of the `count` largest values, in numpy's order. */
export function largestIndices(values: Float64Array, count: number): Int32Array {
  const n = values.length;
  const t = argpartition(values, n - count);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = t[n - 1 - i];
  return out;
}

/**
 * scikit-image 0.19.3's `resize(image, (height, width))` with its defaults, for 8-bit images, in float64: the notebook's
 * resampler, so that a palette depends on the image and the options, never on the browser or the platform.
 *
 * What it computes (test/fixtures/notebook holds reference outputs; its README spells out the maths):
 * 1. `img_as_float`: byte × (1 / 255).
 * 2. When shrinking along an axis, scipy's `gaussian_filter` with `sigma = max(0, (factor − 1) / 2)` per axis,
 *    mode `mirror`, truncate 4: rows (axis 0) first, then columns (axis 1), in `correlate1d`'s order of operations.
 * 3. scipy's `zoom(order=1, mode='mirror', grid_mode=True)`: output pixel i samples input coordinate
 *    `(i + 0.5) × factor − 0.5`, folded back into the image as `map_coordinate` does, with weights `1 − t` and
 *    `1 − (1 − t)` (the spline code's), summed in scipy's order.
 * 4. Clipping to the input's range.
 * Every step follows SciPy's C code operation by operation, in IEEE double arithmetic only (the kernel's `exp` too:
 * exp.ts), so the output is the same bits in every JavaScript engine. It is SciPy 1.17's (NumPy 2) bit for bit on the
 * fixtures; against the notebook's (NumPy 1.24, whose `exp` rounded some kernel weights the other way) a few values
 * differ in the last place (at most 3.4e-16).
 *
 * Cost: the zoom reads two rows and two columns per output pixel, so the Gaussian is computed only there: the row
 * filter for the rows read (every column of them), the column filter at the columns read. A 24 MP photo to 200×200
 * filters about 400 rows, not 4000. The row filter, nearly all of the work, reads the image's bytes in place (no float
 * copy of it), filters the rows read two at a time where they are adjacent (as the zoom mostly reads them), and keeps
 * each sum in a register; the range `clip` needs is read from the rows read, and from every row only when some value
 * falls outside it. About 0.5 s for 24 MP → 200×200 in Node on one core in JavaScript.
 *
 * Where the WebAssembly kernels load (Node, Workers: `wasm/kernels.ts`), both Gaussian passes run as SIMD kernels
 * (wasm/resample.ts: two float64 lanes doing the scalar code's operations in its order, so the same bits), and for RGBA
 * the zoom, the range, the clip and the rounding to bytes too: about 0.25 s for the same 24 MP. Elsewhere the
 * JavaScript below runs; the tests run both.
 */
import { InvalidInputError, InvalidOptionError, throwIfAborted } from './errors.js';
import type { PixelImage } from './types.js';
import { fdlibmExp } from './exp.js';
import { acquireKernels, KernelMemoryError, releaseKernels, type Kernels } from './wasm/kernels.js';

/** 8-bit pixels, row-major, `channels` values per pixel (4 for RGBA, as `ImageData`; 3 for RGB; 1 for grey). */
export interface ByteImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** Values per pixel. Default 4. */
  channels?: number;
}

/** Float pixels 0..1 as `resize` returns them: row-major, `channels` values per pixel (those of the input). */
export interface FloatImage {
  data: Float64Array;
  width: number;
  height: number;
  channels: number;
}

export interface ResizeOptions {
  /** Cancels a long resize between rows; it throws AbortError. */
  signal?: AbortSignal;
}

/** `img_as_float` for uint8: numpy multiplies by the reciprocal, it does not divide. */
const BYTE_TO_UNIT = (() => {
  const lut = new Float64Array(256);
  const scale = 1 / 255;
  for (let i = 0; i < 256; i++) lut[i] = i * scale;
  return lut;
})();

/**
 * numpy's `add.reduce` on a contiguous float64 array (pairwise summation, 8 accumulators per block of up to 128), which
 * `_gaussian_kernel1d` uses to normalise the kernel.
 */
function numpySum(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= 128) {
    const r = Array.from(a.subarray(start, start + 8));
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += a[start + i + j]!;
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpySum(a, start, n2) + numpySum(a, start + n2, n - n2);
}

/**
 * scipy's Gaussian kernel for `gaussian_filter1d(sigma, truncate=4.0)`: `exp(-0.5 / sigma² × x²)` for
 * x = −radius..radius, normalised by numpy's sum. Symmetric, so scipy's reversal changes nothing.
 */
export function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.trunc(4 * sigma + 0.5);
  const sigma2 = sigma * sigma;
  const scale = -0.5 / sigma2;
  const phi = new Float64Array(2 * radius + 1);
  for (let i = 0; i < phi.length; i++) {
    const x = i - radius;
    // fdlibm's exp, not Math.exp: the same weights in every engine (see exp.ts).
    phi[i] = fdlibmExp(scale * (x * x));
  }
  const sum = numpySum(phi, 0, phi.length);
  for (let i = 0; i < phi.length; i++) phi[i] = phi[i]! / sum;
  return phi;
}

/** ndimage's `mirror` extension of an index (d c b | a b c d | c b a): the edge sample is not repeated. */
function mirrorIndex(i: number, length: number): number {
  if (length <= 1) return 0;
  const period = 2 * length - 2;
  let m = i % period;
  if (m < 0) m += period;
  return m >= length ? period - m : m;
}

/** scipy's `map_coordinate` for `mirror`: a coordinate outside 0..length−1 folded back into it. */
function mirrorCoordinate(c: number, length: number): number {
  if (c < 0) {
    if (length <= 1) return 0;
    const sz2 = 2 * length - 2;
    c = sz2 * Math.trunc(-c / sz2) + c;
    return c <= 1 - length ? c + sz2 : -c;
  }
  if (c > length - 1) {
    if (length <= 1) return 0;
    const sz2 = 2 * length - 2;
    c -= sz2 * Math.trunc(c / sz2);
    return c >= length ? sz2 - c : c;
  }
  return c;
}

/** Where each output index reads along one axis: two input indices and their weights, as scipy's zoom has them. */
interface AxisTaps {
  i0: Int32Array;
  i1: Int32Array;
  w0: Float64Array;
  w1: Float64Array;
}

function axisTaps(inLength: number, outLength: number, factor: number): AxisTaps {
  const taps: AxisTaps = {
    i0: new Int32Array(outLength),
    i1: new Int32Array(outLength),
    w0: new Float64Array(outLength),
    w1: new Float64Array(outLength),
  };
  for (let k = 0; k < outLength; k++) {
    let cc = k;
    cc += 0.5;
    cc *= factor;
    cc -= 0.5;
    cc = mirrorCoordinate(cc, inLength);
    const start = Math.floor(cc);
    const x = cc - start;
    const w0 = 1 - x;
    taps.w0[k] = w0;
    taps.w1[k] = 1 - w0;
    taps.i0[k] = mirrorIndex(start, inLength);
    taps.i1[k] = mirrorIndex(start + 1, inLength);
  }
  return taps;
}

/** The distinct indices `taps` reads, ascending. */
function indicesRead(taps: AxisTaps): number[] {
  return [...new Set([...taps.i0, ...taps.i1])].sort((a, b) => a - b);
}

/** Output side for `from` → `to` along an axis; the anti-aliasing sigma (0: no filter along it). */
function axisSigma(from: number, to: number): { factor: number; sigma: number } {
  const factor = from / to;
  return { factor, sigma: Math.max(0, (factor - 1) / 2) };
}

function checkImage(image: ByteImage): number {
  const channels = image.channels ?? 4;
  const { width, height, data } = image;
  if (!Number.isInteger(channels) || channels < 1) throw new InvalidInputError(`channels must be a positive integer, got ${channels}.`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InvalidInputError(`The image must be at least 1×1 pixels, got ${width}×${height}.`);
  }
  if (data.length !== width * height * channels) {
    throw new InvalidInputError(
      `A ${width}×${height} image of ${channels} channels has ${width * height * channels} values, got ${data.length}.`,
    );
  }
  return channels;
}

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InvalidOptionError(`The output size must be whole numbers of at least 1, got ${width}×${height}.`);
  }
}

/**
 * The rows a filter window reads, as bytes: `bytes[top + j × stride + e]` is value e (of `(x1 − x0) × channels`) of
 * the band's columns in virtual row lo + j (rows past the edges mirrored, so the window is a run of rows with no edge
 * case in the filter's loops). Away from the edges that is the image itself; near them, a copy of the rows mirrored.
 */
interface ByteWindow {
  bytes: Uint8Array;
  top: number;
  stride: number;
}

function byteWindow(image: ByteImage, bytes: Uint8Array, channels: number, x0: number, x1: number, lo: number, hi: number): ByteWindow {
  const { width, height } = image;
  if (lo >= 0 && hi < height) return { bytes, top: (lo * width + x0) * channels, stride: width * channels };
  const stride = (x1 - x0) * channels;
  const copy = new Uint8Array((hi - lo + 1) * stride);
  for (let v = lo; v <= hi; v++) {
    const start = (mirrorIndex(v, height) * width + x0) * channels;
    copy.set(bytes.subarray(start, start + stride), (v - lo) * stride);
  }
  return { bytes: copy, top: 0, stride };
}

/**
 * Filters one row along axis 0 (rows): the window holds virtual rows row−R..row+R. `correlate1d`'s symmetric branch,
 * on `img_as_float`'s values: `x[r]·w[R] + Σ (x[r−d] + x[r+d])·w[R−d]` for d from R down to 1. The first `planes`
 * channels of each of `pixels` pixels, into `out` (`planes` values per pixel).
 */
function filterOne(win: ByteWindow, pixels: number, channels: number, planes: number, kernel: Float64Array, out: Float64Array): void {
  const { bytes, top, stride } = win;
  const radius = (kernel.length - 1) / 2;
  const wc = kernel[radius]!;
  const centre = top + radius * stride;
  const bottom = top + 2 * radius * stride;
  for (let p = 0; p < pixels; p++) {
    for (let ch = 0; ch < planes; ch++) {
      const s = p * channels + ch;
      let v = BYTE_TO_UNIT[bytes[centre + s]!]! * wc;
      for (let k = 0, a = top + s, b = bottom + s; k < radius; k++, a += stride, b -= stride) {
        v += (BYTE_TO_UNIT[bytes[a]!]! + BYTE_TO_UNIT[bytes[b]!]!) * kernel[k]!;
      }
      out[p * planes + ch] = v;
    }
  }
}

/**
 * `filterOne` for two adjacent rows, row and row+1 (the zoom mostly reads rows in such pairs), whose windows
 * row−R..row+R+1 the window holds: the rows they share are read once for both. At distance d, row's pair is
 * (row−d, row+d) and row+1's is (row−d+1, row+d+1), so each step reads two values and reuses two of the last step's.
 * Two pixels at a time: four independent chains of additions.
 */
function filterPair(
  win: ByteWindow,
  pixels: number,
  channels: number,
  planes: number,
  kernel: Float64Array,
  out0: Float64Array,
  out1: Float64Array,
): void {
  const { bytes, top, stride } = win;
  const radius = (kernel.length - 1) / 2;
  const wc = kernel[radius]!;
  const centre = top + radius * stride;
  const bottom = top + 2 * radius * stride;
  const unit = BYTE_TO_UNIT;
  let p = 0;
  for (; p + 1 < pixels; p += 2) {
    for (let ch = 0; ch < planes; ch++) {
      const s = p * channels + ch;
      const n = s + channels; // the next pixel's
      let v0 = unit[bytes[centre + s]!]! * wc;
      let u0 = unit[bytes[centre + n]!]! * wc;
      let v1 = unit[bytes[centre + stride + s]!]! * wc;
      let u1 = unit[bytes[centre + stride + n]!]! * wc;
      let a = unit[bytes[top + s]!]!; // row − d
      let a2 = unit[bytes[top + n]!]!;
      let below = unit[bytes[bottom + stride + s]!]!; // row + d + 1
      let below2 = unit[bytes[bottom + stride + n]!]!;
      for (let k = 0, up = top + stride, down = bottom; k < radius; k++, up += stride, down -= stride) {
        const w = kernel[k]!;
        const b = unit[bytes[down + s]!]!; // row + d
        const b2 = unit[bytes[down + n]!]!;
        const above = unit[bytes[up + s]!]!; // row − d + 1
        const above2 = unit[bytes[up + n]!]!;
        v0 += (a + b) * w;
        u0 += (a2 + b2) * w;
        v1 += (above + below) * w;
        u1 += (above2 + below2) * w;
        a = above;
        a2 = above2;
        below = b;
        below2 = b2;
      }
      const o = p * planes + ch;
      out0[o] = v0;
      out0[o + planes] = u0;
      out1[o] = v1;
      out1[o + planes] = u1;
    }
  }
  for (; p < pixels; p++) {
    for (let ch = 0; ch < planes; ch++) {
      const s = p * channels + ch;
      let v0 = unit[bytes[centre + s]!]! * wc;
      let v1 = unit[bytes[centre + stride + s]!]! * wc;
      let a = unit[bytes[top + s]!]!;
      let below = unit[bytes[bottom + stride + s]!]!;
      for (let k = 0, up = top + stride + s, down = bottom + s; k < radius; k++, up += stride, down -= stride) {
        const w = kernel[k]!;
        const b = unit[bytes[down]!]!;
        const above = unit[bytes[up]!]!;
        v0 += (a + b) * w;
        v1 += (above + below) * w;
        a = above;
        below = b;
      }
      out0[p * planes + ch] = v0;
      out1[p * planes + ch] = v1;
    }
  }
}

/** One row of the window as float values (no filter along axis 0). */
function readRow(win: ByteWindow, pixels: number, channels: number, planes: number, out: Float64Array): void {
  const { bytes, top } = win;
  for (let p = 0; p < pixels; p++) {
    for (let ch = 0; ch < planes; ch++) out[p * planes + ch] = BYTE_TO_UNIT[bytes[top + p * channels + ch]!]!;
  }
}

/**
 * The axis-1 filter at a few columns of a band starting at x0: for each column and each d from the radius down to 1,
 * the offsets in the band's row of its two (mirrored) neighbours at distance d.
 */
function columnNeighbours(cols: readonly number[], width: number, x0: number, planes: number, radius: number): Int32Array {
  const offsets = new Int32Array(cols.length * radius * 2);
  cols.forEach((col, c) => {
    for (let d = radius, k = c * radius * 2; d >= 1; d--, k += 2) {
      offsets[k] = (mirrorIndex(col - d, width) - x0) * planes;
      offsets[k + 1] = (mirrorIndex(col + d, width) - x0) * planes;
    }
  });
  return offsets;
}

/**
 * A band's row filtered along axis 0, filtered along axis 1 at `cols` only, into `out` from value `to` on (`planes` values per column). Away from the image's edges a column's neighbours are simply the values
 * `planes` apart; near them, `neighbours` says where the mirrored ones are.
 */
function filterColumns(
  row: Float64Array,
  x0: number,
  width: number,
  planes: number,
  cols: readonly number[],
  kernel: Float64Array | null,
  neighbours: Int32Array,
  out: Float64Array,
  to: number,
): void {
  if (!kernel) {
    for (let c = 0; c < cols.length; c++) {
      const centre = (cols[c]! - x0) * planes;
      for (let ch = 0; ch < planes; ch++) out[to + c * planes + ch] = row[centre + ch]!;
    }
    return;
  }
  const radius = (kernel.length - 1) / 2;
  const wc = kernel[radius]!;
  const reach = radius * planes;
  for (let c = 0; c < cols.length; c++) {
    const col = cols[c]!;
    const centre = (col - x0) * planes;
    const o = to + c * planes;
    if (col < radius || col + radius >= width) {
      for (let ch = 0; ch < planes; ch++) {
        let v = row[centre + ch]! * wc;
        for (let k = c * radius * 2, d = 0; d < radius; d++, k += 2) {
          v += (row[neighbours[k]! + ch]! + row[neighbours[k + 1]! + ch]!) * kernel[d]!;
        }
        out[o + ch] = v;
      }
    } else if (planes === 3) {
      // The three colours at once: three independent chains of additions.
      let v0 = row[centre]! * wc;
      let v1 = row[centre + 1]! * wc;
      let v2 = row[centre + 2]! * wc;
      for (let k = 0, p = centre - reach, q = centre + reach; k < radius; k++, p += 3, q -= 3) {
        const w = kernel[k]!;
        v0 += (row[p]! + row[q]!) * w;
        v1 += (row[p + 1]! + row[q + 1]!) * w;
        v2 += (row[p + 2]! + row[q + 2]!) * w;
      }
      out[o] = v0;
      out[o + 1] = v1;
      out[o + 2] = v2;
    } else {
      for (let ch = 0; ch < planes; ch++) {
        let v = row[centre + ch]! * wc;
        for (let k = 0, p = centre - reach + ch, q = centre + reach + ch; k < radius; k++, p += planes, q -= planes) {
          v += (row[p]! + row[q]!) * kernel[k]!;
        }
        out[o + ch] = v;
      }
    }
  }
}

/** Input columns per band: the band's rows, times the filter window's height, stay in the processor's cache. */
const BAND_COLUMNS = 1024;

/** The columns read, in groups spanning at most BAND_COLUMNS, each with the band of input it needs: [x0, x1). */
function bands(cols: readonly number[], width: number, radius: number): { first: number; cols: number[]; x0: number; x1: number }[] {
  const out: { first: number; cols: number[]; x0: number; x1: number }[] = [];
  cols.forEach((col, i) => {
    const last = out[out.length - 1];
    if (last && col - last.cols[0]! < BAND_COLUMNS) last.cols.push(col);
    else out.push({ first: i, cols: [col], x0: 0, x1: 0 });
  });
  for (const band of out) {
    band.x0 = Math.max(0, band.cols[0]! - radius);
    band.x1 = Math.min(width, band.cols[band.cols.length - 1]! + radius + 1);
  }
  return out;
}

/** The rows read, ascending, as runs of one row or of two adjacent rows (filtered together). */
function rowRuns(rows: readonly number[]): { row: number; pair: boolean }[] {
  const runs: { row: number; pair: boolean }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const pair = rows[i + 1] === rows[i]! + 1;
    runs.push({ row: rows[i]!, pair });
    if (pair) i++;
  }
  return runs;
}

/** Widens `lo`/`hi` (per channel) to the values `data[start..end)` holds. */
function scanRange(data: ArrayLike<number>, channels: number, start: number, end: number, lo: Uint8Array, hi: Uint8Array): void {
  for (let ch = 0; ch < channels; ch++) {
    let l = lo[ch]!;
    let h = hi[ch]!;
    for (let i = start + ch; i < end; i += channels) {
      const v = data[i]!;
      if (v < l) l = v;
      if (v > h) h = v;
    }
    lo[ch] = l;
    hi[ch] = h;
  }
}

/** Whether every alpha value (channel 3 of 4) in `data[start..end)` equals `value` (bitwise: no branch per pixel). */
function alphaEquals(data: Uint8Array | Uint8ClampedArray, start: number, end: number, value: number): boolean {
  let and = value;
  let or = value;
  for (let i = start + 3; i < end; i += 4) {
    const v = data[i]!;
    and &= v;
    or |= v;
  }
  return and === value && or === value;
}

/**
 * The range `clip` restores, per group of channels, from each channel's lowest and highest byte: the colour channels
 * (the notebook resizes RGB, `[:, :, :3]`, and clips to its range) and, in a fourth channel, alpha apart (a separate
 * array with its own range).
 */
function channelGroups(channels: number, lo: Uint8Array, hi: Uint8Array): { of: Int32Array; min: number[]; max: number[] } {
  const colour = Math.min(channels, 3);
  const of = new Int32Array(channels).map((_, ch) => (ch < colour ? 0 : 1 + ch - colour));
  const groups = 1 + channels - colour;
  const min = new Array<number>(groups).fill(1);
  const max = new Array<number>(groups).fill(0);
  for (let ch = 0; ch < channels; ch++) {
    const g = of[ch]!;
    min[g] = Math.min(min[g]!, BYTE_TO_UNIT[lo[ch]!]!);
    max[g] = Math.max(max[g]!, BYTE_TO_UNIT[hi[ch]!]!);
  }
  return { of, min, max };
}

/** Rows scanned between two pauses. */
const SCAN_ROWS = 256;

/**
 * The input's range per channel, `lo`/`hi`, from the rows in `rows` (all of them when null), pausing between
 * slices of rows.
 */
function* scanRows(image: ByteImage, channels: number, rows: readonly number[] | null, lo: Uint8Array, hi: Uint8Array): Generator<void> {
  lo.fill(255);
  hi.fill(0);
  const rowValues = image.width * channels;
  if (rows) {
    for (let i = 0; i < rows.length; i++) {
      scanRange(image.data, channels, rows[i]! * rowValues, (rows[i]! + 1) * rowValues, lo, hi);
      if (i % SCAN_ROWS === SCAN_ROWS - 1) yield;
    }
    return;
  }
  for (let r = 0; r < image.height; r += SCAN_ROWS) {
    scanRange(image.data, channels, r * rowValues, Math.min(image.height, r + SCAN_ROWS) * rowValues, lo, hi);
    yield;
  }
}

/** A resize's result as the palette engines take it (`toPixelImage`): RGBA bytes and the float values. */
export type PixelSample = PixelImage & { float: Float64Array<ArrayBuffer> };

/** What every resize works from: the kernels' weights, the taps, the rows and columns read, the channels filtered. */
interface ResizePlan {
  channels: number;
  planes: number;
  /** The alpha byte of an image whose alpha is one value (then `planes` is 3). */
  alpha: number;
  width: number;
  height: number;
  rowKernel: Float64Array | null;
  colKernel: Float64Array | null;
  ty: AxisTaps;
  tx: AxisTaps;
  needRows: number[];
  needCols: number[];
  colSlot: Int32Array;
}

function* planResize(image: ByteImage, width: number, height: number): Generator<void, ResizePlan> {
  const channels = checkImage(image);
  checkSize(width, height);
  const vertical = axisSigma(image.height, height);
  const horizontal = axisSigma(image.width, width);
  // scikit-image filters only when some axis shrinks; an axis that grows then has sigma 0 (no filter along it).
  const antiAlias = height < image.height || width < image.width;
  const rowKernel = antiAlias && vertical.sigma > 1e-15 ? gaussianKernel(vertical.sigma) : null;
  const colKernel = antiAlias && horizontal.sigma > 1e-15 ? gaussianKernel(horizontal.sigma) : null;
  const ty = axisTaps(image.height, height, vertical.factor);
  const tx = axisTaps(image.width, width, horizontal.factor);

  // The filtered image at the rows and columns the zoom reads, and nowhere else.
  const needRows = indicesRead(ty);
  const needCols = indicesRead(tx);
  const colSlot = new Int32Array(image.width).fill(-1);
  needCols.forEach((c, i) => (colSlot[c] = i));

  // An alpha channel of one value (an opaque image) resizes to that value (clipping to its range gives it exactly),
  // so it is left out of the filtering.
  const rowValues = image.width * channels;
  let constantAlpha = channels === 4;
  const alpha = image.data[3]!;
  for (let r = 0; r < image.height && constantAlpha; r += SCAN_ROWS) {
    constantAlpha = alphaEquals(image.data, r * rowValues, Math.min(image.height, r + SCAN_ROWS) * rowValues, alpha);
    yield;
  }
  const planes = constantAlpha ? 3 : channels;
  return { channels, planes, alpha, width, height, rowKernel, colKernel, ty, tx, needRows, needCols, colSlot };
}

/**
 * The resize, one step per filtered row (or pair of rows) read (the costly part), so that a caller can pause between
 * steps; returns the result when done.
 */
function* resizeSteps(image: ByteImage, width: number, height: number): Generator<void, FloatImage> {
  return (yield* resizeBoth(image, width, height)).image;
}

/** `resizeSteps`, with the sample as the engines take it (`toPixelImage`) where the kernels made it in passing. */
function* resizeBoth(image: ByteImage, outWidth: number, outHeight: number): Generator<void, { image: FloatImage; pixels?: PixelSample }> {
  const plan = yield* planResize(image, outWidth, outHeight);
  const kernels = plan.channels === 4 ? acquireKernels() : null;
  if (kernels) {
    try {
      return yield* resizeWithKernels(kernels, image, plan);
    } catch (error) {
      // Its memory is all taken before it first yields: where it does not fit, the JavaScript starts afresh.
      if (!(error instanceof KernelMemoryError)) throw error;
    } finally {
      releaseKernels(kernels);
    }
  }
  const { channels, planes } = plan;
  const out = yield* filterAndZoom(image, plan);
  const { width, height } = plan;

  // `clip` to the input's range. The rows read give part of it: a range no wider than the whole image's. Where every
  // value lies inside that, clipping to the whole range changes nothing either; only otherwise is every row scanned.
  const lo = new Uint8Array(channels);
  const hi = new Uint8Array(channels);
  yield* scanRows(image, channels, plan.needRows, lo, hi);
  let groups = channelGroups(channels, lo, hi);
  if (!inside(out, channels, planes, groups)) {
    yield* scanRows(image, channels, null, lo, hi);
    groups = channelGroups(channels, lo, hi);
  }
  const { of, min, max } = groups;
  for (let i = 0; i < out.length; i += channels) {
    for (let ch = 0; ch < planes; ch++) {
      const t = out[i + ch]!;
      const g = of[ch]!;
      out[i + ch] = t < min[g]! ? min[g]! : t > max[g]! ? max[g]! : t;
    }
  }
  return { image: { data: out, width, height, channels } };
}

/**
 * The whole resize of an RGBA image with the WebAssembly kernels, the same bits as the JavaScript: the Gaussian at the
 * rows and columns read (`filterWithKernels`, which also takes the byte range of the rows read), the zoom, the clip,
 * and the pixels as the engines take them (each value's byte rounded as `toPixelImage` rounds it).
 */
function* resizeWithKernels(kernels: Kernels, image: ByteImage, plan: ResizePlan): Generator<void, { image: FloatImage; pixels: PixelSample }> {
  const { channels, planes, width, height, ty, tx, colSlot } = plan;
  const lanes = planes + (planes % 2);
  const n = width * height;
  const { rowSlot, rowLength } = rowSlots(plan, lanes);
  const at = {
    rows: kernels.alloc(8 * height), wy: kernels.alloc(16 * height), cols: kernels.alloc(8 * width), wx: kernels.alloc(16 * width),
    out: kernels.alloc(8 * n * channels), bytes: kernels.alloc(4 * n), min: kernels.alloc(8 * channels), max: kernels.alloc(8 * channels),
    lo: kernels.alloc(channels), hi: kernels.alloc(channels),
  };
  const { filtered } = yield* filterWithKernels(kernels, image, plan, lanes, rowSlot, rowLength, { lo: at.lo, hi: at.hi });
  const rows = kernels.i32(at.rows, 2 * height);
  const wy = kernels.f64(at.wy, 2 * height);
  for (let oy = 0; oy < height; oy++) {
    rows[2 * oy] = rowSlot.get(ty.i0[oy]!)!;
    rows[2 * oy + 1] = rowSlot.get(ty.i1[oy]!)!;
    wy[2 * oy] = ty.w0[oy]!;
    wy[2 * oy + 1] = ty.w1[oy]!;
  }
  const cols = kernels.i32(at.cols, 2 * width);
  const wx = kernels.f64(at.wx, 2 * width);
  for (let ox = 0; ox < width; ox++) {
    cols[2 * ox] = colSlot[tx.i0[ox]!]! * lanes;
    cols[2 * ox + 1] = colSlot[tx.i1[ox]!]! * lanes;
    wx[2 * ox] = tx.w0[ox]!;
    wx[2 * ox + 1] = tx.w1[ox]!;
  }
  const k = kernels.exports;
  k.zoom(filtered, at.rows, at.wy, at.cols, at.wx, width, height, channels, lanes, at.out);
  yield;

  // The clip, as in `resizeBoth`: the range of the rows read (as far as the bands reach), every row only if needed.
  const lo = kernels.u8(at.lo, channels);
  const hi = kernels.u8(at.hi, channels);
  const bounds = (groups: ReturnType<typeof channelGroups>) => {
    const min = kernels.f64(at.min, channels);
    const max = kernels.f64(at.max, channels);
    for (let ch = 0; ch < channels; ch++) {
      min[ch] = groups.min[groups.of[ch]!]!;
      max[ch] = groups.max[groups.of[ch]!]!;
    }
  };
  bounds(channelGroups(channels, lo, hi));
  if (!k.within(at.out, n, channels, planes, at.min, at.max)) {
    const whole = { lo: new Uint8Array(channels), hi: new Uint8Array(channels) };
    yield* scanRows(image, channels, null, whole.lo, whole.hi);
    bounds(channelGroups(channels, whole.lo, whole.hi));
  }
  k.clipAndRound(at.out, n, channels, planes, at.min, at.max, BYTE_TO_UNIT[plan.alpha]!, at.out, at.bytes);
  const float = kernels.f64(at.out, 4 * n).slice();
  const bytes = new Uint8ClampedArray(kernels.u8(at.bytes, 4 * n).slice().buffer);
  return { image: { data: float, width, height, channels }, pixels: { data: bytes, width, height, float } };
}

/**
 * The Gaussian at the rows and columns the zoom reads (with the WebAssembly kernels where they run, else in
 * JavaScript: the same bits), then the zoom itself, before clipping.
 */
function* filterAndZoom(image: ByteImage, plan: ResizePlan): Generator<void, Float64Array> {
  const { channels, planes, alpha, width, height, ty, tx, colSlot } = plan;
  const kernels = acquireKernels();
  try {
    const { filtered, rowSlot, lanes } = (kernels && (yield* filterWithKernelsIfTheyFit(kernels, image, plan))) ?? (yield* filterInJs(image, plan));

    // The zoom, before clipping.
    const out = new Float64Array(width * height * channels);
    for (let oy = 0; oy < height; oy++) {
      const r0 = rowSlot.get(ty.i0[oy]!)!;
      const r1 = rowSlot.get(ty.i1[oy]!)!;
      const wy0 = ty.w0[oy]!;
      const wy1 = ty.w1[oy]!;
      for (let ox = 0; ox < width; ox++) {
        const c0 = colSlot[tx.i0[ox]!]! * lanes;
        const c1 = colSlot[tx.i1[ox]!]! * lanes;
        const wx0 = tx.w0[ox]!;
        const wx1 = tx.w1[ox]!;
        const o = (oy * width + ox) * channels;
        for (let ch = 0; ch < planes; ch++) {
          // scipy's order: the corners (y0,x0), (y0,x1), (y1,x0), (y1,x1), each value × wy × wx, summed from 0.
          let t = 0;
          t += filtered[r0 + c0 + ch]! * wy0 * wx0;
          t += filtered[r0 + c1 + ch]! * wy0 * wx1;
          t += filtered[r1 + c0 + ch]! * wy1 * wx0;
          t += filtered[r1 + c1 + ch]! * wy1 * wx1;
          out[o + ch] = t;
        }
        if (planes < channels) out[o + 3] = BYTE_TO_UNIT[alpha]!;
      }
    }
    return out;
  } finally {
    releaseKernels(kernels);
  }
}

/**
 * The filtered values at (row read, column read): row slot s of the rows read starts at `rowSlot` s × the row length,
 * `lanes` values per column read (`planes`; the WebAssembly kernels fill whole pairs of lanes).
 */
interface FilteredRows {
  filtered: Float64Array;
  rowSlot: Map<number, number>;
  lanes: number;
}

function rowSlots(plan: ResizePlan, lanes: number): { rowSlot: Map<number, number>; rowLength: number } {
  const rowLength = plan.needCols.length * lanes;
  return { rowSlot: new Map<number, number>(plan.needRows.map((r, s) => [r, s * rowLength])), rowLength };
}

/** `filterWithKernels` as `FilteredRows`, or null where its memory does not fit (then the JavaScript runs). */
function* filterWithKernelsIfTheyFit(kernels: Kernels, image: ByteImage, plan: ResizePlan): Generator<void, FilteredRows | null> {
  const lanes = plan.planes + (plan.planes % 2);
  const { rowSlot, rowLength } = rowSlots(plan, lanes);
  try {
    // Its memory is all taken before it first yields.
    const { filtered } = yield* filterWithKernels(kernels, image, plan, lanes, rowSlot, rowLength);
    return { filtered: kernels.f64(filtered, plan.needRows.length * rowLength), rowSlot, lanes };
  } catch (error) {
    if (!(error instanceof KernelMemoryError)) throw error;
    return null;
  }
}

/**
 * The Gaussian at the rows and columns read, in JavaScript: per band of columns, each row read (or pair of adjacent
 * rows) filtered along axis 0 over the band, then along axis 1 at the band's columns read.
 */
function* filterInJs(image: ByteImage, plan: ResizePlan): Generator<void, FilteredRows> {
  const { channels, planes, needRows, needCols, rowKernel, colKernel } = plan;
  const { rowSlot, rowLength } = rowSlots(plan, planes);
  const rowRadius = rowKernel ? (rowKernel.length - 1) / 2 : 0;
  const colRadius = colKernel ? (colKernel.length - 1) / 2 : 0;
  const filtered = new Float64Array(needRows.length * rowLength);
  const runs = rowRuns(needRows);
  const bytes = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length);
  for (const part of bands(needCols, image.width, colRadius)) {
    const pixels = part.x1 - part.x0;
    const neighbours = columnNeighbours(part.cols, image.width, part.x0, planes, colRadius);
    const line0 = new Float64Array(pixels * planes);
    const line1 = new Float64Array(pixels * planes);
    const columns = (line: Float64Array, r: number) =>
      filterColumns(line, part.x0, image.width, planes, part.cols, colKernel, neighbours, filtered, rowSlot.get(r)! + part.first * planes);
    for (const { row, pair } of runs) {
      const last = row + (pair ? 1 : 0);
      const win = byteWindow(image, bytes, channels, part.x0, part.x1, row - rowRadius, last + rowRadius);
      if (!rowKernel) {
        readRow(win, pixels, channels, planes, line0);
        columns(line0, row);
        if (pair) {
          readRow({ ...win, top: win.top + win.stride }, pixels, channels, planes, line1);
          columns(line1, last);
        }
      } else if (pair) {
        filterPair(win, pixels, channels, planes, rowKernel, line0, line1);
        columns(line0, row);
        columns(line1, last);
      } else {
        filterOne(win, pixels, channels, planes, rowKernel, line0);
        columns(line0, row);
      }
      yield;
    }
  }
  return { filtered, rowSlot, lanes: planes };
}

/** A kernel as the WebAssembly filters take it: the radius + 1 weights from the outermost to the centre's. */
const IDENTITY = Float64Array.of(1);

/**
 * `filterInJs` with the WebAssembly kernels (the same bits). Per band, the rows every window reads (mirrored past the
 * edges) are copied once into the instance's memory; a single row read is filtered as a pair whose second row is
 * dropped, and a missing kernel is the one weight 1 (`x × 1` is `x`). Returns where the filtered values lie in the
 * instance's memory; with `range`, the byte range of the rows read (within the bands) goes there too.
 */
function* filterWithKernels(
  kernels: Kernels, image: ByteImage, plan: ResizePlan, lanes: number, rowSlot: Map<number, number>, rowLength: number,
  range?: { lo: number; hi: number },
): Generator<void, { filtered: number }> {
  const { channels, needRows, needCols } = plan;
  const rowWeights = plan.rowKernel ?? IDENTITY;
  const colWeights = plan.colKernel ?? IDENTITY;
  const rowRadius = (rowWeights.length - 1) / 2;
  const colRadius = (colWeights.length - 1) / 2;
  const parts = bands(needCols, image.width, colRadius);
  const widest = Math.max(...parts.map((p) => p.x1 - p.x0));
  // Virtual rows first .. last: every window row − R .. row + 1 + R.
  const first = needRows[0]! - rowRadius;
  const last = needRows[needRows.length - 1]! + 1 + rowRadius;
  const windowBytes = (last - first + 1) * widest * channels;
  const at = {
    rows: kernels.alloc(windowBytes),
    rowKernel: kernels.alloc(8 * (rowRadius + 1)),
    colKernel: kernels.alloc(8 * (colRadius + 1)),
    line0: kernels.alloc(8 * widest * channels),
    line1: kernels.alloc(8 * widest * channels),
    cols: kernels.alloc(4 * needCols.length),
    neighbours: kernels.alloc(4 * needCols.length * colRadius * 2),
    filtered: kernels.alloc(8 * needRows.length * rowLength),
  };
  kernels.f64(at.rowKernel, rowRadius + 1).set(rowWeights.subarray(0, rowRadius + 1));
  kernels.f64(at.colKernel, colRadius + 1).set(colWeights.subarray(0, colRadius + 1));
  const { filterRowPair, filterColumns: filterColumnsWasm } = kernels.exports;
  const bytes = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.length);
  const heap = kernels.u8(0, kernels.memory.byteLength);
  const runs = rowRuns(needRows);
  if (range) {
    kernels.u8(range.lo, channels).fill(255);
    kernels.u8(range.hi, channels).fill(0);
  }
  for (const part of parts) {
    const stride = (part.x1 - part.x0) * channels;
    for (let v = first; v <= last; v++) {
      const start = (mirrorIndex(v, image.height) * image.width + part.x0) * channels;
      heap.set(bytes.subarray(start, start + stride), at.rows + (v - first) * stride);
    }
    if (range) for (const r of needRows) kernels.exports.byteRange(at.rows + (r - first) * stride, stride, channels, range.lo, range.hi);
    kernels.i32(at.cols, part.cols.length).set(part.cols);
    kernels.i32(at.neighbours, part.cols.length * colRadius * 2).set(columnNeighbours(part.cols, image.width, part.x0, channels, colRadius));
    const columns = (line: number, r: number) =>
      filterColumnsWasm(
        line, part.x0, image.width, channels, lanes, at.cols, part.cols.length, at.colKernel, colRadius, at.neighbours,
        at.filtered + 8 * (rowSlot.get(r)! + part.first * lanes),
      );
    for (const { row, pair } of runs) {
      filterRowPair(at.rows + (row - rowRadius - first) * stride, stride, stride, at.rowKernel, rowRadius, at.line0, at.line1);
      columns(at.line0, row);
      if (pair) columns(at.line1, row + 1);
      yield;
    }
  }
  return { filtered: at.filtered };
}

/** Whether every value of the first `planes` channels lies in its group's range. */
function inside(data: Float64Array, channels: number, planes: number, groups: { of: Int32Array; min: number[]; max: number[] }): boolean {
  const { of, min, max } = groups;
  for (let i = 0; i < data.length; i += channels) {
    for (let ch = 0; ch < planes; ch++) {
      const t = data[i + ch]!;
      if (t < min[of[ch]!]! || t > max[of[ch]!]!) return false;
    }
  }
  return true;
}

/**
 * `skimage.transform.resize(image, (height, width))` (scikit-image 0.19.3, defaults: order 1, mode `reflect`,
 * anti-aliasing when shrinking, clipping), for an 8-bit image: float64 values 0..1, channels as in the input.
 * The colour channels (the first three) are clipped to their common range, a fourth (alpha) to its own.
 */
export function resizeImage(image: ByteImage, width: number, height: number, options: ResizeOptions = {}): FloatImage {
  return runToEnd(resizeSteps(image, width, height), options.signal);
}

/**
 * `toPixelImage(resizeImage(image, width, height))`, the sample the palette engines take, made in one pass where the
 * WebAssembly kernels run (the same bits). The image must have 3 or 4 channels.
 */
export function resizeToPixels(image: ByteImage, width: number, height: number, options: ResizeOptions = {}): PixelSample {
  return pixelsOf(runToEnd(resizeBoth(image, width, height), options.signal));
}

function pixelsOf(result: { image: FloatImage; pixels?: PixelSample }): PixelSample {
  return result.pixels ?? toPixelImage(result.image);
}

function runToEnd<T>(steps: Generator<void, T>, signal?: AbortSignal): T {
  try {
    for (;;) {
      throwIfAborted(signal);
      const step = steps.next();
      if (step.done) return step.value;
    }
  } finally {
    // An abort leaves the steps mid-way: their `finally` gives the kernels back.
    steps.return(undefined as T);
  }
}

export interface ResizeAsyncOptions extends ResizeOptions {
  /** Work this long (ms) between pauses. Default 8. */
  sliceMs?: number;
  /** How to pause. Default: a macrotask (`setTimeout(0)`), which lets a page paint and handle input. */
  pause?: () => Promise<void>;
}

const macrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** `resizeImage` in slices of `sliceMs`, pausing between them: for a thread that must stay responsive. */
export function resizeImageAsync(image: ByteImage, width: number, height: number, options: ResizeAsyncOptions = {}): Promise<FloatImage> {
  return runInSlices(resizeSteps(image, width, height), options);
}

/** `resizeToPixels` in slices of `sliceMs`, pausing between them. */
export async function resizeToPixelsAsync(
  image: ByteImage,
  width: number,
  height: number,
  options: ResizeAsyncOptions = {},
): Promise<PixelSample> {
  return pixelsOf(await runInSlices(resizeBoth(image, width, height), options));
}

async function runInSlices<T>(steps: Generator<void, T>, options: ResizeAsyncOptions): Promise<T> {
  const { signal, sliceMs = 8, pause = macrotask } = options;
  let sliceStart = performance.now();
  try {
    for (;;) {
      throwIfAborted(signal);
      const step = steps.next();
      if (step.done) return step.value;
      if (performance.now() - sliceStart >= sliceMs) {
        await pause();
        sliceStart = performance.now();
      }
    }
  } finally {
    steps.return(undefined as T);
  }
}

/**
 * A resized image as the palette engines take it (`extractPalette`, the element's worker): RGBA bytes, each value
 * rounded from the float one (the exact arithmetic clusters these), and the float values themselves as `float`,
 * which the float64 arithmetic clusters as the notebook does (`KMeans` on `resize`'s output, not on bytes).
 * A float image of 3 channels gets an opaque alpha.
 */
export function toPixelImage(image: FloatImage): PixelImage & { float: Float64Array<ArrayBuffer> } {
  const { data, width, height, channels } = image;
  if (channels !== 3 && channels !== 4) throw new InvalidInputError(`Expected RGB or RGBA, got ${channels} channels.`);
  const n = width * height;
  const bytes = new Uint8ClampedArray(n * 4);
  const float = new Float64Array(n * 4);
  if (channels === 4) {
    float.set(data);
    for (let i = 0; i < 4 * n; i++) bytes[i] = Math.round(data[i]! * 255);
    return { data: bytes, width, height, float };
  }
  for (let p = 0; p < n; p++) {
    for (let ch = 0; ch < 3; ch++) {
      const v = data[3 * p + ch]!;
      float[4 * p + ch] = v;
      bytes[4 * p + ch] = Math.round(v * 255);
    }
    float[4 * p + 3] = 1;
    bytes[4 * p + 3] = 255;
  }
  return { data: bytes, width, height, float };
}

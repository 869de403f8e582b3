/**
 * THE RESAMPLER AS IT WAS BEFORE ISSUE 11, kept only as the bench's baseline (bench/resample.ts); not used by src.
 *
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
 * filters about 400 rows, not 4000.
 */
import { InvalidInputError, InvalidOptionError, throwIfAborted } from '../src/core/errors.js';
import type { PixelImage } from '../src/core/types.js';
import { fdlibmExp } from '../src/core/exp.js';

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
 * A band of the input's columns, [x0, x1), as float rows (`img_as_float`), `planes` values per pixel (the first
 * `planes` channels). Each row is converted once and kept while a later row's filter window can still reach it: the
 * window slides down the band. Working band by band keeps the window's rows in the cache, which is what makes the
 * row filter fast (a 24 MP image's full rows would not fit).
 */
class FloatBand {
  readonly #rows = new Map<number, Float64Array>();
  readonly #spare: Float64Array[] = [];
  constructor(
    readonly image: ByteImage,
    readonly channels: number,
    readonly planes: number,
    readonly x0: number,
    readonly x1: number,
  ) {}

  get length(): number {
    return (this.x1 - this.x0) * this.planes;
  }

  get(row: number): Float64Array {
    let out = this.#rows.get(row);
    if (out) return out;
    const { width, data } = this.image;
    const { channels, planes, x0, x1 } = this;
    out = this.#spare.pop() ?? new Float64Array(this.length);
    const start = (row * width + x0) * channels;
    if (planes === channels) {
      for (let i = 0; i < out.length; i++) out[i] = BYTE_TO_UNIT[data[start + i]!]!;
    } else if (planes === 3 && channels === 4) {
      // RGB of RGBA (an opaque image's alpha is left out).
      for (let i = 0, j = start; i < out.length; i += 3, j += 4) {
        out[i] = BYTE_TO_UNIT[data[j]!]!;
        out[i + 1] = BYTE_TO_UNIT[data[j + 1]!]!;
        out[i + 2] = BYTE_TO_UNIT[data[j + 2]!]!;
      }
    } else {
      for (let p = 0; p < x1 - x0; p++) {
        for (let ch = 0; ch < planes; ch++) out[p * planes + ch] = BYTE_TO_UNIT[data[start + p * channels + ch]!]!;
      }
    }
    this.#rows.set(row, out);
    return out;
  }

  /** Forgets the rows above `row` (the window only moves down; mirrored rows near the top are below it then). */
  dropAbove(row: number): void {
    for (const [r, values] of this.#rows) {
      if (r < row) {
        this.#rows.delete(r);
        this.#spare.push(values);
      }
    }
  }
}

/**
 * One row of a band filtered along axis 0 (rows) with `kernel` (or simply read, when `kernel` is null), into `out`:
 * `correlate1d`'s symmetric branch, `x[r]·w[0] + Σ (x[r−d] + x[r+d])·w[d]` for d from the radius down to 1.
 */
function filterRow(band: FloatBand, row: number, kernel: Float64Array | null, out: Float64Array): void {
  const centre = band.get(row);
  if (!kernel) {
    out.set(centre);
    return;
  }
  const radius = (kernel.length - 1) / 2;
  band.dropAbove(row - radius);
  const n = out.length;
  const w0 = kernel[radius]!;
  for (let i = 0; i < n; i++) out[i] = centre[i]! * w0;
  const height = band.image.height;
  let d = radius;
  // Four distances per pass over the row (the same additions in the same order, a quarter of the loads and stores).
  for (; d >= 4; d -= 4) {
    const a0 = band.get(mirrorIndex(row - d, height));
    const b0 = band.get(mirrorIndex(row + d, height));
    const a1 = band.get(mirrorIndex(row - d + 1, height));
    const b1 = band.get(mirrorIndex(row + d - 1, height));
    const a2 = band.get(mirrorIndex(row - d + 2, height));
    const b2 = band.get(mirrorIndex(row + d - 2, height));
    const a3 = band.get(mirrorIndex(row - d + 3, height));
    const b3 = band.get(mirrorIndex(row + d - 3, height));
    const w0 = kernel[radius - d]!;
    const w1 = kernel[radius - d + 1]!;
    const w2 = kernel[radius - d + 2]!;
    const w3 = kernel[radius - d + 3]!;
    for (let i = 0; i < n; i++) {
      let v = out[i]!;
      v += (a0[i]! + b0[i]!) * w0;
      v += (a1[i]! + b1[i]!) * w1;
      v += (a2[i]! + b2[i]!) * w2;
      v += (a3[i]! + b3[i]!) * w3;
      out[i] = v;
    }
  }
  for (; d >= 1; d--) {
    const above = band.get(mirrorIndex(row - d, height));
    const below = band.get(mirrorIndex(row + d, height));
    const w = kernel[radius - d]!;
    for (let i = 0; i < n; i++) out[i] = out[i]! + (above[i]! + below[i]!) * w;
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
 * A band's row filtered along axis 0, filtered along axis 1 at `cols` only, into `out` from value `at` on
 * (`planes` values per column).
 */
function filterColumns(
  row: Float64Array,
  x0: number,
  planes: number,
  cols: readonly number[],
  kernel: Float64Array | null,
  neighbours: Int32Array,
  out: Float64Array,
  at: number,
): void {
  const radius = kernel ? (kernel.length - 1) / 2 : 0;
  for (let c = 0; c < cols.length; c++) {
    const centre = (cols[c]! - x0) * planes;
    for (let ch = 0; ch < planes; ch++) {
      let v: number;
      if (!kernel) v = row[centre + ch]!;
      else {
        v = row[centre + ch]! * kernel[radius]!;
        for (let d = radius, k = c * radius * 2; d >= 1; d--, k += 2) {
          v += (row[neighbours[k]! + ch]! + row[neighbours[k + 1]! + ch]!) * kernel[radius - d]!;
        }
      }
      out[at + c * planes + ch] = v;
    }
  }
}

/** Input columns per band: the band's rows, times the filter window's height, stay in the processor's cache. */
const BAND_COLUMNS = 512;

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

/** Widens `lo`/`hi` (per channel) to the values `data[start..end)` holds. */
function scanRange(data: ArrayLike<number>, channels: number, start: number, end: number, lo: Uint8Array, hi: Uint8Array): void {
  if (channels === 4) {
    // One pass for RGBA, the usual case (a 24 MP image is 96 MB).
    let [l0, l1, l2, l3] = lo;
    let [h0, h1, h2, h3] = hi;
    for (let i = start; i < end; i += 4) {
      const r = data[i]!, g = data[i + 1]!, b = data[i + 2]!, a = data[i + 3]!;
      if (r < l0!) l0 = r;
      if (r > h0!) h0 = r;
      if (g < l1!) l1 = g;
      if (g > h1!) h1 = g;
      if (b < l2!) l2 = b;
      if (b > h2!) h2 = b;
      if (a < l3!) l3 = a;
      if (a > h3!) h3 = a;
    }
    lo.set([l0!, l1!, l2!, l3!]);
    hi.set([h0!, h1!, h2!, h3!]);
    return;
  }
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

/** Rows scanned for the range between two pauses. */
const SCAN_ROWS = 256;

/**
 * The resize, one step per filtered row read (the costly part), so that a caller can pause between steps; returns the
 * result when done.
 */
function* resizeSteps(image: ByteImage, width: number, height: number): Generator<void, FloatImage> {
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

  // An alpha channel of one value (an opaque image) resizes to that value: clipping to its range gives it exactly.
  const lo = new Uint8Array(channels).fill(255);
  const hi = new Uint8Array(channels);
  const rowValues = image.width * channels;
  for (let r = 0; r < image.height; r += SCAN_ROWS) {
    scanRange(image.data, channels, r * rowValues, Math.min(image.height, r + SCAN_ROWS) * rowValues, lo, hi);
    yield;
  }
  const { of, min, max } = channelGroups(channels, lo, hi);
  const planes = channels === 4 && min[1] === max[1] ? 3 : channels;
  const colRadius = colKernel ? (colKernel.length - 1) / 2 : 0;
  // The filtered values at (row read, column read): one array per row read, `planes` values per column read.
  const filtered = new Map<number, Float64Array>(needRows.map((r) => [r, new Float64Array(needCols.length * planes)]));
  for (const part of bands(needCols, image.width, colRadius)) {
    const band = new FloatBand(image, channels, planes, part.x0, part.x1);
    const neighbours = columnNeighbours(part.cols, image.width, part.x0, planes, colRadius);
    const line = new Float64Array(band.length);
    for (const r of needRows) {
      filterRow(band, r, rowKernel, line);
      filterColumns(line, part.x0, planes, part.cols, colKernel, neighbours, filtered.get(r)!, part.first * planes);
      yield;
    }
  }

  const out = new Float64Array(width * height * channels);
  for (let oy = 0; oy < height; oy++) {
    const r0 = filtered.get(ty.i0[oy]!)!;
    const r1 = filtered.get(ty.i1[oy]!)!;
    const wy0 = ty.w0[oy]!;
    const wy1 = ty.w1[oy]!;
    for (let ox = 0; ox < width; ox++) {
      const c0 = colSlot[tx.i0[ox]!]! * planes;
      const c1 = colSlot[tx.i1[ox]!]! * planes;
      const wx0 = tx.w0[ox]!;
      const wx1 = tx.w1[ox]!;
      const o = (oy * width + ox) * channels;
      for (let ch = 0; ch < planes; ch++) {
        // scipy's order: the corners (y0,x0), (y0,x1), (y1,x0), (y1,x1), each value × wy × wx, summed from 0.
        let t = 0;
        t += r0[c0 + ch]! * wy0 * wx0;
        t += r0[c1 + ch]! * wy0 * wx1;
        t += r1[c0 + ch]! * wy1 * wx0;
        t += r1[c1 + ch]! * wy1 * wx1;
        const g = of[ch]!;
        out[o + ch] = t < min[g]! ? min[g]! : t > max[g]! ? max[g]! : t;
      }
      if (planes < channels) out[o + 3] = min[1]!;
    }
  }
  return { data: out, width, height, channels };
}

/**
 * `skimage.transform.resize(image, (height, width))` (scikit-image 0.19.3, defaults: order 1, mode `reflect`,
 * anti-aliasing when shrinking, clipping), for an 8-bit image: float64 values 0..1, channels as in the input.
 * The colour channels (the first three) are clipped to their common range, a fourth (alpha) to its own.
 */
export function resizeImage(image: ByteImage, width: number, height: number, options: ResizeOptions = {}): FloatImage {
  const steps = resizeSteps(image, width, height);
  for (;;) {
    throwIfAborted(options.signal);
    const step = steps.next();
    if (step.done) return step.value;
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
export async function resizeImageAsync(
  image: ByteImage,
  width: number,
  height: number,
  options: ResizeAsyncOptions = {},
): Promise<FloatImage> {
  const { signal, sliceMs = 8, pause = macrotask } = options;
  const steps = resizeSteps(image, width, height);
  let sliceStart = performance.now();
  for (;;) {
    throwIfAborted(signal);
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await pause();
      sliceStart = performance.now();
    }
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
  for (let p = 0; p < n; p++) {
    for (let ch = 0; ch < 4; ch++) {
      const v = ch < channels ? data[p * channels + ch]! : 1;
      float[p * 4 + ch] = v;
      bytes[p * 4 + ch] = Math.round(v * 255);
    }
  }
  return { data: bytes, width, height, float };
}

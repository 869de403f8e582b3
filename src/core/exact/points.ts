/**
 * From RGBA pixels to the 8-bit points the exact engine clusters, plus the two facts about them that both engines
 * must share: the channel statistics behind `tolFixed`, and (CPU only) the distinct colours with their counts.
 */
import type { ColorSpace, PixelImage } from '../types.js';
import { writeOklab8 } from '../oklab-int.js';

export interface ExtractedPoints {
  /** n × 3 bytes: RGB, or the 8-bit OKLab code. */
  points: Uint8Array;
  /** Pixel index of each point, or null when every pixel is a point (so point i is pixel i). */
  pixelIndex: Uint32Array | null;
  n: number;
}

/** Slots of the OKLab conversion cache: 2^16 colours, 512 KiB, enough to catch a photo's repeats. */
const OKLAB_CACHE_BITS = 16;

/**
 * The 8-bit OKLab code of each pixel, via a direct-mapped cache keyed by the 24-bit colour: the integer conversion
 * (three cube roots) costs far more than a lookup, and photos repeat colours a lot.
 */
function oklabConverter(): (r: number, g: number, b: number, out: Uint8Array, o: number) => void {
  const keys = new Int32Array(1 << OKLAB_CACHE_BITS).fill(-1);
  const codes = new Uint8Array(3 << OKLAB_CACHE_BITS);
  return (r, g, b, out, o) => {
    const key = (r << 16) | (g << 8) | b;
    const slot = Math.imul(key, 0x9e3779b1) >>> (32 - OKLAB_CACHE_BITS);
    if (keys[slot] !== key) {
      writeOklab8(r, g, b, codes, 3 * slot);
      keys[slot] = key;
    }
    out[o] = codes[3 * slot]!;
    out[o + 1] = codes[3 * slot + 1]!;
    out[o + 2] = codes[3 * slot + 2]!;
  };
}

/** Keeps the pixels with `alpha ≥ alphaThreshold`, in pixel order, converted to the clustering space. */
export function extractPoints(image: PixelImage, colorSpace: ColorSpace, alphaThreshold: number): ExtractedPoints {
  const { data } = image;
  const pixelCount = image.width * image.height;
  let n = 0;
  for (let i = 0; i < pixelCount; i++) if (data[4 * i + 3]! >= alphaThreshold) n++;
  const points = new Uint8Array(3 * n);
  const pixelIndex = n === pixelCount ? null : new Uint32Array(n);
  const toOklab = colorSpace === 'oklab' ? oklabConverter() : null;
  let o = 0;
  for (let i = 0; i < pixelCount; i++) {
    const s = 4 * i;
    if (data[s + 3]! < alphaThreshold) continue;
    if (toOklab) toOklab(data[s]!, data[s + 1]!, data[s + 2]!, points, 3 * o);
    else {
      points[3 * o] = data[s]!;
      points[3 * o + 1] = data[s + 1]!;
      points[3 * o + 2] = data[s + 2]!;
    }
    if (pixelIndex) pixelIndex[o] = i;
    o++;
  }
  return { points, pixelIndex, n };
}

/**
 * `floor(tol · 128² · mean_i var_i(p))` (docs/ARITHMETIC.md): the variance comes from exact integer sums, then one
 * fixed float64 expression, so the CPU and GPU paths (which both take it from here) stop at the same shift.
 */
export function toleranceFixed(points: Uint8Array, n: number, tol: number, fixedOne: number): number {
  const sum = [0, 0, 0];
  const sumSq = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = points[3 * i + c]!;
      sum[c]! += v;
      sumSq[c]! += v * v;
    }
  }
  let variance = 0;
  for (let c = 0; c < 3; c++) variance += (sumSq[c]! - (sum[c]! * sum[c]!) / n) / n;
  return Math.floor(tol * fixedOne * fixedOne * (variance / 3));
}

export interface DistinctColors {
  /** u × 3 bytes, in order of first appearance. */
  colors: Uint8Array;
  /** Points holding each distinct colour. */
  weights: Float64Array;
  /** For each point, the index of its colour in `colors`. */
  inverse: Uint32Array;
  u: number;
}

/** Above this many points a direct 2^24 table (64 MiB) beats a hash table that would grow as large anyway. */
const DIRECT_TABLE_MIN_POINTS = 1 << 20;

/**
 * The distinct points with their multiplicities. Exact k-means on them, weighted, gives the same labels, sums, centres
 * and inertia as on every point (all integer), at a fraction of the cost: photos repeat colours a lot.
 */
export function distinctColors(points: Uint8Array, n: number): DistinctColors {
  const inverse = new Uint32Array(n);
  const colors = new Uint8Array(3 * Math.min(n, 1 << 24));
  const counts = new Float64Array(Math.min(n, 1 << 24));
  let u = 0;
  const direct = n >= DIRECT_TABLE_MIN_POINTS;
  // Slots hold index + 1, 0 meaning empty. Hash: open addressing, linear probing, load factor ≤ 1/2.
  const bits = direct ? 24 : Math.max(4, Math.ceil(Math.log2(2 * n)));
  const size = 1 << bits;
  const mask = size - 1;
  const table = new Uint32Array(size);
  const keys = direct ? null : new Uint32Array(size);
  for (let i = 0; i < n; i++) {
    const key = (points[3 * i]! << 16) | (points[3 * i + 1]! << 8) | points[3 * i + 2]!;
    // Fibonacci hashing: the top bits of key · 2^32/φ spread neighbouring colours apart.
    let slot = direct ? key : Math.imul(key, 0x9e3779b1) >>> (32 - bits);
    let index: number;
    for (;;) {
      slot &= mask;
      const entry = table[slot]!;
      if (entry === 0) {
        index = u++;
        table[slot] = index + 1;
        if (keys) keys[slot] = key;
        colors[3 * index] = points[3 * i]!;
        colors[3 * index + 1] = points[3 * i + 1]!;
        colors[3 * index + 2] = points[3 * i + 2]!;
        break;
      }
      if (!keys || keys[slot] === key) {
        index = entry - 1;
        break;
      }
      slot++;
    }
    counts[index]!++;
    inverse[i] = index;
  }
  return { colors: colors.subarray(0, 3 * u), weights: counts.subarray(0, u), inverse, u };
}

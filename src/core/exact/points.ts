/**
 * From RGBA pixels to the 8-bit points the exact engine clusters, plus the two facts about them that both engines
 * must share: the channel statistics behind `tolFixed`. (The CPU's distinct colours are in `distinct.ts`.)
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
  let n = alphaThreshold === 0 ? pixelCount : 0;
  if (alphaThreshold > 0) for (let i = 3; i < 4 * pixelCount; i += 4) if (data[i]! >= alphaThreshold) n++;
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
  // Scalars, not arrays: this is a pass over every point. Sums stay below 2^53 up to 2^37 points.
  let s0 = 0, s1 = 0, s2 = 0, q0 = 0, q1 = 0, q2 = 0;
  for (let i = 0; i < 3 * n; i += 3) {
    const v0 = points[i]!, v1 = points[i + 1]!, v2 = points[i + 2]!;
    s0 += v0; s1 += v1; s2 += v2;
    q0 += v0 * v0; q1 += v1 * v1; q2 += v2 * v2;
  }
  return toleranceFromSums([s0, s1, s2], [q0, q1, q2], n, tol, fixedOne);
}

/**
 * `toleranceFixed` from the exact integer sums `Σp_i` and `Σp_i²` over the n points (each below 2^53), wherever they
 * were totalled: the GPU engine counts them on the device and gets the same `tolFixed` from this one expression.
 */
export function toleranceFromSums(
  sums: readonly number[],
  squares: readonly number[],
  n: number,
  tol: number,
  fixedOne: number,
): number {
  // The same expression, channel by channel in order, as before the sums were scalars.
  let variance = 0;
  for (let c = 0; c < 3; c++) variance += (squares[c]! - (sums[c]! * sums[c]!) / n) / n;
  return Math.floor(tol * fixedOne * fixedOne * (variance / 3));
}

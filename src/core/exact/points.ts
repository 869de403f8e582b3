/**
 * From RGBA pixels to the points the exact engine clusters, and from colours to their fixed-point coordinates, plus
 * the fact about them both engines must share: the channel statistics behind `tolFixed`. (The distinct colours are in
 * `distinct.ts`.)
 *
 * A point is kept as its pixel's 8-bit sRGB colour, whatever the colour space: the colour is the key the distinct
 * colours are counted by, and its coordinates (`writeFixedCoords`: RGB · 128, or the fixed-point OKLab code) are
 * computed once per distinct colour, not once per pixel.
 */
import { FIXED_ONE, MAX_COORD } from '../constants.js';
import type { ColorSpace, PixelImage } from '../types.js';
import { AB_OFFSET, writeOklabFixed } from '../oklab-int.js';
import { chunkFor, chunks, runSync, type Steps } from '../pace.js';

export interface ExtractedPoints {
  /** n × 3 bytes: the sRGB colour of each point. */
  points: Uint8Array;
  /** Pixel index of each point, or null when every pixel is a point (so point i is pixel i). */
  pixelIndex: Uint32Array | null;
  n: number;
}

/** Any array the coordinates of a colour can be written to. */
export type CoordsOut = { [index: number]: number };

/**
 * Writes the fixed-point coordinates of one 8-bit sRGB colour (docs/ARITHMETIC.md): `128 · (r, g, b)` in RGB, the
 * fixed-point OKLab code in OKLab. Both lie in `0 .. 255 · 128`.
 */
export function writeFixedCoords(colorSpace: ColorSpace, r: number, g: number, b: number, out: CoordsOut, o: number): void {
  if (colorSpace === 'oklab') {
    writeOklabFixed(r, g, b, out, o);
    return;
  }
  out[o] = r * FIXED_ONE;
  out[o + 1] = g * FIXED_ONE;
  out[o + 2] = b * FIXED_ONE;
}

/** The fixed-point coordinates of one 8-bit sRGB colour. */
export function colorToFixed(colorSpace: ColorSpace, r: number, g: number, b: number): [number, number, number] {
  const out: number[] = [0, 0, 0];
  writeFixedCoords(colorSpace, r, g, b, out, 0);
  return out as [number, number, number];
}

/**
 * Reported centres (`centers`: RGB in 0..1, or OKLab) back in fixed point, rounded and clamped: an exact result's
 * centres give back its integers exactly; float64 centres are rounded to the nearest 1/128 of an 8-bit step.
 */
export function floatCentersToFixed(centers: readonly (readonly number[])[], colorSpace: ColorSpace): Uint32Array {
  const offset = colorSpace === 'oklab' ? [0, AB_OFFSET, AB_OFFSET] : [0, 0, 0];
  const out = new Uint32Array(3 * centers.length);
  centers.forEach((c, j) => {
    for (let i = 0; i < 3; i++) {
      out[3 * j + i] = Math.min(MAX_COORD, Math.max(0, Math.round(c[i]! * MAX_COORD + offset[i]!)));
    }
  });
  return out;
}

/** The coordinates of `u` colours (u × 3 sRGB bytes), as u × 3 fixed-point values. */
export function fixedCoords(colors: Uint8Array, u: number, colorSpace: ColorSpace): Uint16Array {
  return runSync(fixedCoordsSteps(colors, u, colorSpace));
}

/** `fixedCoords` as steps (`pace.ts`). */
export function* fixedCoordsSteps(colors: Uint8Array, u: number, colorSpace: ColorSpace): Steps<Uint16Array> {
  const out = new Uint16Array(3 * u);
  if (colorSpace === 'rgb') {
    // `writeFixedCoords`'s RGB case, inlined: one multiplication per byte.
    yield* chunks(3 * u, chunkFor(1), (from, to) => {
      for (let i = from; i < to; i++) out[i] = colors[i]! * FIXED_ONE;
    });
    return out;
  }
  yield* chunks(u, chunkFor(40), (from, to) => {
    for (let i = from; i < to; i++) {
      writeFixedCoords(colorSpace, colors[3 * i]!, colors[3 * i + 1]!, colors[3 * i + 2]!, out, 3 * i);
    }
  });
  return out;
}

/** Keeps the pixels with `alpha ≥ alphaThreshold`, in pixel order, as their sRGB colours. */
export function extractPoints(image: PixelImage, alphaThreshold: number): ExtractedPoints {
  return runSync(extractPointsSteps(image, alphaThreshold));
}

/** `extractPoints` as steps (`pace.ts`): it yields between chunks of pixels. */
export function* extractPointsSteps(image: PixelImage, alphaThreshold: number): Steps<ExtractedPoints> {
  const { data } = image;
  const pixelCount = image.width * image.height;
  const chunk = chunkFor(4);
  let n = alphaThreshold === 0 ? pixelCount : 0;
  if (alphaThreshold > 0) {
    yield* chunks(pixelCount, 4 * chunk, (from, to) => {
      n += countOpaque(data, from, to, alphaThreshold);
    });
  }
  const points = new Uint8Array(3 * n);
  const pixelIndex = n === pixelCount ? null : new Uint32Array(n);
  const cursor = { o: 0 };
  yield* chunks(pixelCount, chunk, (from, to) => keepPoints(data, from, to, alphaThreshold, points, pixelIndex, cursor));
  return { points, pixelIndex, n };
}

function countOpaque(data: Uint8Array | Uint8ClampedArray, from: number, to: number, alphaThreshold: number): number {
  let count = 0;
  for (let i = 4 * from + 3; i < 4 * to; i += 4) if (data[i]! >= alphaThreshold) count++;
  return count;
}

/** Pixels `from .. to` with alpha ≥ alphaThreshold, appended at point `cursor.o` on. */
function keepPoints(
  data: Uint8Array | Uint8ClampedArray, from: number, to: number, alphaThreshold: number,
  points: Uint8Array, pixelIndex: Uint32Array | null, cursor: { o: number },
): void {
  let o = cursor.o;
  for (let i = from; i < to; i++) {
    const s = 4 * i;
    if (data[s + 3]! < alphaThreshold) continue;
    points[3 * o] = data[s]!;
    points[3 * o + 1] = data[s + 1]!;
    points[3 * o + 2] = data[s + 2]!;
    if (pixelIndex) pixelIndex[o] = i;
    o++;
  }
  cursor.o = o;
}

/**
 * `floor(tol · mean_i var_i(P))` over the points' fixed-point coordinates P (docs/ARITHMETIC.md), given as distinct
 * coordinates with their counts: the variance comes from exact integer sums, then one fixed float64 expression, so the
 * CPU and GPU paths (which both take it from here) stop at the same shift.
 */
export function toleranceFixed(coords: Uint16Array, weights: Float64Array, tol: number): number {
  return runSync(toleranceFixedSteps(coords, weights, tol));
}

/** 2^52: partial sums are flushed to bigints before they could pass 2^53 and stop being exact. */
const FLUSH = 2 ** 52;

/**
 * Adds `Σ w·P_i` and `Σ w·P_i²` of colours `from .. to` to `sums` (s0, s1, s2, q0, q1, q2), exactly: `w·P < 2^45`,
 * and `P²` is split into 15-bit halves so each product stays below 2^45 before the float partial sums are flushed.
 */
function addChannelSums(coords: Uint16Array, weights: Float64Array, from: number, to: number, sums: bigint[]): void {
  const s = [0, 0, 0];
  const qHi = [0, 0, 0];
  const qLo = [0, 0, 0];
  const flush = () => {
    for (let c = 0; c < 3; c++) {
      sums[c] = sums[c]! + BigInt(s[c]!);
      sums[3 + c] = sums[3 + c]! + BigInt(qHi[c]!) * 32768n + BigInt(qLo[c]!);
      s[c] = qHi[c] = qLo[c] = 0;
    }
  };
  for (let i = from; i < to; i++) {
    const w = weights[i]!;
    for (let c = 0; c < 3; c++) {
      const v = coords[3 * i + c]!;
      const square = v * v;
      const hi = Math.floor(square / 32768);
      s[c]! += w * v;
      qHi[c]! += w * hi;
      qLo[c]! += w * (square - hi * 32768);
    }
    if (s[0]! >= FLUSH || qHi[0]! >= FLUSH || qLo[0]! >= FLUSH || s[1]! >= FLUSH || qHi[1]! >= FLUSH || qLo[1]! >= FLUSH ||
      s[2]! >= FLUSH || qHi[2]! >= FLUSH || qLo[2]! >= FLUSH) flush();
  }
  flush();
}

/** `toleranceFixed` as steps (`pace.ts`): the exact sums are carried from chunk to chunk. */
export function* toleranceFixedSteps(coords: Uint16Array, weights: Float64Array, tol: number): Steps<number> {
  return toleranceFromSums(yield* channelSumsSteps(coords, weights), tol);
}

/**
 * The exact integer sums behind `tolFixed`, per channel: `Σ w·P` and `Σ w·P²`, and the points' number: what a run's
 * tolerance needs of the image, whatever its `tol`, so an image's runs compute them once.
 */
export interface ChannelSums {
  /** Σ w·P0, Σ w·P1, Σ w·P2, Σ w·P0², Σ w·P1², Σ w·P2², exact. */
  sums: readonly bigint[];
  n: number;
}

/** `ChannelSums` of the distinct colours `coords` with their counts, as steps (`pace.ts`). */
export function* channelSumsSteps(coords: Uint16Array, weights: Float64Array): Steps<ChannelSums> {
  const sums = [0n, 0n, 0n, 0n, 0n, 0n];
  const u = weights.length;
  yield* chunks(u, chunkFor(24), (from, to) => addChannelSums(coords, weights, from, to, sums));
  let n = 0;
  for (let i = 0; i < u; i++) n += weights[i]!;
  return { sums, n };
}

/** `tolFixed` for `tol` from the channel sums. */
export function toleranceFromSums({ sums, n }: ChannelSums, tol: number): number {
  // The exact integers, rounded once to float64 (exact up to 2^53), then the same expression, channel by channel.
  const [s0, s1, s2, q0, q1, q2] = sums.map(Number) as [number, number, number, number, number, number];
  let variance = 0;
  variance += (q0 - (s0 * s0) / n) / n;
  variance += (q1 - (s1 * s1) / n) / n;
  variance += (q2 - (s2 * s2) / n) / n;
  return Math.floor(tol * (variance / 3));
}

/**
 * Colour conversions in float64: hex, the sRGB transfer function, and OKLab (Björn Ottosson, 2020,
 * https://bottosson.github.io/posts/oklab/) with its published matrices.
 *
 * These are the reference maths. The clustering itself never sees floats in OKLab: it uses the integer fixed-point code of
 * `oklab-int.ts`, which the GPU reproduces bit for bit. Float OKLab is used to report centres back as colours, by
 * the float64 (scikit-learn) path, and to check the integer code.
 */

import { InvalidInputError } from './errors.js';

export type Rgb8 = [number, number, number];
export type Lab = [number, number, number];

/** Linear sRGB → LMS (rows sum to 1, all entries positive). */
export const OKLAB_M1: readonly (readonly [number, number, number])[] = [
  [0.4122214708, 0.5363325363, 0.0514459929],
  [0.2119034982, 0.6806995451, 0.1073969566],
  [0.0883024619, 0.2817188376, 0.6299787005],
];

/** Cube-rooted LMS → L, a, b. */
export const OKLAB_M2: readonly (readonly [number, number, number])[] = [
  [0.2104542553, 0.793617785, -0.0040720468],
  [1.9779984951, -2.428592205, 0.4505937099],
  [0.0259040371, 0.7827717662, -0.808675766],
];

/** L, a, b → cube-rooted LMS (the inverse of OKLAB_M2). */
const OKLAB_M2_INV: readonly (readonly [number, number, number])[] = [
  [1, 0.3963377774, 0.2158037573],
  [1, -0.1055613458, -0.0638541728],
  [1, -0.0894841775, -1.291485548],
];

/** LMS → linear sRGB (the inverse of OKLAB_M1). */
const OKLAB_M1_INV: readonly (readonly [number, number, number])[] = [
  [4.0767416621, -3.3077115913, 0.2309699292],
  [-1.2684380046, 2.6097574011, -0.3413193965],
  [-0.0041960863, -0.7034186147, 1.707614701],
];

function mul(m: readonly (readonly [number, number, number])[], x: number, y: number, z: number): Lab {
  return [
    m[0]![0] * x + m[0]![1] * y + m[0]![2] * z,
    m[1]![0] * x + m[1]![1] * y + m[1]![2] * z,
    m[2]![0] * x + m[2]![1] * y + m[2]![2] * z,
  ];
}

/** The sRGB transfer function, decoding: `v` in 0..1 (gamma-encoded) → linear light in 0..1. */
export function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** The sRGB transfer function, encoding: linear light in 0..1 → gamma-encoded 0..1 (no clamping). */
export function linearToSrgb(v: number): number {
  // Odd-symmetric so that slightly negative out-of-gamut values stay finite rather than NaN.
  const a = Math.abs(v);
  const e = a <= 0.0031308 ? a * 12.92 : 1.055 * a ** (1 / 2.4) - 0.055;
  return v < 0 ? -e : e;
}

export function linearSrgbToOklab(r: number, g: number, b: number): Lab {
  const [l, m, s] = mul(OKLAB_M1, r, g, b);
  return mul(OKLAB_M2, Math.cbrt(l), Math.cbrt(m), Math.cbrt(s));
}

export function oklabToLinearSrgb(L: number, a: number, b: number): Lab {
  const [l, m, s] = mul(OKLAB_M2_INV, L, a, b);
  return mul(OKLAB_M1_INV, l * l * l, m * m * m, s * s * s);
}

/** 8-bit sRGB → OKLab `[L, a, b]` in float64. */
export function srgb8ToOklab(r: number, g: number, b: number): Lab {
  return linearSrgbToOklab(srgbToLinear(r / 255), srgbToLinear(g / 255), srgbToLinear(b / 255));
}

/** Rounds a 0..1 channel to 8 bits, clamping out-of-range values (out-of-gamut OKLab centres land here). */
export function unitToByte(v: number): number {
  const x = Math.round(v * 255);
  // `<= 0` also turns Math.round's -0 into 0.
  return x <= 0 ? 0 : x > 255 ? 255 : x;
}

/** OKLab → 8-bit sRGB, rounded and clamped to the gamut's cube. */
export function oklabToSrgb8(L: number, a: number, b: number): Rgb8 {
  const [r, g, bl] = oklabToLinearSrgb(L, a, b);
  return [unitToByte(linearToSrgb(r)), unitToByte(linearToSrgb(g)), unitToByte(linearToSrgb(bl))];
}

/** `[r, g, b]` bytes → `'#rrggbb'` (lower case, as matplotlib's `to_hex` in the notebook). */
export function rgbToHex(rgb: readonly [number, number, number]): string {
  let s = '#';
  for (const v of rgb) s += v.toString(16).padStart(2, '0');
  return s;
}

/** A colour with 0..1 channels (the notebook's centres) as `'#rrggbb'`, like matplotlib's `to_hex`. */
export function unitRgbToHex(rgb: readonly number[]): string {
  return rgbToHex([unitToByte(rgb[0]!), unitToByte(rgb[1]!), unitToByte(rgb[2]!)]);
}

/** `'#rrggbb'` or `'#rgb'` → bytes. Throws InvalidInputError on anything else. */
export function hexToRgb(hex: string): Rgb8 {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new InvalidInputError(`Not a hex colour: ${JSON.stringify(hex)}`);
  let h = m[1]!;
  if (h.length === 3) h = h[0]! + h[0]! + h[1]! + h[1]! + h[2]! + h[2]!;
  const n = parseInt(h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

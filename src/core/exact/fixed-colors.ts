/**
 * Locked colours (`fixed`): m 8-bit sRGB colours that are centres 0 .. m−1 of every run and never move; k-means++
 * seeds the other k − m around them (docs/ARITHMETIC.md, "Fixed centres"). Here the option is read and checked, and the
 * locked colours become centres (through points.ts's conversion, the pixels' own).
 */
import { hexToRgb, rgbToHex, type Rgb8 } from '../color.js';
import { InvalidOptionError } from '../errors.js';
import type { ColorSpace, PixelKMeansResult } from '../types.js';
import { writeFixedCoords } from './points.js';

/**
 * The m locked colours as m × 3 fixed-point coordinates, the first centres of every seeding: each exactly where a pixel
 * of that colour is (`writeFixedCoords`, the one conversion from sRGB to engine coordinates, `colorToFixed` of
 * points.ts for one colour).
 */
export function fixedCenters(fixed: readonly Rgb8[], colorSpace: ColorSpace): Uint32Array {
  const out = new Uint32Array(3 * fixed.length);
  fixed.forEach(([r, g, b], j) => writeFixedCoords(colorSpace, r, g, b, out, 3 * j));
  return out;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}

function readColor(value: unknown, index: number): Rgb8 {
  if (typeof value === 'string') {
    try {
      return hexToRgb(value);
    } catch {
      // Reported below with the option's name.
    }
  } else if (
    Array.isArray(value) &&
    value.length === 3 &&
    value.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255)
  ) {
    return [value[0], value[1], value[2]];
  }
  throw new InvalidOptionError(
    `fixed[${index}] must be an 8-bit sRGB colour, [r, g, b] integers 0–255 or '#rrggbb', got ${describe(value)}.`,
  );
}

/**
 * The `fixed` option, checked: a list of 8-bit sRGB colours (`[r, g, b]` or `'#rrggbb'`/`'#rgb'`), at most `k` once
 * duplicates are merged (a colour given twice is one locked centre). Throws InvalidOptionError otherwise.
 */
export function resolveFixedColors(fixed: unknown, k: number): Rgb8[] {
  if (fixed === undefined || fixed === null) return [];
  if (!Array.isArray(fixed)) {
    throw new InvalidOptionError(`fixed must be a list of colours ([r, g, b] or '#rrggbb'), got ${describe(fixed)}.`);
  }
  const seen = new Set<string>();
  const colors: Rgb8[] = [];
  fixed.forEach((value: unknown, i) => {
    const rgb = readColor(value, i);
    const hex = rgbToHex(rgb);
    if (seen.has(hex)) return;
    seen.add(hex);
    colors.push(rgb);
  });
  if (colors.length > k) {
    throw new InvalidOptionError(`fixed holds ${colors.length} distinct colours; k = ${k} clusters can hold at most ${k}.`);
  }
  return colors;
}

/**
 * A result whose first `fixed.length` clusters are the locked colours: they report the locked sRGB colour itself
 * (in OKLab the centre is the colour's code, whose float64 decoding can land one 8-bit step away) and `fixedCount`.
 */
export function withFixedColors(result: PixelKMeansResult, fixed: readonly Rgb8[] | undefined): PixelKMeansResult {
  const m = fixed?.length ?? 0;
  if (m === 0) return { ...result, fixedCount: 0 };
  const rgb = result.rgb.map((c, j): Rgb8 => (j < m ? [...fixed![j]!] : c));
  return { ...result, rgb, fixedCount: m };
}

/**
 * WCAG 2.x contrast (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio): relative luminance, the contrast ratio, the
 * conformance level a ratio reaches, and the text colour that reads best on each swatch of a palette.
 */
import { srgbToLinear, rgbToHex, type Rgb8 } from './color.js';

export type WcagLevel = 'AAA' | 'AA' | 'AA large' | 'fail';

/** The text colour chosen for a background, with what it achieves. */
export interface TextColor {
  hex: string;
  rgb: Rgb8;
  /** Contrast ratio against the background, 1..21, unrounded (WCAG forbids rounding up to a threshold). */
  ratio: number;
  level: WcagLevel;
  /** Plain black or white, or one of the palette's own colours (its darkest or lightest). */
  source: 'black' | 'white' | 'palette';
}

type RgbLike = readonly [number, number, number];

const BLACK: Rgb8 = [0, 0, 0];
const WHITE: Rgb8 = [255, 255, 255];

/**
 * Relative luminance Y of an 8-bit sRGB colour, 0..1. WCAG 2.0 put the transfer function's knee at 0.03928, later
 * versions at sRGB's 0.04045; no 8-bit value (10/255 = 0.0392, 11/255 = 0.0431) lies between them.
 */
export function relativeLuminance([r, g, b]: readonly [number, number, number]): number {
  return 0.2126 * srgbToLinear(r / 255) + 0.7152 * srgbToLinear(g / 255) + 0.0722 * srgbToLinear(b / 255);
}

/** (L1 + 0.05) / (L2 + 0.05) with L1 the lighter colour: 1 (same luminance) to 21 (black on white). */
export function contrastRatio(a: readonly [number, number, number], b: readonly [number, number, number]): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The level a ratio meets for text (SC 1.4.3 and 1.4.6): AAA ≥ 7, AA ≥ 4.5, AA for large text only ≥ 3. */
export function wcagLevel(ratio: number): WcagLevel {
  return ratio >= 7 ? 'AAA' : ratio >= 4.5 ? 'AA' : ratio >= 3 ? 'AA large' : 'fail';
}

/** `4.48:1`: two decimals, truncated, so that 4.499 never reads as a passing 4.50. */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 100 + 1e-9) / 100).toFixed(2)}:1`;
}

const LEVEL_RANK: Record<WcagLevel, number> = { fail: 0, 'AA large': 1, AA: 2, AAA: 3 };

function candidate(background: RgbLike, rgb: RgbLike, source: TextColor['source']): TextColor {
  const ratio = contrastRatio(background, rgb);
  return { hex: rgbToHex(rgb), rgb: [rgb[0], rgb[1], rgb[2]], ratio, level: wcagLevel(ratio), source };
}

/**
 * The text colour that reads best on `background`: black or white, whichever contrasts more; or, where a palette is
 * given, its own darkest or lightest colour when that reaches the same WCAG level (no colour can contrast more than
 * black or white, so "reads as well" is judged by level: a palette's own dark brown on its cream is kept when both
 * it and black are AAA). A level of `fail` is never traded for a palette colour.
 */
export function bestTextColor(background: RgbLike, palette: readonly { rgb: RgbLike }[] = []): TextColor {
  const black = candidate(background, BLACK, 'black');
  const white = candidate(background, WHITE, 'white');
  const plain = black.ratio >= white.ratio ? black : white;
  if (plain.level === 'fail' || palette.length === 0) return plain;
  // The palette colour on the same side as the plain choice: its darkest for black, its lightest for white.
  let own: RgbLike | undefined;
  let ownY = plain === black ? Infinity : -Infinity;
  for (const { rgb } of palette) {
    const y = relativeLuminance(rgb);
    if (plain === black ? y < ownY : y > ownY) [own, ownY] = [rgb, y];
  }
  if (!own) return plain;
  const mine = candidate(background, own, 'palette');
  return LEVEL_RANK[mine.level] >= LEVEL_RANK[plain.level] ? mine : plain;
}

/** For each swatch, the text colour that reads best on it, drawn from black, white and the palette's own extremes. */
export function paletteTextColors(colors: readonly { rgb: RgbLike }[], usePalette = true): TextColor[] {
  return colors.map(({ rgb }) => bestTextColor(rgb, usePalette ? colors : []));
}

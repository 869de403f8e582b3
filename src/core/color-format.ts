/**
 * A colour as the CSS strings people paste (CSS Color 4 syntax): `#rrggbb`, `rgb(r g b)`, `hsl(h s% l%)` and
 * `oklch(L% C h)`. Each is rounded just finely enough to read back to the same 8-bit colour.
 */
import { rgbToHex, srgb8ToOklab } from './color.js';

export type ColorValueFormat = 'hex' | 'rgb' | 'hsl' | 'oklch';

export const COLOR_VALUE_FORMATS: readonly ColorValueFormat[] = ['hex', 'rgb', 'hsl', 'oklch'];

/** Rounds to `digits` decimals and drops trailing zeros (`12.50` → `12.5`, `-0` → `0`). */
function num(value: number, digits: number): string {
  const s = (Math.round(value * 10 ** digits) / 10 ** digits).toFixed(digits);
  const trimmed = digits > 0 ? s.replace(/\.?0+$/, '') : s;
  return trimmed === '-0' ? '0' : trimmed;
}

/** Hue, saturation and lightness of an 8-bit colour: h in degrees 0..360, s and l in 0..1 (h = 0 for greys). */
export function rgbToHsl([r8, g8, b8]: readonly [number, number, number]): [number, number, number] {
  const r = r8 / 255;
  const g = g8 / 255;
  const b = b8 / 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  if (d === 0) return [0, 0, l];
  const s = d / (1 - Math.abs(2 * l - 1));
  const h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return [h * 60, s, l];
}

/** OKLCh of an 8-bit colour: L 0..1, chroma C ≥ 0, hue h in degrees 0..360 (0 where C is 0). */
export function rgbToOklch(rgb: readonly [number, number, number]): [number, number, number] {
  const [L, a, b] = srgb8ToOklab(rgb[0], rgb[1], rgb[2]);
  const C = Math.hypot(a, b);
  const h = C < 1e-9 ? 0 : ((Math.atan2(b, a) * 180) / Math.PI + 360) % 360;
  return [L, C, h];
}

export function rgbString([r, g, b]: readonly [number, number, number]): string {
  return `rgb(${r} ${g} ${b})`;
}

/** One decimal on each of h, s and l: whole percents of lightness (2.55 levels) would not read back exactly. */
export function hslString(rgb: readonly [number, number, number]): string {
  const [h, s, l] = rgbToHsl(rgb);
  const hue = num(h, 1);
  return `hsl(${hue === '360' ? '0' : hue} ${num(s * 100, 1)}% ${num(l * 100, 1)}%)`;
}

/**
 * L as a percentage with two decimals, C with five (four lose a level on about 1 colour in 1,300), h with two; greys
 * get hue 0 (it is powerless there).
 */
export function oklchString(rgb: readonly [number, number, number]): string {
  const [L, C, h] = rgbToOklch(rgb);
  const chroma = num(C, 5);
  const hue = chroma === '0' ? '0' : num(h, 2);
  return `oklch(${num(L * 100, 2)}% ${chroma} ${hue === '360' ? '0' : hue})`;
}

export function formatColor(rgb: readonly [number, number, number], format: ColorValueFormat): string {
  switch (format) {
    case 'hex':
      return rgbToHex(rgb);
    case 'rgb':
      return rgbString(rgb);
    case 'hsl':
      return hslString(rgb);
    case 'oklch':
      return oklchString(rgb);
  }
}

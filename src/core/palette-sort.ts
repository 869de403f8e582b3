/** Orders a palette by share (the engine's order), by hue around the OKLCh wheel, or by OKLab lightness. */
import { rgbToOklch } from './color-format.js';
import { GREY_CHROMA } from './color-names.js';

export type PaletteSort = 'share' | 'hue' | 'lightness';

export const PALETTE_SORTS: readonly PaletteSort[] = ['share', 'hue', 'lightness'];

interface Sortable {
  rgb: readonly [number, number, number];
  fraction: number;
}

/**
 * A sorted copy (the input is left as it is); ties keep the input's order.
 * - `'share'`: largest share first.
 * - `'hue'`: chromatic colours by OKLCh hue from 0° (pinkish red) round the wheel, then greys (chroma below
 *   `GREY_CHROMA`, whose hue means nothing), darkest first.
 * - `'lightness'`: OKLab L, darkest first.
 */
export function sortPalette<T extends Sortable>(colors: readonly T[], by: PaletteSort = 'share'): T[] {
  if (by === 'share') return [...colors].sort((a, b) => b.fraction - a.fraction);
  const keyed = colors.map((color) => {
    const [L, C, h] = rgbToOklch(color.rgb);
    return { color, L, grey: C < GREY_CHROMA, h };
  });
  if (by === 'lightness') keyed.sort((a, b) => a.L - b.L);
  else keyed.sort((a, b) => Number(a.grey) - Number(b.grey) || (a.grey ? 0 : a.h - b.h) || a.L - b.L);
  return keyed.map((k) => k.color);
}

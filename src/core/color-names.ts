/**
 * Everyday names for colours (`orange`, `blue`, `gray` …) from their OKLCh hue, lightness and chroma, for exports
 * that name colours (Tailwind keys, CSS variables): good enough to tell swatches apart, not a colour-naming model.
 */
import { rgbToOklch } from './color-format.js';

/** Below this OKLCh chroma a colour reads as grey (a warm grey such as #8a8580 has C ≈ 0.01, beige #f5f5dc 0.03). */
export const GREY_CHROMA = 0.02;

/** Reference hues (OKLCh degrees) of the named families; a colour takes the nearest. */
const HUES: readonly (readonly [string, number])[] = [
  ['red', 29],
  ['orange', 62],
  ['yellow', 105],
  ['green', 142],
  ['cyan', 195],
  ['blue', 260],
  ['violet', 295],
  ['magenta', 328],
  ['pink', 355],
];

function hueDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}

/**
 * One word for a colour: a hue family, `brown` for dark oranges and yellows, or `white` (creams too), `gray` or
 * `black`.
 */
export function colorName(rgb: readonly [number, number, number]): string {
  const [L, C, h] = rgbToOklch(rgb);
  if (C < GREY_CHROMA) return L > 0.95 ? 'white' : L < 0.25 ? 'black' : 'gray';
  // Creams and ivories read as off-white, not as pale yellow.
  if (L > 0.9 && C < 0.04) return 'white';
  let best = HUES[0]!;
  for (const entry of HUES) if (hueDistance(h, entry[1]) < hueDistance(h, best[1])) best = entry;
  if ((best[0] === 'orange' || best[0] === 'yellow') && L < 0.6) return 'brown';
  return best[0];
}

/**
 * A name for each colour, unique within the palette: `palette-1`, `palette-2` … (`'index'`), or hue names with a
 * number from the second of a kind on (`orange`, `blue`, `orange-2`) (`'hue'`). Names are CSS identifiers.
 */
export function paletteNames(
  colors: readonly { rgb: readonly [number, number, number] }[],
  naming: 'index' | 'hue' = 'index',
  prefix = 'palette',
): string[] {
  if (naming === 'index') return colors.map((_, i) => `${prefix}-${i + 1}`);
  const seen = new Map<string, number>();
  return colors.map(({ rgb }) => {
    const name = colorName(rgb);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}-${n}`;
  });
}

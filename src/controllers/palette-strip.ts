/**
 * The geometry of a palette drawn as a strip: one rectangle per colour, as wide as its share, with its hex value where
 * the label fits. Pure, so that the SVG export and the PNG drawing share it and it can be tested without a canvas.
 */
import { bestTextColor } from '../core/contrast.js';
import { InvalidOptionError } from '../core/errors.js';
import type { PaletteColor } from '../core/types.js';

export interface StripOptions {
  /** Width in pixels, at least one per colour. Default 800. */
  width?: number;
  /** Height in pixels. Default 160. */
  height?: number;
  /** Draw each colour's hex value on it (where it fits). Default true. */
  labels?: boolean;
  /** Label size in pixels. Default 14. */
  fontSize?: number;
}

export interface StripLabel {
  text: string;
  /** The label's centre, horizontally. */
  x: number;
  /** The label's baseline. */
  y: number;
  /** Black or white, whichever contrasts more with the swatch. */
  color: string;
}

export interface StripSwatch {
  x: number;
  y: number;
  width: number;
  height: number;
  color: PaletteColor;
  label?: StripLabel;
}

export interface StripLayout {
  width: number;
  height: number;
  fontSize: number;
  swatches: StripSwatch[];
}

/** A monospace digit is about 0.6 em wide; `#rrggbb` is seven of them, plus a little room either side. */
export function labelWidth(fontSize: number): number {
  return Math.ceil(fontSize * 0.6 * 7 + fontSize);
}

function size(name: string, value: number | undefined, fallback: number, min: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > 16384) {
    throw new InvalidOptionError(`${name} must be a whole number of pixels from ${min} to 16384, got ${v}.`);
  }
  return v;
}

/**
 * Whole-pixel widths that add up to `total`, in proportion to the fractions: each within a pixel of its share
 * (largest remainder), except that a colour under a pixel still gets one, taken from the widest, so none vanishes.
 * Equal shares where every fraction is zero.
 */
export function stripWidths(fractions: readonly number[], total: number): number[] {
  const n = fractions.length;
  if (n === 0) return [];
  const sum = fractions.reduce((s, f) => s + Math.max(0, f), 0);
  const exact = fractions.map((f) => (sum > 0 ? Math.max(0, f) / sum : 1 / n) * total);
  const widths = exact.map(Math.floor);
  let left = total - widths.reduce((s, w) => s + w, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let j = 0; left > 0; j++, left--) widths[order[j]![1]]! += 1;
  for (let i = 0; i < n; i++) {
    if (widths[i]! > 0) continue;
    widths[i] = 1;
    widths[widths.indexOf(Math.max(...widths))]! -= 1;
  }
  return widths;
}

export function paletteStripLayout(colors: readonly PaletteColor[], options: StripOptions = {}): StripLayout {
  const height = size('height', options.height, 160, 1);
  const width = size('width', options.width, 800, Math.max(1, colors.length));
  const fontSize = size('fontSize', options.fontSize, 14, 1);
  const labels = options.labels ?? true;
  const widths = stripWidths(
    colors.map((c) => c.fraction),
    width,
  );
  let x = 0;
  const swatches = colors.map((color, i): StripSwatch => {
    const w = widths[i]!;
    const swatch: StripSwatch = { x, y: 0, width: w, height, color };
    if (labels && w >= labelWidth(fontSize) && height >= fontSize * 2) {
      const text = bestTextColor(color.rgb);
      swatch.label = { text: color.hex, x: x + w / 2, y: height - Math.round(fontSize * 0.8), color: text.hex };
    }
    x += w;
    return swatch;
  });
  return { width, height, fontSize, swatches };
}

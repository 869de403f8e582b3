/** The palette as text people paste elsewhere: a hex list, CSS custom properties, JSON, a GIMP palette. */
import type { PaletteColor } from '../core/types.js';

export type CopyFormat = 'hex' | 'css' | 'json';

export function hexList(colors: readonly PaletteColor[]): string {
  return colors.map((c) => c.hex).join('\n');
}

/** `--palette-1: #aabbcc;` … in a `:root` rule, largest share first. */
export function cssCustomProperties(colors: readonly PaletteColor[], prefix = 'palette'): string {
  const lines = colors.map((c, i) => `  --${prefix}-${i + 1}: ${c.hex};`);
  return `:root {\n${lines.join('\n')}\n}`;
}

export function paletteJson(colors: readonly PaletteColor[]): string {
  const rounded = colors.map(({ hex, rgb, count, fraction }) => ({
    hex,
    rgb,
    count,
    fraction: Math.round(fraction * 1e4) / 1e4,
  }));
  return JSON.stringify(rounded, null, 2);
}

export function formatPalette(colors: readonly PaletteColor[], format: CopyFormat): string {
  return format === 'hex' ? hexList(colors) : format === 'css' ? cssCustomProperties(colors) : paletteJson(colors);
}

/** A GIMP palette (`.gpl`), also read by Inkscape, Krita and Aseprite. */
export function gimpPalette(colors: readonly PaletteColor[], name: string): string {
  const safeName = name.replace(/[\r\n]/g, ' ').slice(0, 80) || 'Palette';
  const rows = colors.map(({ rgb: [r, g, b], hex, fraction }) => {
    const pad = (v: number) => String(v).padStart(3, ' ');
    return `${pad(r)} ${pad(g)} ${pad(b)}\t${hex} ${(fraction * 100).toFixed(1)}%`;
  });
  return ['GIMP Palette', `Name: ${safeName}`, 'Columns: 0', '#', ...rows, ''].join('\n');
}

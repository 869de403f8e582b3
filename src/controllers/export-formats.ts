/**
 * The palette in the formats people take elsewhere: text to paste (hex list, CSS custom properties, SCSS variables, a
 * Tailwind `colors` object, JSON, a GIMP palette, an SVG strip) and an Adobe `.ase` file. DOM-free; the PNG strip,
 * which needs a canvas, is in `export-binary.ts`.
 */
import { paletteNames } from '../core/color-names.js';
import { InvalidOptionError } from '../core/errors.js';
import type { PaletteColor } from '../core/types.js';
import { encodeAse } from './ase.js';
import { paletteStripLayout, type StripOptions } from './palette-strip.js';

export type ExportFormat = 'hex' | 'css' | 'scss' | 'tailwind' | 'json' | 'gpl' | 'svg' | 'ase' | 'png';
/** The formats that are text, to copy or to download. */
export type TextExportFormat = 'hex' | 'css' | 'scss' | 'tailwind' | 'json' | 'gpl' | 'svg';
/** What `exportPalette` makes without a canvas: every format but the PNG strip. */
export type DataExportFormat = TextExportFormat | 'ase';
/** The formats the element's copy buttons offer (kept for the element; any text format can be copied). */
export type CopyFormat = TextExportFormat;

export interface ExportFormatInfo {
  /** For people: "Copied CSS custom properties", "Downloaded the GIMP palette". */
  name: string;
  /** File extension without the dot. */
  extension: string;
  /** What comes after the base name in a download's file name (formats sharing an extension differ here). */
  fileSuffix: string;
  mime: string;
  kind: 'text' | 'binary';
}

export const EXPORT_FORMATS: Readonly<Record<ExportFormat, ExportFormatInfo>> = {
  hex: { name: 'hex list', extension: 'txt', fileSuffix: '.txt', mime: 'text/plain', kind: 'text' },
  css: { name: 'CSS custom properties', extension: 'css', fileSuffix: '.css', mime: 'text/css', kind: 'text' },
  scss: { name: 'SCSS variables', extension: 'scss', fileSuffix: '.scss', mime: 'text/x-scss', kind: 'text' },
  tailwind: {
    name: 'Tailwind colors',
    extension: 'json',
    fileSuffix: '.tailwind.json',
    mime: 'application/json',
    kind: 'text',
  },
  json: { name: 'JSON', extension: 'json', fileSuffix: '.json', mime: 'application/json', kind: 'text' },
  gpl: { name: 'GIMP palette', extension: 'gpl', fileSuffix: '.gpl', mime: 'application/x-gimp-palette', kind: 'text' },
  svg: { name: 'SVG image', extension: 'svg', fileSuffix: '.svg', mime: 'image/svg+xml', kind: 'text' },
  ase: {
    name: 'Adobe swatches (.ase)',
    extension: 'ase',
    fileSuffix: '.ase',
    mime: 'application/octet-stream',
    kind: 'binary',
  },
  png: { name: 'PNG image', extension: 'png', fileSuffix: '.png', mime: 'image/png', kind: 'binary' },
};

export const EXPORT_FORMAT_LIST = Object.keys(EXPORT_FORMATS) as ExportFormat[];

export interface ExportOptions {
  /** The palette's name: GIMP's `Name:` line, the SVG's title. Default `'Palette'`. */
  name?: string;
  /** How CSS, SCSS and Tailwind name colours: `palette-1`, `palette-2` … (default) or by hue (`orange`, `blue`). */
  naming?: 'index' | 'hue';
  /** The stem of index names, a CSS identifier. Default `'palette'`. */
  prefix?: string;
  /** Size and labels of the SVG and PNG strips. */
  strip?: StripOptions;
}

/** `palette.css`, `palette.tailwind.json` …: a download's file name. */
export function exportFileName(base: string, format: ExportFormat): string {
  return `${base || 'palette'}${EXPORT_FORMATS[format].fileSuffix}`;
}

function names(colors: readonly PaletteColor[], options: ExportOptions): string[] {
  const prefix = options.prefix ?? 'palette';
  if (!/^[a-zA-Z_][a-zA-Z0-9_-]*$/.test(prefix)) {
    throw new InvalidOptionError(`prefix must be a CSS identifier (letters, digits, - and _), got ${JSON.stringify(prefix)}.`);
  }
  return paletteNames(colors, options.naming ?? 'index', prefix);
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

export function hexList(colors: readonly PaletteColor[]): string {
  return colors.map((c) => c.hex).join('\n');
}

/** `--palette-1: #aabbcc;` … in a `:root` rule, in the palette's order. */
export function cssCustomProperties(
  colors: readonly PaletteColor[],
  prefix: string | ExportOptions = 'palette',
): string {
  const options = typeof prefix === 'string' ? { prefix } : prefix;
  const keys = names(colors, options);
  const lines = colors.map((c, i) => `  --${keys[i]}: ${c.hex};`);
  return `:root {\n${lines.join('\n')}\n}`;
}

/** `$palette-1: #aabbcc; // 32.1%` …, one variable a line. */
export function scssVariables(colors: readonly PaletteColor[], options: ExportOptions = {}): string {
  const keys = names(colors, options);
  return colors.map((c, i) => `$${keys[i]}: ${c.hex}; // ${percent(c.fraction)}`).join('\n');
}

/**
 * A Tailwind `colors` object, as JSON (so also a JavaScript object literal): `{ "palette-1": "#aabbcc", … }`, for
 * `theme.extend.colors` in `tailwind.config.js`, which then gives `bg-palette-1`, `text-palette-2` ….
 */
export function tailwindColors(colors: readonly PaletteColor[], options: ExportOptions = {}): string {
  const keys = names(colors, options);
  return JSON.stringify(Object.fromEntries(colors.map((c, i) => [keys[i], c.hex])), null, 2);
}

/** Each colour's hex, rgb, pixel count and share (`fraction`, 0..1, four decimals). */
export function paletteJson(colors: readonly PaletteColor[]): string {
  const rounded = colors.map(({ hex, rgb, count, fraction }) => ({
    hex,
    rgb,
    count,
    fraction: Math.round(fraction * 1e4) / 1e4,
  }));
  return JSON.stringify(rounded, null, 2);
}

/** A GIMP palette (`.gpl`), also read by Inkscape, Krita and Aseprite. */
export function gimpPalette(colors: readonly PaletteColor[], name: string): string {
  const safeName = name.replace(/[\r\n]/g, ' ').slice(0, 80) || 'Palette';
  const rows = colors.map(({ rgb: [r, g, b], hex, fraction }) => {
    const pad = (v: number) => String(v).padStart(3, ' ');
    return `${pad(r)} ${pad(g)} ${pad(b)}\t${hex} ${percent(fraction)}`;
  });
  return ['GIMP Palette', `Name: ${safeName}`, 'Columns: 0', '#', ...rows, ''].join('\n');
}

/** Text safe in XML character data and attribute values (also drops the control characters XML 1.0 forbids). */
function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The palette as an SVG strip: one rectangle per colour, as wide as its share, labelled with its hex value. */
export function paletteSvg(colors: readonly PaletteColor[], options: ExportOptions = {}): string {
  const { width, height, fontSize, swatches } = paletteStripLayout(colors, options.strip);
  const title = `${options.name || 'Palette'}: ${colors.length} colours`;
  const body = swatches.flatMap(({ x, y, width: w, height: h, color, label }) => {
    const tip = `<title>${color.hex} ${percent(color.fraction)}</title>`;
    const rect = `  <rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${color.hex}">${tip}</rect>`;
    if (!label) return [rect];
    return [
      rect,
      `  <text x="${label.x}" y="${label.y}" fill="${label.color}" text-anchor="middle">${xml(label.text)}</text>`,
    ];
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `  <title>${xml(title)}</title>`,
    `  <g font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="${fontSize}">`,
    ...body.map((line) => `  ${line}`),
    '  </g>',
    '</svg>',
    '',
  ].join('\n');
}

/** Adobe Swatch Exchange: each colour as an RGB swatch named by its hex value. */
export function paletteAse(colors: readonly PaletteColor[]): Uint8Array {
  return encodeAse(colors.map(({ hex, rgb }) => ({ name: hex, rgb })));
}

export function exportPalette(
  colors: readonly PaletteColor[],
  format: TextExportFormat,
  options?: ExportOptions,
): string;
export function exportPalette(colors: readonly PaletteColor[], format: 'ase', options?: ExportOptions): Uint8Array;
export function exportPalette(
  colors: readonly PaletteColor[],
  format: DataExportFormat,
  options?: ExportOptions,
): string | Uint8Array;
/** The palette in `format`: a string for text formats, bytes for `.ase`. The PNG strip is `exportPaletteBlob`'s. */
export function exportPalette(
  colors: readonly PaletteColor[],
  format: DataExportFormat,
  options: ExportOptions = {},
): string | Uint8Array {
  switch (format) {
    case 'hex':
      return hexList(colors);
    case 'css':
      return cssCustomProperties(colors, options);
    case 'scss':
      return scssVariables(colors, options);
    case 'tailwind':
      return tailwindColors(colors, options);
    case 'json':
      return paletteJson(colors);
    case 'gpl':
      return gimpPalette(colors, options.name ?? 'Palette');
    case 'svg':
      return paletteSvg(colors, options);
    case 'ase':
      return paletteAse(colors);
    default:
      throw new InvalidOptionError(`Unknown export format ${JSON.stringify(format)}.`);
  }
}

/** The element's copy buttons: any text format, with the default options. */
export function formatPalette(colors: readonly PaletteColor[], format: CopyFormat): string {
  return exportPalette(colors, format);
}

/**
 * The CLI's outputs. One record per image, in the order the images were named; failures are reported on stderr
 * and, in json and ndjson, as records with an `error`.
 */
import { basename } from 'node:path';
import type { PaletteColor } from '../core/types.js';
import { cssCustomProperties, gimpPalette } from '../controllers/export-formats.js';
import type { Format } from './args.js';

export interface ImageRecord {
  file: string;
  width: number;
  height: number;
  sampleWidth: number;
  sampleHeight: number;
  k: number;
  seed: number;
  colorSpace: string;
  arithmetic: string;
  backend: string;
  adapter: string;
  iterations: number;
  converged: boolean;
  inertia: number;
  pixelsUsed: number;
  colors: PaletteColor[];
  /** The recoloured PNG, with `--recolor`. */
  recolored?: string;
  ms: number;
}

export interface FailureRecord {
  file: string;
  error: { code: string; message: string };
}

export type OutputRecord = ImageRecord | FailureRecord;

export const isFailure = (r: OutputRecord): r is FailureRecord => 'error' in r;

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

function jsonRecord(r: OutputRecord): object {
  if (isFailure(r)) return r;
  const { ms, ...rest } = r;
  return { ...rest, colors: r.colors.map((c) => ({ ...c, fraction: round4(c.fraction) })), ms: Math.round(ms) };
}

export function ndjsonLine(r: OutputRecord): string {
  return `${JSON.stringify(jsonRecord(r))}\n`;
}

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** A name for CSS selectors and palette titles: the file name without folders. */
const shortName = (file: string) => basename(file.split('?')[0]!) || file;

function cssBlock(r: ImageRecord, single: boolean): string {
  const rule = cssCustomProperties(r.colors);
  if (single) return `/* ${r.file.replace(/\*\//g, '* /')} */\n${rule}\n`;
  const selector = `[data-palette="${shortName(r.file).replace(/["\\]/g, '\\$&')}"]`;
  return `/* ${r.file.replace(/\*\//g, '* /')} */\n${rule.replace(/^:root/, selector)}\n`;
}

const swatch = (hex: string, color: boolean) => {
  if (!color) return '';
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `\x1b[48;2;${r};${g};${b}m  \x1b[0m `;
};

/**
 * One GIMP palette: an image's palette as it is; several images as one palette with a row of swatches per image
 * (`Columns` = the largest k) and a `# file` comment before each row, so GIMP, Inkscape and Krita open it as is.
 */
function gpl(records: ImageRecord[]): string {
  if (records.length === 1) return gimpPalette(records[0]!.colors, shortName(records[0]!.file));
  const columns = Math.max(0, ...records.map((r) => r.colors.length));
  const rows = records.flatMap((r) => [
    `# ${r.file.replace(/[\r\n]/g, ' ')}`,
    ...r.colors.map(({ rgb: [red, green, blue], hex, fraction }) => {
      const pad = (v: number) => String(v).padStart(3, ' ');
      return `${pad(red)} ${pad(green)} ${pad(blue)}\t${shortName(r.file)} ${hex} ${(fraction * 100).toFixed(1)}%`;
    }),
  ]);
  return ['GIMP Palette', `Name: palette-extractor (${records.length} images)`, `Columns: ${columns}`, '#', ...rows, ''].join(
    '\n',
  );
}

function table(records: ImageRecord[], color: boolean): string {
  const lines: string[] = [];
  for (const r of records) {
    lines.push(`${r.file}  ${r.width}×${r.height} → ${r.sampleWidth}×${r.sampleHeight}, k=${r.k}, ${r.backend}`);
    for (const c of r.colors) {
      lines.push(`  ${swatch(c.hex, color)}${c.hex}  ${(c.fraction * 100).toFixed(1).padStart(5)}%`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** The whole output for the formats written at the end (all but ndjson, which streams). */
export function formatAll(records: OutputRecord[], format: Format, color = false): string {
  const ok = records.filter((r): r is ImageRecord => !isFailure(r));
  switch (format) {
    case 'table':
      return table(ok, color);
    case 'json':
      return `${JSON.stringify(records.map(jsonRecord), null, 2)}\n`;
    case 'ndjson':
      return records.map(ndjsonLine).join('');
    case 'csv': {
      const header = 'file,rank,hex,r,g,b,count,fraction';
      const rows = ok.flatMap((r) =>
        r.colors.map((c, i) => [csvField(r.file), i + 1, c.hex, ...c.rgb, c.count, round4(c.fraction)].join(',')),
      );
      return `${[header, ...rows].join('\n')}\n`;
    }
    case 'css':
      return ok.map((r) => cssBlock(r, ok.length === 1)).join('\n');
    case 'gpl':
      return gpl(ok);
  }
}

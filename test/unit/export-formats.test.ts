import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DOMParser, onWarningStopParsing } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { hexToRgb } from '../../src/core/color.js';
import { contrastRatio } from '../../src/core/contrast.js';
import { InvalidOptionError } from '../../src/core/errors.js';
import type { PaletteColor } from '../../src/core/types.js';
import { encodeAse } from '../../src/controllers/ase.js';
import { exportPaletteBlob } from '../../src/controllers/export-binary.js';
import {
  EXPORT_FORMAT_LIST,
  EXPORT_FORMATS,
  exportFileName,
  exportPalette,
  formatPalette,
  gimpPalette,
  type DataExportFormat,
} from '../../src/controllers/export-formats.js';
import { readAse } from '../helpers/ase-reader.js';

const require = createRequire(import.meta.url);
// ase-utils: an independent .ase decoder (and a sample file made by Adobe software), to check ours against.
const aseUtils = require('ase-utils') as { decode(buffer: Buffer): { colors: { name: string; model: string; color: number[] }[] } };

function palette(hexes: string[], counts: number[]): PaletteColor[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return hexes.map((hex, i) => ({ hex, rgb: hexToRgb(hex), count: counts[i]!, fraction: counts[i]! / total }));
}

const COLORS = palette(['#926c4e', '#1e3a5f', '#f4ecd8', '#c0392b', '#7f8c8d'], [3200, 2500, 2100, 1400, 800]);

function parseXml(text: string) {
  return new DOMParser({ onError: onWarningStopParsing }).parseFromString(text, 'image/svg+xml');
}

describe('text exports', () => {
  it('writes a hex list of one colour a line, in the palette order', () => {
    expect(exportPalette(COLORS, 'hex').split('\n')).toEqual(COLORS.map((c) => c.hex));
  });

  it('writes CSS custom properties in a :root rule that name every colour once', () => {
    const css = exportPalette(COLORS, 'css');
    const m = /^:root \{\n([\s\S]*)\n\}$/.exec(css);
    expect(m).not.toBeNull();
    const decls = m![1]!.split('\n').map((line) => /^ {2}--([a-z][a-z0-9-]*): (#[0-9a-f]{6});$/.exec(line));
    expect(decls.every(Boolean)).toBe(true);
    expect(decls.map((d) => d![2])).toEqual(COLORS.map((c) => c.hex));
    expect(new Set(decls.map((d) => d![1])).size).toBe(COLORS.length);
  });

  it('names colours by hue when asked, in CSS, SCSS and Tailwind alike', () => {
    const named = { naming: 'hue' as const };
    const cssNames = [...exportPalette(COLORS, 'css', named).matchAll(/--([\w-]+):/g)].map((m) => m[1]);
    const scssNames = [...exportPalette(COLORS, 'scss', named).matchAll(/^\$([\w-]+):/gm)].map((m) => m[1]);
    const twNames = Object.keys(JSON.parse(exportPalette(COLORS, 'tailwind', named)));
    expect(cssNames).toEqual(['brown', 'blue', 'white', 'red', 'gray']);
    expect(scssNames).toEqual(cssNames);
    expect(twNames).toEqual(cssNames);
  });

  it('writes SCSS variables with each share as a comment', () => {
    const lines = exportPalette(COLORS, 'scss', { prefix: 'brand' }).split('\n');
    expect(lines).toHaveLength(COLORS.length);
    lines.forEach((line, i) => {
      const m = /^\$([a-z][\w-]*): (#[0-9a-f]{6}); \/\/ (\d+\.\d)%$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(m![1]).toBe(`brand-${i + 1}`);
      expect(m![2]).toBe(COLORS[i]!.hex);
      expect(Number(m![3])).toBeCloseTo(COLORS[i]!.fraction * 100, 1);
    });
  });

  it('writes a Tailwind colors object that is both JSON and a JavaScript object literal', () => {
    const text = exportPalette(COLORS, 'tailwind');
    const json = JSON.parse(text) as Record<string, string>;
    const js = new Function(`return (${text});`)() as Record<string, string>;
    expect(js).toEqual(json);
    expect(Object.values(json)).toEqual(COLORS.map((c) => c.hex));
    // Keys that make Tailwind classes such as bg-palette-1.
    for (const key of Object.keys(json)) expect(key).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it('writes JSON with each colour, its pixel count and a share that sums to 1', () => {
    const parsed = JSON.parse(exportPalette(COLORS, 'json')) as PaletteColor[];
    expect(parsed.map((c) => [c.hex, c.rgb, c.count])).toEqual(COLORS.map((c) => [c.hex, c.rgb, c.count]));
    expect(parsed.reduce((s, c) => s + c.fraction, 0)).toBeCloseTo(1, 3);
    parsed.forEach((c, i) => expect(c.fraction).toBeCloseTo(COLORS[i]!.fraction, 4));
  });

  it('writes a GIMP palette that GIMP’s grammar reads back to the same colours', () => {
    const lines = gimpPalette(COLORS, 'Beach\nday').split('\n');
    expect(lines[0]).toBe('GIMP Palette');
    expect(lines[1]).toBe('Name: Beach day');
    expect(lines[2]).toMatch(/^Columns: \d+$/);
    const rows = lines.slice(3).filter((l) => l && !l.startsWith('#'));
    const rgb = rows.map((row) => {
      const m = /^\s*(\d{1,3})\s+(\d{1,3})\s+(\d{1,3})(\s+.*)?$/.exec(row);
      expect(m, row).not.toBeNull();
      return [Number(m![1]), Number(m![2]), Number(m![3])];
    });
    expect(rgb).toEqual(COLORS.map((c) => c.rgb));
    expect(exportPalette(COLORS, 'gpl', { name: 'Beach day' })).toBe(lines.join('\n'));
  });

  it('rejects a prefix that is not a CSS identifier', () => {
    for (const prefix of ['', '1st', 'a b', 'x;y']) {
      expect(() => exportPalette(COLORS, 'css', { prefix })).toThrow(InvalidOptionError);
    }
  });

  it('keeps the copy buttons’ formatPalette the same as exportPalette', () => {
    for (const format of ['hex', 'css', 'json'] as const) {
      expect(formatPalette(COLORS, format)).toBe(exportPalette(COLORS, format));
    }
  });
});

describe('the SVG strip', () => {
  it('is well-formed SVG with one rectangle per colour, as wide as its share, across the whole width', () => {
    const doc = parseXml(exportPalette(COLORS, 'svg', { strip: { width: 600, height: 120 } }));
    const svg = doc.documentElement!;
    expect(svg.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(svg.localName).toBe('svg');
    expect([svg.getAttribute('width'), svg.getAttribute('height')]).toEqual(['600', '120']);
    const rects = Array.from(svg.getElementsByTagName('rect'));
    expect(rects.map((r) => r.getAttribute('fill'))).toEqual(COLORS.map((c) => c.hex));
    let x = 0;
    rects.forEach((r, i) => {
      expect(Number(r.getAttribute('x'))).toBe(x);
      const w = Number(r.getAttribute('width'));
      expect(Math.abs(w - COLORS[i]!.fraction * 600)).toBeLessThanOrEqual(1);
      expect(r.getAttribute('height')).toBe('120');
      x += w;
    });
    expect(x).toBe(600);
  });

  it('labels each swatch with its hex value in the text colour that contrasts more', () => {
    const doc = parseXml(exportPalette(COLORS, 'svg', { strip: { width: 1600 } }));
    const texts = Array.from(doc.getElementsByTagName('text'));
    expect(texts.map((t) => t.textContent)).toEqual(COLORS.map((c) => c.hex));
    texts.forEach((t, i) => expect(contrastRatio(hexToRgb(t.getAttribute('fill')!), COLORS[i]!.rgb)).toBeGreaterThan(4.5));
  });

  it('carries a palette name with markup characters as text, not markup', () => {
    const name = `<script>alert("x")</script> & 'co'`;
    const doc = parseXml(exportPalette(COLORS, 'svg', { name }));
    expect(doc.getElementsByTagName('script')).toHaveLength(0);
    expect(doc.getElementsByTagName('title')[0]!.textContent).toContain(name);
  });

  it('leaves labels off swatches too narrow for them, and everywhere when asked', () => {
    const thin = palette(['#000000', '#ffffff'], [999, 1]);
    const texts = parseXml(exportPalette(thin, 'svg')).getElementsByTagName('text');
    expect(Array.from(texts).map((t) => t.textContent)).toEqual(['#000000']);
    const bare = parseXml(exportPalette(COLORS, 'svg', { strip: { labels: false } }));
    expect(bare.getElementsByTagName('text')).toHaveLength(0);
  });
});

describe('the Adobe .ase file', () => {
  it('reads Adobe’s own sample with the test reader, as the independent decoder does', () => {
    const sample = readFileSync(require.resolve('ase-utils/test.ase'));
    const ours = readAse(new Uint8Array(sample));
    const theirs = aseUtils.decode(sample);
    expect(ours.colors.map((c) => [c.name, c.model, c.values])).toEqual(
      theirs.colors.map((c) => [c.name, c.model, c.color]),
    );
  });

  it('is ASEF 1.0 with one RGB block per colour, block lengths and count that add up', () => {
    const bytes = exportPalette(COLORS, 'ase');
    expect(bytes).toBeInstanceOf(Uint8Array);
    const file = readAse(bytes);
    expect(file.version).toEqual([1, 0]);
    expect(file.blocks).toBe(COLORS.length);
    expect(file.colors.map((c) => c.name)).toEqual(COLORS.map((c) => c.hex));
    file.colors.forEach((c, i) => {
      expect(c.model).toBe('RGB');
      // float32 0..1 channels that give back the bytes.
      expect(c.values.map((v) => Math.round(v * 255))).toEqual(COLORS[i]!.rgb);
      for (const v of c.values) expect(v).toBeGreaterThanOrEqual(0), expect(v).toBeLessThanOrEqual(1);
    });
  });

  it('is read the same by the independent decoder', () => {
    const bytes = exportPalette(COLORS, 'ase');
    const decoded = aseUtils.decode(Buffer.from(bytes));
    expect(decoded.colors.map((c) => c.name)).toEqual(COLORS.map((c) => c.hex));
    expect(decoded.colors.map((c) => c.color.map((v) => Math.round(v * 255)))).toEqual(COLORS.map((c) => c.rgb));
  });

  it('writes names as UTF-16 big-endian, astral characters as surrogate pairs', () => {
    const name = 'Ocre ☀ 𝄞 été';
    const file = readAse(encodeAse([{ name, rgb: [204, 119, 34] }]));
    expect(file.colors[0]!.name).toBe(name);
    expect(readAse(encodeAse([])).blocks).toBe(0);
  });
});

describe('the export formats table', () => {
  it('gives each format a human name, an extension, a MIME type and a distinct file name', () => {
    const files = EXPORT_FORMAT_LIST.map((f) => exportFileName('beach', f));
    expect(new Set(files).size).toBe(EXPORT_FORMAT_LIST.length);
    for (const format of EXPORT_FORMAT_LIST) {
      const info = EXPORT_FORMATS[format];
      expect(info.name.length).toBeGreaterThan(2);
      expect(exportFileName('beach', format).endsWith(`.${info.extension}`)).toBe(true);
      expect(info.mime).toMatch(/^[a-z]+\/[\w.+-]+$/);
    }
    expect(EXPORT_FORMATS.css.name).toBe('CSS custom properties');
  });

  it('makes text for every text format and bytes for .ase', () => {
    for (const format of EXPORT_FORMAT_LIST.filter((f) => f !== 'png') as DataExportFormat[]) {
      const out = exportPalette(COLORS, format);
      expect(typeof out === 'string').toBe(EXPORT_FORMATS[format].kind === 'text');
    }
  });

  it('refuses a format it does not know with InvalidOptionError', () => {
    expect(() => exportPalette(COLORS, 'png' as DataExportFormat)).toThrow(InvalidOptionError);
  });
});

describe('exports as files', () => {
  it('wraps every canvas-free format in a Blob of its MIME type with the same content', async () => {
    for (const format of EXPORT_FORMAT_LIST.filter((f) => f !== 'png') as DataExportFormat[]) {
      const blob = await exportPaletteBlob(COLORS, format);
      expect(blob.type).toBe(EXPORT_FORMATS[format].mime);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      const data = exportPalette(COLORS, format);
      expect(bytes).toEqual(typeof data === 'string' ? new TextEncoder().encode(data) : data);
    }
  });
});

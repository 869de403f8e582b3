import { resolve } from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'puppeteer';
import { build, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexToRgb } from '../../src/core/color.js';
import type { PaletteColor } from '../../src/core/types.js';
import { paletteStripLayout, type StripOptions } from '../../src/controllers/palette-strip.js';
import { launchBrowser } from '../helpers/browser.js';

/** export-binary.ts bundled as a classic script that sets `window.PaletteExports`, so no page build is needed. */
async function bundle(): Promise<string> {
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    publicDir: false,
    build: {
      write: false,
      minify: false,
      lib: {
        entry: resolve(import.meta.dirname, '../../src/controllers/export-binary.ts'),
        formats: ['iife'],
        name: 'PaletteExports',
      },
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const chunk = (Array.isArray(out) ? out[0]! : out).output[0];
  return chunk.code;
}

const total = 10_000;
const COLORS: PaletteColor[] = [
  ['#926c4e', 4000],
  ['#1e3a5f', 3000],
  ['#f4ecd8', 2000],
  ['#c0392b', 700],
  ['#7f8c8d', 300],
].map(([hex, count]) => ({
  hex: hex as string,
  rgb: hexToRgb(hex as string),
  count: count as number,
  fraction: (count as number) / total,
}));

async function drawPng(page: Page, options: StripOptions, offscreen: boolean): Promise<PNG> {
  const base64 = await page.evaluate(
    async (colors, options, offscreen) => {
      const saved = globalThis.OffscreenCanvas;
      if (!offscreen) (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas = undefined;
      try {
        const api = (window as unknown as { PaletteExports: typeof import('../../src/controllers/export-binary.js') })
          .PaletteExports;
        const blob = await api.exportPaletteBlob(colors, 'png', { strip: options });
        if (blob.type !== 'image/png') throw new Error(`blob type ${blob.type}`);
        const bytes = new Uint8Array(await blob.arrayBuffer());
        let binary = '';
        for (const b of bytes) binary += String.fromCharCode(b);
        return btoa(binary);
      } finally {
        globalThis.OffscreenCanvas = saved;
      }
    },
    COLORS,
    options,
    offscreen,
  );
  return PNG.sync.read(Buffer.from(base64, 'base64'));
}

describe('the PNG strip', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    const code = await bundle();
    browser = await launchBrowser({ webgpu: false });
    page = await browser.newPage();
    await page.goto('about:blank');
    await page.addScriptTag({ content: code });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['an OffscreenCanvas', true],
    ['a canvas element', false],
  ])('is drawn on %s as the layout says: each swatch in its exact colour, labels only inside their boxes', async (_, offscreen) => {
    const options = { width: 640, height: 96, fontSize: 14 };
    const png = await drawPng(page, options, offscreen);
    const layout = paletteStripLayout(COLORS, options);
    expect([png.width, png.height]).toEqual([layout.width, layout.height]);
    const at = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4).slice(0, 4));
    for (const { x, width, color, label } of layout.swatches) {
      let inked = 0;
      for (let px = x; px < x + width; px++) {
        for (let y = 0; y < png.height; y++) {
          const pixel = at(px, y);
          // The label's box: its swatch's columns, from a cap height above the baseline to the descenders below.
          const inLabel = label && y > label.y - options.fontSize * 1.2 && y < label.y + options.fontSize * 0.4;
          if (!inLabel) expect(pixel, `${color.hex} at ${px},${y}`).toEqual([...color.rgb, 255]);
          else if (pixel.slice(0, 3).join() !== color.rgb.join()) inked++;
        }
      }
      // A label leaves ink; a swatch without one has none.
      if (label) expect(inked, color.hex).toBeGreaterThan(20);
    }
    expect(layout.swatches.filter((s) => s.label).length).toBeGreaterThan(2);
  });
});

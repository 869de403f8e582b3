/**
 * The notebook, reproduced from the image file: the element given the photo as `src` with the notebook's settings
 * (`sample-size="200x200" colors="5" seed="0" arithmetic="float64"`) and `color-management="none"` reports the
 * notebook's palette (test/fixtures/notebook), because its sample comes from the core resampler (scikit-image's
 * resize), not from the canvas. The same file gives the same palette on both backends and in Node.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { launchBrowser, openTestPage } from '../helpers/browser.js';
import { loadNotebookCase, notebookColors } from '../helpers/notebook.js';
import type { PaletteDetail } from '../../src/events/details.js';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import { extractPalette } from '../../src/core/palette.js';
import { resizeImage, toPixelImage } from '../../src/core/resample.js';

const PHOTOS = [
  { file: 'chelsea.png', fixture: 'chelsea-200x200' },
  { file: 'rocket.jpg', fixture: 'rocket-200x200' },
] as const;

interface Settings {
  src: string;
  backend: 'cpu' | 'gpu';
  arithmetic: 'exact' | 'float64';
  colorManagement?: 'srgb' | 'none';
  /** Fewer seedings where the GPU runs on SwiftShader, to keep the test cheap. */
  nInit?: number;
}

describe('the notebook, reproduced by the element from the image file', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: true });
    ({ page, errors } = await openTestPage(browser, `${inject('baseUrl')}/test/pages/element.html`));
    await page.evaluate(() => customElements.whenDefined('palette-extractor'));
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A fresh element with the notebook's settings and these, run to its palette. */
  function run(settings: Settings): Promise<PaletteDetail> {
    return page.evaluate(async ({ src, backend, arithmetic, colorManagement, nInit }) => {
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      el.setAttribute('sample-size', '200x200');
      el.setAttribute('colors', '5');
      el.setAttribute('seed', '0');
      el.setAttribute('backend', backend);
      el.setAttribute('arithmetic', arithmetic);
      if (colorManagement) el.setAttribute('color-management', colorManagement);
      if (nInit) el.setAttribute('n-init', String(nInit));
      el.src = src;
      document.body.replaceChildren(el);
      return el.extract();
    }, settings);
  }

  /** The photo as Chromium decodes it with `colorSpaceConversion: 'none'`, RGBA, base64. */
  function decoded(src: string): Promise<{ width: number; height: number; rgba: string }> {
    return page.evaluate(async (src) => {
      const bitmap = await createImageBitmap(await (await fetch(src)).blob(), { colorSpaceConversion: 'none' });
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d', { colorSpace: 'srgb' })!;
      ctx.drawImage(bitmap, 0, 0);
      const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height, { colorSpace: 'srgb' });
      let binary = '';
      for (let i = 0; i < data.length; i += 0x8000) binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
      return { width, height, rgba: btoa(binary) };
    }, src);
  }

  const colours = (p: PaletteDetail) => p.colors.map(({ hex, count }) => ({ hex, count }));

  for (const { file, fixture } of PHOTOS) {
    it(`reports the notebook's hex colours and counts for ${file} given as src, with color-management="none"`, async () => {
      const palette = await run({ src: `/public/samples/${file}`, backend: 'cpu', arithmetic: 'float64', colorManagement: 'none' });
      expect(palette.backend).toBe('cpu');
      expect([palette.sampleWidth, palette.sampleHeight]).toEqual([200, 200]);
      expect(colours(palette)).toEqual(notebookColors(loadNotebookCase(fixture)));
      expect(palette.iterations).toBe(loadNotebookCase(fixture).palette!.nIter);
      expect(errors).toEqual([]);
    });

    it(`decodes ${file} without colour management to the bytes the notebook read`, async () => {
      const { rgb, width, height } = loadNotebookCase(fixture).input;
      const page = await decoded(`/public/samples/${file}`);
      expect([page.width, page.height]).toEqual([width, height]);
      const rgba = Buffer.from(page.rgba, 'base64');
      let differing = 0;
      for (let p = 0; p < width * height; p++) {
        for (let ch = 0; ch < 3; ch++) if (rgba[4 * p + ch] !== rgb[3 * p + ch]) differing++;
      }
      expect(differing).toBe(0);
    });
  }

  it('gives rocket.jpg, whose colours carry an Adobe RGB profile, another palette when colour-managed (the default)', async () => {
    const managed = await run({ src: '/public/samples/rocket.jpg', backend: 'cpu', arithmetic: 'float64' });
    expect(colours(managed)).not.toEqual(notebookColors(loadNotebookCase('rocket-200x200')));
  });

  it('decodes again when color-management changes on the same element', async () => {
    const palettes = await page.evaluate(async () => {
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      Object.assign(el, { sampleSize: '200x200', colors: 5, seed: 0, backend: 'cpu', arithmetic: 'float64' });
      el.src = '/public/samples/rocket.jpg';
      document.body.replaceChildren(el);
      const hexes = async () => (await el.extract()).colors.map((c) => c.hex).join(' ');
      const managed = await hexes();
      el.colorManagement = 'none';
      const raw = await hexes();
      el.colorManagement = 'srgb';
      return [managed, raw, await hexes()];
    });
    expect(palettes[1]).not.toBe(palettes[0]);
    expect(palettes[2]).toBe(palettes[0]);
    expect(palettes[1]).toBe(notebookColors(loadNotebookCase('rocket-200x200')).map((c) => c.hex).join(' '));
  });

  for (const { file } of PHOTOS) {
    it(`gives ${file} the same palette on the GPU, on the CPU and in Node (exact arithmetic), and in Node in float64`, async () => {
      const src = `/public/samples/${file}`;
      const gpu = await run({ src, backend: 'gpu', arithmetic: 'exact', colorManagement: 'none', nInit: 2 });
      const cpu = await run({ src, backend: 'cpu', arithmetic: 'exact', colorManagement: 'none', nInit: 2 });
      const float64 = await run({ src, backend: 'cpu', arithmetic: 'float64', colorManagement: 'none' });
      expect(gpu.backend).toBe('gpu');
      expect(cpu.backend).toBe('cpu');
      expect(colours(gpu)).toEqual(colours(cpu));

      // Node: the core on the same decoded pixels.
      const { width, height, rgba } = await decoded(src);
      const sample = toPixelImage(resizeImage({ data: new Uint8Array(Buffer.from(rgba, 'base64')), width, height }, 200, 200));
      const nodeExact = await extractPalette(sample, { k: 5, seed: 0, nInit: 2, backend: 'cpu', arithmetic: 'exact' });
      const nodeFloat = await extractPalette(sample, { k: 5, seed: 0, backend: 'cpu', arithmetic: 'float64' });
      expect(nodeExact.colors.map(({ hex, count }) => ({ hex, count }))).toEqual(colours(cpu));
      expect(nodeFloat.colors.map(({ hex, count }) => ({ hex, count }))).toEqual(colours(float64));
    });
  }
});

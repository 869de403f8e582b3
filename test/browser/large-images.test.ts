/**
 * Large images in the element, in headless Chromium (WebGPU on SwiftShader here, a real GPU elsewhere): 24 and 50
 * megapixels generated in the page (test/pages/large.html), on both backends, full-size recolour, upload once.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { launchBrowser } from '../helpers/browser.js';
import { openLargePage, settle, type LargePageWindow as Win } from '../helpers/large-page.js';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import type { PaletteDetail } from '../../src/events/details.js';

describe('<palette-extractor> on large images generated in the page', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page, errors } = await openLargePage(browser, inject('baseUrl')));
    await page.evaluate(() => {
      const w = window as unknown as Win;
      w.big = w.makeImage(6000, 4000);
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('gives a 24-megapixel image the same palette and recoloured pixels on the GPU and the CPU, every pixel clustered', async () => {
    const options = { sampleSize: 'full', colors: 3, nInit: 1, seed: 0, colorSpace: 'rgb' };
    const gpu = await settle(page, { ...options, backend: 'gpu', image: 'big' });
    await page.evaluate(() => {
      const w = window as unknown as Win;
      const canvas = document.querySelector('#large')!.shadowRoot!.querySelector<HTMLCanvasElement>('canvas[part~=recolored]')!;
      w.gpuPixels = w.canvasPixels(canvas);
    });
    const cpu = await settle(page, { backend: 'cpu' });
    const pixels = await page.evaluate(() => {
      const w = window as unknown as Win;
      const el = document.querySelector<PaletteExtractor>('#large')!;
      const canvas = el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas[part~=recolored]')!;
      const onCpu = w.canvasPixels(canvas);
      const onGpu = w.gpuPixels!;
      w.gpuPixels = null;
      const palette = new Set(el.palette!.colors.map((c) => c.rgb.join()));
      let differ = 0;
      let outside = 0;
      for (let i = 0; i < onCpu.length; i += 4) {
        if (onCpu[i] !== onGpu[i] || onCpu[i + 1] !== onGpu[i + 1] || onCpu[i + 2] !== onGpu[i + 2]) differ++;
        if (!palette.has(`${onCpu[i]},${onCpu[i + 1]},${onCpu[i + 2]}`)) outside++;
      }
      return { width: canvas.width, height: canvas.height, count: onCpu.length / 4, differ, outside };
    });
    expect([gpu.backend, cpu.backend]).toEqual(['gpu', 'cpu']);
    expect(cpu.colors).toEqual(gpu.colors);
    expect(cpu.iterations).toBe(gpu.iterations);
    expect(cpu.inertia).toBe(gpu.inertia);
    expect(gpu).toMatchObject({ width: 6000, height: 4000, sampleWidth: 6000, sampleHeight: 4000, pixelsUsed: 24_000_000 });
    expect(pixels).toEqual({ width: 6000, height: 4000, count: 24_000_000, differ: 0, outside: 0 });
    expect(errors).toEqual([]);
  });

  it('re-runs a new k on a loaded 24-megapixel image from the pixels already on the GPU', async () => {
    const first = await settle(page, { sampleSize: '200', backend: 'gpu', colors: 3, nInit: 2 });
    const written = await page.evaluate(() => (window as unknown as Win).gpuBytesWritten);
    const second = await settle(page, { colors: 4, seed: 5, colorSpace: 'oklab' });
    const after = await page.evaluate(() => {
      const el = document.querySelector('#large')!;
      const canvas = el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas[part~=recolored]')!;
      return { written: (window as unknown as Win).gpuBytesWritten, size: [canvas.width, canvas.height] };
    });
    expect([first.k, second.k]).toEqual([3, 4]);
    expect(second).toMatchObject({ backend: 'gpu', colorSpace: 'oklab', seed: 5, sampleWidth: 200, sampleHeight: 133, width: 6000, height: 4000 });
    // The full image alone is 96 MB; a run that sent it again would have written at least that much.
    expect(after.written - written).toBeLessThan(1 << 20);
    expect(after.size).toEqual([6000, 4000]);
  });

  it('runs a 50-megapixel image, or reports too-large cleanly where the adapter cannot hold it', async () => {
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as Win;
      w.big = w.makeImage(8660, 5773, 2);
      const el = document.querySelector<PaletteExtractor>('#large')!;
      const result = await new Promise<{ detail?: PaletteDetail; error?: { code: string } }>((ok) => {
        el.addEventListener('palette-change', (e) => ok({ detail: (e as CustomEvent).detail }), { once: true });
        el.addEventListener('palette-error', (e) => ok({ error: (e as CustomEvent).detail }), { once: true });
        Object.assign(el, { backend: 'auto', sampleSize: '200', colors: 3, nInit: 1, seed: 0, colorSpace: 'rgb', image: w.big });
      });
      const canvas = el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas[part~=recolored]');
      const adapter = await navigator.gpu?.requestAdapter();
      w.big = null;
      return {
        ...result,
        canvas: canvas ? [canvas.width, canvas.height] : null,
        maxBufferSize: adapter?.limits.maxBufferSize ?? 0,
      };
    });
    if (outcome.error) {
      expect(outcome.error.code).toBe('too-large');
    } else {
      expect(outcome.detail).toMatchObject({ width: 8660, height: 5773, k: 3 });
      // The recoloured image is the full-size one, at the original aspect, past the 8192 texture side.
      expect(outcome.canvas).toEqual([8660, 5773]);
    }
    // The element's device asks no more than the defaults (256 MiB buffers); 8660 × 5773 × 4 bytes fit them.
    if (outcome.maxBufferSize >= 4 * 8660 * 5773) expect(outcome.error).toBeUndefined();
    expect(errors).toEqual([]);
  });
});

/**
 * The element stays interactive on a 24-megapixel image (generated in test/pages/large.html): the page's main thread
 * is never blocked for long while the CPU works, rapid changes leave one palette for the last value, progress is
 * reported and shown, and a CPU path that cannot start a worker says so.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { launchBrowser } from '../helpers/browser.js';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import type { PaletteDetail, PaletteErrorDetail } from '../../src/events/details.js';
import type { ProgressInfo } from '../../src/core/types.js';
import { openLargePage } from '../helpers/large-page.js';

type Win = Window & { makeImage(width: number, height: number, seed?: number): ImageData; big: ImageData | null };

describe('<palette-extractor> stays responsive on a 24-megapixel image', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page, errors } = await openLargePage(browser, inject('baseUrl')));
    await page.evaluate(() => {
      const w = window as unknown as Win;
      w.big = w.makeImage(6000, 4000, 3);
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('never blocks the main thread for 200 ms or more while the CPU clusters every pixel', async () => {
    const longest = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#large')!;
      // Loading the image (decode, first upload to the worker) is not part of the loop being measured.
      const loaded = new Promise((ok) => el.addEventListener('palette-change', ok, { once: true }));
      Object.assign(el, { backend: 'cpu', sampleSize: 'full', colors: 3, nInit: 1, image: (window as unknown as Win).big });
      await loaded;
      const tasks: number[] = [];
      const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
      observer.observe({ type: 'longtask' });
      const runs: number[] = [];
      for (const colors of [5, 8]) {
        const done = new Promise<PaletteDetail>((ok) =>
          el.addEventListener('palette-change', (e) => ok((e as CustomEvent).detail), { once: true }),
        );
        Object.assign(el, { colors, nInit: 4 });
        runs.push((await done).k);
      }
      // Long tasks are reported after they end: let the last one in.
      await new Promise((ok) => setTimeout(ok, 100));
      observer.disconnect();
      return { runs, longest: Math.max(0, ...tasks) };
    });
    expect(longest.runs).toEqual([5, 8]);
    expect(longest.longest).toBeLessThan(200);
  });

  // On the GPU a 3 MP image: a full-size recolour of 24 MP takes ~20 s on SwiftShader, and the order of events is
  // the element's, not the engine's.
  it.each([
    ['cpu', 6000, 4000],
    ['gpu', 2000, 1500],
  ])('leaves exactly one palette-change, for the last value, after 20 rapid changes of colors (%s, %i×%i)', async (backend, width, height) => {
    const seen = await page.evaluate(async (backend, width, height) => {
      const el = document.querySelector<PaletteExtractor>('#large')!;
      const ready = new Promise((ok) => el.addEventListener('palette-change', ok, { once: true }));
      const w = window as unknown as Win;
      const image = width === w.big!.width ? w.big : w.makeImage(width, height, 4);
      Object.assign(el, { backend, sampleSize: '200', colors: 2, nInit: 10, image });
      await ready;
      const ks: number[] = [];
      el.addEventListener('palette-change', (e) => ks.push((e as CustomEvent<PaletteDetail>).detail.k));
      for (let i = 0; i < 20; i++) {
        el.colors = 3 + i;
        await el.updateComplete;
        await new Promise((ok) => setTimeout(ok, 5));
      }
      const last = await el.extract();
      // A late result for an outdated request would arrive after the last one: wait a little for one.
      await new Promise((ok) => setTimeout(ok, 500));
      return { ks, last: last.k, shown: el.shadowRoot!.querySelectorAll('[part~=swatch]').length };
    }, backend, width, height);
    expect(seen).toEqual({ ks: [22], last: 22, shown: expect.any(Number) });
    expect(seen.shown).toBeGreaterThan(1);
  });

  it('fires palette-progress as the run goes, and the progress bar follows it', async () => {
    const seen = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#large')!;
      const events: ProgressInfo[] = [];
      const bar: (string | null)[] = [];
      el.addEventListener('palette-progress', async (e) => {
        events.push({ ...(e as CustomEvent<ProgressInfo>).detail });
        await el.updateComplete;
        bar.push(el.shadowRoot!.querySelector('[part~=progress]')?.getAttribute('aria-valuenow') ?? null);
      });
      const done = new Promise((ok) => el.addEventListener('palette-change', ok, { once: true }));
      Object.assign(el, { backend: 'cpu', sampleSize: 'full', colors: 4, nInit: 6, image: (window as unknown as Win).big });
      await done;
      await el.updateComplete;
      return { events, bar, after: el.shadowRoot!.querySelector('[part~=progress]') === null };
    });
    const iterate = seen.events.filter((e) => e.phase === 'iterate').map((e) => e.fraction);
    expect(iterate.length).toBeGreaterThanOrEqual(6);
    expect([...iterate].sort((a, b) => a - b)).toEqual(iterate);
    expect(iterate.at(-1)).toBe(1);
    expect(seen.events.every((e) => e.fraction >= 0 && e.fraction <= 1)).toBe(true);
    // The bar shows the fraction as a percentage while the run goes, and is gone after it.
    const shown = seen.bar.filter((v): v is string => v !== null).map(Number);
    expect(shown.some((v) => v > 0 && v < 100)).toBe(true);
    expect(seen.after).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe('<palette-extractor> where no Worker may start', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: false });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reports worker-failed and does not crash', async () => {
    const page = await browser.newPage();
    await page.goto(`${inject('baseUrl')}/test/pages/large-no-worker.html`);
    const error = await page.evaluate(async () => {
      await customElements.whenDefined('palette-extractor');
      const el = document.querySelector<PaletteExtractor>('#large')!;
      const failed = new Promise<PaletteErrorDetail>((ok) =>
        el.addEventListener('palette-error', (e) => ok((e as CustomEvent).detail), { once: true }),
      );
      el.src = '/public/samples/coffee.png';
      const detail = await failed;
      await el.updateComplete;
      return { ...detail, shown: el.shadowRoot!.querySelector('[part~=error]')?.textContent ?? '' };
    });
    expect(error.code).toBe('worker-failed');
    expect(error.shown).toContain(error.message);
  });
});

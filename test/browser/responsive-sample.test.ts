/**
 * The sample of a 24-megapixel image is made by the core resampler in the CPU worker (the page only copies the pixels
 * there): while it resamples (the element's `palette-extractor:resample` measure, whose detail says where it ran), no
 * task blocks the main thread for long, in fit mode (the default) and stretched. (Where the worker cannot start, the
 * page resamples in slices: `resample.test.ts` covers the paced resize.)
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { launchBrowser } from '../helpers/browser.js';
import { openLargePage, type LargePageWindow } from '../helpers/large-page.js';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import type { PaletteDetail } from '../../src/events/details.js';

describe('<palette-extractor> resamples a 24-megapixel image without blocking the page', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: false });
    ({ page, errors } = await openLargePage(browser, inject('baseUrl')));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['200', [200, 133]],
    ['200x200', [200, 200]],
  ])('makes the sample-size="%s" sample in the worker, never blocking the main thread for 200 ms or more', async (sampleSize, dims) => {
    // Made in a task of its own, before the measure.
    await page.evaluate((seed) => {
      const w = window as unknown as LargePageWindow;
      w.big = w.makeImage(6000, 4000, seed);
    }, sampleSize.length);
    const seen = await page.evaluate(async (sampleSize) => {
      const image = (window as unknown as LargePageWindow).big;
      const el = document.querySelector<PaletteExtractor>('#large')!;
      const tasks: PerformanceEntry[] = [];
      const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
      observer.observe({ type: 'longtask' });
      const done = new Promise<PaletteDetail>((ok) =>
        el.addEventListener('palette-change', (e) => ok((e as CustomEvent<PaletteDetail>).detail), { once: true }),
      );
      Object.assign(el, { backend: 'cpu', sampleSize, colors: 3, nInit: 1, image });
      const detail = await done;
      await new Promise((ok) => setTimeout(ok, 100));
      observer.disconnect();
      // The tasks of the resample: the element leaves a user-timing measure of it.
      const [resample] = performance.getEntriesByName('palette-extractor:resample').slice(-1);
      const during = tasks.filter((t) => t.startTime < resample!.startTime + resample!.duration && t.startTime + t.duration > resample!.startTime);
      return {
        sample: [detail.sampleWidth, detail.sampleHeight],
        where: (resample as PerformanceMeasure).detail,
        resampleMs: resample!.duration,
        longest: Math.max(0, ...during.map((t) => t.duration)),
        all: tasks.map((t) => `${Math.round(t.duration)}@${Math.round(t.startTime - resample!.startTime)}`),
      };
    }, sampleSize);
    expect(seen.sample).toEqual(dims);
    expect(seen.where).toBe('worker');
    console.log(`sample-size="${sampleSize}": resample ${seen.resampleMs.toFixed(0)} ms, long tasks of the whole run ${seen.all.join(', ')} ms`);
    expect(seen.longest).toBeLessThan(200);
    expect(errors).toEqual([]);
  });
});

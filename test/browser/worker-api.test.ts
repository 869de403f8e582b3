/**
 * `extractPaletteInWorker` in Chromium, from the built package: the same result as `extractPalette` on the same
 * pixels, progress on the way, typed errors across the worker boundary, and abort.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { launchBrowser, openTestPage } from '../helpers/browser.js';

type Api = Record<string, (...args: unknown[]) => Promise<unknown>>;

describe('extractPaletteInWorker in a page', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const call = <T>(name: string, ...args: unknown[]) =>
    page.evaluate((n, a) => (window as unknown as { workerApi: Api }).workerApi[n]!(...a), name, args) as Promise<T>;

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page, errors } = await openTestPage(browser, `${inject('baseUrl')}/test/pages/worker-api.html`, 'window.workerApiReady === true'));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    { name: 'chelsea.png', options: { k: 5, seed: 0, nInit: 2, backend: 'cpu' } },
    { name: 'coffee.png', options: { k: 4, seed: 7, nInit: 1, backend: 'cpu', arithmetic: 'float64', colorSpace: 'oklab' } },
    { name: 'coffee.png', options: { k: 3, seed: 1, nInit: 1, backend: 'auto' } },
  ])('gives the same palette, labels and inertia as extractPalette for $name $options', async ({ name, options }) => {
    const { main, worker, progress, pixelsKept } = await call<{
      main: Record<string, unknown>;
      worker: Record<string, unknown>;
      progress: { phase: string; fraction: number }[];
      pixelsKept: number;
    }>('compare', name, options);
    const { backend: _a, ...mainRest } = main;
    const { backend: _b, ...workerRest } = worker;
    expect(workerRest).toEqual(mainRest);
    if (options.backend === 'cpu') expect(worker.backend).toBe('cpu');
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(p.fraction).toBeGreaterThanOrEqual(0);
    expect(pixelsKept).toBeGreaterThan(0);
  });

  it('rejects with AbortError when aborted mid-run, after progress began', async () => {
    const result = await call<{ outcome: string; isAbortError?: boolean; progressBeforeAbort?: number }>('abortMidRun');
    expect(result.outcome).toBe('AbortError');
    expect(result.isAbortError).toBe(true);
    expect(result.progressBeforeAbort).toBeGreaterThan(0);
  });

  it('rejects at once with AbortError for a signal that has already fired', async () => {
    expect(await call('alreadyAborted')).toBe('AbortError');
  });

  it("rejects bad options with the engine's typed error, as extractPalette does", async () => {
    const result = await call<{ isInvalidOption: boolean; code: string }>('badOption');
    expect(result).toMatchObject({ isInvalidOption: true, code: 'invalid-option' });
    expect(errors).toEqual([]);
  });
});

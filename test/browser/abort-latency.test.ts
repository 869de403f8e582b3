/**
 * `extractPalette` on a page's own thread in Chromium, from the built package: the CPU engines yield to the event
 * loop (through a MessageChannel there, not Node's setImmediate), so an abort 30 ms into a run on a 2 MP photo lands
 * within 200 ms of being due, and a 0 ms timer keeps turning meanwhile. The bounds are loose: they tell "yields as it
 * goes" from "holds the thread to the end" (seconds), they are not a benchmark.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { launchBrowser, openTestPage } from '../helpers/browser.js';

describe('extractPalette on the page thread', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: false });
    ({ page, errors } = await openTestPage(browser, `${inject('baseUrl')}/test/pages/abort-latency.html`, 'window.abortLatencyReady === true'));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['the exact engine, nInit 1', { backend: 'cpu', nInit: 1 }],
    ['the exact engine, k 128, nInit 1', { backend: 'cpu', nInit: 1, k: 128 }],
    ["scikit-learn's float64 arithmetic", { backend: 'cpu', arithmetic: 'float64' }],
  ])('stops %s within 200 ms of an abort 30 ms in, the page turning meanwhile', async (_, options) => {
    const result = await page.evaluate(
      (o) => (window as unknown as { abortLatency: { abortMidRun(n: string, o: unknown, ms: number): Promise<unknown> } }).abortLatency.abortMidRun('retina.jpg', o, 30),
      options,
    ) as { outcome: string; lateMs: number; longestGap: number; pixels: number };
    expect(result.pixels).toBe(1411 * 1411);
    expect(result.outcome).toBe('AbortError');
    expect(result.lateMs).toBeLessThan(200);
    expect(result.longestGap).toBeLessThan(200);
    expect(errors).toEqual([]);
  });
});

/**
 * The CPU worker (built, in Chromium) reads a `cancel` while a run goes: its work yields every few milliseconds, so
 * the cancelled run stops at its next yield and the worker takes the next request within 250 ms, instead of after the
 * seeding it was in (up to seconds on a 2 MP photo). A cancelled request answers nothing.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { launchBrowser, openTestPage } from '../helpers/browser.js';

/** The built CPU worker's URL on the test server (its file name carries a content hash). */
function workerUrl(): string {
  const file = readdirSync(resolve(import.meta.dirname, '../../dist/assets')).find((f) => /^cpu-worker-.*\.js$/.test(f));
  if (!file) throw new Error('No built CPU worker in dist/assets: run `npm run build`.');
  return `/dist/assets/${file}`;
}

describe('the CPU worker', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: false });
    ({ page, errors } = await openTestPage(browser, `${inject('baseUrl')}/test/pages/worker-cancel.html`, 'window.workerCancelReady === true'));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['exact, k 256, 8 MP', 2, { k: 256, seed: 0, nInit: 1, maxIter: 300, colorSpace: 'rgb', arithmetic: 'exact' }],
    ['float64, k 16, 2 MP', 1, { k: 16, seed: 0, nInit: 1, maxIter: 300, colorSpace: 'rgb', arithmetic: 'float64' }],
  ])('stops a cancelled run (%s) mid-seeding and answers the next request within 250 ms', async (_, scale, options) => {
    type Api = { workerCancel: { cancelMidRun(u: string, n: string, s: number, o: unknown): Promise<unknown> } };
    const result = (await page.evaluate(
      (url, s, o) => (window as unknown as Api).workerCancel.cancelMidRun(url, 'retina.jpg', s, o),
      workerUrl(),
      scale,
      options,
    )) as { answer: string; answeredMs: number; cancelledAnswered: unknown[] };
    if (process.env.SHOW_LATENCY) console.log(`answered ${result.answeredMs.toFixed(0)} ms after the cancel`);
    expect(result.answer).toBe('plan');
    expect(result.answeredMs).toBeLessThan(250);
    expect(result.cancelledAnswered).toEqual([]);
    expect(errors).toEqual([]);
  });
});

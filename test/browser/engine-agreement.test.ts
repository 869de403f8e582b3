/**
 * The GPU engine and the exact CPU engine agree in Chromium, the real target: test/pages/engine-agreement.html runs
 * both on the built package (`/dist/core/index.js`) and reports any difference; the recolour kernel's texture is
 * checked against centres[labels] too.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { launchBrowser, openTestPage } from '../helpers/browser.js';

interface Report {
  adapter: string;
  report: { name: string; difference: string | null; recolour: string | null; iterations: number; pixelsUsed: number }[];
}

const cases = [
  { image: 'chelsea.png', options: { k: 5, seed: 0, nInit: 2 }, recolour: true },
  { image: 'coffee.png', options: { k: 6, nInit: 1, colorSpace: 'oklab' } },
  { image: 'random 257 × 131', options: { k: 16, seed: 3, nInit: 2 }, recolour: true },
  { image: 'random 1 × 1', options: { k: 1 } },
  { image: 'half-transparent 99 × 77', options: { k: 7, nInit: 2 } },
  { image: 'half-transparent 99 × 77', options: { k: 4, nInit: 1, alphaThreshold: 0, colorSpace: 'oklab' } },
];

describe('GPU and CPU engines in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page, errors } = await openTestPage(browser, `${inject('baseUrl')}/test/pages/engine-agreement.html`, 'window.engineAgreementReady === true'));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('gives the same labels, centres, iterations and inertia on each case, and recolours to centres[labels]', async () => {
    const result = (await page.evaluate((c) => (window as unknown as { engineAgreement(c: unknown): Promise<Report> }).engineAgreement(c), cases)) as Report;
    expect(result.adapter).not.toBe('');
    for (const entry of result.report) {
      expect(entry.difference, entry.name).toBeNull();
      expect(entry.recolour, entry.name).toBeNull();
      expect(entry.pixelsUsed, entry.name).toBeGreaterThan(0);
    }
    expect(result.report).toHaveLength(cases.length);
    expect(errors).toEqual([]);
  });
});

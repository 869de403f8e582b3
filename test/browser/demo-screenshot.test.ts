/** Screenshots of the built demo page, light and dark, for a person to look at (test-output/demo*.png). */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'puppeteer';
import { mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchBrowser, watchPageErrors } from '../helpers/browser.js';
import type { PaletteExtractor } from '../../src/palette-extractor.js';

const OUT = resolve(import.meta.dirname, '../../test-output');

describe('the demo page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`opens on a sample photo with its palette shown (${scheme})`, async () => {
      const page = await browser.newPage();
      const errors = watchPageErrors(page);
      await page.setViewport({ width: 1280, height: 900 });
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await page.goto(`${inject('baseUrl')}/dist-demo/`);
      await page.waitForFunction(
        () => [...document.querySelectorAll<PaletteExtractor>('palette-extractor')].every((el) => el.palette),
        { timeout: 120_000 },
      );
      const file = resolve(OUT, scheme === 'light' ? 'demo.png' : 'demo-dark.png');
      await page.screenshot({ path: file as `${string}.png`, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
    });
  }

  it('shows GPU and CPU side by side with compare', async () => {
    const page = await browser.newPage();
    const errors = watchPageErrors(page);
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`${inject('baseUrl')}/dist-demo/`);
    await page.waitForFunction(() => document.querySelector<PaletteExtractor>('#main')?.palette, { timeout: 120_000 });
    await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      el.compare = true;
      await el.extract();
    });
    const main = await page.$('#main');
    const file = resolve(OUT, 'demo-compare.png');
    await main!.screenshot({ path: file as `${string}.png` });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
  });
});

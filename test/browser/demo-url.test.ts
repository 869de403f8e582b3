/**
 * The demo keeps its state in the URL (the image aside), so a palette can be shared as a link: the form's options and
 * what the user sets in the element itself (sort, value format, locked colours, region, ignored colours).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import { launchBrowser } from '../helpers/browser.js';

async function openDemo(browser: Browser, query: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${inject('baseUrl')}/dist-demo/${query}`);
  await page.waitForFunction(() => document.querySelector<PaletteExtractor>('#main')?.palette, { timeout: 120_000 });
  return page;
}

describe('the demo page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('starts from the options and the element settings in its URL', async () => {
    const page = await openDemo(
      browser,
      '?colors=7&seed=3&backend=cpu&sort=hue&value-format=oklch&locked=%23ff0000&ignore=white&region=0+0+200+150',
    );
    const state = await page.evaluate(() => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      return {
        colors: el.colors,
        seed: el.seed,
        backend: el.backend,
        sort: el.sort,
        valueFormat: el.getAttribute('value-format'),
        locked: el.locked,
        ignore: el.ignore,
        region: el.region,
        paletteSize: el.palette!.colors.length,
        lockedHex: el.palette!.colors.filter((c) => c.locked).map((c) => c.hex),
      };
    });
    expect(state).toEqual({
      colors: 7,
      seed: 3,
      backend: 'cpu',
      sort: 'hue',
      valueFormat: 'oklch',
      locked: '#ff0000',
      ignore: 'white',
      region: '0 0 200 150',
      paletteSize: 7,
      lockedHex: ['#ff0000'],
    });
    await page.close();
  });

  it('writes what the user changes, in the form or in the element, to the URL, and only what differs from the defaults', async () => {
    const page = await openDemo(browser, '?backend=cpu');
    const search = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      const seen = [location.search];
      const seed = document.querySelector<HTMLInputElement>('#seed')!;
      seed.value = '9';
      seed.dispatchEvent(new Event('input', { bubbles: true }));
      seen.push(location.search);
      el.sort = 'lightness';
      el.locked = '#00ff00';
      await el.updateComplete;
      // The MutationObserver's record is delivered as a microtask after the attribute changed.
      await new Promise((resolve) => setTimeout(resolve, 0));
      seen.push(location.search);
      el.sort = 'share';
      el.locked = '';
      await el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 0));
      seen.push(location.search);
      return seen;
    });
    expect(search.map((s) => Object.fromEntries(new URLSearchParams(s)))).toEqual([
      { backend: 'cpu' },
      { backend: 'cpu', seed: '9' },
      { backend: 'cpu', seed: '9', sort: 'lightness', locked: '#00ff00' },
      { backend: 'cpu', seed: '9' },
    ]);
    await page.close();
  });
});

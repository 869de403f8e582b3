/**
 * The page a user sees, checked in Chromium: axe-core (the standard accessibility engine) finds no serious or critical
 * violation in the element and the demo, light and dark, wide and narrow, with and without the GPU/CPU comparison;
 * at 1280×800 the photo, the palette and the main controls are on screen without scrolling; at 390×844 the options
 * come right before the result they change; swatches never leave one alone on a row.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import { launchBrowser, watchPageErrors } from '../helpers/browser.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

async function openDemo(browser: Browser, width: number, height: number, scheme: 'light' | 'dark'): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
  await page.goto(`${inject('baseUrl')}/dist-demo/`);
  await page.waitForFunction(
    () => [...document.querySelectorAll<PaletteExtractor>('palette-extractor')].every((el) => el.palette),
    { timeout: 120_000 },
  );
  await page.evaluate(AXE);
  return page;
}

/** axe-core's serious and critical violations on the page, shadow roots included. */
function seriousViolations(page: Page): Promise<Violation[]> {
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
}

describe('the page a user sees', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      it(`has no serious or critical axe-core violation in the demo and its elements (${scheme}, ${width}×${height})`, async () => {
        const page = await openDemo(browser, width, height, scheme);
        const errors = watchPageErrors(page);
        expect(await seriousViolations(page)).toEqual([]);
        // With the comparison shown, and with a run in flight (progress, Cancel, dimmed results).
        await page.evaluate(async () => {
          const el = document.querySelector<PaletteExtractor>('#main')!;
          el.compare = true;
          await el.extract();
        });
        expect(await seriousViolations(page)).toEqual([]);
        // With a locked colour, the typed region form open, and the keyboard eyedropper's crosshair shown.
        await page.evaluate(async () => {
          const el = document.querySelector<PaletteExtractor>('#main')!;
          el.compare = false;
          el.lockedColors = [el.palette!.colors[0]!.hex];
          await el.extract();
          await el.updateComplete;
          el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=select-region]')!.click();
          await el.updateComplete;
          el.shadowRoot!.querySelector<HTMLElement>('[part~=eyedropper]')!.focus();
          await el.updateComplete;
        });
        expect(await seriousViolations(page)).toEqual([]);
        await page.evaluate(() => {
          document.querySelector<PaletteExtractor>('#main')!.seed = 3;
        });
        expect(await seriousViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }

  it('shows the photo, the palette and the main controls without scrolling at 1280×800', async () => {
    const page = await openDemo(browser, 1280, 800, 'light');
    const rects = await page.evaluate(() => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      const bottom = (node: Element | null | undefined) => (node ? Math.round(node.getBoundingClientRect().bottom) : -1);
      return {
        photo: bottom(el.shadowRoot!.querySelector('[part~=preview]')),
        swatches: bottom(el.shadowRoot!.querySelector('[part~=swatches]')),
        colors: bottom(document.querySelector('#colors')),
        samples: bottom(document.querySelector('.sample-buttons')),
      };
    });
    for (const [what, bottom] of Object.entries(rects)) {
      expect(bottom, what).toBeGreaterThan(0);
      expect(bottom, what).toBeLessThanOrEqual(800);
    }
    await page.close();
  });

  it('puts the options right before the result they change at 390×844', async () => {
    const page = await openDemo(browser, 390, 844, 'light');
    const layout = await page.evaluate(() => {
      const colors = document.querySelector('#colors')!.getBoundingClientRect();
      const element = document.querySelector('#main')!.getBoundingClientRect();
      return { colorsBottom: colors.bottom, elementTop: element.top, gap: element.top - colors.bottom };
    });
    expect(layout.colorsBottom).toBeLessThan(layout.elementTop);
    expect(layout.gap).toBeLessThan(120);
    await page.close();
  });

  it('never leaves one swatch alone on a row, for 2 to 16 colours, wide and narrow', async () => {
    for (const width of [1280, 390]) {
      const page = await openDemo(browser, width, 900, 'light');
      const lone = await page.evaluate(async () => {
        const el = document.querySelector<PaletteExtractor>('#main')!;
        el.backend = 'cpu';
        el.nInit = 1;
        const found: string[] = [];
        for (let k = 2; k <= 16; k++) {
          el.colors = k;
          const palette = await el.extract();
          await el.updateComplete;
          const tops = [...el.shadowRoot!.querySelectorAll('[part~=swatch]')].map((s) => Math.round(s.getBoundingClientRect().top));
          const rows = [...new Set(tops)].map((top) => tops.filter((t) => t === top).length);
          if (rows.length > 1 && rows.at(-1)! < 2) found.push(`${palette.colors.length} colours: rows ${rows.join(' + ')}`);
        }
        return found;
      });
      expect(lone, `width ${width}`).toEqual([]);
      await page.close();
    }
  });
});

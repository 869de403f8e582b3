/**
 * Inputs that cannot become a palette end in a `palette-error` with a documented code, and the palette already
 * shown stays. Run without WebGPU (the CPU path) to keep it quick; loading is the same on both backends.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { launchBrowser } from '../helpers/browser.js';
import type { PaletteErrorDetail } from '../../src/events/details.js';

describe('<palette-extractor> given bad input', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: false });
    page = await browser.newPage();
    await page.goto(`${inject('baseUrl')}/test/pages/element.html`);
    await page.waitForFunction(() => document.querySelector<HTMLElementTagNameMap['palette-extractor']>('#plain')?.palette, {
      timeout: 120_000,
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Sets the input in the page, resolves with the error detail and whether the old palette is still shown. */
  function failWith(set: string): Promise<{ detail: PaletteErrorDetail; kept: boolean; alert: string }> {
    return page.evaluate(async (set) => {
      const el = document.querySelector<HTMLElementTagNameMap['palette-extractor']>('#plain')!;
      const before = JSON.stringify(el.palette!.colors);
      const error = new Promise<PaletteErrorDetail>((ok) =>
        el.addEventListener('palette-error', (e) => ok((e as CustomEvent<PaletteErrorDetail>).detail), { once: true }),
      );
      await new Function('el', `return (async () => { ${set} })()`)(el);
      const detail = await error;
      await el.updateComplete;
      const shown = el.shadowRoot!.querySelectorAll('[part~=swatch]').length;
      return {
        detail,
        kept: JSON.stringify(el.palette!.colors) === before && shown === el.palette!.colors.length,
        alert: el.shadowRoot!.querySelector('[part~=error]')?.textContent ?? '',
      };
    }, set);
  }

  it.each([
    ['a src that 404s', "el.src = '/public/samples/missing.png'", 'fetch-failed', /404/],
    ['a file that is not an image', "el.image = new File(['hello'], 'notes.txt', { type: 'text/plain' })", 'decode-failed', /image/],
    ['an empty file', "el.image = new File([], 'empty.png', { type: 'image/png' })", 'decode-failed', /empty/],
    [
      'a truncated PNG',
      "const b = await (await fetch('/public/samples/chelsea.png')).arrayBuffer(); el.image = new Blob([b.slice(0, 400)], { type: 'image/png' })",
      'decode-failed',
      /decode/,
    ],
    [
      'an image from another origin without CORS',
      "el.src = location.href.replace('localhost', '127.0.0.1').replace(/test\\/pages\\/.*$/, 'public/samples/rocket.jpg')",
      'cross-origin',
      /CORS/,
    ],
    ['colors that is not a number', "el.setAttribute('colors', 'abc')", 'invalid-option', /colors/],
  ])('reports %s as %s and keeps the palette shown', async (_what, set, code, message) => {
    const { detail, kept, alert } = await failWith(set);
    expect(detail.code).toBe(code);
    expect(detail.message).toMatch(message);
    expect(kept).toBe(true);
    expect(alert).toBe(detail.message);
    // Back to a good state for the next case.
    await page.evaluate(async () => {
      const el = document.querySelector<HTMLElementTagNameMap['palette-extractor']>('#plain')!;
      el.setAttribute('colors', '4');
      el.image = undefined;
      el.src = '/public/samples/coffee.png';
    });
  });

  it('reads an image from another origin that allows it (CORS)', async () => {
    const width = await page.evaluate(async () => {
      const el = document.querySelector<HTMLElementTagNameMap['palette-extractor']>('#plain')!;
      el.src = location.href.replace('localhost', '127.0.0.1').replace(/test\/pages\/.*$/, 'public/samples/rocket.jpg?cors');
      return (await el.extract()).width;
    });
    expect(width).toBe(640);
  });
});

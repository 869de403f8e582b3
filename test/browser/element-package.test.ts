/**
 * The package as published: `npm run build` emits dist/ (code, types, manifest), and pages that load only dist/
 * get a working element, in light DOM and inside another element's shadow root.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { launchBrowser, watchPageErrors } from '../helpers/browser.js';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import type { PaletteDetail } from '../../src/events/details.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('the built package', () => {
  it('emits the module, its types and the custom elements manifest', () => {
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/palette-extractor.d.ts', 'dist/custom-elements.json']) {
      expect(existsSync(resolve(ROOT, file)), file).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(resolve(ROOT, 'dist/custom-elements.json'), 'utf8'));
    const declarations = manifest.modules.flatMap((m: { declarations?: unknown[] }) => m.declarations ?? []);
    const element = declarations.find((d: { tagName?: string }) => d.tagName === 'palette-extractor');
    expect(element).toBeDefined();
    const names = (list: { name: string }[] = []) => list.map((x) => x.name);
    expect(names(element.attributes)).toEqual(
      expect.arrayContaining(['src', 'colors', 'seed', 'backend', 'color-space', 'sample-size', 'max-iterations', 'n-init', 'compare']),
    );
    expect(names(element.events)).toEqual(expect.arrayContaining(['palette-change', 'palette-error', 'palette-compare']));
    expect(names(element.cssParts)).toEqual(
      expect.arrayContaining(['dropzone', 'preview', 'swatches', 'swatch', 'recolored', 'stats']),
    );
    expect(element.cssProperties.length).toBeGreaterThan(5);
  });

  it('keeps lit out of dist/index.js, so a host page shares its own copy', () => {
    const code = readFileSync(resolve(ROOT, 'dist/index.js'), 'utf8');
    expect(code).toMatch(/from ["']lit["']/);
  });
});

describe('pages that load only dist/', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function paletteOf(page: Page, selector: string): Promise<PaletteDetail> {
    await page.waitForFunction((s) => document.querySelector<PaletteExtractor>(s)?.palette, { timeout: 120_000 }, selector);
    return page.evaluate((s) => document.querySelector<PaletteExtractor>(s)!.palette!, selector);
  }

  it('works with dist/index.js and an import map for lit', async () => {
    const page = await browser.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${inject('baseUrl')}/test/pages/element.html`);
    const palette = await paletteOf(page, '#plain');
    expect(palette.colors).toHaveLength(4);
    expect([palette.width, palette.height]).toEqual([600, 400]);
    expect(errors).toEqual([]);
  });

  it('downloads the palette as a GIMP palette named after the image, chosen in the export menu', async () => {
    const dir = mkdtempSync(resolve(tmpdir(), 'palette-download-'));
    try {
      const page = await browser.newPage();
      const cdp = await page.createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, eventsEnabled: true });
      const finished = new Promise<void>((ok) =>
        cdp.on('Browser.downloadProgress', (e: { state: string }) => e.state === 'completed' && ok()),
      );
      await page.goto(`${inject('baseUrl')}/test/pages/element.html`);
      const palette = await paletteOf(page, '#plain');
      await page.select('#plain >>> [part~=export-format]', 'gpl');
      await page.click('#plain >>> .action.primary');
      await finished;
      const text = readFileSync(resolve(dir, 'coffee.gpl'), 'utf8');
      const rows = text.trimEnd().split('\n');
      expect(rows[0]).toBe('GIMP Palette');
      expect(rows.slice(4).map((r) => r.split('\t')[1]!.split(' ')[0])).toEqual(palette.colors.map((c) => c.hex));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('works with the self-contained bundle alone', async () => {
    const page = await browser.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${inject('baseUrl')}/test/pages/element-bundled.html`);
    const palette = await paletteOf(page, '#plain');
    expect(palette.colors).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('works inside another element’s shadow root, its events crossing the boundary', async () => {
    const page = await browser.newPage();
    const errors = watchPageErrors(page);
    await page.goto(`${inject('baseUrl')}/test/pages/element.html`);
    const result = await page.evaluate(async () => {
      customElements.define(
        'photo-card',
        class extends HTMLElement {
          constructor() {
            super();
            this.attachShadow({ mode: 'open' }).innerHTML =
              '<palette-extractor colors="3" sample-size="64" src="/public/samples/chelsea.png"></palette-extractor>';
          }
        },
      );
      // Heard at document level, where the event is retargeted to the shadow host (the page's own element fires too).
      const heard = new Promise<{ target: string; detail: PaletteDetail }>((ok) =>
        document.addEventListener('palette-change', (e) => {
          const target = (e.target as Element).tagName;
          if (target === 'PHOTO-CARD') ok({ target, detail: (e as CustomEvent).detail });
        }),
      );
      document.body.append(document.createElement('photo-card'));
      const event = await heard;
      const inner = document.querySelector('photo-card')!.shadowRoot!.querySelector<PaletteExtractor>('palette-extractor')!;
      await inner.updateComplete;
      return { event, swatches: inner.shadowRoot!.querySelectorAll('[part~=swatch]').length };
    });
    expect(result.event.target).toBe('PHOTO-CARD');
    expect(result.event.detail.colors).toHaveLength(3);
    expect(result.swatches).toBe(3);
    expect(errors).toEqual([]);
  });
});

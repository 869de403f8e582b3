/**
 * Input the element has to survive, in Chromium with WebGPU (SwiftShader here), with `compare` on so that every
 * palette is checked on the GPU and the CPU at once: a 1×1 image, one colour or three with k above them, a fully
 * transparent image, a PNG that declares 30000×30000 pixels, numbers out of range and fractions. Each ends in a clean
 * palette or a documented `palette-error`, and the palette and image shown before stay until a new result replaces
 * them. (404, not an image, empty, truncated, cross-origin and `colors="abc"`/`"0"` are in element-errors/basics.)
 */
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import type { PaletteCompareDetail, PaletteDetail, PaletteErrorDetail } from '../../src/events/details.js';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import { launchBrowser } from '../helpers/browser.js';
import { openProbedPage, probeFindings, type PageProblem, type Settled } from '../helpers/reliability.js';

declare function nextOutcome(el: Element, ms?: number): Promise<Settled>;

/** A PNG whose header declares `width`×`height` RGBA pixels, with a few bytes of image data: valid up to its IDAT. */
function hugePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, adaptive filtering, not interlaced
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const rows = deflateSync(Buffer.alloc(1 + 4 * 64)); // one filtered row's worth of zeros
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

interface Shown {
  outcome: Settled;
  compare?: PaletteCompareDetail;
  hexes: string[];
  /** The original image shown is the very canvas shown before the change. */
  sameImage: boolean;
  alert: string;
}

describe('<palette-extractor> given hostile input', () => {
  let browser: Browser;
  let page: Page;
  let problems: PageProblem[];
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page, problems } = await openProbedPage(browser, `${inject('baseUrl')}/test/pages/reliability.html`));
    await page.evaluate(async () => {
      const el = document.createElement('palette-extractor');
      el.id = 'el';
      el.setAttribute('colors', '4');
      el.setAttribute('n-init', '2');
      el.compare = true;
      document.body.append(el);
      const first = nextOutcome(el);
      el.src = '/public/samples/chelsea.png';
      await first;
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /**
   * Runs `change` (a function body with `el` in scope) and resolves with what the element then shows. While the new
   * run is in flight, the old palette and image must still be shown.
   */
  function show(change: string): Promise<Shown> {
    return page.evaluate(async (change) => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      const root = el.shadowRoot!;
      const hexes = () => [...root.querySelectorAll('[part~=swatch] .hex')].map((s) => s.textContent ?? '');
      const before = { hexes: hexes(), original: root.querySelector('[part~=original]') };
      let compare: PaletteCompareDetail | undefined;
      el.addEventListener('palette-compare', (e) => (compare = (e as Event & { detail: PaletteCompareDetail }).detail), {
        once: true,
      });
      const outcome = nextOutcome(el);
      await new Function('el', `return (async () => { ${change} })()`)(el);
      await el.updateComplete;
      const keptWhileRunning = hexes().join() === before.hexes.join() && root.querySelector('[part~=original]') === before.original;
      if (!keptWhileRunning) throw new Error('the old palette or image went away before a new result arrived');
      const settled = await outcome;
      await el.updateComplete;
      return {
        outcome: settled,
        ...(compare ? { compare } : {}),
        hexes: hexes(),
        sameImage: root.querySelector('[part~=original]') === before.original,
        alert: root.querySelector('[part~=error]')?.textContent ?? '',
      };
    }, change);
  }

  /** A clean palette: each hex once, no NaN, counts adding up to the pixels used, fractions to 1; CPU equal to GPU. */
  function expectClean(shown: Shown, distinct: number): PaletteDetail {
    expect(shown.outcome.type).toBe('palette-change');
    const detail = shown.outcome.detail as PaletteDetail;
    expect(detail.colors).toHaveLength(distinct);
    expect(new Set(detail.colors.map((c) => c.hex)).size).toBe(distinct);
    expect(shown.hexes).toEqual(detail.colors.map((c) => c.hex));
    for (const c of detail.colors) {
      expect(c.hex).toMatch(/^#[0-9a-f]{6}$/);
      expect(Number.isFinite(c.fraction) && c.count > 0).toBe(true);
    }
    expect(detail.colors.reduce((s, c) => s + c.count, 0)).toBe(detail.pixelsUsed);
    expect(detail.colors.reduce((s, c) => s + c.fraction, 0)).toBeCloseTo(1, 12);
    expect(Number.isFinite(detail.inertia)).toBe(true);
    expect(shown.compare?.cpu.colors).toEqual(shown.compare?.gpu.colors);
    expect(shown.compare?.labelAgreement).toBe(1);
    return detail;
  }

  /** The error is the documented one, it is shown, and the palette and image from before are still there. */
  function expectRefused(shown: Shown, before: Shown, code: string): void {
    expect(shown.outcome.type).toBe('palette-error');
    const detail = shown.outcome.detail as PaletteErrorDetail;
    expect(detail.code).toBe(code);
    expect(shown.alert).toBe(detail.message);
    expect(shown.hexes).toEqual(before.hexes);
    expect(shown.sameImage).toBe(true);
  }

  let good: Shown;

  it('shows the one colour of a 1×1 image', async () => {
    const shown = await show(`
      const canvas = new OffscreenCanvas(1, 1);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#3a7bd5';
      ctx.fillRect(0, 0, 1, 1);
      el.image = new File([await canvas.convertToBlob()], 'one-pixel.png', { type: 'image/png' });`);
    const detail = expectClean(shown, 1);
    // k is fitted to the one pixel there is (k-means needs k ≤ points), rather than refused.
    expect(detail).toMatchObject({ width: 1, height: 1, pixelsUsed: 1, k: 1 });
    expect(detail.colors[0]).toMatchObject({ hex: '#3a7bd5', count: 1, fraction: 1 });
  });

  it.each([
    [1, 8],
    [3, 10],
  ])('shows the %i colour(s) there are when colors=%i asks for more, each once', async (distinct, colors) => {
    const shown = await show(`
      const image = new ImageData(40, 30);
      const colours = [[200, 30, 40], [20, 160, 90], [250, 250, 250]].slice(0, ${distinct});
      for (let i = 0; i < 40 * 30; i++) image.data.set([...colours[i % colours.length], 255], 4 * i);
      el.setAttribute('colors', '${colors}');
      el.image = image;`);
    const detail = expectClean(shown, distinct);
    expect(detail.k).toBe(colors);
    good = shown;
  });

  it('reports a fully transparent image as no-opaque-pixels and keeps the palette and image shown', async () => {
    const shown = await show(`el.image = new ImageData(16, 16);`);
    expectRefused(shown, good, 'no-opaque-pixels');
  });

  it('reports a PNG that declares 30000×30000 pixels cleanly and keeps the palette and image shown', async () => {
    const bytes = [...hugePng(30000, 30000)];
    const shown = await show(`el.image = new File([new Uint8Array(${JSON.stringify(bytes)})], 'huge.png', { type: 'image/png' });`);
    // The header is read before decoding: refused as too-large, with the declared size in the message.
    const { code, message } = shown.outcome.detail as PaletteErrorDetail;
    expect(code).toBe('too-large');
    expect(message).toMatch(/30000 × 30000/);
    expectRefused(shown, good, code);
  });

  it('reports seed="1.5" as invalid-option and keeps the palette and image shown', async () => {
    const shown = await show(`el.setAttribute('seed', '1.5');`);
    expectRefused(shown, good, 'invalid-option');
    expect((shown.outcome.detail as PaletteErrorDetail).message).toMatch(/seed/);
  });

  it.each([
    ['colors', '-1', 'k', 1],
    ['seed', '-1', 'seed', 0],
    ['colors', '100000', 'k', 256],
  ])('clamps %s="%s" to %s %i', async (attribute, value, key, expected) => {
    const shown = await show(`
      el.setAttribute('seed', '0');
      el.setAttribute('n-init', '1');
      el.image = seededImage(24, 24, 7, 400);
      el.setAttribute('${attribute}', '${value}');`);
    expect(shown.outcome.type).toBe('palette-change');
    const detail = shown.outcome.detail as PaletteDetail;
    expect(detail[key as 'k' | 'seed']).toBe(expected);
    expectClean(shown, detail.colors.length);
    if (key === 'k') expect(detail.colors.length).toBe(Math.min(expected, 24 * 24));
  });

  it('left no unhandled rejection, CSP violation or console error behind', async () => {
    expect(await probeFindings(page)).toEqual({ rejections: [], violations: [] });
    expect(problems).toEqual([]);
  });
});

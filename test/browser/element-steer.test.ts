/**
 * Steering the palette in the element, in Chromium with WebGPU (SwiftShader here): `ignore` leaves colours out (a
 * product photo's white backdrop takes no swatch) and shows them as left out in the recoloured image; `region` takes
 * the palette from part of the image and recolours all of it; both agree bit for bit between the GPU and the CPU
 * (`compare`), and bad text is an `invalid-option`.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import type { PaletteDetail, PaletteErrorDetail } from '../../src/events/details.js';
import { SETTLE_HELPER, type Outcome } from '../helpers/page-settle.js';
import { launchBrowser, openTestPage } from '../helpers/browser.js';

/** In the page: a 120×80 "product photo": a white backdrop (with a little noise) around a red and a blue block. */
const PRODUCT = `
window.productPhoto = () => {
  const image = new ImageData(120, 80);
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 29) - 2;
  for (let y = 0; y < 80; y++) for (let x = 0; x < 120; x++) {
    const i = 4 * (y * 120 + x);
    let rgb = [253 + Math.min(2, noise()), 253 + Math.min(2, noise()), 252 + Math.min(3, noise())];
    if (y >= 20 && y < 60 && x >= 20 && x < 55) rgb = [200, 30, 40];
    if (y >= 20 && y < 60 && x >= 65 && x < 100) rgb = [30, 60, 190];
    image.data.set([...rgb, 255], i);
  }
  return image;
};
${SETTLE_HELPER}`;
declare function productPhoto(): ImageData;
declare function settle(el: Element, change: () => void): Promise<Outcome>;

describe('<palette-extractor> steered by ignore and region', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page, errors } = await openTestPage(browser, `${inject('baseUrl')}/test/pages/reliability.html`));
    await page.evaluate(PRODUCT);
    await page.evaluate(async () => {
      await customElements.whenDefined('palette-extractor');
      const el = document.createElement('palette-extractor') as PaletteExtractor & { __lastCompare?: unknown };
      el.id = 'el';
      el.addEventListener('palette-compare', (e) => (el.__lastCompare = (e as CustomEvent).detail));
      Object.assign(el, { backend: 'gpu', compare: true, colors: 2, nInit: 2, sampleSize: 'full' });
      document.body.append(el);
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const run = (props: Record<string, unknown>) =>
    page.evaluate(async (props) => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      return settle(el, () => {
        Object.assign(el, props);
        if (!el.image) el.image = productPhoto();
      });
    }, props);

  it('gives the white backdrop a swatch without ignore, and none with ignore="white", on the GPU and the CPU alike', async () => {
    const plain = await run({ ignore: '' });
    expect(plain.type).toBe('palette-change');
    const hexes = (plain.detail as PaletteDetail).colors.map((c) => c.hex);
    expect(hexes.some((h) => h.startsWith('#f') || h.startsWith('#e'))).toBe(true);

    const ignored = await run({ ignore: 'white' });
    expect(ignored.type).toBe('palette-change');
    const detail = ignored.detail as PaletteDetail;
    expect(detail.colors.map((c) => c.hex).sort()).toEqual(['#1e3cbe', '#c81e28']);
    expect(detail.pixelsUsed).toBe(2 * 35 * 40);
    expect(ignored.compare!.labelAgreement).toBe(1);
    expect(ignored.compare!.cpu.colors).toEqual(ignored.compare!.gpu.colors);
  });

  it('hands the ignore mask to the CPU worker (the page does no per-pixel pass for it), on the GPU path too', async () => {
    const sent = await page.evaluate(async () => {
      const types: { type: string; pixels?: number }[] = [];
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
        const m = message as { type?: string; pixels?: { width: number; height: number } };
        if (m && typeof m.type === 'string') types.push({ type: m.type, ...(m.pixels ? { pixels: m.pixels.width * m.pixels.height } : {}) });
        return (post as (...a: unknown[]) => void).call(this, message, ...rest);
      };
      try {
        const el = document.querySelector<PaletteExtractor>('#el')!;
        await settle(el, () => Object.assign(el, { ignore: 'white #00ff00' }));
      } finally {
        Worker.prototype.postMessage = post;
      }
      return types;
    });
    expect(sent).toContainEqual({ type: 'mask', pixels: 120 * 80 });
  });

  it('shows ignored pixels as left out (transparent) in the recoloured image', async () => {
    const alpha = await page.evaluate(() => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      const canvas = el.shadowRoot!.querySelector<HTMLCanvasElement>('[part~=recolored]')!;
      const probe = new OffscreenCanvas(canvas.width, canvas.height).getContext('2d')!;
      probe.drawImage(canvas, 0, 0);
      const at = (x: number, y: number) => [...probe.getImageData(x, y, 1, 1).data];
      return { backdrop: at(5, 5), red: at(30, 30), blue: at(80, 30) };
    });
    expect(alpha.backdrop[3]).toBe(0);
    expect(alpha.red).toEqual([200, 30, 40, 255]);
    expect(alpha.blue).toEqual([30, 60, 190, 255]);
  });

  it.each(['gpu', 'cpu'])('leaves ignored pixels out of a downscaled sample and of the full-size recolour (backend %s)', async (backend) => {
    const outcome = await run({ ignore: 'white', sampleSize: '60', compare: false, backend });
    expect(outcome.type).toBe('palette-change');
    // The 60 × 40 sample blends the blocks' edges with the backdrop: a reddish and a bluish centre, no white one.
    const colors = (outcome.detail as PaletteDetail).colors.map((c) => c.rgb);
    expect(colors).toHaveLength(2);
    expect(colors.every(([r, g, b]) => Math.min(r, g, b) < 100)).toBe(true);
    const pixels = await page.evaluate(() => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      const canvas = el.shadowRoot!.querySelector<HTMLCanvasElement>('[part~=recolored]')!;
      const probe = new OffscreenCanvas(canvas.width, canvas.height).getContext('2d')!;
      probe.drawImage(canvas, 0, 0);
      const at = (x: number, y: number) => [...probe.getImageData(x, y, 1, 1).data];
      return { size: [canvas.width, canvas.height], backdrop: at(5, 5), red: at(30, 30) };
    });
    await run({ ignore: '', sampleSize: 'full', compare: true, backend: 'gpu' });
    expect(pixels.size).toEqual([120, 80]);
    expect(pixels.backdrop[3]).toBe(0);
    expect(colors).toContainEqual(pixels.red.slice(0, 3));
  });

  it('takes the palette from a region and recolours the whole image with it, on the GPU and the CPU alike', async () => {
    const left = await run({ ignore: '', colors: 2, region: '0 0 50% 100%' });
    expect(left.type).toBe('palette-change');
    const detail = left.detail as PaletteDetail;
    // The left half holds backdrop and red only.
    expect(detail.colors).toHaveLength(2);
    expect(detail.colors.map((c) => c.hex)).toContain('#c81e28');
    expect(detail.colors.map((c) => c.hex)).not.toContain('#1e3cbe');
    expect([detail.sampleWidth, detail.sampleHeight]).toEqual([60, 80]);
    expect([detail.width, detail.height]).toEqual([120, 80]);
    expect(left.compare!.labelAgreement).toBe(1);
    const blueBecomes = await page.evaluate(() => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      const canvas = el.shadowRoot!.querySelector<HTMLCanvasElement>('[part~=recolored]')!;
      const probe = new OffscreenCanvas(canvas.width, canvas.height).getContext('2d')!;
      probe.drawImage(canvas, 0, 0);
      const [r, g, b] = probe.getImageData(80, 30, 1, 1).data;
      return `#${[r!, g!, b!].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    });
    expect(detail.colors.map((c) => c.hex)).toContain(blueBecomes);
    await run({ region: '' });
  });

  it('sets region from a drag on the photo with "Select region" on, and runs on it', async () => {
    const box = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      el.compare = false;
      await el.extract();
      await el.updateComplete;
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=select-region]')!.click();
      await el.updateComplete;
      const r = el.shadowRoot!.querySelector('.region-draw')!.getBoundingClientRect();
      return { x: r.left, y: r.top, w: r.width, h: r.height };
    });
    const next = page.evaluate(() => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      return settle(el, () => {});
    });
    // From inside the red block to its far corner: 20..55 × 20..60 of 120 × 80.
    await page.mouse.move(box.x + box.w * (21 / 120), box.y + box.h * (21 / 80));
    await page.mouse.down();
    await page.mouse.move(box.x + box.w * (40 / 120), box.y + box.h * (40 / 80), { steps: 4 });
    await page.mouse.move(box.x + box.w * (54 / 120), box.y + box.h * (59 / 80), { steps: 4 });
    await page.mouse.up();
    const outcome = await next;
    const region = await page.evaluate(() => document.querySelector('#el')!.getAttribute('region'));
    const [x, y, w, h] = region!.split(' ').map(Number);
    expect(x! >= 20 && y! >= 20 && x! + w! <= 56 && y! + h! <= 61).toBe(true);
    expect(outcome.type).toBe('palette-change');
    expect((outcome.detail as PaletteDetail).colors.map((c) => c.hex)).toEqual(['#c81e28']);
    await run({ region: '', compare: true });
  });

  it.each([
    ['ignore', 'white #12345'],
    ['ignore', 'purple'],
    ['region', '10 10 0 5'],
    ['region', '500 500 10 10'],
  ])('reports %s="%s" as invalid-option and keeps the palette shown', async (name, value) => {
    const outcome = await run({ [name]: value });
    expect(outcome.type).toBe('palette-error');
    expect((outcome.detail as PaletteErrorDetail).code).toBe('invalid-option');
    expect((outcome.detail as PaletteErrorDetail).message).toMatch(new RegExp(name));
    await run({ [name]: '' });
  });

  it('says how many distinct colours there are when the image has fewer than k, and shows each', async () => {
    const result = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      const three = new ImageData(30, 10);
      for (let i = 0; i < 300; i++) three.data.set([[250, 0, 0], [0, 128, 0], [0, 0, 255]][i % 3]!.concat(255), 4 * i);
      const outcome = await settle(el, () => Object.assign(el, { colors: 8, image: three }));
      await el.updateComplete;
      return { outcome, notice: el.shadowRoot!.querySelector('[part~=notice]')?.textContent ?? '' };
    });
    expect((result.outcome.detail as PaletteDetail).colors.map((c) => c.hex).sort()).toEqual(['#0000ff', '#008000', '#fa0000']);
    expect(result.notice).toMatch(/3 colours instead of 8: the image has only 3 distinct colours/);
  });

  it.each(['rgb', 'oklab'])('gives a grey image greys only, never an invented hue (%s)', async (colorSpace) => {
    const colors = await page.evaluate(async (colorSpace) => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      const greys = new ImageData(256, 4);
      for (let i = 0; i < 1024; i++) {
        const v = (i * 37) % 256;
        greys.data.set([v, v, v, 255], 4 * i);
      }
      const outcome = await settle(el, () => Object.assign(el, { colors: 6, colorSpace, image: greys }));
      return (outcome.detail as PaletteDetail).colors.map((c) => c.rgb);
    }, colorSpace);
    expect(colors).toHaveLength(6);
    for (const [r, g, b] of colors) expect(r === g && g === b).toBe(true);
    await page.evaluate(() => Object.assign(document.querySelector<PaletteExtractor>('#el')!, { colorSpace: 'rgb' }));
  });

  it('logged no page error', () => {
    expect(errors).toEqual([]);
  });
});

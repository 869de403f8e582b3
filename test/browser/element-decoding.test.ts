/**
 * Decoding, stated: a JPEG's EXIF orientation is honoured as the browser shows the image (an <img> and the recoloured
 * preview face the same way), and 16-bit and greyscale PNGs give the palette of the 8-bit RGB image they hold (the
 * same palette the core computes in Node). The images are made here, small, with pngjs and jpeg-js.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import jpeg from 'jpeg-js';
import { PNG, type PNGOptions } from 'pngjs';
import { launchBrowser, openTestPage } from '../helpers/browser.js';
import type { PaletteDetail } from '../../src/events/details.js';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import { extractPalette } from '../../src/core/palette.js';
import { seededRandom } from '../helpers/images.js';

const W = 48;
const H = 24;

/** Four flat colour blocks with a little seeded noise: its palette (k = 4) says which block is where. */
function blocks(): Uint8ClampedArray<ArrayBuffer> {
  const colours = [
    [200, 40, 40],
    [40, 160, 60],
    [40, 70, 200],
    [230, 210, 60],
  ];
  const random = seededRandom(11);
  const data = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      // Unequal blocks (left third / right two thirds), so a rotation or a mirror moves the colours visibly.
      const c = colours[(x < W / 3 ? 0 : 1) + (y < H / 2 ? 0 : 2)]!;
      const o = 4 * (y * W + x);
      for (let i = 0; i < 3; i++) data[o + i] = c[i]! + Math.round((random() - 0.5) * 8);
      data[o + 3] = 255;
    }
  }
  return data;
}

/** A JPEG with an EXIF APP1 segment carrying `orientation` (TIFF tag 0x0112), inserted after SOI. */
function jpegWithOrientation(orientation: number): Buffer {
  const { data } = jpeg.encode({ data: Buffer.from(blocks().buffer), width: W, height: H }, 100);
  const tiff = Buffer.from([
    0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, // "II", 42, first IFD at 8
    0x01, 0x00, // one entry
    0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, orientation, 0x00, 0x00, 0x00, // Orientation, SHORT, 1, value
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  return Buffer.concat([data.subarray(0, 2), app1, data.subarray(2)]);
}

/** A PNG of `blocks()` in another encoding: 16 bits per channel (value × 257, so each byte is exact) or greyscale. */
function png(kind: '16-bit' | 'grey'): { file: Buffer; rgba: Uint8ClampedArray<ArrayBuffer> } {
  const rgba = blocks();
  const png = new PNG({ width: W, height: H });
  if (kind === 'grey') {
    // The grey the browser will give back for each pixel: the PNG holds one channel, which it repeats.
    for (let i = 0; i < rgba.length; i += 4) rgba[i + 1] = rgba[i + 2] = rgba[i]!;
    png.data = Buffer.from(rgba.buffer);
    const options: PNGOptions = { colorType: 0, inputColorType: 6, bitDepth: 8 };
    return { file: PNG.sync.write(png, options), rgba };
  }
  const wide = new Uint16Array(rgba.length);
  for (let i = 0; i < rgba.length; i++) wide[i] = rgba[i]! * 257;
  png.data = Buffer.from(wide.buffer);
  const options: PNGOptions = { colorType: 6, inputColorType: 6, bitDepth: 16 };
  return { file: PNG.sync.write(png, options), rgba };
}

describe('decoding, stated and tested', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: false });
    ({ page, errors } = await openTestPage(browser, `${inject('baseUrl')}/test/pages/element.html`));
    await page.evaluate(() => customElements.whenDefined('palette-extractor'));
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The element's palette for `file` (k = 4, CPU, exact), and its recoloured preview's pixels. */
  function runFile(file: Buffer, type: string) {
    return page.evaluate(
      async (base64, type) => {
        const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
        const blob = new Blob([bytes], { type });
        const el = document.createElement('palette-extractor') as PaletteExtractor;
        Object.assign(el, { colors: 4, seed: 0, backend: 'cpu', image: blob });
        document.body.replaceChildren(el);
        const palette: PaletteDetail = await el.extract();
        await el.updateComplete;
        const recolored = el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas[part~=recolored]')!;
        const read = (source: CanvasImageSource, w: number, h: number) => {
          const ctx = new OffscreenCanvas(w, h).getContext('2d')!;
          ctx.drawImage(source, 0, 0);
          return Array.from(ctx.getImageData(0, 0, w, h).data);
        };
        const img = new Image();
        img.src = URL.createObjectURL(blob);
        await img.decode();
        return {
          palette,
          img: { width: img.naturalWidth, height: img.naturalHeight, pixels: read(img, img.naturalWidth, img.naturalHeight) },
          recolored: { width: recolored.width, height: recolored.height, pixels: read(recolored, recolored.width, recolored.height) },
        };
      },
      file.toString('base64'),
      type,
    );
  }

  it.each([1, 3, 6, 8])('faces a JPEG with EXIF orientation %i as an <img> shows it, in the palette run and the preview', async (orientation) => {
    const { palette, img, recolored } = await runFile(jpegWithOrientation(orientation), 'image/jpeg');
    const turned = orientation >= 5;
    expect([img.width, img.height]).toEqual(turned ? [H, W] : [W, H]);
    expect([palette.width, palette.height]).toEqual([img.width, img.height]);
    expect([recolored.width, recolored.height]).toEqual([img.width, img.height]);
    // Every recoloured pixel is near the <img>'s pixel at the same place (flat blocks: the palette colour of its block).
    let far = 0;
    for (let i = 0; i < img.pixels.length; i += 4) {
      const d = Math.max(...[0, 1, 2].map((ch) => Math.abs(img.pixels[i + ch]! - recolored.pixels[i + ch]!)));
      if (d > 24) far++;
    }
    expect(far).toBe(0);
    expect(errors).toEqual([]);
  });

  it.each(['16-bit', 'grey'] as const)('gives a %s PNG the palette of the 8-bit RGB image it holds, as the core does in Node', async (kind) => {
    const { file, rgba } = png(kind);
    const { palette } = await runFile(file, 'image/png');
    expect([palette.width, palette.height]).toEqual([W, H]);
    const node = await extractPalette({ data: rgba, width: W, height: H }, { k: 4, seed: 0, backend: 'cpu' });
    expect(palette.colors.map(({ hex, count }) => ({ hex, count }))).toEqual(
      node.colors.map(({ hex, count }) => ({ hex, count })),
    );
    expect(errors).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { extractPalette } from '../../src/core/palette.js';
import { gaussianKernel, resizeImage, resizeImageAsync, resizeToPixels, toPixelImage } from '../../src/core/resample.js';
import { fdlibmExp } from '../../src/core/exp.js';
import { kmeans } from '../../src/core/sklearn/kmeans.js';
import { InvalidInputError, InvalidOptionError } from '../../src/core/errors.js';
import { sampleDimensions } from '../../src/image/sample-size.js';
import { NOTEBOOK_CASES, loadNotebookCase, notebookColors, rgbToRgba } from '../helpers/notebook.js';
import { randomImage } from '../helpers/images.js';
import { referenceResize } from '../helpers/resample-reference.js';
import { describeBothEngines } from '../helpers/engines.js';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe("resizeImage reproduces scikit-image 0.19.3's resize", () => {
  it.each(NOTEBOOK_CASES)('matches the notebook fixture %s to 1e-12', (name) => {
    const c = loadNotebookCase(name);
    const { rgb, width, height } = c.input;
    const out = resizeImage({ data: rgb, width, height, channels: 3 }, c.output.width, c.output.height);
    expect([out.width, out.height, out.channels]).toEqual([c.output.width, c.output.height, 3]);
    expect(maxAbsDiff(out.data, c.output.rgb)).toBeLessThanOrEqual(1e-12);
  });

  it('enlarges bit for bit as scipy does (no anti-aliasing, no exponential involved)', () => {
    const c = loadNotebookCase('random-5x4-up-9x13');
    const { rgb, width, height } = c.input;
    const out = resizeImage({ data: rgb, width, height, channels: 3 }, c.output.width, c.output.height);
    expect(Array.from(out.data)).toEqual(Array.from(c.output.rgb));
  });

  it('gives an RGBA image the RGB result, with its alpha resized and clipped apart', () => {
    const c = loadNotebookCase('random-37x23-7x11');
    const { rgb, width, height } = c.input;
    const rgba = rgbToRgba(rgb);
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = i % 8 === 3 ? 200 : 100;
    const fromRgb = resizeImage({ data: rgb, width, height, channels: 3 }, 11, 7);
    const fromRgba = resizeImage({ data: rgba, width, height }, 11, 7);
    for (let p = 0; p < 77; p++) {
      expect(Array.from(fromRgba.data.subarray(4 * p, 4 * p + 3))).toEqual(Array.from(fromRgb.data.subarray(3 * p, 3 * p + 3)));
      const alpha = fromRgba.data[4 * p + 3]!;
      expect(alpha).toBeGreaterThanOrEqual(100 / 255);
      expect(alpha).toBeLessThanOrEqual(200 / 255);
    }
  });

  it('keeps an opaque alpha exactly 1', () => {
    const c = loadNotebookCase('chelsea-200x200');
    const { rgb, width, height } = c.input;
    const out = resizeImage({ data: rgbToRgba(rgb), width, height }, 133, 200);
    for (let i = 3; i < out.data.length; i += 4) expect(out.data[i]).toBe(1);
  });

  it('builds the Gaussian kernel scipy builds: radius int(4σ + 0.5), normalised, symmetric', () => {
    const k = gaussianKernel((451 / 200 - 1) / 2);
    expect(k).toHaveLength(7);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    for (let i = 0; i < 3; i++) expect(k[i]).toBe(k[6 - i]);
    expect(gaussianKernel(9.5)).toHaveLength(77);
  });

  it("computes the kernel's exp as fdlibm does, which is V8's Math.exp, in plain double arithmetic", () => {
    // Every argument a kernel can take is −x²/(2σ²) ≥ −8.5; a wider grid checks the range reduction too.
    let differing = 0;
    for (let i = 0; i <= 200_000; i++) {
      const x = -20 + i * 1e-4 + i * 1e-11;
      if (fdlibmExp(x) !== Math.exp(x)) differing++;
    }
    expect(differing).toBe(0);
    expect([fdlibmExp(0), fdlibmExp(-Infinity), fdlibmExp(-1000), fdlibmExp(1000)]).toEqual([1, 0, 0, Infinity]);
    expect(fdlibmExp(Number.NaN)).toBeNaN();
  });

  it('resizes the same in slices as at once, pausing between slices', async () => {
    const image = randomImage(300, 200, 7);
    let pauses = 0;
    const pause = () => {
      pauses++;
      return Promise.resolve();
    };
    const sliced = await resizeImageAsync(image, 64, 40, { sliceMs: 0, pause });
    expect(pauses).toBeGreaterThan(10);
    expect(Array.from(sliced.data)).toEqual(Array.from(resizeImage(image, 64, 40).data));
  });

  it('stops with AbortError when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    const image = randomImage(50, 50, 1);
    expect(() => resizeImage(image, 10, 10, { signal: controller.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
    await expect(resizeImageAsync(image, 10, 10, { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
  });

  it('refuses pixels of the wrong length and sizes below 1', () => {
    expect(() => resizeImage({ data: new Uint8Array(10), width: 2, height: 2 }, 1, 1)).toThrow(InvalidInputError);
    expect(() => resizeImage({ data: new Uint8Array(16), width: 2, height: 2 }, 0, 1)).toThrow(InvalidOptionError);
  });

  it('keeps the aspect in fit mode: 451×300 fits 200 as 200×133', () => {
    expect(sampleDimensions({ kind: 'fit', size: 200 }, 451, 300)).toEqual({ width: 200, height: 133 });
  });
});

/** Seeded bytes: noise, or a gradient with a little noise (`smooth`), with alpha opaque, varying or absent. */
function testImage(width: number, height: number, channels: number, seed: number, smooth = false, alpha: 'opaque' | 'varying' = 'varying') {
  const data = new Uint8Array(width * height * channels);
  let state = seed * 2654435761 || 1;
  for (let i = 0; i < data.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const x = Math.floor(i / channels) % width;
    data[i] = smooth ? (x * 5 + (state & 7)) & 255 : state & 255;
    if (channels === 4 && i % 4 === 3 && alpha === 'opaque') data[i] = 255;
  }
  return { data, width, height, channels };
}

describeBothEngines('resizeImage gives the plain whole-image resize, bit for bit', () => {

  // [width, height] → [width, height]: odd factors, enlarging, one axis each way, single rows and columns.
  const sizes: [number, number, number, number][] = [
    [37, 23, 11, 7],
    [300, 200, 64, 40],
    [451, 300, 200, 133],
    [301, 299, 300, 300],
    [5, 4, 13, 9],
    [100, 3, 10, 40],
    [3, 100, 40, 10],
    [1, 50, 1, 7],
    [50, 1, 9, 1],
    [1, 1, 5, 3],
    [240, 90, 17, 90],
    // Columns in several bands of 1,024; a kernel of radius 58 (a 30× shrink).
    [2600, 30, 41, 10],
    [240, 180, 8, 6],
  ];
  const kinds: { name: string; channels: number; alpha?: 'opaque' | 'varying'; smooth?: boolean }[] = [
    { name: 'opaque RGBA', channels: 4, alpha: 'opaque', smooth: true },
    { name: 'RGBA with varying alpha', channels: 4 },
    { name: 'RGB', channels: 3, smooth: true },
    { name: 'grey', channels: 1 },
  ];
  const cases = sizes.flatMap(([w, h, ow, oh], i) => kinds.map((kind) => ({ w, h, ow, oh, seed: i + 1, ...kind })));

  it.each(cases)('$w×$h → $ow×$oh, $name', ({ w, h, ow, oh, seed, channels, alpha, smooth }) => {
    const image = testImage(w, h, channels, seed, smooth, alpha);
    const out = resizeImage(image, ow, oh);
    const expected = referenceResize(image, ow, oh);
    expect(out.channels).toBe(channels);
    expect(Array.from(out.data)).toEqual(Array.from(expected.data));
  });

  it.each(cases.filter((c) => c.channels >= 3))('$w×$h → $ow×$oh, $name, as the engines take it (toPixelImage)', ({ w, h, ow, oh, seed, channels, alpha, smooth }) => {
    const image = testImage(w, h, channels, seed, smooth, alpha);
    const got = resizeToPixels(image, ow, oh);
    const expected = toPixelImage(referenceResize(image, ow, oh));
    expect([got.width, got.height]).toEqual([ow, oh]);
    expect(Array.from(got.float)).toEqual(Array.from(expected.float));
    expect(Array.from(got.data)).toEqual(Array.from(expected.data));
  });

  it('clips to the whole image\'s range when a value falls outside that of the rows read', () => {
    // 40 rows to 10 read rows 4i + 1 and 4i + 2; the dark row 0 is never read, but its blur reaches the rows read.
    const image = testImage(30, 40, 4, 9, true, 'opaque');
    for (let i = 0; i < 30 * 4; i++) if (i % 4 !== 3) image.data[i] = 0;
    for (let i = 30 * 4; i < image.data.length; i++) if (i % 4 !== 3) image.data[i] = 200 + (i % 7);
    const out = resizeImage(image, 10, 10);
    expect(Array.from(out.data)).toEqual(Array.from(referenceResize(image, 10, 10).data));
    expect(out.data[0]).toBeLessThan(200 / 255);
    const pixels = resizeToPixels(image, 10, 10);
    expect(Array.from(pixels.float)).toEqual(Array.from(toPixelImage(referenceResize(image, 10, 10)).float));
  });
});

describe("the notebook's palette from the resized image", () => {
  it.each(['chelsea-200x200', 'rocket-200x200'])(
    'gives the notebook hex colours, counts and iterations for %s in float64 arithmetic',
    async (name) => {
      const c = loadNotebookCase(name);
      const { rgb, width, height } = c.input;
      const sample = toPixelImage(resizeImage({ data: rgbToRgba(rgb), width, height }, 200, 200));
      const palette = await extractPalette(sample, { k: 5, seed: 0, backend: 'cpu', arithmetic: 'float64' });
      expect(palette.colors.map(({ hex, count }) => ({ hex, count }))).toEqual(notebookColors(c));
      expect(palette.iterations).toBe(c.palette!.nIter);
    },
  );

  it("clusters the float values, not the rounded bytes: the bytes alone move chelsea's palette", () => {
    const c = loadNotebookCase('chelsea-200x200');
    const { rgb, width, height } = c.input;
    const sample = toPixelImage(resizeImage({ data: rgbToRgba(rgb), width, height }, 200, 200));
    const fromBytes = new Float64Array(200 * 200 * 3);
    for (let p = 0; p < 200 * 200; p++) for (let ch = 0; ch < 3; ch++) fromBytes[3 * p + ch] = sample.data[4 * p + ch]! / 255;
    const counts = (labels: Int32Array) => labels.reduce((acc, l) => (acc[l]!++, acc), [0, 0, 0, 0, 0]);
    expect(counts(kmeans(fromBytes, { k: 5, seed: 0 }).labels)).not.toEqual(c.palette!.counts);
    expect(counts(kmeans(c.output.rgb, { k: 5, seed: 0 }).labels)).toEqual(c.palette!.counts);
  });

  it('rounds each float value to the nearest byte for the exact arithmetic', () => {
    const sample = toPixelImage({ data: Float64Array.from([0, 0.5, 1, 0.2]), width: 1, height: 1, channels: 4 });
    expect(Array.from(sample.data)).toEqual([0, 128, 255, 51]);
    expect(Array.from(sample.float)).toEqual([0, 0.5, 1, 0.2]);
  });

  it('refuses float values of the wrong length', async () => {
    const image = { data: Uint8ClampedArray.from([0, 0, 0, 255]), width: 1, height: 1, float: new Float64Array(3) };
    await expect(extractPalette(image, { k: 1, backend: 'cpu', arithmetic: 'float64' })).rejects.toThrow(InvalidInputError);
  });
});

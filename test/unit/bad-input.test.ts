/**
 * Hostile input on the core API, CPU side: every case ends in a result with no NaN, or in a typed `PaletteError`
 * with its documented `code`, never an untyped throw or a hang. The same table runs through the exact CPU engine,
 * `extractPalette` with the exact CPU backend and with scikit-learn's float64 arithmetic, so the three entry points
 * refuse the same input the same way. The GPU twins are in test/gpu/faults-input.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { cpuPixelKMeans } from '../../src/core/exact/index.js';
import {
  InvalidInputError,
  InvalidOptionError,
  NoOpaquePixelsError,
  PaletteError,
  type PaletteErrorCode,
} from '../../src/core/errors.js';
import { extractPalette } from '../../src/core/palette.js';
import type { ExtractPaletteOptions, PaletteResult, PixelImage } from '../../src/core/types.js';
import { badImages, badOptions, expectCleanPalette, fewColourImage, solidImage, transparentImage } from '../helpers/fuzz.js';

type Entry = (image: PixelImage, options: ExtractPaletteOptions) => Promise<unknown>;

const entries: [string, Entry][] = [
  ['cpuPixelKMeans', (image, options) => cpuPixelKMeans(image, options)],
  ["extractPalette (cpu, exact)", (image, options) => extractPalette(image, { ...options, backend: 'cpu' })],
  ["extractPalette (cpu, float64)", (image, options) => extractPalette(image, { ...options, backend: 'cpu', arithmetic: 'float64' })],
];

async function expectTyped(work: Promise<unknown>, type: new (...args: never[]) => PaletteError, code: PaletteErrorCode) {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'the call should have rejected').toBeInstanceOf(type);
  expect((error as PaletteError).code).toBe(code);
  expect((error as PaletteError).message.length).toBeGreaterThan(10);
}

describe.each(entries)('%s on bad input', (_, entry) => {
  it.each(badImages())('refuses $name with InvalidInputError', async ({ image }) => {
    await expectTyped(entry(image, { k: 2, nInit: 1 }), InvalidInputError, 'invalid-input');
  });

  it.each(badOptions())('refuses $name with InvalidOptionError', async ({ options }) => {
    await expectTyped(entry(solidImage(4, 4, [10, 20, 30]), { nInit: 1, ...options }), InvalidOptionError, 'invalid-option');
  });

  it('refuses a fully transparent image with NoOpaquePixelsError', async () => {
    await expectTyped(entry(transparentImage(6, 5), { k: 2, nInit: 1 }), NoOpaquePixelsError, 'no-opaque-pixels');
  });

  it('keeps the transparent pixels of a fully transparent image when alphaThreshold is 0', async () => {
    await expect(entry(transparentImage(6, 5), { k: 2, nInit: 1, alphaThreshold: 0 })).resolves.toBeTruthy();
  });

  it('refuses k above the number of opaque pixels with InvalidOptionError', async () => {
    await expectTyped(entry(solidImage(1, 1, [1, 2, 3]), { k: 2 }), InvalidOptionError, 'invalid-option');
  });
});

describe('the exact CPU engine on degenerate images', () => {
  it('clusters a 1×1 image into its one colour', async () => {
    const result = await cpuPixelKMeans(solidImage(1, 1, [200, 100, 50]), { k: 1 });
    expect(result.rgb).toEqual([[200, 100, 50]]);
    expect(result.labels).toEqual(new Int32Array([0]));
    expect(result.inertiaFixed).toBe(0n);
    expect(result.pixelsUsed).toBe(1);
    expect(result.converged).toBe(true);
  });

  it('puts every centre of a single-colour image on that colour, finite, when k exceeds the distinct colours', async () => {
    for (const colorSpace of ['rgb', 'oklab'] as const) {
      const result = await cpuPixelKMeans(solidImage(7, 5, [12, 250, 99]), { k: 6, nInit: 2, colorSpace });
      expect(result.centers.flat().every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(result.inertia)).toBe(true);
      expect(result.counts.reduce((a, b) => a + b, 0)).toBe(35);
      // Every centre sits on the one colour, and reports it exactly in both spaces (OKLab's code is one-to-one).
      expect(new Set(result.centersFixed).size).toBeLessThanOrEqual(3);
      for (const rgb of result.rgb) expect(rgb).toEqual([12, 250, 99]);
    }
  });
});

describe('extractPalette on images with fewer colours than k', () => {
  const cases: [string, PixelImage, number, ExtractPaletteOptions][] = [
    ['a single-colour image, k 8', solidImage(9, 9, [40, 80, 120]), 1, { k: 8 }],
    ['a single-colour image, k 8, oklab', solidImage(9, 9, [40, 80, 120]), 1, { k: 8, colorSpace: 'oklab' }],
    ['a single-colour image, k 8, float64', solidImage(9, 9, [40, 80, 120]), 1, { k: 8, arithmetic: 'float64' }],
    ['a 3-colour image, k 10', fewColourImage(12, 7, 3), 3, { k: 10 }],
    ['a 3-colour image, k 10, oklab', fewColourImage(12, 7, 3), 3, { k: 10, colorSpace: 'oklab' }],
    ['a 3-colour image, k 10, float64', fewColourImage(12, 7, 3), 3, { k: 10, arithmetic: 'float64' }],
    ['a 1×1 image, k 1', solidImage(1, 1, [0, 0, 0]), 1, { k: 1 }],
  ];
  it.each(cases)('shows the colours there are, once each, with no NaN: %s', async (_, image, distinct, options) => {
    const palette: PaletteResult = await extractPalette(image, { ...options, backend: 'cpu', nInit: 2 });
    expectCleanPalette(palette, image, distinct);
  });
});

describe('an enormous declared size without the pixels', () => {
  it('is refused quickly with InvalidInputError, before anything the size of the image is allocated', async () => {
    const image = { data: new Uint8ClampedArray(16), width: 30000, height: 30000 };
    for (const [, entry] of entries) await expectTyped(entry(image, { k: 5 }), InvalidInputError, 'invalid-input');
  });
});

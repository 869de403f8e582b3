/**
 * The core API's entry points on input a caller can get wrong without the types noticing (plain JavaScript, `any`,
 * values from elsewhere): each ends in a typed `PaletteError` that says what was wrong, or in a result, never in an
 * untyped TypeError or a silent Infinity/NaN. The GPU side (a SharedArrayBuffer image on the GPU) is in
 * test/gpu/faults-input.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidOptionError, PaletteError } from '../../src/core/errors.js';
import { extractPalette } from '../../src/core/palette.js';
import { kmeans, kmeansPlusPlus } from '../../src/core/sklearn/kmeans.js';
import type { ExtractPaletteOptions, PixelImage } from '../../src/core/types.js';
import { fewColourImage } from '../helpers/fuzz.js';

async function rejection(work: () => Promise<unknown> | unknown): Promise<unknown> {
  try {
    await work();
    return null;
  } catch (error) {
    return error;
  }
}

function expectTyped(error: unknown, type: new (...args: never[]) => PaletteError, message: RegExp): void {
  expect(error, 'the call should have thrown').toBeInstanceOf(type);
  expect((error as PaletteError).message).toMatch(message);
}

const backends: [string, ExtractPaletteOptions][] = [
  ['auto', { backend: 'auto' }],
  ['gpu', { backend: 'gpu' }],
  ['cpu, exact', { backend: 'cpu' }],
  ['cpu, float64', { backend: 'cpu', arithmetic: 'float64' }],
];

describe('extractPalette', () => {
  it('finds a palette with the default options when it is given no options at all', async () => {
    const image = fewColourImage(12, 7, 3);
    const palette = await extractPalette(image);
    const withDefaults = await extractPalette(image, {});
    expect(palette.colors.length).toBeGreaterThan(0);
    expect(palette.colors).toEqual(withDefaults.colors);
  });

  const notImages: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'photo.png'],
    ['a function', () => 0],
  ];
  describe.each(backends)('on backend %s', (_, backendOptions) => {
    it.each(notImages)('refuses an image of %s with InvalidInputError', async (_, image) => {
      const error = await rejection(() => extractPalette(image as PixelImage, { k: 2, nInit: 1, ...backendOptions }));
      expectTyped(error, InvalidInputError, /image must be/);
    });

    it.each([
      ['an empty object', {}],
      ['a string', 'gpu'],
      ['null', null],
      ['an adapter-like object with limits but no queue', { limits: { maxStorageBufferBindingSize: 1 } }],
    ])('refuses a device that is %s with InvalidOptionError', async (_, device) => {
      const options = { k: 2, nInit: 1, ...backendOptions, device: device as unknown as GPUDevice };
      const error = await rejection(() => extractPalette(fewColourImage(6, 4, 2), options));
      expectTyped(error, InvalidOptionError, /device must be a GPUDevice/);
    });
  });

  it('refuses options that are not an object with InvalidOptionError', async () => {
    const error = await rejection(() => extractPalette(fewColourImage(6, 4, 2), 5 as unknown as ExtractPaletteOptions));
    expectTyped(error, InvalidOptionError, /options must be an object/);
  });
});

describe('kmeans and kmeansPlusPlus on values too large for float64 sums', () => {
  const tooLarge = /too large/;
  it.each([
    ['±1e200 in the points', [0, 0, 1e200, -1e200, 5, 5], undefined],
    ['a point of 1e160 among small ones', [0, 1, 2, 3, 1e160, 4], undefined],
    ['weights of 1e308', [0, 0, 1, 1, 2, 2], [1e308, 1e308, 1e308]],
    ['weights whose sum overflows', [0, 0, 1, 1, 2, 2], [1.7e308, 1.7e308, 1]],
  ])('kmeans refuses %s with InvalidInputError instead of returning Infinity or NaN', (_, points, weights) => {
    const error = (() => {
      try {
        return kmeans(points, { k: 2, dimensions: 2, nInit: 1, weights });
      } catch (e) {
        return e;
      }
    })();
    expectTyped(error, InvalidInputError, tooLarge);
  });

  it('kmeansPlusPlus refuses ±1e200 in the points with InvalidInputError', () => {
    let error: unknown = null;
    try {
      kmeansPlusPlus([0, 0, 1e200, -1e200, 5, 5], 2, 0, 2);
    } catch (e) {
      error = e;
    }
    expectTyped(error, InvalidInputError, tooLarge);
  });

  it('still clusters large values whose sums fit, with a finite inertia', () => {
    const result = kmeans([0, 0, 1e100, 1e100, 1e100, 0.5e100], { k: 2, dimensions: 2, nInit: 1 });
    expect(Number.isFinite(result.inertia)).toBe(true);
    expect(result.centers.flat().every(Number.isFinite)).toBe(true);
  });
});

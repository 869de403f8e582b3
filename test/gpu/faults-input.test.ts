/**
 * Hostile input on the GPU entry points (`GpuKMeans.run` and `extractPalette` with `backend: 'gpu'`), the twins of
 * test/unit/bad-input.test.ts: the same bad images and options end in the same typed errors as on the CPU, degenerate
 * images give the CPU's bits and a clean palette, and an engine that refused something keeps working.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { cpuPixelKMeans } from '../../src/core/exact/index.js';
import {
  AbortError,
  InvalidInputError,
  InvalidOptionError,
  NoOpaquePixelsError,
  PaletteError,
  TooLargeError,
  type PaletteErrorCode,
} from '../../src/core/errors.js';
import { GpuKMeans } from '../../src/core/gpu/gpu-kmeans.js';
import { MAX_PIXELS } from '../../src/core/gpu/segments.js';
import { extractPalette } from '../../src/core/palette.js';
import type { PixelImage, PixelKMeansOptions } from '../../src/core/types.js';
import {
  badImages,
  badOptions,
  expectCleanPalette,
  fewColourImage,
  firstDifference,
  solidImage,
  transparentImage,
} from '../helpers/fuzz.js';
import { randomImage } from '../helpers/images.js';
import { MEGAPIXEL_SIZES, photoLikeImage } from '../helpers/large-image.js';
import { gpuIt, useGpu } from '../helpers/webgpu.js';

async function rejection(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => null,
    (e: unknown) => e,
  );
}

function expectTyped(error: unknown, type: new (...args: never[]) => PaletteError, code: PaletteErrorCode): void {
  expect(error, 'the call should have rejected').toBeInstanceOf(type);
  expect((error as PaletteError).code).toBe(code);
}

/** An image that declares `width × height` pixels and whose data says it has them, without holding them. */
function declaredOnly(width: number, height: number): PixelImage {
  const data = new Uint8ClampedArray(16);
  Object.defineProperty(data, 'length', { value: 4 * width * height });
  return { data, width, height };
}

describe('the GPU engine on bad input', () => {
  const gpu = useGpu();
  let engine: GpuKMeans;
  beforeAll(() => {
    engine = new GpuKMeans(gpu.device);
  });
  afterAll(() => engine?.destroy());

  /** After any refusal the engine must still give the CPU's bits on an ordinary image. */
  async function expectStillAgrees(options: PixelKMeansOptions = { k: 3, seed: 5, nInit: 1 }): Promise<void> {
    const image = randomImage(13, 9, 77, { palette: 6 });
    const onGpu = await engine.run(image, options);
    expect(firstDifference(onGpu, await cpuPixelKMeans(image, options))).toBeNull();
  }

  for (const { name, image } of badImages()) {
    gpuIt(`refuses ${name} with InvalidInputError, on the engine and through extractPalette`, gpu, async ({ device }) => {
      expectTyped(await rejection(engine.run(image, { k: 2, nInit: 1 })), InvalidInputError, 'invalid-input');
      expectTyped(
        await rejection(extractPalette(image, { k: 2, nInit: 1, backend: 'gpu', device })),
        InvalidInputError,
        'invalid-input',
      );
      await expectStillAgrees();
    });
  }

  for (const { name, options } of badOptions()) {
    gpuIt(`refuses ${name} with InvalidOptionError, on the engine and through extractPalette`, gpu, async ({ device }) => {
      const image = solidImage(4, 4, [10, 20, 30]);
      expectTyped(await rejection(engine.run(image, { nInit: 1, ...options })), InvalidOptionError, 'invalid-option');
      expectTyped(
        await rejection(extractPalette(image, { nInit: 1, ...options, backend: 'gpu', device })),
        InvalidOptionError,
        'invalid-option',
      );
    });
  }

  gpuIt('keeps the image uploaded across a refused option, and the next run on it agrees with the CPU', gpu, async () => {
    const image = randomImage(21, 11, 3, { palette: 5 });
    await engine.run(image, { k: 2, nInit: 1 });
    const uploads = engine.imageUploads;
    expectTyped(await rejection(engine.run(image, { k: NaN })), InvalidOptionError, 'invalid-option');
    const options = { k: 4, seed: 9, nInit: 2 };
    expect(firstDifference(await engine.run(image, options), await cpuPixelKMeans(image, options))).toBeNull();
    expect(engine.imageUploads).toBe(uploads);
  });

  gpuIt('refuses a fully transparent image with NoOpaquePixelsError, and takes it with alphaThreshold 0', gpu, async ({ device }) => {
    const image = transparentImage(6, 5);
    expectTyped(await rejection(engine.run(image, { k: 2, nInit: 1 })), NoOpaquePixelsError, 'no-opaque-pixels');
    expectTyped(
      await rejection(extractPalette(image, { k: 2, nInit: 1, backend: 'gpu', device })),
      NoOpaquePixelsError,
      'no-opaque-pixels',
    );
    const options = { k: 2, nInit: 1, alphaThreshold: 0 };
    expect(firstDifference(await engine.run(image, options), await cpuPixelKMeans(image, options))).toBeNull();
  });

  gpuIt('refuses k above the opaque pixels of a 1×1 image, and clusters it with k 1', gpu, async () => {
    const image = solidImage(1, 1, [200, 100, 50]);
    expectTyped(await rejection(engine.run(image, { k: 2 })), InvalidOptionError, 'invalid-option');
    const result = await engine.run(image, { k: 1 });
    expect(result.rgb).toEqual([[200, 100, 50]]);
    expect(result.labels).toEqual(new Int32Array([0]));
    expect(result.inertiaFixed).toBe(0n);
  });

  const fewer: [string, PixelImage, number, PixelKMeansOptions][] = [
    ['a single-colour image, k 8', solidImage(9, 9, [40, 80, 120]), 1, { k: 8 }],
    ['a single-colour image, k 8, oklab', solidImage(9, 9, [40, 80, 120]), 1, { k: 8, colorSpace: 'oklab' }],
    ['a 3-colour image, k 10', fewColourImage(12, 7, 3), 3, { k: 10 }],
    ['a 3-colour image, k 10, oklab', fewColourImage(12, 7, 3), 3, { k: 10, colorSpace: 'oklab' }],
  ];
  for (const [name, image, distinct, options] of fewer) {
    gpuIt(`shows the colours there are, once each, as the CPU does: ${name}`, gpu, async ({ device }) => {
      const onGpu = await extractPalette(image, { ...options, nInit: 2, backend: 'gpu', device });
      const onCpu = await extractPalette(image, { ...options, nInit: 2, backend: 'cpu' });
      expectCleanPalette(onGpu, image, distinct);
      expect(onGpu.colors).toEqual(onCpu.colors);
      expect(onGpu.labels).toEqual(onCpu.labels);
    });
  }

  gpuIt('clusters an image whose pixels live in a SharedArrayBuffer, with the bits of the same pixels on the CPU', gpu, async ({ device }) => {
    const image = randomImage(13, 9, 77, { palette: 6 });
    const shared = new Uint8ClampedArray(new SharedArrayBuffer(image.data.length));
    shared.set(image.data);
    const options = { k: 3, seed: 5, nInit: 1 };
    const onGpu = await extractPalette({ data: shared, width: image.width, height: image.height }, { ...options, backend: 'gpu', device });
    const onCpu = await extractPalette(image, { ...options, backend: 'cpu' });
    expect(onGpu.backend).toBe('gpu');
    expect(onGpu.colors).toEqual(onCpu.colors);
    expect(onGpu.labels).toEqual(onCpu.labels);
  });

  gpuIt('stops extractPalette on the GPU path within 200 ms of an abort during its CPU preparation (1.2 MP, k 256)', gpu, async ({ device }) => {
    // k-means++ for 256 centres on the seeding sample is a few hundred ms of CPU work before the GPU starts.
    const [width, height] = MEGAPIXEL_SIZES[1]!;
    const image = photoLikeImage(width, height, 3);
    const controller = new AbortController();
    const due = performance.now() + 30;
    setTimeout(() => controller.abort(), 30);
    const error = await rejection(extractPalette(image, { k: 256, nInit: 1, backend: 'gpu', device, signal: controller.signal }));
    expectTyped(error, AbortError, 'aborted');
    expect(performance.now() - due).toBeLessThan(200);
  });

  gpuIt('refuses 30000 × 30000 declared without the pixels with InvalidInputError', gpu, async ({ device }) => {
    const image = { data: new Uint8ClampedArray(16), width: 30000, height: 30000 };
    expectTyped(await rejection(engine.run(image, { k: 5 })), InvalidInputError, 'invalid-input');
    expectTyped(await rejection(extractPalette(image, { k: 5, backend: 'gpu', device })), InvalidInputError, 'invalid-input');
    await expectStillAgrees();
  });

  gpuIt('refuses more pixels than the engine can address with TooLargeError before allocating, then keeps working', gpu, async () => {
    const side = Math.ceil(Math.sqrt(MAX_PIXELS)) + 1;
    const before = engine.allocatedBytes;
    expectTyped(await rejection(engine.run(declaredOnly(side, side), { k: 5 })), TooLargeError, 'too-large');
    expect(engine.allocatedBytes).toBeLessThanOrEqual(before);
    await expectStillAgrees({ k: 2, seed: 1, nInit: 1 });
  });

  gpuIt('runs the image it had before a refused upload when asked for it again', gpu, async () => {
    const image = randomImage(17, 6, 12, { palette: 4 });
    await engine.run(image, { k: 2, nInit: 1 });
    expectTyped(await rejection(engine.run(declaredOnly(40000, 30000), { k: 2 })), TooLargeError, 'too-large');
    const options = { k: 3, seed: 2, nInit: 1 };
    expect(firstDifference(await engine.run(image, options), await cpuPixelKMeans(image, options))).toBeNull();
  });
});

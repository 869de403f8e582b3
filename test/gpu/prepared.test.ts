/**
 * The GPU engine given its run's preparation from elsewhere (`run({ ...options, prepared })`, as the element does with
 * a preparation from its CPU worker): the same bits as preparing itself and as the CPU engine, below and above the
 * seeding sample's size, in RGB and OKLab; and a preparation that does not fit the image or options is refused with a
 * typed error, leaving the engine usable.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpuPixelKMeans, exactRunPlan, prepareExactRun, type ExactRunPlan } from '../../src/core/exact/index.js';
import { InvalidInputError, InvalidOptionError } from '../../src/core/errors.js';
import { SEED_SAMPLE_MAX } from '../../src/core/constants.js';
import { GpuKMeans } from '../../src/core/gpu/gpu-kmeans.js';
import type { PixelImage, PixelKMeansOptions } from '../../src/core/types.js';
import { ExactImageSession } from '../../src/worker/exact-session.js';
import { firstDifference } from '../helpers/fuzz.js';
import { photoLikeImage } from '../helpers/large-image.js';
import { expectNoValidationErrors, gpuIt, useGpu } from '../helpers/webgpu.js';

const gpu = useGpu();

/** Every 5th pixel below the alpha threshold, so points and pixels differ. */
function withTransparency(image: PixelImage): PixelImage {
  const data = new Uint8ClampedArray(image.data);
  for (let p = 0; p < image.width * image.height; p += 5) data[4 * p + 3] = 30;
  return { data, width: image.width, height: image.height };
}

/** What the worker posts: the session's plan, through a structured clone. */
function workerPlan(image: PixelImage, options: PixelKMeansOptions): ExactRunPlan {
  return structuredClone(new ExactImageSession(image).plan(options));
}

describe('GpuKMeans.run with a preparation made elsewhere', () => {
  let engine: GpuKMeans;
  const engineFor = () => (engine ??= new GpuKMeans(gpu.device));
  afterAll(() => engine?.destroy());

  const small = photoLikeImage(160, 120, 2);
  const large = withTransparency(photoLikeImage(480, 320, 3));
  it.each([
    ['RGB, every point seeded (160 × 120)', small, { k: 5, seed: 1, nInit: 3 }],
    ['OKLab, every point seeded (160 × 120)', small, { k: 6, seed: 2, nInit: 2, colorSpace: 'oklab' }],
    ['RGB, seeded on the sample (480 × 320, transparent pixels)', large, { k: 7, seed: 3, nInit: 2, maxIter: 40 }],
    ['OKLab, seeded on the sample (480 × 320, transparent pixels)', large, { k: 4, seed: 4, nInit: 2, colorSpace: 'oklab', maxIter: 40 }],
    ['RGB with two locked colours, seeded on the sample (480 × 320)', large, { k: 5, seed: 5, nInit: 2, maxIter: 40, fixed: ['#c83232', '#1e3cbe'] }],
  ] as [string, PixelImage, PixelKMeansOptions][])('gives the bits of run(options) and of the CPU: %s', async (_, image, options) => {
    await expectNoValidationErrors(gpu.device, async () => {
      const prepared = workerPlan(image, options);
      expect(prepared.n > SEED_SAMPLE_MAX).toBe(image === large);
      const gpuEngine = engineFor();
      const withPlan = await gpuEngine.run(image, { ...options, prepared });
      const itself = await gpuEngine.run(image, options);
      const cpu = await cpuPixelKMeans(image, options);
      expect(firstDifference(withPlan, itself)).toBeNull();
      expect(firstDifference(withPlan, cpu)).toBeNull();
      expect(withPlan.rgb).toEqual(cpu.rgb);
      expect(withPlan.pixelsUsed).toBe(cpu.pixelsUsed);
    });
  }, 120_000);

  gpuIt('iterates the seedings it is given, not seedings of its own', gpu, async ({ own }) => {
    const gpuEngine = own(new GpuKMeans(gpu.device));
    const image = photoLikeImage(96, 64, 5);
    const prepared = exactRunPlan(prepareExactRun(image, { k: 4, seed: 0, nInit: 1 }));
    prepared.initCenters = exactRunPlan(prepareExactRun(image, { k: 4, seed: 9, nInit: 1 })).initCenters;
    const result = await gpuEngine.run(image, { k: 4, seed: 0, nInit: 1, prepared });
    expect(firstDifference(result, await cpuPixelKMeans(image, { k: 4, seed: 9, nInit: 1 }))).toBeNull();
  });

  const image = photoLikeImage(64, 48, 6);
  const options = { k: 3, seed: 1, nInit: 2 };
  const plan = (): ExactRunPlan => exactRunPlan(prepareExactRun(image, options));
  it.each([
    ['made for another k', () => ({ ...options, k: 4, prepared: plan() }), InvalidOptionError],
    ['made for another colour space', () => ({ ...options, colorSpace: 'oklab' as const, prepared: plan() }), InvalidOptionError],
    ['made for another seed', () => ({ ...options, seed: 2, prepared: plan() }), InvalidOptionError],
    ['made without the locked colours asked for', () => ({ ...options, fixed: ['#102030'], prepared: plan() }), InvalidOptionError],
    ['with fewer seedings than nInit', () => ({ ...options, prepared: { ...plan(), initCenters: plan().initCenters.slice(1) } }), InvalidInputError],
    ['with a seeding of the wrong size', () => ({ ...options, prepared: { ...plan(), initCenters: [new Uint32Array(6), new Uint32Array(9)] } }), InvalidInputError],
    ['with a coordinate past 255 · 128', () => ({ ...options, prepared: { ...plan(), initCenters: [new Uint32Array(9).fill(40000), new Uint32Array(9)] } }), InvalidInputError],
    ['counting more pixels than the image has', () => ({ ...options, prepared: { ...plan(), n: 64 * 48 + 1 } }), InvalidInputError],
    ['made for another image (other used pixels)', () => ({ ...options, prepared: exactRunPlan(prepareExactRun(withTransparency(image), options)) }), InvalidInputError],
  ] as const)('refuses a preparation %s, and keeps working', async (_, makeOptions, type) => {
    await expectNoValidationErrors(gpu.device, async () => {
      const gpuEngine = engineFor();
      await expect(gpuEngine.run(image, makeOptions())).rejects.toBeInstanceOf(type);
      const after = await gpuEngine.run(image, { ...options, prepared: plan() });
      expect(firstDifference(after, await cpuPixelKMeans(image, options))).toBeNull();
    });
  });
});


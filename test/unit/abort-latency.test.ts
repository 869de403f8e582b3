/**
 * An abort lands within a few tens of milliseconds on the CPU engines, whatever they are doing: long work yields to the
 * event loop every slice (`src/core/pace.ts`), so the `abort()` task can run, and the run stops at its next yield.
 * Real engines on a real generated photo-like image (1.2 MP, ~700k distinct colours). The bound, 200 ms from the
 * moment the abort was due, is loose: it tells "stops mid-run" from "runs to the end" (seconds), not a benchmark.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AbortError } from '../../src/core/errors.js';
import { cpuPixelKMeans } from '../../src/core/exact/index.js';
import { extractPalette } from '../../src/core/palette.js';
import { kmeans, kmeansAsync } from '../../src/core/sklearn/kmeans.js';
import type { PixelImage } from '../../src/core/types.js';
import { MEGAPIXEL_SIZES, photoLikeImage } from '../helpers/large-image.js';
import { randomImage } from '../helpers/images.js';

const ABORT_AFTER_MS = 30;
const LATENCY_MS = 200;

/** Starts `run` with a signal, aborts it ABORT_AFTER_MS later; returns what it settled with and how late after the abort was due. */
async function abortMidRun(run: (signal: AbortSignal) => Promise<unknown>): Promise<{ error: unknown; lateMs: number }> {
  const controller = new AbortController();
  const due = performance.now() + ABORT_AFTER_MS;
  setTimeout(() => controller.abort(), ABORT_AFTER_MS);
  const error = await run(controller.signal).then(
    () => null,
    (e: unknown) => e,
  );
  const lateMs = performance.now() - due;
  if (process.env.SHOW_LATENCY) console.log(`late by ${lateMs.toFixed(1)} ms`);
  return { error, lateMs };
}

describe('an abort 30 ms into a long CPU run', () => {
  let image: PixelImage;
  beforeAll(() => {
    const [width, height] = MEGAPIXEL_SIZES[1]!;
    image = photoLikeImage(width, height, 3);
  });

  it.each([
    ['the exact engine, nInit 1', { backend: 'cpu', nInit: 1 }],
    ['the exact engine, nInit 1, k 128', { backend: 'cpu', nInit: 1, k: 128 }],
    ['the exact engine, OKLab, nInit 1, k 128', { backend: 'cpu', nInit: 1, k: 128, colorSpace: 'oklab' }],
    ["scikit-learn's float64 arithmetic", { backend: 'cpu', arithmetic: 'float64' }],
  ] as const)('rejects with AbortError within 200 ms on %s', async (_, options) => {
    const { error, lateMs } = await abortMidRun((signal) => extractPalette(image, { ...options, signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(lateMs).toBeLessThan(LATENCY_MS);
  });

  it('rejects with AbortError within 200 ms on cpuPixelKMeans', async () => {
    const { error, lateMs } = await abortMidRun((signal) => cpuPixelKMeans(image, { k: 8, nInit: 2, signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(lateMs).toBeLessThan(LATENCY_MS);
  });

  it('rejects with AbortError within 200 ms on kmeansAsync over 300k points', async () => {
    const points = new Float64Array(3 * 300_000).map((_, i) => Math.sin(i * 0.37) + (i % 11));
    const { error, lateMs } = await abortMidRun((signal) => kmeansAsync(points, { k: 32, signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(lateMs).toBeLessThan(LATENCY_MS);
  });
});

describe('kmeansAsync', () => {
  it('gives the bits of kmeans', async () => {
    const small = randomImage(40, 30, 5, { palette: 9 });
    const points = Array.from({ length: 1200 }, (_, i) => [small.data[4 * i]!, small.data[4 * i + 1]!, small.data[4 * i + 2]!]);
    const options = { k: 6, nInit: 3, seed: 11, weights: points.map((_, i) => 1 + (i % 3)) };
    expect(await kmeansAsync(points, options)).toEqual(kmeans(points, options));
  });

  it('refuses bad input with the typed errors of kmeans, as a rejection', async () => {
    await expect(kmeansAsync([1, 2, 3], { k: 2 })).rejects.toMatchObject({ code: 'invalid-option' });
    await expect(kmeansAsync([NaN, 2, 3], { k: 1 })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});

/**
 * GPU/CPU agreement under fuzzing: seeded random images and options (test/helpers/fuzz.ts) run on `GpuKMeans` (one
 * engine on one device, reused for every case, so each case also re-uploads an image over the last one) and on the
 * exact CPU engine. Both colour spaces use exact integer arithmetic (docs/ARITHMETIC.md), so the promise is the same
 * for both: every label, every fixed-point centre, the iteration count, `converged`, the exact inertia and the pixels
 * used are equal. Where the CPU refuses a case (no pixel reaches the threshold, k above the points), the GPU must
 * refuse it with the same typed error.
 *
 * `FUZZ_CASES=<n>` changes the number of cases; `FUZZ_CASE=<seed>[,<seed>...]` replays cases by seed.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { cpuPixelKMeans } from '../../src/core/exact/index.js';
import { GpuKMeans } from '../../src/core/gpu/gpu-kmeans.js';
import type { PixelKMeansResult } from '../../src/core/types.js';
import { describeFailure, firstDifference, fuzzCase, fuzzSeeds, replayCommand } from '../helpers/fuzz.js';
import { gpuIt, useGpu } from '../helpers/webgpu.js';

const DEFAULT_CASES = 320;

type Outcome = { ok: true; result: PixelKMeansResult } | { ok: false; failure: string };

async function outcome(run: () => Promise<PixelKMeansResult>): Promise<Outcome> {
  try {
    return { ok: true, result: await run() };
  } catch (error) {
    return { ok: false, failure: describeFailure(error) };
  }
}

describe('GPU and CPU agree exactly on fuzzed images', () => {
  const gpu = useGpu();
  let engine: GpuKMeans;
  beforeAll(() => {
    engine = new GpuKMeans(gpu.device);
  });
  afterAll(() => engine?.destroy());

  for (const seed of fuzzSeeds(DEFAULT_CASES)) {
    const fuzz = fuzzCase(seed);
    gpuIt(`gives the same result on case ${seed}: ${fuzz.description}`, gpu, async () => {
      const header = `Fuzz case ${seed} (${fuzz.description}) — replay: ${replayCommand(seed)}`;
      const onCpu = await outcome(() => cpuPixelKMeans(fuzz.image, fuzz.options));
      const onGpu = await outcome(() => engine.run(fuzz.image, fuzz.options));
      if (!onCpu.ok || !onGpu.ok) {
        // A refusal must be typed and the same on both sides.
        expect(onGpu.ok ? 'a result' : onGpu.failure, header).toBe(onCpu.ok ? 'a result' : onCpu.failure);
        expect(onCpu.ok ? '' : onCpu.failure, header).toMatch(/^\w+Error\((no-opaque-pixels|invalid-option)\)$/);
        return;
      }
      expect(firstDifference(onGpu.result, onCpu.result), header).toBeNull();
      for (const c of onGpu.result.centers.flat()) expect(Number.isFinite(c), header).toBe(true);
    });
  }
});

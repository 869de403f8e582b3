/** The exact engine on the CPU: the fallback where WebGPU is missing, and the oracle the GPU engine must match. */
import { InvalidOptionError } from '../errors.js';
import { runPaced, type Steps } from '../pace.js';
import type { PixelImage, PixelKMeansOptions, PixelKMeansResult } from '../types.js';
import { spreadDistinctLabelsSteps } from './distinct.js';
import { prepareExactRunSteps } from './prepare.js';
import { finishExactResult } from './result.js';
import { exactWork, pickBestRun, runExactSeedSteps, type ExactRunResult } from './runs.js';

/**
 * Exact k-means on an image's pixels (docs/ARITHMETIC.md): `nInit` runs seeded by k-means++, the one with the
 * strictly lowest `inertiaFixed` kept (the first among equals). Runs on the distinct colours weighted by their counts,
 * which gives the same bits as running on every pixel. The work yields to the event loop every few milliseconds
 * (`pace.ts`), so an abort lands mid-run and the thread is never held for long.
 */
export function cpuPixelKMeans(image: PixelImage, options: PixelKMeansOptions): Promise<PixelKMeansResult> {
  return runPaced(cpuPixelKMeansSteps(image, options), options?.signal);
}

function* cpuPixelKMeansSteps(image: PixelImage, options: PixelKMeansOptions): Steps<PixelKMeansResult> {
  if (options === null || typeof options !== 'object') throw new InvalidOptionError('options must be an object.');
  const { onProgress } = options;
  onProgress?.({ phase: 'init', fraction: 0 });
  const run = yield* prepareExactRunSteps(image, options);
  const work = exactWork(run);
  let best: ExactRunResult | undefined;
  for (let r = 0; r < run.nInit; r++) {
    onProgress?.({ phase: 'iterate', fraction: r / run.nInit });
    const outcome = yield* runExactSeedSteps(work, r, best);
    // Only the best so far is kept: each outcome holds labels for every distinct colour.
    best = best === undefined ? outcome : pickBestRun([best, outcome]);
  }
  onProgress?.({ phase: 'iterate', fraction: 1 });
  const labels = new Int32Array(run.width * run.height);
  yield* spreadDistinctLabelsSteps(run.distinct, run.points, run.n, best!.labels, run.pixelIndex, labels);
  return finishExactResult(run, { ...best!, labels });
}

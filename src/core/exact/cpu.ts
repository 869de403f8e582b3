/** The exact engine on the CPU: the fallback where WebGPU is missing, and the oracle the GPU engine must match. */
import { throwIfAborted } from '../errors.js';
import type { PixelImage, PixelKMeansOptions, PixelKMeansResult } from '../types.js';
import { distinctColors, spreadDistinctLabels } from './distinct.js';
import { prepareExactRun } from './prepare.js';
import { finishExactResult } from './result.js';
import { exactWork, pickBestRun, runExactSeeds, type ExactRunResult } from './runs.js';

/** Lets an abort through between runs (an abort is a task of its own, so it needs the event loop to turn). */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Exact k-means on an image's pixels (docs/ARITHMETIC.md): `nInit` runs seeded by k-means++, the one with the
 * strictly lowest `inertiaFixed` kept (the first among equals). Runs on the distinct colours weighted by their counts,
 * which gives the same bits as running on every pixel.
 */
export async function cpuPixelKMeans(image: PixelImage, options: PixelKMeansOptions): Promise<PixelKMeansResult> {
  const { signal, onProgress } = options;
  throwIfAborted(signal);
  onProgress?.({ phase: 'init', fraction: 0 });
  const run = prepareExactRun(image, options);
  const distinct = distinctColors(run.points, run.n);
  const work = exactWork(run, distinct);
  const results: ExactRunResult[] = [];
  for (let r = 0; r < run.nInit; r++) {
    if (signal) {
      await yieldToEventLoop();
      throwIfAborted(signal);
    }
    onProgress?.({ phase: 'iterate', fraction: r / run.nInit });
    const [outcome] = runExactSeeds(work, [r]);
    // Only the best so far is kept: each outcome holds labels for every distinct colour.
    results[0] = results.length === 0 ? outcome! : pickBestRun([results[0]!, outcome!]);
  }
  onProgress?.({ phase: 'iterate', fraction: 1 });
  const best = results[0]!;
  const labels = new Int32Array(run.width * run.height);
  spreadDistinctLabels(distinct, run.points, run.n, best.labels, run.pixelIndex, labels);
  return finishExactResult(run, { ...best, labels });
}

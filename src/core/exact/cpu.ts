/** The exact engine on the CPU: the fallback where WebGPU is missing, and the oracle the GPU engine must match. */
import { throwIfAborted } from '../errors.js';
import type { PixelImage, PixelKMeansOptions, PixelKMeansResult } from '../types.js';
import { exactLloyd, type ExactRunOutcome } from './lloyd.js';
import { distinctColors } from './points.js';
import { prepareExactRun } from './prepare.js';
import { finishExactResult } from './result.js';

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
  let best: ExactRunOutcome | null = null;
  for (let r = 0; r < run.nInit; r++) {
    if (signal) {
      await yieldToEventLoop();
      throwIfAborted(signal);
    }
    onProgress?.({ phase: 'iterate', fraction: r / run.nInit });
    const { colors, weights } = distinct;
    const outcome = exactLloyd(colors, weights, run.initCenters[r]!, run.k, run.maxIter, run.tolFixed);
    if (best === null || outcome.inertiaFixed < best.inertiaFixed) best = outcome;
  }
  onProgress?.({ phase: 'iterate', fraction: 1 });
  const pointLabels = new Int32Array(run.n);
  for (let i = 0; i < run.n; i++) pointLabels[i] = best!.labels[distinct.inverse[i]!]!;
  return finishExactResult(run, { ...best!, labels: pointLabels });
}

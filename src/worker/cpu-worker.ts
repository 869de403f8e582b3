/**
 * The CPU path, in a module Worker so the page never freezes: k-means on the sample (exact or float64 arithmetic),
 * then the recoloured image at the original size. Buffers come in and go out transferred.
 */
import { extractPalette } from '../core/palette.js';
import { PaletteError } from '../core/errors.js';
import { DEFAULTS } from '../core/constants.js';
import type { ProgressInfo } from '../core/types.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';
import { centersToFixed, fixedToRgb8, recolorFromLabels, recolorNearest } from './recolor.js';

/** The slice of DedicatedWorkerGlobalScope used here (the project's lib is DOM, not WebWorker). */
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
}
const scope = self as unknown as WorkerScope;

function post(message: WorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

async function handle(request: WorkerRequest): Promise<void> {
  const { id, sample, original, options } = request;
  const t0 = performance.now();
  const result = await extractPalette(sample, {
    ...options,
    backend: 'cpu',
    onProgress: (progress: ProgressInfo) => post({ id, type: 'progress', progress }),
  });
  const t1 = performance.now();

  let recolored: Uint8ClampedArray<ArrayBuffer> | undefined;
  if (request.recolor) {
    const fixed = centersToFixed(result.centers, result.colorSpace);
    const rgb = fixedToRgb8(fixed, result.colorSpace);
    recolored = original
      ? recolorNearest(original.data, fixed, rgb, result.colorSpace, DEFAULTS.alphaThreshold)
      : recolorFromLabels(sample.data, result.labels, rgb);
  }
  const t2 = performance.now();

  const transfer: Transferable[] = [result.labels.buffer as ArrayBuffer];
  if (recolored) transfer.push(recolored.buffer as ArrayBuffer);
  post(
    { id, type: 'result', result, ...(recolored ? { recolored } : {}), clusterMs: t1 - t0, recolorMs: t2 - t1 },
    transfer,
  );
}

scope.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const { id } = event.data;
  handle(event.data).catch((error: unknown) => {
    const code = error instanceof PaletteError ? error.code : 'worker-failed';
    const message = error instanceof Error ? error.message : String(error);
    post({ id, type: 'error', code, message });
  });
});

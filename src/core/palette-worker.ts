/**
 * The module Worker behind `extractPaletteInWorker`: one `extractPalette` call per worker, its progress posted as it
 * goes. The page aborts by terminating the worker, which also stops a synchronous CPU loop mid-run.
 */
import { extractPalette } from './palette.js';
import { PaletteError } from './errors.js';
import type { PaletteWorkerRequest, PaletteWorkerResponse } from './worker-api.js';

/** The slice of DedicatedWorkerGlobalScope used here (the project's lib is DOM, not WebWorker). */
interface WorkerScope {
  postMessage(message: PaletteWorkerResponse, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PaletteWorkerRequest>) => void): void;
}
const scope = self as unknown as WorkerScope;

scope.addEventListener('message', async ({ data }) => {
  try {
    const result = await extractPalette(data.image, {
      ...data.options,
      onProgress: (progress) => scope.postMessage({ type: 'progress', progress }),
    });
    scope.postMessage({ type: 'result', result }, [result.labels.buffer as ArrayBuffer]);
  } catch (error) {
    const code = error instanceof PaletteError ? error.code : 'worker-failed';
    scope.postMessage({ type: 'error', code, message: error instanceof Error ? error.message : String(error) });
  }
});

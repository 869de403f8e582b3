/**
 * The page's side of the CPU worker. One request at a time per client: a newer request, or an abort, terminates the
 * busy worker (k-means is one synchronous loop there, so a cancel message would only be read after it finished)
 * and the next request starts a fresh one.
 */
import { AbortError, PaletteError } from '../core/errors.js';
import type { PaletteResult, ProgressInfo } from '../core/types.js';
import type { WorkerRequest, WorkerResponse } from './protocol.js';

export interface CpuRunResult {
  result: PaletteResult;
  recolored?: Uint8ClampedArray<ArrayBuffer>;
  clusterMs: number;
  recolorMs: number;
}

export class CpuWorkerClient {
  #worker: Worker | undefined;
  #busy = false;
  #nextId = 1;

  #spawn(): Worker {
    if (!this.#worker) {
      // Vite turns this into a separate module file, in the package and in the demo (no blob: URL, so a strict CSP
      // with worker-src 'self' still allows it).
      this.#worker = new Worker(new URL('./cpu-worker.ts', import.meta.url), { type: 'module', name: 'palette-cpu' });
    }
    return this.#worker;
  }

  run(
    request: Omit<WorkerRequest, 'id'>,
    signal?: AbortSignal,
    onProgress?: (p: ProgressInfo) => void,
  ): Promise<CpuRunResult> {
    if (signal?.aborted) return Promise.reject(new AbortError());
    if (this.#busy) this.terminate();
    let worker: Worker;
    try {
      worker = this.#spawn();
    } catch (cause) {
      return Promise.reject(new PaletteError('worker-failed', `Could not start the CPU worker: ${String(cause)}`));
    }
    const id = this.#nextId++;
    this.#busy = true;
    return new Promise<CpuRunResult>((resolve, reject) => {
      const done = () => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        signal?.removeEventListener('abort', onAbort);
        if (this.#worker === worker) this.#busy = false;
      };
      const onMessage = ({ data }: MessageEvent<WorkerResponse>) => {
        if (data.id !== id) return;
        if (data.type === 'progress') {
          onProgress?.(data.progress);
          return;
        }
        done();
        if (data.type === 'error') reject(new PaletteError(data.code, data.message));
        else {
          const { result, recolored, clusterMs, recolorMs } = data;
          resolve({ result, clusterMs, recolorMs, ...(recolored ? { recolored } : {}) });
        }
      };
      const onError = (event: ErrorEvent) => {
        done();
        this.terminate();
        event.preventDefault();
        reject(new PaletteError('worker-failed', `The CPU worker failed: ${event.message || 'it could not start'}.`));
      };
      const onAbort = () => {
        done();
        this.terminate();
        reject(new AbortError());
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      const transfer: Transferable[] = [request.sample.data.buffer as ArrayBuffer];
      if (request.original) transfer.push(request.original.data.buffer as ArrayBuffer);
      worker.postMessage({ ...request, id } satisfies WorkerRequest, transfer);
    });
  }

  terminate(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#busy = false;
  }
}

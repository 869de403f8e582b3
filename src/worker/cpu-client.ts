/**
 * The page's side of the CPU path: a main worker that keeps the loaded image between requests, and on a machine with
 * two cores or more a helper worker that takes half the seedings (connected to the main one by a MessageChannel).
 *
 * An image is sent once (`imageId` says which; its pixels are copied into transferred buffers, the caller keeps its
 * own); a new k, seed or nInit sends only options. An aborted request is cancelled in the workers (they stop at the
 * next seeding), and its answer, should one still come, is dropped. A worker that fails to start, or dies, fails the
 * requests in flight with `worker-failed`; the next request starts fresh workers.
 */
import { AbortError, PaletteError } from '../core/errors.js';
import type { PaletteResult, ProgressInfo } from '../core/types.js';
import type { HelperStart, RunOptions, WorkerPixels, WorkerRequest, WorkerResponse } from './protocol.js';

export interface CpuRunResult {
  result: PaletteResult;
  /** The full-size recoloured image, when asked for. */
  recolored?: ImageBitmap;
  clusterMs: number;
  recolorMs: number;
}

export interface CpuRunRequest {
  /** Identifies the image and sample; the pixels are read (and copied) only when the worker does not hold it. */
  imageId: number;
  pixels: () => { sample: ImageData; original?: ImageData };
  recolor: boolean;
  options: RunOptions;
}

interface Pending {
  resolve: (r: CpuRunResult) => void;
  reject: (e: Error) => void;
  onProgress: ((p: ProgressInfo) => void) | undefined;
}

function copy(p: ImageData): WorkerPixels {
  return { data: new Uint8ClampedArray(p.data), width: p.width, height: p.height };
}

function spawn(name: string): Worker {
  // Vite turns this into a separate module file, in the package and in the demo (no blob: URL, so a strict CSP
  // with worker-src 'self' still allows it).
  return new Worker(new URL('./cpu-worker.ts', import.meta.url), { type: 'module', name });
}

export class CpuWorkerClient {
  #main: Worker | undefined;
  #helper: Worker | undefined;
  #loadedImage: number | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  /** Workers the CPU path uses: two where the machine has two cores or more. */
  static get workerCount(): number {
    return (globalThis.navigator?.hardwareConcurrency ?? 1) >= 2 ? 2 : 1;
  }

  #start(): Worker {
    if (this.#main) return this.#main;
    const main = spawn('palette-cpu');
    this.#main = main;
    main.addEventListener('message', ({ data }: MessageEvent<WorkerResponse>) => this.#onMessage(data));
    main.addEventListener('error', (event) => this.#fail(event, 'main'));
    main.addEventListener('messageerror', () => this.#fail(undefined, 'main'));
    if (CpuWorkerClient.workerCount > 1) {
      const helper = spawn('palette-cpu-helper');
      this.#helper = helper;
      helper.addEventListener('error', (event) => this.#fail(event, 'helper'));
      const channel = new MessageChannel();
      helper.postMessage({ type: 'helper', port: channel.port2 } satisfies HelperStart, [channel.port2]);
      main.postMessage({ type: 'connect', port: channel.port1 } satisfies WorkerRequest, [channel.port1]);
    }
    return main;
  }

  #onMessage(data: WorkerResponse): void {
    const pending = this.#pending.get(data.id);
    if (!pending) return;
    if (data.type === 'progress') {
      pending.onProgress?.(data.progress);
      return;
    }
    this.#pending.delete(data.id);
    if (data.type === 'error') pending.reject(new PaletteError(data.code, data.message));
    else {
      const { result, recolored, clusterMs, recolorMs } = data;
      pending.resolve({ result, clusterMs, recolorMs, ...(recolored ? { recolored } : {}) });
    }
  }

  #fail(event: ErrorEvent | undefined, which: string): void {
    event?.preventDefault();
    const reason = event?.message || 'it could not start';
    const error = new PaletteError('worker-failed', `The CPU worker (${which}) failed: ${reason}.`);
    const pending = [...this.#pending.values()];
    this.terminate();
    for (const p of pending) p.reject(error);
  }

  run(request: CpuRunRequest, signal?: AbortSignal, onProgress?: (p: ProgressInfo) => void): Promise<CpuRunResult> {
    if (signal?.aborted) return Promise.reject(new AbortError());
    let main: Worker;
    try {
      main = this.#start();
    } catch (cause) {
      this.terminate();
      return Promise.reject(new PaletteError('worker-failed', `Could not start the CPU worker: ${String(cause)}`));
    }
    const id = this.#nextId++;
    if (this.#loadedImage !== request.imageId) {
      const { sample, original } = request.pixels();
      const message: WorkerRequest = {
        type: 'load',
        imageId: request.imageId,
        sample: copy(sample),
        ...(original ? { original: copy(original) } : {}),
      };
      const transfer: Transferable[] = [message.sample.data.buffer];
      if (message.original) transfer.push(message.original.data.buffer);
      main.postMessage(message, transfer);
      this.#loadedImage = request.imageId;
    }
    return new Promise<CpuRunResult>((resolve, reject) => {
      const onAbort = () => {
        if (!this.#pending.delete(id)) return;
        main.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
        reject(new AbortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = <T>(f: (v: T) => void) => (v: T) => {
        signal?.removeEventListener('abort', onAbort);
        f(v);
      };
      this.#pending.set(id, { resolve: settle(resolve), reject: settle(reject), onProgress });
      const { recolor, options } = request;
      main.postMessage({ type: 'run', id, imageId: request.imageId, recolor, options } satisfies WorkerRequest);
    });
  }

  terminate(): void {
    this.#main?.terminate();
    this.#helper?.terminate();
    this.#main = undefined;
    this.#helper = undefined;
    this.#loadedImage = undefined;
    this.#pending.clear();
  }
}

/**
 * `extractPaletteInWorker`: `extractPalette` in a module Worker, for pages. `extractPalette` itself runs where it is
 * called: on a page's main thread, its CPU work (seeding, the CPU engine, the fallback) blocks the page for as long as
 * it lasts (hundreds of milliseconds for a photo). This call returns the same result without blocking: the pixels are
 * copied to a worker started for the call, which runs `extractPalette` (on the GPU where the worker has WebGPU, else
 * on the CPU) and posts progress and the result back. Aborting terminates the worker at once, even mid-iteration.
 */
import {
  AbortError,
  DeviceLostError,
  GpuError,
  InvalidInputError,
  InvalidOptionError,
  NoAdapterError,
  NoOpaquePixelsError,
  PaletteError,
  TooLargeError,
  WebGPUUnavailableError,
  type PaletteErrorCode,
} from './errors.js';
import type { ExtractPaletteOptions, PaletteResult, PixelImage, ProgressInfo } from './types.js';

/** What crosses to the worker: everything but the signal, the callback and a device (which cannot cross). */
export type WorkerPaletteOptions = Omit<ExtractPaletteOptions, 'signal' | 'onProgress' | 'device'>;

export interface PaletteWorkerRequest {
  image: PixelImage;
  options: WorkerPaletteOptions;
}

export type PaletteWorkerResponse =
  | { type: 'progress'; progress: ProgressInfo }
  | { type: 'result'; result: PaletteResult }
  | { type: 'error'; code: PaletteErrorCode; message: string };

/** The error class each code is thrown as on the calling side, so `instanceof` works across the worker boundary. */
function toError(code: PaletteErrorCode, message: string): PaletteError {
  switch (code) {
    case 'invalid-option':
      return new InvalidOptionError(message);
    case 'invalid-input':
      return new InvalidInputError(message);
    case 'no-opaque-pixels':
      return new NoOpaquePixelsError(message);
    case 'too-large':
      return new TooLargeError(message);
    case 'no-webgpu':
      return new WebGPUUnavailableError(message);
    case 'no-adapter':
      return new NoAdapterError(message);
    case 'gpu-lost':
      return new DeviceLostError(message);
    case 'gpu-error':
      return new GpuError(message);
    case 'aborted':
      return new AbortError(message);
    default:
      return new PaletteError(code, message);
  }
}

/**
 * Finds the palette of an RGBA image in a module Worker: the same options and result as `extractPalette` (and the same
 * typed errors), without blocking the calling thread. `onProgress` is called as the worker reports; `signal` aborts
 * (the promise rejects with AbortError and the worker is terminated). The caller's pixels are copied, never detached.
 * `device` cannot be passed (a GPUDevice does not cross to a worker): the worker acquires its own where it has WebGPU.
 */
export function extractPaletteInWorker(image: PixelImage, options: ExtractPaletteOptions): Promise<PaletteResult> {
  const { signal, onProgress, device, ...rest } = options;
  if (device) {
    return Promise.reject(
      new InvalidOptionError('extractPaletteInWorker acquires its own GPU device: call extractPalette to use yours.'),
    );
  }
  if (signal?.aborted) return Promise.reject(new AbortError());
  return new Promise<PaletteResult>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./palette-worker.ts', import.meta.url), { type: 'module', name: 'palette' });
    } catch (cause) {
      reject(new PaletteError('worker-failed', 'Could not start the palette worker.', { cause }));
      return;
    }
    const settle = (done: () => void) => {
      signal?.removeEventListener('abort', onAbort);
      worker.terminate();
      done();
    };
    const onAbort = () => settle(() => reject(new AbortError()));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.addEventListener('message', ({ data }: MessageEvent<PaletteWorkerResponse>) => {
      if (data.type === 'progress') onProgress?.(data.progress);
      else if (data.type === 'result') settle(() => resolve(data.result));
      else settle(() => reject(toError(data.code, data.message)));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      settle(() => reject(new PaletteError('worker-failed', `The palette worker failed: ${event.message || 'it could not start'}.`)));
    });
    worker.addEventListener('messageerror', () =>
      settle(() => reject(new PaletteError('worker-failed', 'The palette worker sent a message that could not be read.'))),
    );
    // A copy of just the caller's pixels (a view may sit in a larger buffer), transferred rather than cloned again.
    const data = new Uint8ClampedArray(image.data);
    const request: PaletteWorkerRequest = { image: { data, width: image.width, height: image.height }, options: rest };
    worker.postMessage(request, [data.buffer]);
  });
}

/**
* The page's side of the CPU path, shared by every element on the page (`cpuPool`): a main worker that keeps the loaded image between requests, and on a machine with
 * two cores or more a helper worker that takes half the seedings (connected to the main one by a MessageChannel).
 *
 * An image is sent once (`imageId` says which; its pixels are copied into transferred buffers, the caller keeps its
 * own; the full-size original only once a recolour needs it); a new k, seed or nInit sends only options. On the GPU
 * path the workers prepare the run (`plan`) and the page's GPU engine iterates it. An aborted request is cancelled in
 * the workers (their loops yield every ~20 ms, so it stops within tens of ms), and its answer, should one still come,
 * is dropped. A worker that fails to start, or dies, fails the
 * requests in flight with `worker-failed`; the next request starts fresh workers.
 */
import { AbortError, PaletteError } from '../core/errors.js';
import type { ExactRunPlan } from '../core/exact/plan.js';
import type { PaletteResult, ProgressInfo } from '../core/types.js';
import type { IgnoreEntry } from '../core/ignore.js';
import type { HelperStart, RunOptions, WorkerPixels, WorkerRequest, WorkerResponse } from './protocol.js';
import { sampleFloat, type SampleImage } from '../image/sample.js';

export interface CpuRunResult {
  result: PaletteResult;
  /** The full-size recoloured image, when asked for. */
  recolored?: ImageBitmap;
  clusterMs: number;
  recolorMs: number;
}

/** The image a request is about, sent to the worker once under its id. */
export interface CpuImage {
  /** Identifies the image and sample; the pixels are copied only when the worker does not hold them yet. */
  imageId: number;
  sample: ImageData;
  /** The original at full size, read only when a recolour needs it; undefined when the sample is the original. */
  original: () => ImageData | undefined;
}

export interface CpuRunRequest extends CpuImage {
  recolor: boolean;
  options: RunOptions;
}

type Answer = Extract<WorkerResponse, { type: 'result' | 'plan' | 'masked' | 'resampled' }>;

interface Pending {
  resolve: (answer: Answer) => void;
  reject: (e: Error) => void;
  onProgress: ((p: ProgressInfo) => void) | undefined;
}

function copy(p: ImageData): WorkerPixels {
  const float = sampleFloat(p);
  return { data: new Uint8ClampedArray(p.data), width: p.width, height: p.height, ...(float ? { float } : {}) };
}

function spawn(name: string): Worker {
  // Vite turns this into a separate module file, in the package and in the demo (no blob: URL, so a strict CSP
  // with worker-src 'self' still allows it).
  return new Worker(new URL('./cpu-worker.ts', import.meta.url), { type: 'module', name });
}

/** Images the main worker keeps at once (least recently used dropped first); each element drops its own too. */
const MAX_HELD_IMAGES = 4;

let lastImageId = 0;
/** A new image id, unique on the page: every element's images share the pool's workers. */
export function nextImageId(): number {
  return ++lastImageId;
}

export class CpuWorkerClient {
  #main: Worker | undefined;
  #helper: Worker | undefined;
  /** The images the main worker holds (least recently used first), and whether it holds each one's original too. */
  readonly #loaded = new Map<number, { withOriginal: boolean }>();
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
    else pending.resolve(data);
  }

  #fail(event: ErrorEvent | undefined, which: string): void {
    event?.preventDefault();
    const reason = event?.message || 'it could not start';
    const error = new PaletteError('worker-failed', `The CPU worker (${which}) failed: ${reason}.`);
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.terminate();
    for (const p of pending) p.reject(error);
  }

  /** Clusters (and with `recolor`, recolours) the image in the workers. */
  async run(request: CpuRunRequest, signal?: AbortSignal, onProgress?: (p: ProgressInfo) => void): Promise<CpuRunResult> {
    const { imageId, recolor, options } = request;
    const answer = await this.#request(request, recolor, signal, onProgress, (id) => ({ type: 'run', id, imageId, recolor, options }));
    if (answer.type !== 'result') throw new PaletteError('worker-failed', `The CPU worker answered a run with ${answer.type}.`);
    const { result, recolored, clusterMs, recolorMs } = answer;
    return { result, clusterMs, recolorMs, ...(recolored ? { recolored } : {}) };
  }

  /** Prepares a GPU run on the image in the main worker, which keeps its points: seedings and tolerance. */
  async plan(image: CpuImage, options: RunOptions, signal?: AbortSignal): Promise<ExactRunPlan> {
    const { imageId } = image;
    const answer = await this.#request(image, false, signal, undefined, (id) => ({ type: 'plan', id, imageId, options }));
    if (answer.type !== 'plan') throw new PaletteError('worker-failed', `The CPU worker answered a plan with ${answer.type}.`);
    return answer.plan;
  }

  /**
   * `pixels` with the colours `ignore` matches made transparent, computed in the main worker (the page's thread
   * does no per-pixel work for it). The pixels' buffer is transferred: `pixels` is left empty, use the answer (the
   * same size; a sample's float values go with it).
   */
  async mask(pixels: ImageData, ignore: readonly IgnoreEntry[], alphaThreshold: number, signal?: AbortSignal): Promise<ImageData> {
    const float = sampleFloat(pixels);
    const { width, height, data } = pixels;
    const answer = await this.#send(signal, undefined, (id) => ({
      message: { type: 'mask', id, pixels: { data, width, height }, ignore: [...ignore], alphaThreshold },
      transfer: [data.buffer],
    }));
    if (answer.type !== 'masked') throw new PaletteError('worker-failed', `The CPU worker answered a mask with ${answer.type}.`);
    const masked = new ImageData(answer.pixels.data, width, height);
    return float ? Object.assign(masked, { float }) : masked;
  }

  /**
   * `pixels` resized to `width × height` by the core resampler, in the main worker (the page's thread does no
   * per-pixel work for it). `pixels` are copied (the page keeps them); the sample comes back with its float values.
   */
  async resample(pixels: ImageData, width: number, height: number, signal?: AbortSignal): Promise<SampleImage> {
    const source = copy(pixels);
    const answer = await this.#send(signal, undefined, (id) => ({
      message: { type: 'resample', id, pixels: source, width, height },
      transfer: [source.data.buffer],
    }));
    if (answer.type !== 'resampled') throw new PaletteError('worker-failed', `The CPU worker answered a resample with ${answer.type}.`);
    const { data, float } = answer.pixels;
    return Object.assign(new ImageData(data, width, height), { float });
  }

  /** Sends the image unless the worker holds it (its original too when `withOriginal`). */
  #load(main: Worker, image: CpuImage, withOriginal: boolean): void {
    const { imageId } = image;
    const held = this.#loaded.get(imageId);
    this.#loaded.delete(imageId);
    this.#loaded.set(imageId, { withOriginal: withOriginal || !!held?.withOriginal });
    if (held && (held.withOriginal || !withOriginal)) return;
    const original = withOriginal ? image.original() : undefined;
    if (held) {
      if (original) {
        const message: WorkerRequest = { type: 'original', imageId, original: copy(original) };
        main.postMessage(message, [message.original.data.buffer]);
      }
      return;
    }
    const message: WorkerRequest = { type: 'load', imageId, sample: copy(image.sample), ...(original ? { original: copy(original) } : {}) };
    const transfer: Transferable[] = [message.sample.data.buffer];
    if (message.original) transfer.push(message.original.data.buffer);
    main.postMessage(message, transfer);
    for (const [oldest] of this.#loaded) {
      if (this.#loaded.size <= MAX_HELD_IMAGES) break;
      this.drop(oldest);
    }
  }

  /** Frees an image the worker holds (an element's input changed, or the element left). */
  drop(imageId: number): void {
    if (!this.#loaded.delete(imageId)) return;
    this.#main?.postMessage({ type: 'drop', imageId } satisfies WorkerRequest);
  }

  /** Requests waiting for an answer. */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  #request(
    image: CpuImage,
    withOriginal: boolean,
    signal: AbortSignal | undefined,
    onProgress: ((p: ProgressInfo) => void) | undefined,
    message: (id: number) => WorkerRequest,
  ): Promise<Answer> {
    return this.#send(signal, onProgress, (id) => ({ message: message(id) }), (main) => this.#load(main, image, withOriginal));
  }

  /** Posts `make(id).message` to the main worker (started if need be, `before` it) and waits for its answer. */
  #send(
    signal: AbortSignal | undefined,
    onProgress: ((p: ProgressInfo) => void) | undefined,
    make: (id: number) => { message: WorkerRequest; transfer?: Transferable[] },
    before?: (main: Worker) => void,
  ): Promise<Answer> {
    if (signal?.aborted) return Promise.reject(new AbortError());
    let main: Worker;
    try {
      main = this.#start();
    } catch (cause) {
      this.terminate();
      return Promise.reject(new PaletteError('worker-failed', `Could not start the CPU worker: ${String(cause)}`));
    }
    const id = this.#nextId++;
    before?.(main);
    const { message, transfer = [] } = make(id);
    return new Promise<Answer>((resolve, reject) => {
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
      main.postMessage(message, transfer);
    });
  }

  /** Stops the workers; a request still waiting is rejected (never left pending). */
  terminate(): void {
    this.#main?.terminate();
    this.#helper?.terminate();
    this.#main = undefined;
    this.#helper = undefined;
    this.#loaded.clear();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(new AbortError('The CPU workers were stopped.'));
  }
}

/**
 * The page's CPU workers, shared by every element: fifty elements use the same two workers, not a hundred. Each
 * element holds a lease while it is on the page (or while a detached `extract()` runs); when the last lease goes and
 * no request is waiting, the workers stop, and the next lease starts them again.
 */
class CpuPool {
  #client: CpuWorkerClient | undefined;
  #leases = 0;

  acquire(): CpuLease {
    this.#leases++;
    const client = (this.#client ??= new CpuWorkerClient());
    let released = false;
    return {
      client,
      release: () => {
        if (released) return;
        released = true;
        this.#leases--;
        this.#stopIfIdle(client);
      },
    };
  }

  #stopIfIdle(client: CpuWorkerClient): void {
    if (this.#leases > 0 || client !== this.#client) return;
    this.#client = undefined;
    client.terminate();
  }
}

export interface CpuLease {
  client: CpuWorkerClient;
  /** Gives the lease back (once; later calls do nothing). */
  release(): void;
}

export const cpuPool = new CpuPool();

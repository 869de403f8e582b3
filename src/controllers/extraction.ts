/**
 * One extraction, from an input to what the element shows: decode (cached per input), sample (cached per input and
 * sample size), cluster on the GPU or in the CPU workers, recolour at the original size, and with `compare` the
 * other backend on the same sample. On the GPU path the CPU worker prepares each run (seedings, tolerance: the CPU
 * work of an exact run, on the points it keeps) and the GPU iterates it, so this thread only drives the GPU.
 * DOM-light and element-free, so the element only renders and dispatches.
 *
 * Requests own their abort: the decoded image is shared between the requests on one input, so its load has an abort
 * of its own (fired when the input is replaced or the pipeline is released), and a request only stops waiting for it.
 */
import { AbortError, PaletteError } from '../core/errors.js';
import type { PaletteResult, ProgressInfo } from '../core/types.js';
import type { PaletteCompareDetail, PaletteDetail, PaletteTimings } from '../events/details.js';
import { drawForDisplay, readFullPixels } from '../image/canvas-limits.js';
import { abortable, loadImage, type ColorManagement, type DecodedImage, type ImageInput, type LoadOptions } from '../image/load.js';
import { maskIgnoredSteps, type IgnoreEntry } from '../core/ignore.js';
import { runPaced } from '../core/pace.js';
import { cropPixels, isWholeImage, resolveRegion, type PixelRect } from '../image/region.js';
import { readSample, type SampleImage } from '../image/sample.js';
import { fitK, sampleDimensions, type SampleSize } from '../image/sample-size.js';
import { cpuPool, nextImageId, type CpuImage, type CpuLease } from '../worker/cpu-client.js';
import { chooseBackend, CpuBackend, GpuBackend, gpuFailure, workerFailed, type BackendRequest, type BackendRun, type PaletteBackend } from './backends.js';
import { agreement } from './compare.js';
import { GpuSession } from './gpu-backend.js';
import { engineOptions, type EngineOptions, type ResolvedOptions } from './options.js';

export interface ExtractionOutcome {
  detail: PaletteDetail;
  compare?: PaletteCompareDetail;
  /** The original, drawn once per input (at its own size, or scaled to what a canvas can hold). */
  original: HTMLCanvasElement;
  /** The recoloured image at the original size (or the original's display size). */
  recolored: HTMLCanvasElement;
  /** Something the user should know (WebGPU missing, a fallback), or undefined. */
  notice?: string;
}

/** One request, made once by the element: every layer takes it unchanged. */
export interface ExtractionRequest {
  input: ImageInput;
  options: ResolvedOptions;
  compare: boolean;
  load: LoadOptions;
  signal: AbortSignal;
  onProgress: (p: ProgressInfo) => void;
  /** Told once the image is decoded (before the palette): the element shows the photo at once. */
  onDecoded?: (original: HTMLCanvasElement, width: number, height: number) => void;
}

interface SampleEntry {
  input: ImageInput;
  key: string;
  pixels: ImageData;
  /** Names the sample in the CPU workers. */
  id: number;
  /** The sample is the whole image at its own size: its labels recolour it. */
  whole: boolean;
  ignore: IgnoreEntry[];
  /** The alpha threshold the ignored pixels were masked for (the resolved options'). */
  alphaThreshold: number;
  /** The full-size image to recolour (ignored pixels made transparent), when it is not the sample. */
  recolorSource?: ImageData;
}

interface DecodedEntry {
  input: ImageInput;
  colorManagement: ColorManagement;
  image: Promise<DecodedImage>;
  /** Aborts the load itself: only when the input is replaced or the pipeline released, never by one request. */
  abort: AbortController;
  /** The original drawn for display. */
  original?: HTMLCanvasElement;
  /** The original's pixels, read once (recolouring needs them at full size). */
  pixels?: ImageData;
}

const CPU_ADAPTER = 'CPU (Web Worker)';

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AbortError();
}

function sampleKey(size: SampleSize, region: PixelRect | null, ignoreKey: string): string {
  return JSON.stringify([size, region, ignoreKey]);
}

/** The region of an image as an image of its own (its pixels cropped from the full-size ones). */
function croppedImage(full: ImageData, rect: PixelRect): DecodedImage {
  const { data, width, height } = cropPixels(full, rect);
  const source = new ImageData(data as Uint8ClampedArray<ArrayBuffer>, width, height);
  return { source, width, height, release: () => {} };
}

/** Samples up to this many pixels have their distinct colours counted when a palette comes out short. */
const COUNT_DISTINCT_MAX = 1 << 22;

/**
 * Honest output: when the palette has fewer colours than were asked for, says why. Either the sample has fewer
 * distinct colours than k (counted in a 2^24-bit table), or clusters came out empty or rounded to one colour.
 */
function fewerColorsNotice(asked: number, found: number, sample: ImageData, alphaThreshold: number): string | undefined {
  if (found >= asked) return undefined;
  const got = `${found} colour${found === 1 ? '' : 's'} instead of ${asked}`;
  if (sample.width * sample.height <= COUNT_DISTINCT_MAX) {
    const seen = new Uint32Array(1 << 19);
    const data = sample.data;
    let distinct = 0;
    for (let p = 0; p < data.length; p += 4) {
      if (data[p + 3]! < alphaThreshold) continue;
      const c = (data[p]! << 16) | (data[p + 1]! << 8) | data[p + 2]!;
      const bit = 1 << (c & 31);
      if (seen[c >>> 5]! & bit) continue;
      seen[c >>> 5]! |= bit;
      distinct++;
    }
    if (distinct < asked) {
      return `${got}: the image has only ${distinct} distinct colour${distinct === 1 ? '' : 's'}, and the palette shows each.`;
    }
  }
  return `${got}: ${asked - found} of the clusters came out empty or the same 8-bit colour as another.`;
}




export class ExtractionPipeline {
  #lease: CpuLease | undefined;
  #decoded: DecodedEntry | undefined;
  #sample: SampleEntry | undefined;
  #gpu: Promise<GpuSession | null> | undefined;

  get #cpu() {
    this.#lease ??= cpuPool.acquire();
    return this.#lease.client;
  }

  /** This element's GPU session; a lost one is replaced. */
  async #gpuSession(): Promise<GpuSession | null> {
    const current = await this.#gpu;
    if (current && !current.usable) {
      current.destroy();
      this.#gpu = undefined;
    }
    this.#gpu ??= GpuSession.open();
    return this.#gpu;
  }

  #dropGpu(): void {
    const old = this.#gpu;
    this.#gpu = undefined;
    void old?.then((session) => session?.destroy());
  }

  /** The decoded image for `input`, loading it unless this input's load (in this colour management) is cached. */
  #decode(input: ImageInput, load: LoadOptions, colorManagement: ColorManagement): DecodedEntry {
    let entry = this.#decoded;
    if (entry?.input === input && entry.colorManagement === colorManagement) return entry;
    this.#release();
    const abort = new AbortController();
    const image = loadImage(input, abort.signal, { ...load, colorManagement });
    entry = this.#decoded = { input, colorManagement, image, abort };
    const cached = entry;
    // A failed load is not cached: the next request on this input loads it again.
    image.catch(() => {
      if (this.#decoded === cached) this.#decoded = undefined;
    });
    return entry;
  }

  /** Stops loading the current input (a Cancel): the next request on it loads again. */
  cancelLoad(): void {
    const entry = this.#decoded;
    if (!entry || entry.original) return;
    entry.abort.abort();
    this.#decoded = undefined;
  }

  async run(request: ExtractionRequest): Promise<ExtractionOutcome> {
    const { input, compare, signal, onProgress } = request;
    let options = request.options;
    const timings: PaletteTimings = { decodeMs: 0, downscaleMs: 0, clusterMs: 0, recolorMs: 0, totalMs: 0 };
    const start = performance.now();

    // Decode once per input: a change of k or seed re-runs from the decoded image.
    const entry = this.#decode(input, request.load, options.colorManagement);
    const image = await abortable(entry.image, signal);
    if (!entry.original) {
      entry.original = drawForDisplay(image);
      request.onDecoded?.(entry.original, image.width, image.height);
    }
    timings.decodeMs = performance.now() - start;

    const t1 = performance.now();
    const fullPixels = () => (entry.pixels ??= readFullPixels(image));
    const rect = options.region ? resolveRegion(options.region, image.width, image.height) : null;
    const region = rect && !isWholeImage(rect, image.width, image.height) ? rect : null;
    const key = sampleKey(options.sampleSize, region, options.ignoreKey);
    if (this.#sample?.input !== input || this.#sample.key !== key) {
      // The palette comes from the region (cropped from the full-size pixels) or the whole image, resized by the
      // core resampler; ignored colours are then made transparent, so no engine sees them.
      const source = region ? croppedImage(fullPixels(), region) : image;
      const { width, height } = sampleDimensions(options.sampleSize, source.width, source.height);
      let pixels = await readSample(source, width, height, fullPixels, signal, (full, w, h, s) => this.#resampleInWorker(full, w, h, s));
      if (options.ignore.length > 0) pixels = await this.#maskIgnored(pixels, options.ignore, options.alphaThreshold, signal);
      throwIfAborted(signal);
      if (this.#sample) this.#lease?.client.drop(this.#sample.id);
      const whole = !region && width === image.width && height === image.height;
      this.#sample = { input, key, pixels, id: nextImageId(), whole, ignore: options.ignore, alphaThreshold: options.alphaThreshold };
    }
    const sampled = this.#sample;
    const sample = sampled.pixels;
    // Never fewer clusters than locked colours: each locked colour is a cluster of its own.
    const k = Math.max(fitK(options.k, sample), options.fixed.length);
    if (k !== options.k) options = { ...options, k };
    timings.downscaleMs = performance.now() - t1;

    let gpu: GpuSession | null = null;
    if (options.backend !== 'cpu' || compare) gpu = await abortable(this.#gpuSession(), signal);
    const choice = chooseBackend(options.backend, gpu, image.width, image.height);
    let notice = choice.notice;
    // The options as every engine takes them, made once for the run and, when comparing, for the other backend's.
    const engine = engineOptions(options);
    const backendRequest: BackendRequest = {
      image: this.#cpuImage(sampled),
      whole: sampled.whole,
      options: engine,
      recolor: () => this.#recolorSource(sampled, fullPixels, signal),
      // Per-pixel labels stay on the device unless the comparison needs them (label agreement).
      labels: compare,
      signal,
      onProgress,
    };
    let run: BackendRun | undefined;
    if (choice.kind === 'gpu') {
      try {
        run = await new GpuBackend(gpu!, () => this.#cpu).run(backendRequest);
      } catch (error) {
        if (!(error instanceof PaletteError) || (error.code !== 'gpu-lost' && error.code !== 'gpu-error')) throw error;
        console.warn('palette-extractor: the GPU failed, computing on the CPU instead.', error);
        this.#dropGpu();
        gpu = null;
        notice = `The GPU could not finish (${gpuFailure(error)}), so this palette was computed on the CPU (same result).`;
      }
    }
    run ??= await new CpuBackend(() => this.#cpu).run(backendRequest);
    const result = run.result;
    const recolored = run.recolored!;
    timings.clusterMs = run.clusterMs;
    timings.recolorMs = run.recolorMs;
    throwIfAborted(signal);
    timings.totalMs = performance.now() - start;

    const detail = this.#detail(result, options, image, sample, timings);
    const outcome: ExtractionOutcome = { detail, original: entry.original, recolored: recolored! };
    const fewer = fewerColorsNotice(request.options.k, detail.colors.length, sample, request.options.alphaThreshold);
    if (notice || fewer) outcome.notice = [notice, fewer].filter(Boolean).join(' ');

    if (compare) {
      if (!gpu) {
        outcome.notice = 'Comparing GPU and CPU needs WebGPU, which this browser does not offer.';
      } else {
        outcome.compare = await this.#compare(gpu, result, detail, sampled, image, options, engine, signal);
      }
    }
    return outcome;
  }

  async #compare(
    gpu: GpuSession,
    first: PaletteResult,
    firstDetail: PaletteDetail,
    sampled: SampleEntry,
    image: DecodedImage,
    options: ResolvedOptions,
    engine: EngineOptions,
    signal: AbortSignal,
  ): Promise<PaletteCompareDetail> {
    const start = performance.now();
    const backend: PaletteBackend = first.backend === 'gpu' ? new CpuBackend(() => this.#cpu) : new GpuBackend(gpu, () => this.#cpu);
    const other = (await backend.run({ image: this.#cpuImage(sampled), whole: sampled.whole, options: engine, labels: true, signal })).result;
    throwIfAborted(signal);
    const ms = performance.now() - start;
    const timings: PaletteTimings = { decodeMs: 0, downscaleMs: 0, clusterMs: ms, recolorMs: 0, totalMs: ms };
    const otherDetail = this.#detail(other, options, image, sampled.pixels, timings);
    const [gpuResult, cpuResult] = first.backend === 'gpu' ? [first, other] : [other, first];
    const [gpuDetail, cpuDetail] = first.backend === 'gpu' ? [firstDetail, otherDetail] : [otherDetail, firstDetail];
    return { gpu: gpuDetail, cpu: cpuDetail, ...agreement(gpuResult, cpuResult) };
  }

  /** The sample as the CPU worker gets it; the image to recolour goes too when it is not the sample. */
  #cpuImage(sampled: SampleEntry): CpuImage {
    return {
      imageId: sampled.id,
      sample: sampled.pixels,
      original: () => (sampled.whole ? undefined : sampled.recolorSource),
    };
  }

  /**
   * The full-size image the palette recolours when it is not the sample: the original's pixels (read once), or with
   * an ignore list a copy whose ignored pixels are transparent (made once per sample, a slice at a time).
   */
  async #recolorSource(sampled: SampleEntry, fullPixels: () => ImageData, signal: AbortSignal): Promise<ImageData> {
    if (sampled.whole) return sampled.pixels;
    if (!sampled.recolorSource) {
      const full = fullPixels();
      if (sampled.ignore.length === 0) sampled.recolorSource = full;
      else {
        const copy = new ImageData(new Uint8ClampedArray(full.data), full.width, full.height);
        sampled.recolorSource = await this.#maskIgnored(copy, sampled.ignore, sampled.alphaThreshold, signal);
      }
    }
    return sampled.recolorSource;
  }

  /**
   * The sample, resized in the CPU worker (the page only copies the pixels there); null where the worker cannot start,
   * so that the page makes it, paced.
   */
  async #resampleInWorker(full: ImageData, width: number, height: number, signal?: AbortSignal): Promise<SampleImage | null> {
    try {
      return await this.#cpu.resample(full, width, height, signal);
    } catch (error) {
      if (workerFailed(error)) return null;
      throw error;
    }
  }

  /**
   * `pixels` with the colours `ignore` matches made transparent (so the engines leave them out, and the recoloured
   * image shows them as left out). Computed in the CPU worker, which takes `pixels`' buffer and gives it back: the
   * page's thread does no per-pixel work for it. Only where the worker cannot start is it done here, paced.
   */
  async #maskIgnored(pixels: ImageData, ignore: readonly IgnoreEntry[], alphaThreshold: number, signal: AbortSignal): Promise<ImageData> {
    try {
      return await this.#cpu.mask(pixels, ignore, alphaThreshold, signal);
    } catch (error) {
      // A worker that never started left the pixels here (a transferred buffer reads as empty): mask them in place.
      const kept = pixels.data.length > 0;
      if (!kept || !workerFailed(error)) throw error;
      await runPaced(maskIgnoredSteps(pixels.data, ignore, { alphaThreshold }), signal);
      return pixels;
    }
  }

  #detail(
    result: PaletteResult,
    options: ResolvedOptions,
    image: DecodedImage,
    sample: ImageData,
    timings: PaletteTimings,
  ): PaletteDetail {
    return {
      colors: result.colors,
      backend: result.backend,
      adapter: result.adapter || (result.backend === 'cpu' ? CPU_ADAPTER : 'GPU'),
      arithmetic: result.arithmetic,
      colorSpace: result.colorSpace,
      k: options.k,
      seed: options.seed,
      iterations: result.iterations,
      converged: result.converged,
      inertia: result.inertia,
      width: image.width,
      height: image.height,
      sampleWidth: sample.width,
      sampleHeight: sample.height,
      pixelsUsed: result.pixelsUsed,
      timings,
    };
  }

  /** Forgets the decoded image (stopping its load if it is still loading) and the sample the worker holds. */
  #release(): void {
    const old = this.#decoded;
    this.#decoded = undefined;
    if (this.#sample) this.#lease?.client.drop(this.#sample.id);
    this.#sample = undefined;
    old?.abort.abort();
    old?.image.then((img) => img.release()).catch(() => {});
  }

  /** Gives back everything this element holds: the decoded image, its share of the CPU workers, its GPU buffers. */
  dispose(): void {
    this.#release();
    this.#lease?.release();
    this.#lease = undefined;
    this.#dropGpu();
  }
}


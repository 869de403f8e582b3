/**
 * One extraction, from an input to what the element shows: decode (cached per input), sample (cached per input and
 * sample size), cluster on the GPU or in the CPU worker, recolour at the original size, and with `compare` the
 * other backend on the same sample. On the GPU path the CPU worker prepares each run (seedings, tolerance: the CPU
 * work of an exact run, on the points it keeps) and the GPU iterates it, so this thread only drives the GPU. DOM-light and element-free, so the element only renders and dispatches.
 */
import { AbortError, PaletteError } from '../core/errors.js';
import { DEFAULTS } from '../core/constants.js';
import type { ExactRunPlan } from '../core/exact/plan.js';
import type { PaletteResult, ProgressInfo } from '../core/types.js';
import type { PaletteCompareDetail, PaletteDetail, PaletteTimings } from '../events/details.js';
import { loadImage, type ColorManagement, type DecodedImage, type ImageInput } from '../image/load.js';
import { readPixels } from '../image/pixels.js';
import { readSample } from '../image/sample.js';
import { sampleDimensions, type SampleSize } from '../image/sample-size.js';
import { CpuWorkerClient, type CpuImage } from '../worker/cpu-client.js';
import { agreement } from './compare.js';
import { GpuSession } from './gpu-backend.js';
import type { ResolvedOptions } from './options.js';

export interface ExtractionOutcome {
  detail: PaletteDetail;
  compare?: PaletteCompareDetail;
  /** The original, drawn once per input at its own size. */
  original: HTMLCanvasElement;
  /** The recoloured image at the original size. */
  recolored: HTMLCanvasElement;
  /** Something the user should know (WebGPU missing, a fallback), or undefined. */
  notice?: string;
}

interface DecodedEntry {
  input: ImageInput;
  colorManagement: ColorManagement;
  image: Promise<DecodedImage>;
  /** The original drawn for display. */
  original?: HTMLCanvasElement;
  /** The original's pixels, read once (recolouring needs them at full size). */
  pixels?: ImageData;
}

const CPU_ADAPTER = 'CPU (Web Worker)';

/**
 * k-means needs at least k points: an image with fewer opaque pixels than the colours asked for (a 1×1 image) runs
 * with one cluster per pixel, so it shows the colours it has instead of an error. None opaque is left to the engine,
 * which reports `no-opaque-pixels`.
 */
function fitK(options: ResolvedOptions, sample: ImageData): ResolvedOptions {
  let opaque = 0;
  const data = sample.data;
  // Stops at k: a usual image answers within its first k pixels.
  for (let i = 3; i < data.length && opaque < options.k; i += 4) if (data[i]! >= DEFAULTS.alphaThreshold) opaque++;
  return opaque > 0 && opaque < options.k ? { ...options, k: opaque } : options;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AbortError();
}

function canvasFor(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function drawOriginal(image: DecodedImage): HTMLCanvasElement {
  const canvas = canvasFor(image.width, image.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new PaletteError('too-large', `This browser cannot make a ${image.width}×${image.height} canvas.`);
  if (image.source instanceof ImageData) ctx.putImageData(image.source, 0, 0);
  else ctx.drawImage(image.source, 0, 0);
  return canvas;
}

function sampleKey(size: SampleSize): string {
  return JSON.stringify(size);
}

export class ExtractionPipeline {
  readonly #cpu = new CpuWorkerClient();
  #decoded: DecodedEntry | undefined;
  #sample: { input: ImageInput; key: string; pixels: ImageData; id: number } | undefined;
  /** Numbers each (input, sample size): the CPU worker keeps the image it was last sent under that number. */
  #sampleIds = 0;
  #gpu: Promise<GpuSession | null> | undefined;

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

  async run(
    input: ImageInput,
    options: ResolvedOptions,
    compare: boolean,
    signal: AbortSignal,
    onProgress: (p: ProgressInfo) => void,
  ): Promise<ExtractionOutcome> {
    const timings: PaletteTimings = { decodeMs: 0, downscaleMs: 0, clusterMs: 0, recolorMs: 0, totalMs: 0 };
    const start = performance.now();

    // Decode once per input: a change of k or seed re-runs from the decoded image.
    let entry = this.#decoded;
    const { colorManagement } = options;
    if (entry?.input !== input || entry.colorManagement !== colorManagement) {
      this.#release();
      const image = loadImage(input, signal, { colorManagement });
      entry = this.#decoded = { input, colorManagement, image };
      // A failed or aborted load must not be cached.
      image.catch(() => {
        if (this.#decoded === entry) this.#decoded = undefined;
      });
    }
    const image = await entry.image;
    throwIfAborted(signal);
    entry.original ??= drawOriginal(image);
    timings.decodeMs = performance.now() - start;

    const t1 = performance.now();
    const key = sampleKey(options.sampleSize);
    if (this.#sample?.input !== input || this.#sample.key !== key) {
      const { width, height } = sampleDimensions(options.sampleSize, image.width, image.height);
      // The core resampler makes the sample from the full-size pixels (read once, kept for recolouring).
      const original = () => (entry.pixels ??= readPixels(image, image.width, image.height));
      const pixels = await readSample(image, width, height, original, signal);
      throwIfAborted(signal);
      this.#sample = { input, key, pixels, id: ++this.#sampleIds };
    }
    const sample = this.#sample.pixels;
    const sampleId = this.#sample.id;
    options = fitK(options, sample);
    timings.downscaleMs = performance.now() - t1;

    let notice: string | undefined;
    let gpu: GpuSession | null = null;
    if (options.backend !== 'cpu' || compare) gpu = await this.#gpuSession();
    throwIfAborted(signal);
    if (!gpu && options.backend !== 'cpu') {
      notice = 'WebGPU is not available in this browser, so the palette was computed on the CPU (same result).';
    }

    const t2 = performance.now();
    let result: PaletteResult;
    const recolored = canvasFor(image.width, image.height);
    let useGpu = !!gpu && options.backend !== 'cpu';
    if (useGpu) {
      try {
        const cpuImage = this.#cpuImage(sample, sampleId, entry, image);
        const prepared = await this.#gpuPlan(cpuImage, options, signal);
        result = await gpu!.cluster(sample, { ...this.#engineOptions(options, signal, onProgress), ...prepared });
        throwIfAborted(signal);
        timings.clusterMs = performance.now() - t2;
        const t3 = performance.now();
        onProgress({ phase: 'recolor', fraction: 0 });
        entry.pixels ??= readPixels(image, image.width, image.height);
        await gpu!.recolor(sample.width === image.width && sample.height === image.height ? sample : entry.pixels, recolored);
        throwIfAborted(signal);
        timings.recolorMs = performance.now() - t3;
      } catch (error) {
        if (!(error instanceof PaletteError) || (error.code !== 'gpu-lost' && error.code !== 'gpu-error')) throw error;
        this.#dropGpu();
        gpu = null;
        useGpu = false;
        notice = `The GPU failed (${error.message}), so this palette was computed on the CPU.`;
      }
    }
    if (!useGpu) {
      const run = await this.#cpuRun(sample, sampleId, entry, image, options, true, signal, onProgress);
      result = run.result;
      timings.clusterMs = run.clusterMs;
      const t3 = performance.now();
      // The worker drew the picture; handing its bitmap to the canvas copies nothing on this thread.
      const bitmap = run.recolored!;
      if (signal.aborted) bitmap.close();
      else recolored.getContext('bitmaprenderer')!.transferFromImageBitmap(bitmap);
      timings.recolorMs = run.recolorMs + (performance.now() - t3);
    }
    throwIfAborted(signal);
    timings.totalMs = performance.now() - start;

    const detail = this.#detail(result!, options, image, sample, timings);
    const outcome: ExtractionOutcome = { detail, original: entry.original, recolored };
    if (notice) outcome.notice = notice;

    if (compare) {
      if (!gpu) {
        outcome.notice = 'Comparing GPU and CPU needs WebGPU, which this browser does not offer.';
      } else {
        outcome.compare = await this.#compare(gpu, result!, detail, sample, sampleId, entry, image, options, signal);
      }
    }
    return outcome;
  }

  async #compare(
    gpu: GpuSession,
    first: PaletteResult,
    firstDetail: PaletteDetail,
    sample: ImageData,
    sampleId: number,
    entry: DecodedEntry,
    image: DecodedImage,
    options: ResolvedOptions,
    signal: AbortSignal,
  ): Promise<PaletteCompareDetail> {
    const start = performance.now();
    let other: PaletteResult;
    if (first.backend === 'gpu') {
      other = (await this.#cpuRun(sample, sampleId, entry, image, options, false, signal)).result;
    } else {
      const prepared = await this.#gpuPlan(this.#cpuImage(sample, sampleId, entry, image), options, signal);
      other = await gpu.cluster(sample, { ...this.#engineOptions(options, signal), ...prepared });
    }
    throwIfAborted(signal);
    const ms = performance.now() - start;
    const timings: PaletteTimings = { decodeMs: 0, downscaleMs: 0, clusterMs: ms, recolorMs: 0, totalMs: ms };
    const otherDetail = this.#detail(other, options, image, sample, timings);
    const [gpuResult, cpuResult] = first.backend === 'gpu' ? [first, other] : [other, first];
    const [gpuDetail, cpuDetail] = first.backend === 'gpu' ? [firstDetail, otherDetail] : [otherDetail, firstDetail];
    return { gpu: gpuDetail, cpu: cpuDetail, ...agreement(gpuResult, cpuResult) };
  }

  /** The sample as the CPU worker gets it; the original goes too (read once) when it is not the sample. */
  #cpuImage(sample: ImageData, sampleId: number, entry: DecodedEntry, image: DecodedImage): CpuImage {
    const sameSize = sample.width === image.width && sample.height === image.height;
    return {
      imageId: sampleId,
      sample,
      original: () => (sameSize ? undefined : (entry.pixels ??= readPixels(image, image.width, image.height))),
    };
  }

  #cpuRun(
    sample: ImageData,
    sampleId: number,
    entry: DecodedEntry,
    image: DecodedImage,
    options: ResolvedOptions,
    recolor: boolean,
    signal: AbortSignal,
    onProgress?: (p: ProgressInfo) => void,
  ) {
    const request = { ...this.#cpuImage(sample, sampleId, entry, image), recolor, options: this.#workerOptions(options) };
    return this.#cpu.run(request, signal, onProgress);
  }

  /**
   * The GPU run's preparation, made in the CPU worker (it keeps the sample's points: a new k does not extract them
   * again), as `{ prepared }`; `{}` where the worker cannot start, and the engine then prepares on this thread.
   */
  async #gpuPlan(image: CpuImage, options: ResolvedOptions, signal: AbortSignal): Promise<{ prepared?: ExactRunPlan }> {
    try {
      return { prepared: await this.#cpu.plan(image, this.#workerOptions(options), signal) };
    } catch (error) {
      if (error instanceof PaletteError && error.code === 'worker-failed') return {};
      throw error;
    }
  }

  #workerOptions(options: ResolvedOptions) {
    const { k, seed, nInit, maxIter, colorSpace, arithmetic } = options;
    return { k, seed, nInit, maxIter, colorSpace, arithmetic };
  }

  #engineOptions(options: ResolvedOptions, signal: AbortSignal, onProgress?: (p: ProgressInfo) => void) {
    return {
      k: options.k,
      seed: options.seed,
      nInit: options.nInit,
      maxIter: options.maxIter,
      colorSpace: options.colorSpace,
      alphaThreshold: DEFAULTS.alphaThreshold,
      signal,
      ...(onProgress ? { onProgress } : {}),
    };
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

  #release(): void {
    const old = this.#decoded;
    this.#decoded = undefined;
    this.#sample = undefined;
    old?.image.then((img) => img.release()).catch(() => {});
  }

  dispose(): void {
    this.#release();
    this.#cpu.terminate();
    this.#dropGpu();
  }
}

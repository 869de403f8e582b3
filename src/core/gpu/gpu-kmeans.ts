/**
 * Exact k-means on the GPU (docs/ARITHMETIC.md): the same labels, centres, iteration count and inertia as the CPU
 * engine (`cpuPixelKMeans`), bit for bit. Like the CPU engine it clusters the image's distinct colours weighted by
 * their counts, which gives the same bits as clustering every pixel:
 *
 * 1. once per image, colour space and alpha threshold: pixels → points → a 2^24-entry count table → the list of U
 *    distinct colours and their counts (`ColorTable`), with n and the exact sums behind `tolFixed` (one 64-byte
 *    readback);
 * 2. per run: the plan on the CPU (`tolFixed` from those sums, the k-means++ seedings on a sample of at most
 *    SEED_SAMPLE_MAX points gathered from the image), or one made elsewhere (`prepared`, an `ExactRunPlan`: the
 *    element's CPU worker makes it);
 * 3. all nInit seedings iterate together on the device, U·k work per iteration, the host out of the loop
 *    (`runPass`): one submission and one small readback per pass unless a run goes past the first batch;
 * 4. the best run's labels fill the colour table (code → label); per-pixel labels are read back only when asked
 *    (`labels`, default true), and `recolor()` draws pixel → code → label → palette on the device.
 *
 * The image is uploaded once (`setImage`) and stays on the device; a run with another k, seed or nInit reuses its
 * colour list, and the lists of the last two colour spaces or thresholds are kept (switching back recomputes the
 * points only).
 */
import { MAX_K } from '../constants.js';
import { DeviceLostError, GpuError, InvalidInputError, NoOpaquePixelsError, TooLargeError, throwIfAborted } from '../errors.js';
import { checkExactRunPlan, type ExactRunPlan } from '../exact/plan.js';
import { checkPixelKMeansOptions, resolvePixelOptions, seedFromSample } from '../exact/prepare.js';
import { toleranceFromSums } from '../exact/points.js';
import { finishExactResult } from '../exact/result.js';
import { pickBestRun } from '../exact/runs.js';
import { FIXED_ONE } from '../constants.js';
import type { PixelImage, PixelKMeansOptions, PixelKMeansResult } from '../types.js';
import { resolveKMeansOptions } from '../validate.js';
import { BufferAllocator } from './allocator.js';
import { ColorTable, type ColorSet, type GpuTraffic } from './color-table.js';
import { closeScopes, openScopes, withScopes } from './error-scopes.js';
import { GpuImage } from './gpu-image.js';
import { encodeLabelling, labelWords, RunBuffers, runPass, type Dispatcher, type RunOutcome } from './lloyd-runs.js';
import { pipelinesFor, type EnginePipelines, type PipelineName } from './pipelines.js';
import { encodeLut, encodeRecolor, paletteWords, readPixelLabels } from './pixel-ops.js';
import { gatherSeedSample } from './seed-sample.js';
import { dispatchGrid, planSegments, tilesPerBinding } from './segments.js';
import { structLayout, TILE_PIXELS } from './shader-source.js';

/** Knobs for tests and benchmarks; the defaults follow the device's limits. */
export interface GpuKMeansTuning {
  /** Most pixels in one segment (rounded down to whole tiles). Default: what one storage binding holds. */
  segmentPixels?: number;
  /** Most workgroups along one dispatch dimension. Default: the device's `maxComputeWorkgroupsPerDimension`. */
  workgroupsPerDimension?: number;
  /** Most Lloyd iterations encoded in one submission. Default 256 (the first submission of a pass: 32). */
  maxIterationsPerSubmit?: number;
  /** Most seedings iterated together in one pass. Default: all nInit, as the labels' binding allows. */
  runsPerPass?: number;
}

export interface GpuRunOptions extends PixelKMeansOptions {
  /**
   * The run's preparation, made elsewhere (`exactRunPlan(prepareExactRun(image, options))`, e.g. in a Worker) for
   * this image and these options; checked against them. Without it the run plans itself (tolerance from the GPU's
   * sums, seedings on this thread from a sample of at most SEED_SAMPLE_MAX pixels).
   */
  prepared?: ExactRunPlan;
  /**
   * Whether the result carries a label per pixel (read back from the device: 4 bytes a pixel). Default true. With
   * false, `labels` is an empty array; `counts`, the palette and `recolor()` do not need them.
   */
  labels?: boolean;
}

/** Milliseconds of each phase of the last run (benchmarks). */
export interface GpuRunPhases {
  /** Points, count and colour list (0 when the image's list for this colour space was already there). */
  countMs: number;
  /** Plan: tolerance and k-means++ seedings (0 with `prepared`). */
  planMs: number;
  /** Lloyd loops, final E-step and the readback of every run's outcome. */
  iterateMs: number;
  /** Label table, and the per-pixel labels when asked. */
  labelsMs: number;
}

type Pipelines = Record<PipelineName, GPUComputePipeline>;
const RUN_PIPELINES = ['assign', 'assignFinal', 'update', 'control', 'lut'] as const;

const DEFAULT_MAX_BATCH = 256;

function isImage(value: PixelImage | PixelKMeansOptions): value is PixelImage {
  return typeof value === 'object' && value !== null && 'data' in value && 'width' in value;
}

function checkImage(image: PixelImage): void {
  const { data, width, height } = image ?? {};
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InvalidInputError(`The image size must be positive integers, got ${width} × ${height}.`);
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray) || data.length !== 4 * width * height) {
    throw new InvalidInputError(`The image data must be ${4 * width * height} RGBA bytes (a Uint8Array or Uint8ClampedArray).`);
  }
}

export class GpuKMeans {
  readonly device: GPUDevice;
  readonly #allocator: BufferAllocator;
  readonly #pipelines: EnginePipelines;
  readonly #maxTiles: number;
  readonly #perDimension: number;
  readonly #maxBatch: number;
  readonly #maxRunsPerPass: number;
  readonly #traffic: GpuTraffic = { submissions: 0, roundTrips: 0, bytesRead: 0 };
  #table: ColorTable | null = null;
  #runs: RunBuffers | null = null;
  #lutParams: GPUBuffer | null = null;
  #palette: GPUBuffer | null = null;
  #image: GpuImage | null = null;
  #source: PixelImage | null = null;
  #imageReady: Promise<Error | null> = Promise.resolve(null);
  #uploads = 0;
  /** The result the colour table's labels belong to (recolor() draws it). */
  #last: PixelKMeansResult | null = null;
  #phases: GpuRunPhases = { countMs: 0, planMs: 0, iterateMs: 0, labelsMs: 0 };
  #lost: DeviceLostError | null = null;
  #destroyed = false;
  #queue: Promise<unknown> = Promise.resolve();

  /** The engine uses `device` but never destroys it. */
  constructor(device: GPUDevice, tuning: GpuKMeansTuning = {}) {
    this.device = device;
    this.#allocator = new BufferAllocator(device);
    this.#pipelines = pipelinesFor(device);
    const { limits } = device;
    const bindingTiles = tilesPerBinding(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize));
    const wantedTiles = tuning.segmentPixels === undefined ? Infinity : Math.floor(tuning.segmentPixels / TILE_PIXELS);
    this.#maxTiles = Math.min(bindingTiles, Math.max(1, wantedTiles));
    this.#perDimension = Math.min(limits.maxComputeWorkgroupsPerDimension, tuning.workgroupsPerDimension ?? Infinity);
    this.#maxBatch = Math.max(1, tuning.maxIterationsPerSubmit ?? DEFAULT_MAX_BATCH);
    this.#maxRunsPerPass = Math.max(1, tuning.runsPerPass ?? Infinity);
    void device.lost.then((info) => {
      this.#lost = new DeviceLostError(`The GPU device was lost: ${info.message || info.reason}`, info.reason ?? 'unknown');
    });
  }

  /** Times an image was uploaded to the device (a second run on the same image does not add one). */
  get imageUploads(): number {
    return this.#uploads;
  }

  /** Bytes of the device buffers this engine holds now. */
  get allocatedBytes(): number {
    return this.#allocator.bytes;
  }

  /** Number of device buffers this engine holds now. */
  get bufferCount(): number {
    return this.#allocator.count;
  }

  /** Submissions, round trips (buffer maps) and bytes read back since the engine was made (benchmarks). */
  get traffic(): Readonly<GpuTraffic> {
    return { ...this.#traffic };
  }

  /** Phase times of the last run (benchmarks). */
  get lastPhases(): Readonly<GpuRunPhases> {
    return { ...this.#phases };
  }

  /** The image's pixel ranges as the engine holds them: each fits one storage binding (see `recolor`'s `segment`). */
  get segments(): readonly { firstPixel: number; pixelCount: number }[] {
    return (this.#image?.segments ?? []).map(({ firstPixel, pixelCount }) => ({ firstPixel, pixelCount }));
  }

  /**
   * Uploads an image and keeps it on the device for the following runs. The pixels are copied now; a run without
   * `prepared` reads `image.data` again for its seeding sample, so leave it unchanged while you use this image.
   */
  setImage(image: PixelImage): void {
    this.#assertUsable();
    checkImage(image);
    // Planned before anything is freed or allocated: an image too large leaves the current one in place.
    const plan = planSegments(image.width * image.height, this.#maxTiles);
    if (this.#image) for (const s of this.#image.segments) for (const b of [s.params, s.pixels, s.points]) this.#allocator.free(b);
    // Forget the old source too: if this upload fails, a later run() of the old image must upload it again.
    this.#image = null;
    this.#source = null;
    this.#last = null;
    this.#table?.forget();
    openScopes(this.device);
    try {
      this.#image = new GpuImage(this.device, this.#allocator, this.#pipelines, image, plan);
    } finally {
      this.#imageReady = closeScopes(this.device, 'uploading the image');
    }
    this.#source = image;
    this.#uploads++;
  }

  /** Runs exact k-means on the image set last (or on `image`, uploaded first unless it is that image). */
  run(options: GpuRunOptions): Promise<PixelKMeansResult>;
  run(image: PixelImage, options: GpuRunOptions): Promise<PixelKMeansResult>;
  run(first: PixelImage | GpuRunOptions, second?: GpuRunOptions): Promise<PixelKMeansResult> {
    const [image, options] = isImage(first) ? [first, second ?? ({} as GpuRunOptions)] : [null, first];
    return this.#serialize(() => this.#run(image, options));
  }

  /**
   * Writes the last run's result as an image: each pixel its centre's 8-bit sRGB colour, pixels left out by alpha
   * transparent. `target` is an rgba8unorm texture of the image's size with STORAGE_BINDING usage; or a canvas's
   * WebGPU context configured with that format and usage (its current texture is drawn, shown without a trip
   * through JS memory); or a STORAGE buffer of at least 4 bytes a pixel (ImageData's layout). With `segment`, only
   * that pixel range of `segments` is written, to a buffer holding just it (4 bytes a pixel of the range, from
   * offset 0): an image whose picture exceeds one buffer is drawn range by range. Resolves once the work is submitted.
   */
  recolor(target: GPUTexture | GPUBuffer | GPUCanvasContext, options: { segment?: number } = {}): Promise<void> {
    return this.#serialize(() => withScopes(this.device, 'recolouring', () => this.#recolor(target, options.segment)));
  }

  /**
   * Gives the image set last the palette of `result`, a run on another image (typically a downscaled copy of this
   * one): every pixel is labelled with its nearest centre (the final E-step alone, exact, ties to the lowest index,
   * done on the image's distinct colours), and `recolor()` then draws this image with that palette. Resolves once the
   * work is submitted.
   */
  applyResult(result: PixelKMeansResult, alphaThreshold = 128): Promise<void> {
    return this.#serialize(() =>
      withScopes(this.device, 'applying a palette', async () => {
        this.#assertUsable();
        const image = this.#image;
        if (!image) throw new InvalidInputError('applyResult() needs an image: call setImage(image) first.');
        const imageError = await this.#imageReady;
        if (imageError) throw imageError;
        const pipelines = await this.#loadPipelines(RUN_PIPELINES);
        const set = await this.#colors(image, result.colorSpace, alphaThreshold);
        const runs = this.#runBuffers(1, set);
        const encoder = this.device.createCommandEncoder({ label: 'palette-extractor apply a palette' });
        encodeLabelling(this.device, encoder, pipelines.assignFinal, runs, set, result.centersFixed, this.#colorGrid(set.tiles));
        this.#encodeLut(encoder, pipelines, set, 0);
        this.#submit(encoder);
        this.#last = result;
      }),
    );
  }

  /** Frees every buffer the engine made. The device stays (it is the caller's); the engine cannot be used again. */
  destroy(): void {
    this.#destroyed = true;
    this.#allocator.freeAll();
    this.#image = null;
    this.#table = null;
    this.#runs = null;
    this.#lutParams = null;
    this.#palette = null;
    this.#source = null;
    this.#last = null;
  }

  #serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #assertUsable(): void {
    if (this.#lost) throw this.#lost;
    if (this.#destroyed) throw new GpuError('This GpuKMeans was destroyed; create a new one.');
  }

  #grid(tiles: number): [number, number] {
    return dispatchGrid(tiles, this.#perDimension);
  }

  readonly #dispatch = (pass: GPUComputePassEncoder, tiles: number): void => {
    pass.dispatchWorkgroups(...this.#grid(tiles));
  };

  /**
   * The grid of a per-colour dispatch: at most 2^24 colours, 4096 tiles, always within one dimension of any device
   * (WebGPU guarantees 65535), so the `workgroupsPerDimension` knob, which exercises per-pixel grids, leaves it be.
   */
  #colorGrid(tiles: number): [number, number] {
    return dispatchGrid(tiles, this.device.limits.maxComputeWorkgroupsPerDimension);
  }

  readonly #colorDispatch = (pass: GPUComputePassEncoder, tiles: number): void => {
    pass.dispatchWorkgroups(...this.#colorGrid(tiles));
  };

  #submit(encoder: GPUCommandEncoder): void {
    this.device.queue.submit([encoder.finish()]);
    this.#traffic.submissions++;
  }

  readonly #dispatcher: Dispatcher = {
    grid: (tiles) => this.#colorGrid(tiles),
    submit: (encoder) => this.#submit(encoder),
    read: async (buffer, bytes) => {
      await this.#map(buffer, bytes);
      const copy = new Uint32Array(buffer.getMappedRange(0, bytes).slice(0));
      buffer.unmap();
      this.#traffic.roundTrips++;
      this.#traffic.bytesRead += bytes;
      return copy;
    },
    traffic: this.#traffic,
  };

  async #colors(image: GpuImage, colorSpace: PixelKMeansResult['colorSpace'], alphaThreshold: number): Promise<ColorSet> {
    this.#table ??= new ColorTable(this.device, this.#allocator, this.#pipelines);
    return this.#table.load(image, colorSpace, alphaThreshold, this.#dispatch, this.#perDimension ** 2, this.#traffic, (b, n) => this.#map(b, n));
  }

  /** Run buffers for `runs` runs on `set`; how many runs one pass can hold is decided by the caller. */
  #runBuffers(runs: number, set: ColorSet): RunBuffers {
    this.#runs ??= new RunBuffers(this.device, this.#allocator, this.#pipelines);
    this.#runs.ensure(runs, 4 * labelWords(set) * runs);
    return this.#runs;
  }

  /** Runs a pass can hold: the labels of all its runs in one binding, the runs in one dispatch dimension. */
  #passSize(set: ColorSet, nInit: number): number {
    const { limits } = this.device;
    const binding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    const byLabels = Math.floor(binding / (4 * labelWords(set)));
    return Math.max(1, Math.min(nInit, this.#maxRunsPerPass, byLabels, limits.maxComputeWorkgroupsPerDimension));
  }

  #encodeLut(encoder: GPUCommandEncoder, pipelines: Pipelines, set: ColorSet, slot: number): void {
    this.#lutParams ??= this.#allocator.create('label table params', 4 * structLayout('LutParams').words, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    encodeLut(this.device, encoder, pipelines.lut, this.#pipelines, this.#lutParams, set, this.#runs!.labels, slot * labelWords(set), this.#table!.table, this.#colorDispatch);
  }

  async #run(image: PixelImage | null, options: GpuRunOptions): Promise<PixelKMeansResult> {
    const { signal, onProgress } = options;
    this.#assertUsable();
    throwIfAborted(signal);
    if (image && image !== this.#source) {
      onProgress?.({ phase: 'upload', fraction: 0 });
      this.setImage(image);
    }
    const source = this.#source;
    const gpuImage = this.#image;
    if (!source || !gpuImage) throw new InvalidInputError('No image: call setImage(image) or run(image, options).');
    onProgress?.({ phase: 'init', fraction: 0 });
    // Every option is checked before the device works, in the CPU engine's order; only k ≤ n waits for the count.
    const { colorSpace, alphaThreshold } = resolvePixelOptions(options);
    checkPixelKMeansOptions(options);
    const prepared = options.prepared === undefined ? undefined : checkExactRunPlan(options.prepared, options, gpuImage.pixelCount);
    const imageError = await this.#imageReady;
    if (imageError) throw imageError;
    const pipelines = await this.#loadPipelines(RUN_PIPELINES);
    const phases: GpuRunPhases = { countMs: 0, planMs: 0, iterateMs: 0, labelsMs: 0 };
    const result = await withScopes(this.device, 'running k-means', async () => {
      let t = performance.now();
      const set = await this.#colors(gpuImage, colorSpace, alphaThreshold);
      phases.countMs = performance.now() - t;
      t = performance.now();
      const plan = prepared ?? this.#plan(source, options, set);
      if (plan.n !== set.n) {
        throw new InvalidInputError(`The run was prepared for ${plan.n} used pixels; this image has ${set.n}: prepared for another image.`);
      }
      phases.planMs = performance.now() - t;
      t = performance.now();
      const { best, slot } = await this.#iterate(pipelines, set, plan, options);
      phases.iterateMs = performance.now() - t;
      t = performance.now();
      onProgress?.({ phase: 'readback', fraction: 0 });
      const encoder = this.device.createCommandEncoder({ label: 'palette-extractor label table' });
      if (slot < 0) encodeLabelling(this.device, encoder, pipelines.assignFinal, this.#runs!, set, best.centersFixed, this.#colorGrid(set.tiles));
      this.#encodeLut(encoder, pipelines, set, Math.max(0, slot));
      this.#submit(encoder);
      let labels: Int32Array = new Int32Array(0);
      if (options.labels !== false) {
        const pipeline = await this.#pipelines.pipeline('pixelLabels');
        labels = await readPixelLabels(this.device, this.#allocator, pipeline, this.#pipelines, this.#table!.table, gpuImage, this.#dispatch, (b, n) => this.#map(b, n), this.#traffic);
      }
      phases.labelsMs = performance.now() - t;
      onProgress?.({ phase: 'readback', fraction: 1 });
      return finishExactResult(plan, { ...best, labels, pixelCounts: best.counts });
    });
    this.#phases = phases;
    this.#last = result;
    return result;
  }

  /** The plan of a run made here: n and the tolerance from the device's totals, the seedings from a sample. */
  #plan(source: PixelImage, options: GpuRunOptions, set: ColorSet): ExactRunPlan {
    const { colorSpace, alphaThreshold } = resolvePixelOptions(options);
    if (set.n === 0) throw new NoOpaquePixelsError();
    const { k, seed, nInit, maxIter, tol } = resolveKMeansOptions(options, set.n);
    const tolFixed = toleranceFromSums(set.sums, set.squares, set.n, tol, FIXED_ONE);
    const sample = gatherSeedSample(source, colorSpace, alphaThreshold, set.n);
    const { initCenters } = seedFromSample(sample.points, sample.sample, k, seed, nInit);
    return { colorSpace, alphaThreshold, k, seed, nInit, maxIter, tol, n: set.n, tolFixed, initCenters };
  }

  /**
   * Every seeding, in passes of as many runs as fit; the best by the rule of ARITHMETIC.md ("Runs"). `slot` is the
   * best run's label slot in the last pass, or -1 when it ran in an earlier pass (its labels are gone: relabel).
   */
  async #iterate(
    pipelines: Pipelines,
    set: ColorSet,
    plan: ExactRunPlan,
    { signal, onProgress }: GpuRunOptions,
  ): Promise<{ best: RunOutcome; slot: number }> {
    const perPass = this.#passSize(set, plan.nInit);
    const buffers = this.#runBuffers(perPass, set);
    let best: RunOutcome | null = null;
    let lastFirst = 0;
    for (let first = 0; first < plan.nInit; first += perPass) {
      throwIfAborted(signal);
      const runs = Math.min(perPass, plan.nInit - first);
      const { outcomes } = await runPass(
        this.device,
        pipelines,
        buffers,
        set,
        plan,
        first,
        runs,
        { maxBatch: this.#maxBatch, runsPerPass: perPass, signal, ...(onProgress ? { onProgress } : {}) },
        this.#dispatcher,
        { done: first, total: plan.nInit },
      );
      best = pickBestRun(best ? [best, ...outcomes] : outcomes);
      lastFirst = first;
    }
    const slot = best!.run >= lastFirst ? best!.run - lastFirst : -1;
    return { best: best!, slot };
  }

  async #loadPipelines(names: readonly PipelineName[]): Promise<Pipelines> {
    const loaded = await Promise.all(names.map((name) => this.#pipelines.pipeline(name)));
    return Object.fromEntries(names.map((name, i) => [name, loaded[i]])) as Pipelines;
  }

  async #map(buffer: GPUBuffer, bytes: number): Promise<void> {
    try {
      await buffer.mapAsync(GPUMapMode.READ, 0, bytes);
    } catch (error) {
      // A lost device fails every map; give its loss a moment to be reported so the caller gets the real cause.
      await Promise.race([this.device.lost, new Promise((resolve) => setTimeout(resolve, 50))]);
      throw this.#lost ?? new GpuError(`Reading back from the GPU failed: ${String(error)}`, { cause: error });
    }
  }

  async #recolor(target: GPUTexture | GPUBuffer | GPUCanvasContext, segmentIndex: number | undefined): Promise<void> {
    this.#assertUsable();
    const image = this.#image;
    const result = this.#last;
    if (!image || !result || !this.#table) throw new InvalidInputError('recolor() needs a finished run() on the current image.');
    const toBuffer = 'mapAsync' in target;
    let segments = image.segments;
    if (segmentIndex !== undefined) {
      const segment = image.segments[segmentIndex];
      if (!segment || !toBuffer) throw new InvalidInputError(`recolor() of segment ${segmentIndex} needs a buffer and one of ${image.segments.length} segments.`);
      segments = [segment];
    }
    // Compiled before anything is encoded: a canvas's current texture is taken only after this wait, in the same
    // task as the submit, so it cannot expire in between.
    const pipeline = await this.#pipelines.pipeline(toBuffer ? 'recolorBuffer' : 'recolorTexture');
    this.#assertUsable();
    this.#palette ??= this.#allocator.create('palette', 4 * MAX_K, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    const encoder = this.device.createCommandEncoder({ label: 'palette-extractor recolour' });
    if (toBuffer) {
      const firstPixel = segments[0]!.firstPixel;
      const pixels = segments.reduce((sum, s) => sum + s.pixelCount, 0);
      if (!(target.usage & GPUBufferUsage.STORAGE) || target.size < 4 * pixels) {
        throw new InvalidInputError(`recolor() needs a STORAGE buffer of at least ${4 * pixels} bytes.`);
      }
      this.#writePalette(result);
      encodeRecolor(this.device, encoder, pipeline, this.#pipelines, this.#palette, this.#table.table, segments, { kind: 'buffer', buffer: target, firstPixel }, this.#dispatch);
    } else {
      const texture = 'getCurrentTexture' in target ? target.getCurrentTexture() : target;
      this.#checkTexture(texture, image);
      this.#writePalette(result);
      encodeRecolor(this.device, encoder, pipeline, this.#pipelines, this.#palette, this.#table.table, segments, { kind: 'texture', texture }, this.#dispatch);
    }
    this.#submit(encoder);
  }

  #writePalette(result: PixelKMeansResult): void {
    this.device.queue.writeBuffer(this.#palette!, 0, paletteWords(result.rgb));
  }

  #checkTexture(texture: GPUTexture, image: GpuImage): void {
    if (texture.format !== 'rgba8unorm' || !(texture.usage & GPUTextureUsage.STORAGE_BINDING)) {
      throw new InvalidInputError('recolor() needs an rgba8unorm texture with STORAGE_BINDING usage.');
    }
    if (texture.width !== image.width || texture.height !== image.height) {
      throw new InvalidInputError(
        `recolor() needs a ${image.width} × ${image.height} texture, got ${texture.width} × ${texture.height}.`,
      );
    }
    const max = this.device.limits.maxTextureDimension2D;
    if (image.width > max || image.height > max) throw new TooLargeError(`Textures on this device are at most ${max} pixels a side.`);
  }
}

/**
 * Exact k-means on the GPU (docs/ARITHMETIC.md): the same labels, centres, iteration count and inertia as the CPU
 * engine (`cpuPixelKMeans`), bit for bit. The CPU prepares each run (validation, `tolFixed`, the k-means++ seedings:
 * `prepareExactRun`) and assembles the result (`finishExactResult`); the Lloyd iterations run on the device. The
 * preparation may be made elsewhere and passed in (`prepared`, an `ExactRunPlan`): the element has its CPU worker,
 * which keeps the image's points, prepare it, so the page's main thread does not.
 *
 * The image is uploaded once (`setImage`) and stays on the device with its points and labels; a run with another k,
 * seed, nInit or colour space reuses it. Iterations are batched into one submission each, the update kernel setting
 * a `done` flag that turns the rest of a batch into no-ops, and between batches the host reads back only the 16-byte
 * status. Labels are read back once, at the end.
 */
import { MAX_K } from '../constants.js';
import { DeviceLostError, GpuError, InvalidInputError, TooLargeError, throwIfAborted } from '../errors.js';
import { checkExactRunPlan, finishExactResult, prepareExactRun, type ExactRunPlan } from '../exact/index.js';
import type { PixelImage, PixelKMeansOptions, PixelKMeansResult } from '../types.js';
import { BufferAllocator } from './allocator.js';
import { closeScopes, openScopes, withScopes } from './error-scopes.js';
import { GpuImage, type GpuSegment } from './gpu-image.js';
import { pipelinesFor, type EnginePipelines, type PipelineName } from './pipelines.js';
import { CENTRE_WORDS, RunState } from './run-state.js';
import { dispatchGrid, planSegments, tilesPerBinding } from './segments.js';
import { DONE, packStruct, readField, structLayout, TILE_PIXELS } from './shader-source.js';

/** Knobs for tests and benchmarks; the defaults follow the device's limits. */
export interface GpuKMeansTuning {
  /** Most pixels in one segment (rounded down to whole tiles). Default: what one storage binding holds. */
  segmentPixels?: number;
  /** Most workgroups along one dispatch dimension. Default: the device's `maxComputeWorkgroupsPerDimension`. */
  workgroupsPerDimension?: number;
  /** Most Lloyd iterations encoded in one submission. Default 16. */
  maxIterationsPerSubmit?: number;
}

export interface GpuRunOptions extends PixelKMeansOptions {
  /**
   * The run's preparation, made elsewhere (`exactRunPlan(prepareExactRun(image, options))`, e.g. in a Worker) for
   * this image and these options; checked against them. Without it the run prepares itself on this thread.
   */
  prepared?: ExactRunPlan;
}

/** What one seeding's run leaves behind, read back from the device. */
interface RunOutcome {
  centersFixed: Uint32Array;
  inertiaFixed: bigint;
  iterations: number;
  converged: boolean;
}

type Pipelines = Record<PipelineName, GPUComputePipeline>;

const ITERATION_PIPELINES = ['points', 'assign', 'assignFinal', 'update', 'inertia'] as const;

/** The first batch is short: a run that converges at once wastes little; later batches double. */
const FIRST_BATCH = 2;
const DEFAULT_MAX_BATCH = 16;
/** Pixels per slice of the pass over the read-back labels (~10–15 ms on a slow CPU), between yields to the event loop. */
const LABEL_SLICE = 1 << 20;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

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
  #state: RunState | null = null;
  #image: GpuImage | null = null;
  #source: PixelImage | null = null;
  #imageReady: Promise<Error | null> = Promise.resolve(null);
  #uploads = 0;
  #last: PixelKMeansResult | null = null;
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

  /**
   * Uploads an image and keeps it on the device for the following runs. The pixels are copied now; the CPU side of
   * a run (seeding) reads `image.data` again, so leave it unchanged while you use this image.
   */
  setImage(image: PixelImage): void {
    this.#assertUsable();
    checkImage(image);
    // Planned before anything is freed or allocated: an image too large leaves the current one in place.
    const plan = planSegments(image.width * image.height, this.#maxTiles);
    if (this.#image) for (const s of this.#image.segments) for (const b of [s.params, s.pixels, s.points, s.labels]) this.#allocator.free(b);
    // Forget the old source too: if this upload fails, a later run() of the old image must upload it again.
    this.#image = null;
    this.#source = null;
    this.#last = null;
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
   * through JS memory); or a STORAGE buffer of at least 4 bytes a pixel (ImageData's layout). Resolves once the
   * work is submitted.
   */
  recolor(target: GPUTexture | GPUBuffer | GPUCanvasContext): Promise<void> {
    return this.#serialize(() => withScopes(this.device, 'recolouring', () => this.#recolor(target)));
  }

  /**
   * Gives the image set last the palette of `result`, a run on another image (typically a downscaled copy of this
   * one): every pixel is labelled with its nearest centre (the final E-step alone, exact, ties to the lowest index),
   * and `recolor()` then draws this image with that palette. Resolves once the work is submitted.
   */
  applyResult(result: PixelKMeansResult, alphaThreshold = 128): Promise<void> {
    return this.#serialize(() =>
      withScopes(this.device, 'applying a palette', async () => {
        this.#assertUsable();
        const image = this.#image;
        if (!image) throw new InvalidInputError('applyResult() needs an image: call setImage(image) first.');
        const imageError = await this.#imageReady;
        if (imageError) throw imageError;
        const pipelines = await this.#loadPipelines(ITERATION_PIPELINES);
        this.#state ??= new RunState(this.device, this.#allocator, this.#pipelines);
        const { colorSpace } = result;
        const k = result.centersFixed.length / 3;
        // Only these fields of a prepared run reach the device; there is nothing to seed or iterate.
        const run = { k, maxIter: 1, tolFixed: 0, alphaThreshold, colorSpace } as ExactRunPlan;
        this.#writeParams(run);
        this.#computePoints(image, pipelines, run);
        this.#relabel(image, pipelines, result.centersFixed);
        this.#last = result;
      }),
    );
  }

  /** Frees every buffer the engine made. The device stays (it is the caller's); the engine cannot be used again. */
  destroy(): void {
    this.#destroyed = true;
    this.#allocator.freeAll();
    this.#image = null;
    this.#state = null;
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

  async #run(image: PixelImage | null, options: GpuRunOptions): Promise<PixelKMeansResult> {
    const { signal, onProgress } = options;
    this.#assertUsable();
    throwIfAborted(signal);
    if (image && image !== this.#source) {
      onProgress?.({ phase: 'upload', fraction: 0 });
      this.setImage(image);
    }
    const source = this.#source;
    if (!source || !this.#image) throw new InvalidInputError('No image: call setImage(image) or run(image, options).');
    onProgress?.({ phase: 'init', fraction: 0 });
    const prepared =
      options.prepared === undefined
        ? prepareExactRun(source, options)
        : checkExactRunPlan(options.prepared, options, source.width * source.height);
    const imageError = await this.#imageReady;
    if (imageError) throw imageError;
    const pipelines = await this.#loadPipelines(ITERATION_PIPELINES);
    const gpuImage = this.#image;
    this.#state ??= new RunState(this.device, this.#allocator, this.#pipelines);
    const result = await withScopes(this.device, 'running k-means', async () => {
      this.#writeParams(prepared);
      this.#computePoints(gpuImage, pipelines, prepared);
      let best: (RunOutcome & { index: number }) | null = null;
      for (let r = 0; r < prepared.nInit; r++) {
        throwIfAborted(signal);
        const outcome = await this.#lloyd(gpuImage, pipelines, prepared, r, options);
        // A later run replaces the best only if strictly better, as on the CPU.
        if (best === null || outcome.inertiaFixed < best.inertiaFixed) best = { ...outcome, index: r };
      }
      // The labels on the device are the last run's: relabel against the best centres when that was another run
      // (the final E-step is a function of the centres alone, so this reproduces that run's labels exactly).
      if (best!.index !== prepared.nInit - 1) this.#relabel(gpuImage, pipelines, best!.centersFixed);
      onProgress?.({ phase: 'readback', fraction: 0 });
      const { labels, counts } = await this.#readLabels(gpuImage, source, prepared, signal);
      onProgress?.({ phase: 'readback', fraction: 1 });
      return finishExactResult(prepared, { ...best!, labels, pixelCounts: counts });
    });
    this.#last = result;
    return result;
  }

  async #loadPipelines(names: readonly PipelineName[]): Promise<Pipelines> {
    const loaded = await Promise.all(names.map((name) => this.#pipelines.pipeline(name)));
    return Object.fromEntries(names.map((name, i) => [name, loaded[i]])) as Pipelines;
  }

  #writeParams(run: ExactRunPlan): void {
    // tolFixed is an integer-valued double; the update kernel compares the shift with it as a u64.
    const tol = Math.max(0, run.tolFixed);
    const saturated = tol >= 2 ** 64;
    const params = packStruct(structLayout('RunParams'), {
      k: run.k,
      max_iter: run.maxIter,
      tol_lo: saturated ? 0xffffffff : tol % 2 ** 32,
      tol_hi: saturated ? 0xffffffff : Math.floor(tol / 2 ** 32),
      alpha_threshold: run.alphaThreshold,
      oklab: run.colorSpace === 'oklab' ? 1 : 0,
      fixed_count: run.fixed?.length ?? 0,
    });
    this.device.queue.writeBuffer(this.#state!.params, 0, params);
  }

  /** Converts the pixels to points unless they already are, for this colour space and threshold. */
  #computePoints(image: GpuImage, pipelines: Pipelines, run: ExactRunPlan): void {
    const key = `${run.colorSpace}/${run.alphaThreshold}`;
    if (image.pointsKey === key) return;
    const encoder = this.device.createCommandEncoder({ label: 'palette-extractor points' });
    const pass = encoder.beginComputePass({ label: 'palette-extractor points pass' });
    pass.setPipeline(pipelines.points);
    pass.setBindGroup(0, this.#state!.pointsGroup);
    for (const segment of image.segments) this.#dispatchTiles(pass, segment, segment.toPoints);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    image.pointsKey = key;
  }

  #dispatchTiles(pass: GPUComputePassEncoder, segment: GpuSegment, group: GPUBindGroup): void {
    pass.setBindGroup(1, group);
    pass.dispatchWorkgroups(...dispatchGrid(segment.tiles, this.#perDimension));
  }

  #encodeIteration(pass: GPUComputePassEncoder, image: GpuImage, pipelines: Pipelines): void {
    const state = this.#state!;
    pass.setPipeline(pipelines.assign);
    pass.setBindGroup(0, state.iterateGroup);
    for (const segment of image.segments) this.#dispatchTiles(pass, segment, segment.toLabels);
    pass.setPipeline(pipelines.update);
    pass.setBindGroup(0, state.updateGroup);
    pass.dispatchWorkgroups(1);
  }

  #encodeFinalEStep(pass: GPUComputePassEncoder, image: GpuImage, pipelines: Pipelines): void {
    pass.setPipeline(pipelines.assignFinal);
    pass.setBindGroup(0, this.#state!.iterateGroup);
    for (const segment of image.segments) this.#dispatchTiles(pass, segment, segment.toLabels);
  }

  #writeCentres(centersFixed: Uint32Array): void {
    const k = centersFixed.length / 3;
    const words = new Uint32Array(CENTRE_WORDS * k);
    for (let j = 0; j < k; j++) words.set(centersFixed.subarray(3 * j, 3 * j + 3), CENTRE_WORDS * j);
    this.device.queue.writeBuffer(this.#state!.centres, 0, words);
  }

  /** One seeding's Lloyd loop, batch by batch, then the final E-step and the inertia. */
  async #lloyd(
    image: GpuImage,
    pipelines: Pipelines,
    run: ExactRunPlan,
    r: number,
    { signal, onProgress }: PixelKMeansOptions,
  ): Promise<RunOutcome> {
    const state = this.#state!;
    const status = structLayout('Status');
    this.#writeCentres(run.initCenters[r]!);
    let batch = Math.min(FIRST_BATCH, this.#maxBatch, run.maxIter);
    let first = true;
    for (;;) {
      const encoder = this.device.createCommandEncoder({ label: `palette-extractor run ${r} batch` });
      if (first) state.encodeReset(encoder);
      first = false;
      const pass = encoder.beginComputePass({ label: `palette-extractor ${batch} Lloyd iterations` });
      for (let b = 0; b < batch; b++) this.#encodeIteration(pass, image, pipelines);
      pass.end();
      state.encodeReadback(encoder, false);
      this.device.queue.submit([encoder.finish()]);
      const words = await this.#readback(state.statusWords);
      const iteration = readField(status, words, 'iteration');
      onProgress?.({ phase: 'iterate', fraction: (r + iteration / run.maxIter) / run.nInit });
      if (readField(status, words, 'done') !== DONE.running) break;
      throwIfAborted(signal);
      batch = Math.min(2 * batch, this.#maxBatch, run.maxIter - iteration);
    }

    const encoder = this.device.createCommandEncoder({ label: `palette-extractor run ${r} final` });
    const pass = encoder.beginComputePass({ label: 'palette-extractor final E-step and inertia' });
    this.#encodeFinalEStep(pass, image, pipelines);
    pass.setPipeline(pipelines.inertia);
    pass.setBindGroup(0, state.inertiaGroup);
    for (const segment of image.segments) this.#dispatchTiles(pass, segment, segment.read);
    pass.end();
    state.encodeReadback(encoder, true);
    this.device.queue.submit([encoder.finish()]);
    const words = await this.#readback(state.readback.size / 4);
    const at = state.readbackOffsets;
    const counters = structLayout('Counters');
    const lo = readField(counters, words, 'inertia_lo', at.counters / 4);
    const hi = readField(counters, words, 'inertia_hi', at.counters / 4);
    const centersFixed = new Uint32Array(3 * run.k);
    for (let j = 0; j < run.k; j++) {
      const base = at.centres / 4 + CENTRE_WORDS * j;
      centersFixed.set(words.subarray(base, base + 3), 3 * j);
    }
    return {
      centersFixed,
      inertiaFixed: (BigInt(hi) << 32n) | BigInt(lo),
      iterations: readField(status, words, 'iteration'),
      converged: readField(status, words, 'done') !== DONE.maxIter,
    };
  }

  #relabel(image: GpuImage, pipelines: Pipelines, centersFixed: Uint32Array): void {
    this.#writeCentres(centersFixed);
    const encoder = this.device.createCommandEncoder({ label: 'palette-extractor relabel' });
    const pass = encoder.beginComputePass({ label: 'palette-extractor final E-step of the best run' });
    this.#encodeFinalEStep(pass, image, pipelines);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /** Maps the first `words` words of the readback buffer and returns a copy. */
  async #readback(words: number): Promise<Uint32Array> {
    const buffer = this.#state!.readback;
    await this.#map(buffer, 4 * words);
    const copy = new Uint32Array(buffer.getMappedRange(0, 4 * words).slice(0));
    buffer.unmap();
    return copy;
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

  /**
   * The packed labels of every segment, as one label per pixel (-1 where alpha is below the threshold), and the
   * count of each cluster. Checks that the run's count of used pixels is this image's: a preparation made for another
   * image fails here. The pass over every pixel goes in slices of `LABEL_SLICE` pixels, yielding to the event loop
   * between them (a 24 MP pass is ~0.25 s on a slow CPU), and checking `signal` and this engine after each yield.
   */
  async #readLabels(
    image: GpuImage,
    source: PixelImage,
    { alphaThreshold, n, k }: ExactRunPlan,
    signal: AbortSignal | undefined,
  ): Promise<{ labels: Int32Array; counts: number[] }> {
    let used = 0;
    const labels = new Int32Array(image.pixelCount);
    const counts = new Array<number>(k).fill(0);
    const largest = Math.max(...image.segments.map((s) => s.labels.size));
    const staging = this.#allocator.create('labels readback', largest, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    try {
      for (const segment of image.segments) {
        const bytes = Math.ceil(segment.pixelCount / 4) * 4;
        const encoder = this.device.createCommandEncoder({ label: 'palette-extractor labels readback' });
        encoder.copyBufferToBuffer(segment.labels, 0, staging, 0, bytes);
        this.device.queue.submit([encoder.finish()]);
        await this.#map(staging, bytes);
        const packed = new Uint8Array(staging.getMappedRange(0, bytes));
        const { data } = source;
        for (let start = 0; start < segment.pixelCount; start += LABEL_SLICE) {
          if (start > 0) {
            await yieldToEventLoop();
            // destroy() frees the staging buffer, detaching `packed`: stop rather than read nothing.
            this.#assertUsable();
            throwIfAborted(signal);
          }
          const end = Math.min(segment.pixelCount, start + LABEL_SLICE);
          for (let i = start, p = segment.firstPixel + start; i < end; i++, p++) {
            if (data[4 * p + 3]! >= alphaThreshold) {
              const j = packed[i]!;
              labels[p] = j;
              counts[j]!++;
              used++;
            } else labels[p] = -1;
          }
        }
        staging.unmap();
      }
    } finally {
      this.#allocator.free(staging);
    }
    if (used !== n) {
      throw new InvalidInputError(`The run was prepared for ${n} used pixels; this image has ${used}: prepared for another image.`);
    }
    return { labels, counts };
  }

  async #recolor(target: GPUTexture | GPUBuffer | GPUCanvasContext): Promise<void> {
    this.#assertUsable();
    const image = this.#image;
    const result = this.#last;
    if (!image || !result) throw new InvalidInputError('recolor() needs a finished run() on the current image.');
    const toBuffer = 'mapAsync' in target;
    // Compiled before anything is encoded: a canvas's current texture is taken only after this wait, in the same
    // task as the submit, so it cannot expire in between.
    const pipeline = await this.#pipelines.pipeline(toBuffer ? 'recolorBuffer' : 'recolorTexture');
    this.#assertUsable();
    const palette = new Uint32Array(MAX_K);
    // RGBA8 with r in the low byte, as unpack4x8unorm and ImageData read it.
    result.rgb.forEach(([r, g, b], j) => (palette[j] = (r | (g << 8) | (b << 16) | (255 << 24)) >>> 0));
    let groups: { run: GPUBindGroup; segment: (segment: GpuSegment) => GPUBindGroup };
    if (toBuffer) {
      this.#checkBuffer(target, image);
      groups = { run: this.#state!.paletteGroup, segment: (segment) => this.#recolorBufferGroup(segment, target) };
    } else {
      const texture = 'getCurrentTexture' in target ? target.getCurrentTexture() : target;
      this.#checkTexture(texture, image);
      const run = this.device.createBindGroup({
        label: 'palette-extractor recolour texture group',
        layout: this.#pipelines.layout('paletteTexture'),
        entries: [
          { binding: 0, resource: { buffer: this.#state!.palette } },
          { binding: 1, resource: texture.createView({ label: 'palette-extractor recolour target' }) },
        ],
      });
      groups = { run, segment: (segment) => segment.read };
    }
    this.device.queue.writeBuffer(this.#state!.palette, 0, palette, 0, result.rgb.length);
    const encoder = this.device.createCommandEncoder({ label: 'palette-extractor recolour' });
    const pass = encoder.beginComputePass({ label: 'palette-extractor recolour pass' });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, groups.run);
    for (const segment of image.segments) this.#dispatchTiles(pass, segment, groups.segment(segment));
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /** Group 1 of the buffer recolour: the segment's points and labels, and its slice of the output buffer. */
  #recolorBufferGroup(segment: GpuSegment, target: GPUBuffer): GPUBindGroup {
    const out = { buffer: target, offset: 4 * segment.firstPixel, size: 4 * segment.pixelCount };
    return this.device.createBindGroup({
      label: 'palette-extractor recolour buffer group',
      layout: this.#pipelines.layout('segmentRecolor'),
      entries: [segment.params, segment.points, segment.labels]
        .map((buffer, binding): GPUBindGroupEntry => ({ binding, resource: { buffer } }))
        .concat([{ binding: 3, resource: out }]),
    });
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

  #checkBuffer(buffer: GPUBuffer, image: GpuImage): void {
    if (!(buffer.usage & GPUBufferUsage.STORAGE) || buffer.size < 4 * image.pixelCount) {
      throw new InvalidInputError(`recolor() needs a STORAGE buffer of at least ${4 * image.pixelCount} bytes.`);
    }
  }
}

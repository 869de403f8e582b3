/**
 * What the GPU operations on one resident image share: the image uploaded once (`setImage`) and kept on the device,
 * its distinct colours (`ColorTable`: the count table, then the colour list and positions), the run buffers, and the
 * per-pixel operations that read the table (recolour, labels). Two operations build on it:
 * - `GpuKMeans` runs exact k-means on its image;
 * - `GpuRecolor` labels its image's distinct colours against centres found elsewhere (the final E-step alone, U·k
 *   work) and draws it with that palette: the element recolours the full-size photo with the sample's palette.
 * Work is serialised per engine; a lost device or a destroyed engine rejects every call after it.
 */
import { MAX_K } from '../constants.js';
import { DeviceLostError, GpuError, InvalidInputError, TooLargeError } from '../errors.js';
import type { ColorSpace, PixelImage, PixelKMeansResult } from '../types.js';
import { BufferAllocator } from './allocator.js';
import { ColorTable, type ColorSet, type GpuTraffic } from './color-table.js';
import { closeScopes, openScopes, withScopes } from './error-scopes.js';
import { GpuImage } from './gpu-image.js';
import { boundWords, encodeLabelling, labelWords, RunBuffers, type Dispatcher } from './lloyd-runs.js';
import { pipelinesFor, type EnginePipelines, type PipelineName } from './pipelines.js';
import { encodeLut, encodeRecolor, paletteWords } from './pixel-ops.js';
import { dispatchGrid, planSegments, tilesPerBinding } from './segments.js';
import { structLayout, TILE_PIXELS } from './shader-source.js';

/** Knobs for tests and benchmarks; the defaults follow the device's limits. */
export interface GpuImageTuning {
  /** Most pixels in one segment (rounded down to whole tiles). Default: what one storage binding holds. */
  segmentPixels?: number;
  /** Most workgroups along one dimension of a per-pixel dispatch. Default: `maxComputeWorkgroupsPerDimension`. */
  workgroupsPerDimension?: number;
  /**
   * Colours one thread of the per-colour kernels visits (a multiple of 4). Default: the device's kind's
   * (`COLORS_PER_THREAD`: 16 on a GPU, 4096 on a software adapter); tests run the other kind's too.
   */
  colorsPerThread?: number;
}

/** The centres a palette is drawn with: a result of `GpuKMeans.run`, the CPU engines or `extractPalette`. */
export type PaletteCentres = Pick<PixelKMeansResult, 'centersFixed' | 'colorSpace' | 'rgb'>;

export type Pipelines = Record<PipelineName, GPUComputePipeline>;

function checkImage(image: PixelImage): void {
  const { data, width, height } = image ?? {};
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InvalidInputError(`The image size must be positive integers, got ${width} × ${height}.`);
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray) || data.length !== 4 * width * height) {
    throw new InvalidInputError(`The image data must be ${4 * width * height} RGBA bytes (a Uint8Array or Uint8ClampedArray).`);
  }
}

export abstract class GpuImageEngine {
  readonly device: GPUDevice;
  protected readonly allocator: BufferAllocator;
  protected readonly pipelines: EnginePipelines;
  readonly #maxTiles: number;
  protected readonly perDimension: number;
  protected readonly counters: GpuTraffic = { submissions: 0, roundTrips: 0, bytesRead: 0 };
  protected table: ColorTable | null = null;
  protected runs: RunBuffers | null = null;
  #lutParams: GPUBuffer | null = null;
  #palette: GPUBuffer | null = null;
  protected image: GpuImage | null = null;
  protected source: PixelImage | null = null;
  #imageReady: Promise<Error | null> = Promise.resolve(null);
  #uploads = 0;
  /** The palette the colour table's labels belong to (recolor() draws it). */
  protected last: PaletteCentres | null = null;
  #lost: DeviceLostError | null = null;
  #destroyed = false;
  #queue: Promise<unknown> = Promise.resolve();

  /** The engine uses `device` but never destroys it. */
  constructor(device: GPUDevice, tuning: GpuImageTuning = {}) {
    this.device = device;
    this.allocator = new BufferAllocator(device);
    this.pipelines = pipelinesFor(device, tuning.colorsPerThread);
    const { limits } = device;
    const bindingTiles = tilesPerBinding(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize));
    const wantedTiles = tuning.segmentPixels === undefined ? Infinity : Math.floor(tuning.segmentPixels / TILE_PIXELS);
    this.#maxTiles = Math.min(bindingTiles, Math.max(1, wantedTiles));
    this.perDimension = Math.min(limits.maxComputeWorkgroupsPerDimension, tuning.workgroupsPerDimension ?? Infinity);
    void device.lost.then((info) => {
      this.#lost = new DeviceLostError(`The GPU device was lost: ${info.message || info.reason}`, info.reason ?? 'unknown');
    });
  }

  /** Times an image was uploaded to the device (another run on the same image does not add one). */
  get imageUploads(): number {
    return this.#uploads;
  }

  /** Bytes of the device buffers this engine holds now. */
  get allocatedBytes(): number {
    return this.allocator.bytes;
  }

  /** Number of device buffers this engine holds now. */
  get bufferCount(): number {
    return this.allocator.count;
  }

  /** Submissions, round trips (buffer maps) and bytes read back since the engine was made (benchmarks). */
  get traffic(): Readonly<GpuTraffic> {
    return { ...this.counters };
  }

  /** The image's pixel ranges as the engine holds them: each fits one storage binding (see `recolor`'s `segment`). */
  get segments(): readonly { firstPixel: number; pixelCount: number }[] {
    return (this.image?.segments ?? []).map(({ firstPixel, pixelCount }) => ({ firstPixel, pixelCount }));
  }

  /** Uploads an image and keeps it on the device for the following calls. The pixels are copied now. */
  setImage(image: PixelImage): void {
    this.assertUsable();
    checkImage(image);
    // Planned before anything is freed or allocated: an image too large leaves the current one in place.
    const plan = planSegments(image.width * image.height, this.#maxTiles);
    if (this.image) for (const s of this.image.segments) for (const b of [s.params, s.pixels]) this.allocator.free(b);
    // Forget the old source too: if this upload fails, a later call must upload it again.
    this.image = null;
    this.source = null;
    this.last = null;
    this.table?.forget();
    openScopes(this.device);
    try {
      this.image = new GpuImage(this.device, this.allocator, this.pipelines, image, plan);
    } finally {
      this.#imageReady = closeScopes(this.device, 'uploading the image');
    }
    this.source = image;
    this.#uploads++;
  }

  /**
   * Writes the image with the current palette (the last run's, or the last one applied): each pixel its centre's
   * 8-bit sRGB colour, pixels left out by alpha transparent. `target` is an rgba8unorm texture of the image's size with
   * STORAGE_BINDING usage; or a canvas's WebGPU context configured with that format and usage (its current texture is
   * drawn, shown without a trip through JS memory); or a STORAGE buffer of at least 4 bytes a pixel (ImageData's
   * layout). With `segment`, only that pixel range of `segments` is written, to a buffer holding just it (4 bytes a
   * pixel of the range, from offset 0): an image whose picture exceeds one buffer is drawn range by range. Resolves
   * once the work is submitted.
   */
  recolor(target: GPUTexture | GPUBuffer | GPUCanvasContext, options: { segment?: number } = {}): Promise<void> {
    return this.serialize(() => withScopes(this.device, 'recolouring', () => this.#recolor(target, options.segment)));
  }

  /** Frees every buffer the engine made. The device stays (it is the caller's); the engine cannot be used again. */
  destroy(): void {
    this.#destroyed = true;
    this.allocator.freeAll();
    this.image = null;
    this.table = null;
    this.runs = null;
    this.#lutParams = null;
    this.#palette = null;
    this.source = null;
    this.last = null;
  }

  protected serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  protected assertUsable(): void {
    if (this.#lost) throw this.#lost;
    if (this.#destroyed) throw new GpuError(`This ${this.constructor.name} was destroyed; create a new one.`);
  }

  /** The image uploaded last, once its upload is known to have succeeded. */
  protected async uploaded(what: string): Promise<GpuImage> {
    const image = this.image;
    if (!image) throw new InvalidInputError(`${what} needs an image: call setImage(image) first.`);
    const error = await this.#imageReady;
    if (error) throw error;
    return image;
  }

  protected readonly dispatch = (pass: GPUComputePassEncoder, tiles: number): void => {
    pass.dispatchWorkgroups(...dispatchGrid(tiles, this.perDimension));
  };

  /**
   * The grid of a per-colour dispatch: at most 2^24 colours, 4096 tiles, always within one dimension of any device
   * (WebGPU guarantees 65535), so the `workgroupsPerDimension` knob, which exercises per-pixel grids, leaves it be.
   */
  protected colorGrid(tiles: number): [number, number] {
    return dispatchGrid(tiles, this.device.limits.maxComputeWorkgroupsPerDimension);
  }

  readonly #colorDispatch = (pass: GPUComputePassEncoder, tiles: number): void => {
    pass.dispatchWorkgroups(...this.colorGrid(tiles));
  };

  protected submit(encoder: GPUCommandEncoder): void {
    this.device.queue.submit([encoder.finish()]);
    this.counters.submissions++;
  }

  protected readonly dispatcher: Dispatcher = {
    grid: (tiles) => this.colorGrid(tiles),
    submit: (encoder) => this.submit(encoder),
    read: async (buffer, bytes) => {
      await this.map(buffer, bytes);
      const copy = new Uint32Array(buffer.getMappedRange(0, bytes).slice(0));
      buffer.unmap();
      this.counters.roundTrips++;
      this.counters.bytesRead += bytes;
      return copy;
    },
    traffic: this.counters,
  };

  /** The image's distinct colours for this threshold, with positions in `colorSpace`. */
  protected colors(image: GpuImage, colorSpace: ColorSpace, alphaThreshold: number): Promise<ColorSet> {
    this.table ??= new ColorTable(this.device, this.allocator, this.pipelines);
    return this.table.load(image, colorSpace, alphaThreshold, this.dispatch, this.perDimension ** 2, this.counters, this.dispatcher.read);
  }

  /** Run buffers for `runs` runs on `set`; how many runs one pass can hold is decided by the caller. */
  protected runBuffers(runs: number, set: ColorSet): RunBuffers {
    this.runs ??= new RunBuffers(this.device, this.allocator, this.pipelines);
    this.runs.ensure(runs, 4 * labelWords(set) * runs, 4 * boundWords(set) * runs);
    return this.runs;
  }

  /** Encodes the colour table's fill from the labels of run slot `slot`. */
  protected encodeLut(encoder: GPUCommandEncoder, pipelines: Pipelines, set: ColorSet, slot: number): void {
    this.#lutParams ??= this.allocator.create('label table params', 4 * structLayout('LutParams').words, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    encodeLut(this.device, encoder, pipelines.lut, this.pipelines, this.#lutParams, set, this.runs!.labels, slot * labelWords(set), this.table!.slots, this.#colorDispatch);
  }

  /**
   * Labels the image's distinct colours with their nearest centre of `palette` (the final E-step alone, exact, ties to
   * the lowest index) and fills the colour table with those labels, so that `recolor()` draws this palette.
   */
  protected async label(palette: PaletteCentres, alphaThreshold: number): Promise<void> {
    this.assertUsable();
    const image = await this.uploaded('Applying a palette');
    const pipelines = await this.loadPipelines(['assignFinal', 'lut']);
    const set = await this.colors(image, palette.colorSpace, alphaThreshold);
    const runs = this.runBuffers(1, set);
    const encoder = this.device.createCommandEncoder({ label: 'palette-extractor apply a palette' });
    encodeLabelling(this.device, encoder, pipelines.assignFinal, runs, set, palette.centersFixed, this.colorGrid(set.tiles));
    this.encodeLut(encoder, pipelines, set, 0);
    this.submit(encoder);
    this.last = palette;
  }

  protected async loadPipelines(names: readonly PipelineName[]): Promise<Pipelines> {
    const loaded = await Promise.all(names.map((name) => this.pipelines.pipeline(name)));
    return Object.fromEntries(names.map((name, i) => [name, loaded[i]])) as Pipelines;
  }

  protected async map(buffer: GPUBuffer, bytes: number): Promise<void> {
    try {
      await buffer.mapAsync(GPUMapMode.READ, 0, bytes);
    } catch (error) {
      // A lost device fails every map; give its loss a moment to be reported so the caller gets the real cause.
      await Promise.race([this.device.lost, new Promise((resolve) => setTimeout(resolve, 50))]);
      throw this.#lost ?? new GpuError(`Reading back from the GPU failed: ${String(error)}`, { cause: error });
    }
  }

  async #recolor(target: GPUTexture | GPUBuffer | GPUCanvasContext, segmentIndex: number | undefined): Promise<void> {
    this.assertUsable();
    const image = this.image;
    const palette = this.last;
    if (!image || !palette || !this.table) {
      throw new InvalidInputError('recolor() needs a palette on the current image: a finished run(), or one applied.');
    }
    const toBuffer = 'mapAsync' in target;
    let segments = image.segments;
    if (segmentIndex !== undefined) {
      const segment = image.segments[segmentIndex];
      if (!segment || !toBuffer) throw new InvalidInputError(`recolor() of segment ${segmentIndex} needs a buffer and one of ${image.segments.length} segments.`);
      segments = [segment];
    }
    // Compiled before anything is encoded: a canvas's current texture is taken only after this wait, in the same
    // task as the submit, so it cannot expire in between.
    const pipeline = await this.pipelines.pipeline(toBuffer ? 'recolorBuffer' : 'recolorTexture');
    this.assertUsable();
    this.#palette ??= this.allocator.create('palette', 4 * MAX_K, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    const encoder = this.device.createCommandEncoder({ label: 'palette-extractor recolour' });
    if (toBuffer) {
      const firstPixel = segments[0]!.firstPixel;
      const pixels = segments.reduce((sum, s) => sum + s.pixelCount, 0);
      if (!(target.usage & GPUBufferUsage.STORAGE) || target.size < 4 * pixels) {
        throw new InvalidInputError(`recolor() needs a STORAGE buffer of at least ${4 * pixels} bytes.`);
      }
      this.device.queue.writeBuffer(this.#palette, 0, paletteWords(palette.rgb));
      encodeRecolor(this.device, encoder, pipeline, this.pipelines, this.#palette, this.table.slots, segments, { kind: 'buffer', buffer: target, firstPixel }, this.dispatch);
    } else {
      const texture = 'getCurrentTexture' in target ? target.getCurrentTexture() : target;
      this.#checkTexture(texture, image);
      this.device.queue.writeBuffer(this.#palette, 0, paletteWords(palette.rgb));
      encodeRecolor(this.device, encoder, pipeline, this.pipelines, this.#palette, this.table.slots, segments, { kind: 'texture', texture }, this.dispatch);
    }
    this.submit(encoder);
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

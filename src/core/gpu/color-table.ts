/**
 * An image's distinct colours on the device, once per image and alpha threshold: the points kernel turns pixels into
 * 24-bit keys (the sRGB colour, Morton order), count.wgsl counts them into a table of 2^24 counters (totalling n and
 * U as it goes), and compact.wgsl lists the U colours that occur with their counts; positions.wgsl then gives each
 * colour its fixed-point position in the run's colour space (the list serves both spaces). Exact k-means iterates on
 * U weighted colours instead of every pixel (docs/ARITHMETIC.md, "Weighting"). After a run, the same 2^24 table
 * holds each occurring colour's label (lut.wgsl), which per-pixel kernels read.
 *
 * One round trip: the 16-byte totals are read back after counting, to size the colour list and give the host n.
 */
import { WORKGROUP_SIZE } from '../constants.js';
import { OKLAB_LINEAR_TABLE, OKLAB_M1Q, OKLAB_M2Q } from '../oklab-int.js';
import type { ChannelSums } from '../exact/points.js';
import type { ColorSpace } from '../types.js';
import type { BufferAllocator } from './allocator.js';
import type { GpuImage } from './gpu-image.js';
import type { Dispatcher } from './lloyd-runs.js';
import type { EnginePipelines } from './pipelines.js';
import { dispatchGrid } from './segments.js';
import { packStruct, readField, structLayout, TABLE_TILE_SLOTS, tableBits } from './shader-source.js';

/** What the count gives the host. */
export interface ColorTotals {
  /** Points (pixels with alpha ≥ threshold). */
  n: number;
  /** Distinct colours among them. */
  u: number;
}

/** The colour list of the image and alpha threshold the table holds now. */
export interface ColorSet extends ColorTotals {
  key: string;
  /** Tiles of the device's colour tile (`EnginePipelines.colorTile`) covering U (the per-colour kernels' dispatch). */
  tiles: number;
  /** Colours of the padded list: U rounded up to whole quads (at least one). The kernels loop over U only. */
  padded: number;
  /** u32 words of the group bounds of one run (assign.wgsl): one per 32 quads of each invocation of the tiles. */
  groupWords: number;
  /** u32 per colour: its sRGB colour r | g << 8 | b << 16; padded to whole quads. */
  colors: GPUBuffer;
  /** u32 per colour: its count; 0 in the padding. */
  weights: GPUBuffer;
  /** vec2u per colour: its position in `space` (positions.wgsl). */
  positions: GPUBuffer;
  /** The colour space `positions` holds, or null before the first run. */
  space: ColorSpace | null;
  /** The exact channel sums of the points in `space` (what the tolerance needs), or null before the first run. */
  sums: ChannelSums | null;
}

/** Counts the GPU operations of an engine, for benchmarks and tests. */
export interface GpuTraffic {
  submissions: number;
  roundTrips: number;
  bytesRead: number;
}

type Dispatch = (pass: GPUComputePassEncoder, tiles: number) => void;

/** Colour lists kept per image (by threshold). */
const KEPT_SETS = 2;

/** u32 words of the channel sums: six u64. */
const CHANNEL_SUM_WORDS = 12;

type ListBuffers = Pick<ColorSet, 'colors' | 'weights' | 'positions'>;

/**
 * The colour table of the current image: 2^bits u32 slots, counts while counting, then labels (lut.wgsl). Direct
 * (bits 24: a slot per colour key) for large images; hashed for smaller ones (at least twice the pixels: a 200 × 200
 * sample takes 2^17 slots, 1 MiB with its keys, not 64 MiB), with each slot's key in `keys`.
 */
export interface TableSlots {
  bits: number;
  table: GPUBuffer;
  /** u32 per slot: key | KEY_TAG of its colour, 0 if free (hashed); 16 unused bytes (direct). */
  keys: GPUBuffer;
  /** TableParams (uniform). */
  params: GPUBuffer;
}

export class ColorTable {
  readonly #device: GPUDevice;
  readonly #allocator: BufferAllocator;
  readonly #pipelines: EnginePipelines;
  #slots: TableSlots | null = null;
  readonly #stats: GPUBuffer;
  /** One u32 per compaction tile of the table: which tiles hold a colour. */
  #occupied: GPUBuffer | null = null;
  readonly #statsRead: GPUBuffer;
  #countGroup: GPUBindGroup | null = null;
  readonly #positionsParams: GPUBuffer;
  readonly #positionsGroup: GPUBindGroup;
  /** Σ w·P and Σ w·P² per channel, u64 each (positions.wgsl), and its readback. */
  readonly #channelSums: GPUBuffer;
  readonly #channelSumsRead: GPUBuffer;
  /**
   * The colour lists of the current image, by colour space and threshold, most recent last: two are kept, so that a
   * caller switching between RGB and OKLab (or comparing them) recounts neither.
   */
  #sets: ColorSet[] = [];
  /** Buffers of lists forgotten with their image, reused for the next lists (at most KEPT_SETS pairs in all). */
  #spare: ListBuffers[] = [];
  #current: ColorSet | null = null;

  constructor(device: GPUDevice, allocator: BufferAllocator, pipelines: EnginePipelines) {
    this.#device = device;
    this.#allocator = allocator;
    this.#pipelines = pipelines;
    const { STORAGE, UNIFORM, COPY_DST, COPY_SRC, MAP_READ } = GPUBufferUsage;
    const statsBytes = 4 * structLayout('ColorStats').words;
    this.#stats = allocator.create('colour totals', statsBytes, STORAGE | COPY_DST | COPY_SRC);
    this.#statsRead = allocator.create('colour totals readback', statsBytes, MAP_READ | COPY_DST);
    this.#positionsParams = allocator.create('positions params', 4 * structLayout('PositionsParams').words, UNIFORM | COPY_DST);
    const lin = allocator.createWith('oklab linear table', OKLAB_LINEAR_TABLE, STORAGE);
    const m1q = allocator.createWith('oklab M1q', OKLAB_M1Q, STORAGE);
    const m2q = allocator.createWith('oklab M2q', OKLAB_M2Q, STORAGE);
    this.#positionsGroup = this.#group('positionsRun', [this.#positionsParams, lin, m1q, m2q]);
    this.#channelSums = allocator.create('channel sums', 4 * CHANNEL_SUM_WORDS, STORAGE | COPY_DST | COPY_SRC);
    this.#channelSumsRead = allocator.create('channel sums readback', 4 * CHANNEL_SUM_WORDS, MAP_READ | COPY_DST);
  }

  /** The table the per-pixel kernels read labels from (after a run or an applied palette). */
  get slots(): TableSlots {
    if (!this.#slots) throw new Error('The colour table is made by the first load().');
    return this.#slots;
  }

  /** A table for an image of `pixels` pixels: the current one if it has the size, else a new one. */
  #ensureSlots(pixels: number): TableSlots {
    const bits = tableBits(pixels);
    if (this.#slots?.bits === bits) return this.#slots;
    if (this.#slots) for (const b of [this.#slots.table, this.#slots.keys, this.#slots.params, this.#occupied!]) this.#allocator.free(b);
    const { STORAGE, UNIFORM, COPY_DST } = GPUBufferUsage;
    const direct = bits === 24;
    const a = this.#allocator;
    const table = a.create('colour table', 4 * 2 ** bits, STORAGE | COPY_DST);
    const keys = a.create('colour table keys', direct ? 16 : 4 * 2 ** bits, STORAGE | COPY_DST);
    const params = a.create('colour table params', 4 * structLayout('TableParams').words, UNIFORM | COPY_DST);
    this.#occupied = a.create('colour table occupancy', 4 * (2 ** bits / TABLE_TILE_SLOTS), STORAGE | COPY_DST);
    this.#slots = { bits, table, keys, params };
    this.#countGroup = this.#group('countTable', [table, this.#stats, this.#occupied, keys, params]);
    return this.#slots;
  }

  /** The colour set loaded last, or null (none yet, or forgotten with its image). */
  get current(): ColorSet | null {
    return this.#current;
  }

  /** Forgets the image's colour lists (a new image is coming). */
  forget(): void {
    this.#spare.push(...this.#sets.map(({ colors, weights, positions }) => ({ colors, weights, positions })));
    this.#sets = [];
    this.#current = null;
  }

  /** A pair of list buffers of at least `bytes`: a spare one (grown if too small) or a new one. */
  #listBuffers(bytes: number): ListBuffers {
    if (this.#sets.length >= KEPT_SETS) {
      const { colors, weights, positions } = this.#sets.shift()!;
      this.#spare.push({ colors, weights, positions });
    }
    const spare = this.#spare.pop();
    if (spare && spare.colors.size >= bytes) return spare;
    if (spare) {
      this.#allocator.free(spare.colors);
      this.#allocator.free(spare.weights);
      this.#allocator.free(spare.positions);
    }
    const { STORAGE, COPY_DST, COPY_SRC } = GPUBufferUsage;
    return {
      colors: this.#allocator.create('distinct colours', bytes, STORAGE | COPY_SRC),
      weights: this.#allocator.create('colour weights', bytes, STORAGE | COPY_DST | COPY_SRC),
      // COPY_SRC: the tests read positions back to check the OKLab kernel against the CPU's.
      positions: this.#allocator.create('colour positions', 2 * bytes, STORAGE | COPY_SRC),
    };
  }

  #group(layout: Parameters<EnginePipelines['layout']>[0], buffers: GPUBuffer[]): GPUBindGroup {
    return this.#device.createBindGroup({
      label: `palette-extractor ${layout} group`,
      layout: this.#pipelines.layout(layout),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  /**
   * The distinct colours of `image` for this threshold, with their positions in `colorSpace`: counted and listed on
   * the device unless the table already holds them (a colour-space change recomputes the positions only). `dispatch`
   * spreads a dispatch of n tiles over the device's grid; `read` maps a buffer and copies it out, counting the round
   * trip (the engine's `Dispatcher.read`).
   */
  async load(
    image: GpuImage,
    colorSpace: ColorSpace,
    alphaThreshold: number,
    dispatch: Dispatch,
    maxWorkgroups: number,
    traffic: GpuTraffic,
    read: Dispatcher['read'],
  ): Promise<ColorSet> {
    const key = String(alphaThreshold);
    const [count, compact, positions] = await Promise.all(
      (['count', 'compact', 'positions'] as const).map((name) => this.#pipelines.pipeline(name)),
    );
    const device = this.#device;
    let set = this.#current?.key === key ? this.#current : null;
    if (!set) set = await this.#list(image, key, alphaThreshold, count!, compact!, dispatch, maxWorkgroups, traffic, read);
    if (set.space !== colorSpace) {
      device.queue.writeBuffer(
        this.#positionsParams,
        0,
        packStruct(structLayout('PositionsParams'), { oklab: colorSpace === 'oklab' ? 1 : 0, tiles: set.tiles, colors: set.u }),
      );
      const encoder = device.createCommandEncoder({ label: 'palette-extractor colour positions' });
      encoder.clearBuffer(this.#channelSums);
      const pass = encoder.beginComputePass({ label: 'palette-extractor positions pass' });
      pass.setPipeline(positions!);
      pass.setBindGroup(0, this.#positionsGroup);
      pass.setBindGroup(1, this.#group('positionsList', [set.colors, set.positions, set.weights, this.#channelSums]));
      // Per colour: at most 4096 tiles, within one dimension of any device (the per-pixel grid knob leaves it be).
      pass.dispatchWorkgroups(...dispatchGrid(set.tiles, device.limits.maxComputeWorkgroupsPerDimension));
      pass.end();
      encoder.copyBufferToBuffer(this.#channelSums, 0, this.#channelSumsRead, 0, 4 * CHANNEL_SUM_WORDS);
      device.queue.submit([encoder.finish()]);
      traffic.submissions++;
      // Until the sums are read, the set holds no colour space (a failed read leaves it to be done again).
      set.space = null;
      set.sums = null;
      const words = await read(this.#channelSumsRead, 4 * CHANNEL_SUM_WORDS);
      const sums = Array.from({ length: 6 }, (_, c) => (BigInt(words[2 * c + 1]!) << 32n) | BigInt(words[2 * c]!));
      set.sums = { sums, n: set.n };
      set.space = colorSpace;
    }
    return set;
  }

  async #list(
    image: GpuImage,
    key: string,
    alphaThreshold: number,
    count: GPUComputePipeline,
    compact: GPUComputePipeline,
    dispatch: Dispatch,
    maxWorkgroups: number,
    traffic: GpuTraffic,
    read: Dispatcher['read'],
  ): Promise<ColorSet> {
    const device = this.#device;
    const slots = this.#ensureSlots(image.pixelCount);
    // The per-pixel kernels (count now, labels and recolour later) take the threshold from the table's parameters.
    const tableParams = { bits: slots.bits, direct: slots.bits === 24 ? 1 : 0, alpha_threshold: alphaThreshold };
    device.queue.writeBuffer(slots.params, 0, packStruct(structLayout('TableParams'), tableParams));
    // A list made before for this threshold is reused where the table is direct (a colour's slot is its key); a
    // hashed table's slots belong to the colours counted last, so the list is made again (a small image: cheap).
    const cached = slots.bits === 24 ? this.#sets.find((set) => set.key === key) : undefined;
    if (cached) {
      // Listed before: its threshold is the table's again; the lut of the next run fills the table.
      this.#sets = [...this.#sets.filter((set) => set !== cached), cached];
      this.#current = cached;
      return cached;
    }
    this.#current = null;
    const encoder = device.createCommandEncoder({ label: 'palette-extractor count colours' });
    encoder.clearBuffer(slots.table);
    if (slots.bits < 24) encoder.clearBuffer(slots.keys);
    encoder.clearBuffer(this.#stats);
    encoder.clearBuffer(this.#occupied!);
    const pass = encoder.beginComputePass({ label: 'palette-extractor count pass' });
    pass.setPipeline(count);
    pass.setBindGroup(0, this.#countGroup!);
    for (const segment of image.segments) {
      pass.setBindGroup(1, segment.read);
      dispatch(pass, segment.tiles);
    }
    pass.end();
    encoder.copyBufferToBuffer(this.#stats, 0, this.#statsRead, 0, this.#stats.size);
    device.queue.submit([encoder.finish()]);
    traffic.submissions++;

    const words = await read(this.#statsRead, this.#stats.size);
    const totals = readTotals(words);

    // The list, padded to whole quads (at least one, so that a binding is never empty), dispatched in whole tiles
    // whose kernels loop over the list's colours only; the oldest list goes.
    const tile = this.#pipelines.colorTile;
    const tiles = Math.max(1, Math.ceil(totals.u / tile));
    const padded = 4 * Math.max(1, Math.ceil(totals.u / 4));
    const bytes = 4 * padded;
    // A list of this threshold made before (a hashed table's) is replaced: its buffers go back to the spares.
    for (const stale of this.#sets.filter((set) => set.key === key)) {
      this.#spare.push({ colors: stale.colors, weights: stale.weights, positions: stale.positions });
    }
    this.#sets = this.#sets.filter((set) => set.key !== key);
    const buffers = this.#listBuffers(bytes);
    const listEncoder = device.createCommandEncoder({ label: 'palette-extractor list colours' });
    listEncoder.clearBuffer(buffers.weights);
    const listPass = listEncoder.beginComputePass({ label: 'palette-extractor compact pass' });
    listPass.setPipeline(compact);
    listPass.setBindGroup(
      0,
      this.#group('compactTable', [slots.table, this.#stats, buffers.colors, buffers.weights, this.#occupied!, slots.keys, slots.params]),
    );
    dispatch(listPass, Math.min(2 ** slots.bits / TABLE_TILE_SLOTS, maxWorkgroups));
    listPass.end();
    device.queue.submit([listEncoder.finish()]);
    traffic.submissions++;
    const groupWords = tiles * WORKGROUP_SIZE * Math.ceil(this.#pipelines.colorsPerThread / 4 / 32);
    this.#current = { ...totals, key, tiles, padded, groupWords, ...buffers, space: null, sums: null };
    this.#sets.push(this.#current);
    return this.#current;
  }
}

function readTotals(words: Uint32Array): ColorTotals {
  const layout = structLayout('ColorStats');
  return { n: readField(layout, words, 'n'), u: readField(layout, words, 'u') };
}

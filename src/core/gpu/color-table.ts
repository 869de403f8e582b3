/**
 * An image's distinct colours on the device, once per image, colour space and alpha threshold: the points kernel
 * turns pixels into 24-bit point codes, count.wgsl counts them into a table of 2^24 counters (totalling n, U and the
 * exact sums behind `tolFixed` as it goes), and compact.wgsl lists the U colours that occur with their counts. Exact
 * k-means then iterates on U weighted colours instead of every pixel (docs/ARITHMETIC.md, "Weighting"). After a run,
 * the same 2^24 table holds each occurring colour's label (lut.wgsl), which per-pixel kernels read.
 *
 * One round trip: the 64-byte totals are read back after counting, to size the colour list and give the host n and
 * the tolerance sums.
 */
import { OKLAB_LINEAR_TABLE, OKLAB_M1Q, OKLAB_M2Q } from '../oklab-int.js';
import type { ColorSpace } from '../types.js';
import type { BufferAllocator } from './allocator.js';
import type { GpuImage } from './gpu-image.js';
import type { EnginePipelines } from './pipelines.js';
import { COLOR_TABLE_SIZE, packStruct, readField, structLayout, TABLE_TILES, TILE_PIXELS } from './shader-source.js';

/** What the count gives the host: the numbers the plan needs. */
export interface ColorTotals {
  /** Points (pixels with alpha ≥ threshold). */
  n: number;
  /** Distinct colours among them. */
  u: number;
  /** Σp_i and Σp_i² over the points, exact (below 2^53). */
  sums: [number, number, number];
  squares: [number, number, number];
}

/** The colour list of the image and options the table holds now. */
export interface ColorSet extends ColorTotals {
  key: string;
  /** Tiles of TILE_PIXELS colours covering U (the per-colour kernels' dispatch). */
  tiles: number;
  /** u32 per colour: its 24-bit code; padded to whole tiles. */
  colors: GPUBuffer;
  /** u32 per colour: its count; 0 in the padding. */
  weights: GPUBuffer;
}

/** Counts the GPU operations of an engine, for benchmarks and tests. */
export interface GpuTraffic {
  submissions: number;
  roundTrips: number;
  bytesRead: number;
}

type Dispatch = (pass: GPUComputePassEncoder, tiles: number) => void;

/** Colour lists kept per image (by colour space and threshold). */
const KEPT_SETS = 2;

export class ColorTable {
  readonly #device: GPUDevice;
  readonly #allocator: BufferAllocator;
  readonly #pipelines: EnginePipelines;
  /** 2^24 u32: counts while counting, then labels (lut.wgsl). */
  readonly table: GPUBuffer;
  readonly #stats: GPUBuffer;
  /** One u32 per compaction tile of the table: which tiles hold a colour. */
  readonly #occupied: GPUBuffer;
  readonly #statsRead: GPUBuffer;
  readonly #pointsParams: GPUBuffer;
  readonly #pointsGroup: GPUBindGroup;
  readonly #countGroup: GPUBindGroup;
  /**
   * The colour lists of the current image, by colour space and threshold, most recent last: two are kept, so that a
   * caller switching between RGB and OKLab (or comparing them) recounts neither.
   */
  #sets: ColorSet[] = [];
  /** Buffers of lists forgotten with their image, reused for the next lists (at most KEPT_SETS pairs in all). */
  #spare: { colors: GPUBuffer; weights: GPUBuffer }[] = [];
  #current: ColorSet | null = null;

  constructor(device: GPUDevice, allocator: BufferAllocator, pipelines: EnginePipelines) {
    this.#device = device;
    this.#allocator = allocator;
    this.#pipelines = pipelines;
    const { STORAGE, UNIFORM, COPY_DST, COPY_SRC, MAP_READ } = GPUBufferUsage;
    this.table = allocator.create('colour table', 4 * COLOR_TABLE_SIZE, STORAGE | COPY_DST);
    const statsBytes = 4 * structLayout('ColorStats').words;
    this.#stats = allocator.create('colour totals', statsBytes, STORAGE | COPY_DST | COPY_SRC);
    this.#occupied = allocator.create('colour table occupancy', 4 * TABLE_TILES, STORAGE | COPY_DST);
    this.#statsRead = allocator.create('colour totals readback', statsBytes, MAP_READ | COPY_DST);
    this.#pointsParams = allocator.create('points params', 4 * structLayout('PointsParams').words, UNIFORM | COPY_DST);
    const lin = allocator.createWith('oklab linear table', OKLAB_LINEAR_TABLE, STORAGE);
    const m1q = allocator.createWith('oklab M1q', OKLAB_M1Q, STORAGE);
    const m2q = allocator.createWith('oklab M2q', OKLAB_M2Q, STORAGE);
    this.#pointsGroup = this.#group('pointsRun', [this.#pointsParams, lin, m1q, m2q]);
    this.#countGroup = this.#group('countTable', [this.table, this.#stats, this.#occupied]);
  }

  /** The colour set loaded last, or null (none yet, or forgotten with its image). */
  get current(): ColorSet | null {
    return this.#current;
  }

  /** Forgets the image's colour lists (a new image is coming). */
  forget(): void {
    this.#spare.push(...this.#sets.map(({ colors, weights }) => ({ colors, weights })));
    this.#sets = [];
    this.#current = null;
  }

  /** A pair of list buffers of at least `bytes`: a spare one (grown if too small) or a new one. */
  #listBuffers(bytes: number): { colors: GPUBuffer; weights: GPUBuffer } {
    if (this.#sets.length >= KEPT_SETS) {
      const { colors, weights } = this.#sets.shift()!;
      this.#spare.push({ colors, weights });
    }
    const spare = this.#spare.pop();
    if (spare && spare.colors.size >= bytes) return spare;
    if (spare) {
      this.#allocator.free(spare.colors);
      this.#allocator.free(spare.weights);
    }
    const { STORAGE, COPY_DST } = GPUBufferUsage;
    return {
      colors: this.#allocator.create('distinct colours', bytes, STORAGE),
      weights: this.#allocator.create('colour weights', bytes, STORAGE | COPY_DST),
    };
  }

  /** Makes the points of `key` current on the device (one pass over the pixels) unless they are. */
  #encodePoints(encoder: GPUCommandEncoder, image: GpuImage, key: string, colorSpace: ColorSpace, alphaThreshold: number, points: GPUComputePipeline, dispatch: Dispatch): void {
    if (image.pointsKey === key) return;
    this.#device.queue.writeBuffer(
      this.#pointsParams,
      0,
      packStruct(structLayout('PointsParams'), { alpha_threshold: alphaThreshold, oklab: colorSpace === 'oklab' ? 1 : 0 }),
    );
    const pass = encoder.beginComputePass({ label: 'palette-extractor points pass' });
    pass.setPipeline(points);
    pass.setBindGroup(0, this.#pointsGroup);
    for (const segment of image.segments) {
      pass.setBindGroup(1, segment.toPoints);
      dispatch(pass, segment.tiles);
    }
    pass.end();
    image.pointsKey = key;
  }

  #group(layout: Parameters<EnginePipelines['layout']>[0], buffers: GPUBuffer[]): GPUBindGroup {
    return this.#device.createBindGroup({
      label: `palette-extractor ${layout} group`,
      layout: this.#pipelines.layout(layout),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  /**
   * The distinct colours of `image` for this colour space and threshold: counted and listed on the device unless the
   * table already holds them. `dispatch` spreads a dispatch of n tiles over the device's grid.
   */
  async load(
    image: GpuImage,
    colorSpace: ColorSpace,
    alphaThreshold: number,
    dispatch: Dispatch,
    maxWorkgroups: number,
    traffic: GpuTraffic,
    map: (buffer: GPUBuffer, bytes: number) => Promise<void>,
  ): Promise<ColorSet> {
    const key = `${colorSpace}/${alphaThreshold}`;
    if (this.#current?.key === key && image.pointsKey === key) return this.#current;
    const [points, count, compact] = await Promise.all(
      (['points', 'count', 'compact'] as const).map((name) => this.#pipelines.pipeline(name)),
    );
    const device = this.#device;
    const encoder = device.createCommandEncoder({ label: 'palette-extractor count colours' });
    this.#encodePoints(encoder, image, key, colorSpace, alphaThreshold, points!, dispatch);
    const cached = this.#sets.find((set) => set.key === key);
    if (cached) {
      // Listed before: only the points (which the per-pixel kernels read) had to follow.
      device.queue.submit([encoder.finish()]);
      traffic.submissions++;
      this.#sets = [...this.#sets.filter((set) => set !== cached), cached];
      this.#current = cached;
      return cached;
    }
    this.#current = null;
    encoder.clearBuffer(this.table);
    encoder.clearBuffer(this.#stats);
    encoder.clearBuffer(this.#occupied);
    const pass = encoder.beginComputePass({ label: 'palette-extractor count pass' });
    pass.setPipeline(count!);
    pass.setBindGroup(0, this.#countGroup);
    for (const segment of image.segments) {
      pass.setBindGroup(1, segment.read);
      dispatch(pass, segment.tiles);
    }
    pass.end();
    encoder.copyBufferToBuffer(this.#stats, 0, this.#statsRead, 0, this.#stats.size);
    device.queue.submit([encoder.finish()]);
    traffic.submissions++;

    await map(this.#statsRead, this.#stats.size);
    const words = new Uint32Array(this.#statsRead.getMappedRange(0, this.#stats.size).slice(0));
    this.#statsRead.unmap();
    traffic.roundTrips++;
    traffic.bytesRead += this.#stats.size;
    const totals = readTotals(words);

    // The list, padded to whole tiles (at least one, so that a binding is never empty); the oldest list goes.
    const tiles = Math.max(1, Math.ceil(totals.u / TILE_PIXELS));
    const bytes = 4 * tiles * TILE_PIXELS;
    const { colors, weights } = this.#listBuffers(bytes);
    const listEncoder = device.createCommandEncoder({ label: 'palette-extractor list colours' });
    listEncoder.clearBuffer(weights);
    const listPass = listEncoder.beginComputePass({ label: 'palette-extractor compact pass' });
    listPass.setPipeline(compact!);
    listPass.setBindGroup(0, this.#group('compactTable', [this.table, this.#stats, colors, weights, this.#occupied]));
    dispatch(listPass, Math.min(TABLE_TILES, maxWorkgroups));
    listPass.end();
    device.queue.submit([listEncoder.finish()]);
    traffic.submissions++;
    this.#current = { ...totals, key, tiles, colors, weights };
    this.#sets.push(this.#current);
    return this.#current;
  }
}

function readTotals(words: Uint32Array): ColorTotals {
  const layout = structLayout('ColorStats');
  const u64 = (name: string) => readField(layout, words, `${name}_hi`) * 2 ** 32 + readField(layout, words, `${name}_lo`);
  return {
    n: readField(layout, words, 'n'),
    u: readField(layout, words, 'u'),
    sums: [u64('s0'), u64('s1'), u64('s2')],
    squares: [u64('q0'), u64('q1'), u64('q2')],
  };
}

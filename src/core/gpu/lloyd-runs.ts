/**
 * The Lloyd loops of exact k-means on the device (docs/ARITHMETIC.md), over an image's distinct colours
 * (`ColorSet`), for several seedings at once: each run of a pass has its own centres, sums, counters, labels and
 * status, and one dispatch serves them all (the workgroup's z is the run). The host is out of the loop: the update
 * kernel decides each run's stop, the control kernel writes the next iteration's indirect dispatch arguments (zero
 * once every run is done), so a batch of iterations and the final E-step go in one submission, followed by one small
 * readback (each run's status, inertia, cluster weights and centres). A pass needs another batch only when a run is
 * still going at the end of one (batches double).
 */
import { MAX_K } from '../constants.js';
import { throwIfAborted } from '../errors.js';
import type { ProgressInfo } from '../types.js';
import type { BufferAllocator } from './allocator.js';
import type { ColorSet, GpuTraffic } from './color-table.js';
import type { EnginePipelines } from './pipelines.js';
import { CLUSTER_SUM_WORDS, DONE, packStruct, readField, structLayout } from './shader-source.js';

/** Words of one centre in the centres buffer (a vec4u: x, y, z and a spare lane). */
export const CENTRE_WORDS = 4;
/** u32 words of bounds per run: each quad's expiry (an f32), then its invocations' group bounds (assign.wgsl). */
export function boundWords(set: ColorSet): number {
  return labelWords(set) + set.groupWords;
}
/** u32 words of the indirect arguments: assign (x, y, z), then update (x, y, z). */
const INDIRECT_WORDS = 6;

/** What one seeding's run leaves behind, read back from the device. */
export interface RunOutcome {
  run: number;
  centersFixed: Uint32Array;
  inertiaFixed: bigint;
  iterations: number;
  converged: boolean;
  /** Points in each cluster under the final labels (the clusters' weights). */
  counts: number[];
}

export interface LloydPlan {
  k: number;
  maxIter: number;
  tolFixed: number;
  /** The seedings to run, in run order. */
  initCenters: Uint32Array[];
  /** The locked colours: centres 0 .. m−1 of every seeding, which the update never moves. */
  fixed?: readonly unknown[] | undefined;
}

export interface LloydOptions {
  /** Most iterations of one submission; the first batch is shorter (FIRST_BATCH). */
  maxBatch: number;
  signal?: AbortSignal;
  onProgress?: (info: ProgressInfo) => void;
}

/** Iterations of a pass's first submission: most runs of a photo converge within them. */
const FIRST_BATCH = 32;

export interface Dispatcher {
  /** (x, y) covering `tiles` workgroups within the device's per-dimension limit. */
  grid(tiles: number): [number, number];
  submit(encoder: GPUCommandEncoder): void;
  /** Maps `bytes` of `buffer` for reading (one round trip) and returns a copy as words. */
  read(buffer: GPUBuffer, bytes: number): Promise<Uint32Array>;
  traffic: GpuTraffic;
}

/** The device buffers of the runs of one pass, grown on demand and reused between runs. */
export class RunBuffers {
  readonly #device: GPUDevice;
  readonly #allocator: BufferAllocator;
  readonly #pipelines: EnginePipelines;
  readonly params: GPUBuffer;
  readonly indirect: GPUBuffer;
  #runs = 0;
  #labelBytes = 0;
  #boundBytes = 0;
  status!: GPUBuffer;
  counters!: GPUBuffer;
  centres!: GPUBuffer;
  sums!: GPUBuffer;
  readback!: GPUBuffer;
  labels!: GPUBuffer;
  /** Per run, each quad's expiry and each group's (f32; see assign.wgsl). */
  bounds!: GPUBuffer;
  iterateGroup!: GPUBindGroup;
  updateGroup!: GPUBindGroup;
  controlGroup!: GPUBindGroup;

  constructor(device: GPUDevice, allocator: BufferAllocator, pipelines: EnginePipelines) {
    this.#device = device;
    this.#allocator = allocator;
    this.#pipelines = pipelines;
    const { UNIFORM, COPY_DST, STORAGE, INDIRECT } = GPUBufferUsage;
    this.params = allocator.create('run params', 4 * structLayout('RunParams').words, UNIFORM | COPY_DST);
    this.indirect = allocator.create('indirect arguments', 4 * INDIRECT_WORDS, STORAGE | INDIRECT | COPY_DST);
  }

  /** Makes room for `runs` runs at any k ≤ MAX_K, with `labelBytes` of labels and `boundBytes` of bounds per pass. */
  ensure(runs: number, labelBytes: number, boundBytes: number): void {
    if (runs > this.#runs) {
      for (const b of [this.status, this.counters, this.centres, this.sums, this.readback]) if (b) this.#allocator.free(b);
      const { STORAGE, COPY_DST, COPY_SRC, MAP_READ } = GPUBufferUsage;
      const a = this.#allocator;
      this.status = a.create('status', 4 * structLayout('Status').words * runs, STORAGE | COPY_DST | COPY_SRC);
      this.counters = a.create('counters', 4 * structLayout('Counters').words * runs, STORAGE | COPY_DST | COPY_SRC);
      this.centres = a.create('centres', 4 * CENTRE_WORDS * MAX_K * runs, STORAGE | COPY_DST | COPY_SRC);
      // Each run's totals of the Lloyd loop, then each run's weights of the final E-step (assign.wgsl).
      this.sums = a.create('sums', 2 * 4 * CLUSTER_SUM_WORDS * MAX_K * runs, STORAGE | COPY_DST | COPY_SRC);
      this.readback = a.create(
        'runs readback',
        this.status.size + this.counters.size + this.centres.size + this.sums.size,
        MAP_READ | COPY_DST,
      );
      this.#runs = runs;
    }
    if (labelBytes > this.#labelBytes) {
      if (this.labels) this.#allocator.free(this.labels);
      this.labels = this.#allocator.create('colour labels', labelBytes, GPUBufferUsage.STORAGE);
      this.#labelBytes = labelBytes;
    }
    if (boundBytes > this.#boundBytes) {
      if (this.bounds) this.#allocator.free(this.bounds);
      this.bounds = this.#allocator.create('colour bounds', boundBytes, GPUBufferUsage.STORAGE);
      this.#boundBytes = boundBytes;
    }
    const group = (name: Parameters<EnginePipelines['layout']>[0], buffers: GPUBuffer[]) =>
      this.#device.createBindGroup({
        label: `palette-extractor ${name} group`,
        layout: this.#pipelines.layout(name),
        entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
    this.iterateGroup = group('iterateRuns', [this.params, this.status, this.centres, this.sums, this.counters]);
    this.updateGroup = group('updateRuns', [this.params, this.status, this.centres, this.sums, this.counters]);
    this.controlGroup = group('controlRuns', [this.params, this.status, this.indirect]);
  }

  /** The colours' group of the assign kernels: the set's positions and weights, these labels. */
  colorsGroup(set: ColorSet): GPUBindGroup {
    return this.#device.createBindGroup({
      label: 'palette-extractor colours group',
      layout: this.#pipelines.layout('colors'),
      entries: [set.positions, set.weights, this.labels, this.bounds].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }
}

/** u32 words of labels per run: one byte per colour of the padded list (U rounded up to whole quads). */
export function labelWords(set: ColorSet): number {
  return set.padded / 4;
}

/** Encodes the run parameters of a pass. */
function writeParams(device: GPUDevice, buffers: RunBuffers, plan: LloydPlan, set: ColorSet, runs: number, grid: [number, number]): void {
  // tolFixed is an integer-valued double; the update kernel compares the shift with it as a u64.
  const tol = Math.max(0, plan.tolFixed);
  const saturated = tol >= 2 ** 64;
  device.queue.writeBuffer(
    buffers.params,
    0,
    packStruct(structLayout('RunParams'), {
      k: plan.k,
      max_iter: plan.maxIter,
      tol_lo: saturated ? 0xffffffff : tol % 2 ** 32,
      tol_hi: saturated ? 0xffffffff : Math.floor(tol / 2 ** 32),
      tiles: set.tiles,
      colors: set.u,
      group_words: set.groupWords,
      label_words: labelWords(set),
      runs,
      grid_x: grid[0],
      grid_y: grid[1],
      fixed_count: plan.fixed?.length ?? 0,
    }),
  );
}

/** Writes the centres of `seedings` into run slots 0, 1, ... */
function writeCentres(device: GPUDevice, buffers: RunBuffers, k: number, seedings: readonly Uint32Array[]): void {
  const words = new Uint32Array(CENTRE_WORDS * k * seedings.length);
  seedings.forEach((centres, r) => {
    for (let j = 0; j < k; j++) words.set(centres.subarray(3 * j, 3 * j + 3), CENTRE_WORDS * (r * k + j));
  });
  device.queue.writeBuffer(buffers.centres, 0, words);
}

export interface PassResult {
  outcomes: RunOutcome[];
}

/**
 * Runs seedings `first .. first + runs − 1` of `plan` in one pass; their labels stay in `buffers.labels`, run slot
 * `r − first`. Reports `iterate` progress after each batch as `(done + fraction of this pass) / total`.
 */
export async function runPass(
  device: GPUDevice,
  pipelines: Record<'assign' | 'assignFinal' | 'update' | 'control', GPUComputePipeline>,
  buffers: RunBuffers,
  set: ColorSet,
  plan: LloydPlan,
  first: number,
  runs: number,
  options: LloydOptions,
  d: Dispatcher,
  progress: { done: number; total: number },
): Promise<PassResult> {
  const { k, maxIter } = plan;
  const grid = d.grid(set.tiles);
  writeParams(device, buffers, plan, set, runs, grid);
  writeCentres(device, buffers, k, plan.initCenters.slice(first, first + runs));
  device.queue.writeBuffer(buffers.indirect, 0, new Uint32Array([grid[0], grid[1], runs, runs, 1, 1]));
  const colors = buffers.colorsGroup(set);
  const statusWords = structLayout('Status').words;
  const countersWords = structLayout('Counters').words;
  const bytes = {
    status: 4 * statusWords * runs,
    counters: 4 * countersWords * runs,
    centres: 4 * CENTRE_WORDS * k * runs,
    sums: 4 * CLUSTER_SUM_WORDS * k * runs,
  };
  const at = { status: 0, counters: bytes.status, centres: bytes.status + bytes.counters, sums: bytes.status + bytes.counters + bytes.centres };
  const total = at.sums + bytes.sums;
  // The final E-step's weights follow the loop's totals of all the pass's runs (assign.wgsl).
  const finalSums = bytes.sums;

  let encoded = 0;
  let batch = Math.min(FIRST_BATCH, options.maxBatch, maxIter);
  let first_ = true;
  for (;;) {
    const encoder = device.createCommandEncoder({ label: `palette-extractor runs ${first}+${runs}` });
    if (first_) {
      // The loop's totals start from nothing and are kept from batch to batch: each iteration adds the colours that
      // moved.
      encoder.clearBuffer(buffers.status, 0, bytes.status);
      encoder.clearBuffer(buffers.sums, 0, bytes.sums);
    }
    first_ = false;
    // The change counters are zero after every update; the last final E-step left its inertia there.
    encoder.clearBuffer(buffers.counters, 0, bytes.counters);
    const loop = encoder.beginComputePass({ label: `palette-extractor ${batch} Lloyd iterations` });
    for (let b = 0; b < batch; b++) {
      loop.setPipeline(pipelines.assign);
      loop.setBindGroup(0, buffers.iterateGroup);
      loop.setBindGroup(1, colors);
      loop.dispatchWorkgroupsIndirect(buffers.indirect, 0);
      loop.setPipeline(pipelines.update);
      loop.setBindGroup(0, buffers.updateGroup);
      loop.dispatchWorkgroupsIndirect(buffers.indirect, 12);
      loop.setPipeline(pipelines.control);
      loop.setBindGroup(0, buffers.controlGroup);
      loop.dispatchWorkgroups(1);
    }
    loop.end();
    encoded += batch;
    encoder.clearBuffer(buffers.sums, finalSums, bytes.sums);
    encoder.clearBuffer(buffers.counters, 0, bytes.counters);
    const final = encoder.beginComputePass({ label: 'palette-extractor final E-step' });
    final.setPipeline(pipelines.assignFinal);
    final.setBindGroup(0, buffers.iterateGroup);
    final.setBindGroup(1, colors);
    final.dispatchWorkgroups(grid[0], grid[1], runs);
    final.end();
    encoder.copyBufferToBuffer(buffers.status, 0, buffers.readback, at.status, bytes.status);
    encoder.copyBufferToBuffer(buffers.counters, 0, buffers.readback, at.counters, bytes.counters);
    encoder.copyBufferToBuffer(buffers.centres, 0, buffers.readback, at.centres, bytes.centres);
    encoder.copyBufferToBuffer(buffers.sums, finalSums, buffers.readback, at.sums, bytes.sums);
    d.submit(encoder);
    const words = await d.read(buffers.readback, total);
    const status = structLayout('Status');
    let running = 0;
    let iterationsDone = 0;
    for (let r = 0; r < runs; r++) {
      const base = r * statusWords;
      if (readField(status, words, 'done', base) === DONE.running) running++;
      iterationsDone += readField(status, words, 'iteration', base);
    }
    options.onProgress?.({ phase: 'iterate', fraction: (progress.done + iterationsDone / maxIter) / progress.total });
    if (running === 0) return { outcomes: readOutcomes(words, at, plan, first, runs) };
    throwIfAborted(options.signal);
    batch = Math.min(2 * batch, options.maxBatch, maxIter - encoded);
    if (batch <= 0) throw new Error('A run did not stop within maxIter iterations (engine bug).');
  }
}

function readOutcomes(
  words: Uint32Array,
  at: { status: number; counters: number; centres: number; sums: number },
  plan: LloydPlan,
  first: number,
  runs: number,
): RunOutcome[] {
  const status = structLayout('Status');
  const counters = structLayout('Counters');
  const { k } = plan;
  const outcomes: RunOutcome[] = [];
  for (let r = 0; r < runs; r++) {
    const s = at.status / 4 + r * status.words;
    const c = at.counters / 4 + r * counters.words;
    const lo = readField(counters, words, 'inertia_lo', c);
    const hi = readField(counters, words, 'inertia_hi', c);
    const centersFixed = new Uint32Array(3 * k);
    const counts: number[] = [];
    for (let j = 0; j < k; j++) {
      const base = at.centres / 4 + CENTRE_WORDS * (r * k + j);
      centersFixed.set(words.subarray(base, base + 3), 3 * j);
      counts.push(words[at.sums / 4 + CLUSTER_SUM_WORDS * (r * k + j)]!);
    }
    outcomes.push({
      run: first + r,
      centersFixed,
      inertiaFixed: (BigInt(hi) << 32n) | BigInt(lo),
      iterations: readField(status, words, 'iteration', s),
      converged: readField(status, words, 'done', s) !== DONE.maxIter,
      counts,
    });
  }
  return outcomes;
}

/**
 * Labels the colours of `set` against `centersFixed` alone (the final E-step, exact, ties to the lowest index) into
 * run slot 0: for the best run of an earlier pass, or for a palette found on another image. Encoded, not submitted.
 */
export function encodeLabelling(
  device: GPUDevice,
  encoder: GPUCommandEncoder,
  assignFinal: GPUComputePipeline,
  buffers: RunBuffers,
  set: ColorSet,
  centersFixed: Uint32Array,
  grid: [number, number],
): void {
  const k = centersFixed.length / 3;
  writeParams(device, buffers, { k, maxIter: 1, tolFixed: 0, initCenters: [] }, set, 1, grid);
  writeCentres(device, buffers, k, [centersFixed]);
  device.queue.writeBuffer(buffers.status, 0, packStruct(structLayout('Status'), { done: DONE.strict, iteration: 1 }));
  // The final E-step's weights (after one run's totals: assign.wgsl).
  encoder.clearBuffer(buffers.sums, 4 * CLUSTER_SUM_WORDS * k, 4 * CLUSTER_SUM_WORDS * k);
  encoder.clearBuffer(buffers.counters, 0, 4 * structLayout('Counters').words);
  const pass = encoder.beginComputePass({ label: 'palette-extractor labelling against given centres' });
  pass.setPipeline(assignFinal);
  pass.setBindGroup(0, buffers.iterateGroup);
  pass.setBindGroup(1, buffers.colorsGroup(set));
  pass.dispatchWorkgroups(grid[0], grid[1], 1);
  pass.end();
}

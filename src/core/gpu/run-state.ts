/**
 * The small device-resident state of a k-means run, shared by every segment: the run's parameters, its status
 * (`done`, iteration, last shift), the counters (labels changed, inertia), the centres, the per-cluster u64 sums,
 * the OKLab tables and the recolour palette; plus the one mappable buffer the host reads the status through.
 */
import { MAX_K } from '../constants.js';
import { OKLAB_LINEAR_TABLE, OKLAB_M1Q, OKLAB_M2Q } from '../oklab-int.js';
import type { BufferAllocator } from './allocator.js';
import type { EnginePipelines } from './pipelines.js';
import { CLUSTER_SUM_WORDS, structLayout } from './shader-source.js';

/** Words of one centre in the centres buffer (a vec4u: x, y, z and a spare lane). */
export const CENTRE_WORDS = 4;

export class RunState {
  readonly params: GPUBuffer;
  readonly status: GPUBuffer;
  readonly counters: GPUBuffer;
  readonly centres: GPUBuffer;
  readonly sums: GPUBuffer;
  readonly palette: GPUBuffer;
  /** MAP_READ: [Status][Counters][centres], filled by `copyToReadback`. */
  readonly readback: GPUBuffer;
  readonly statusWords = structLayout('Status').words;
  readonly countersWords = structLayout('Counters').words;

  readonly pointsGroup: GPUBindGroup;
  readonly iterateGroup: GPUBindGroup;
  readonly updateGroup: GPUBindGroup;
  readonly inertiaGroup: GPUBindGroup;
  readonly paletteGroup: GPUBindGroup;

  constructor(device: GPUDevice, allocator: BufferAllocator, pipelines: EnginePipelines) {
    const { STORAGE, UNIFORM, COPY_DST, COPY_SRC, MAP_READ } = GPUBufferUsage;
    this.params = allocator.create('run params', 4 * structLayout('RunParams').words, UNIFORM | COPY_DST);
    this.status = allocator.create('status', 4 * this.statusWords, STORAGE | COPY_DST | COPY_SRC);
    this.counters = allocator.create('counters', 4 * this.countersWords, STORAGE | COPY_DST | COPY_SRC);
    this.centres = allocator.create('centres', 4 * CENTRE_WORDS * MAX_K, STORAGE | COPY_DST | COPY_SRC);
    this.sums = allocator.create('sums', 4 * CLUSTER_SUM_WORDS * MAX_K, STORAGE | COPY_DST);
    this.palette = allocator.create('palette', 4 * MAX_K, STORAGE | COPY_DST);
    this.readback = allocator.create('status readback', this.status.size + this.counters.size + this.centres.size, MAP_READ | COPY_DST);
    const lin = allocator.createWith('oklab linear table', OKLAB_LINEAR_TABLE, STORAGE);
    const m1q = allocator.createWith('oklab M1q', OKLAB_M1Q, STORAGE);
    const m2q = allocator.createWith('oklab M2q', OKLAB_M2Q, STORAGE);

    const group = (name: Parameters<EnginePipelines['layout']>[0], buffers: GPUBuffer[]) =>
      device.createBindGroup({
        label: `palette-extractor ${name} group`,
        layout: pipelines.layout(name),
        entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
    this.pointsGroup = group('pointsRun', [this.params, lin, m1q, m2q]);
    this.iterateGroup = group('iterateRun', [this.params, this.status, this.centres, this.sums, this.counters]);
    this.updateGroup = group('updateRun', [this.params, this.status, this.centres, this.sums, this.counters]);
    this.inertiaGroup = group('inertiaRun', [this.params, this.centres, this.counters]);
    this.paletteGroup = group('palette', [this.palette]);
  }

  /** Byte offsets of the three parts in `readback`. */
  get readbackOffsets(): { status: number; counters: number; centres: number } {
    return { status: 0, counters: this.status.size, centres: this.status.size + this.counters.size };
  }

  /** Clears status, counters and sums for a new run (encoded, so it is ordered with the passes). */
  encodeReset(encoder: GPUCommandEncoder): void {
    encoder.clearBuffer(this.status);
    encoder.clearBuffer(this.counters);
    encoder.clearBuffer(this.sums);
  }

  /** Copies the status (and, with `full`, the counters and centres) into `readback`. */
  encodeReadback(encoder: GPUCommandEncoder, full: boolean): void {
    const at = this.readbackOffsets;
    encoder.copyBufferToBuffer(this.status, 0, this.readback, at.status, this.status.size);
    if (!full) return;
    encoder.copyBufferToBuffer(this.counters, 0, this.readback, at.counters, this.counters.size);
    encoder.copyBufferToBuffer(this.centres, 0, this.readback, at.centres, this.centres.size);
  }
}

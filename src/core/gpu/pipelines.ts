/**
 * The engine's compute pipelines and bind group layouts, one set per device, created on first use and cached in a
 * WeakMap keyed by the device (a lost or dropped device takes its cache with it). Layouts are explicit so that a
 * bind group serves every pipeline of the same shape (the assign kernel's two variants, the per-segment groups).
 */
import { COLORS_PER_THREAD, WORKGROUP_SIZE } from '../constants.js';
import { isSoftwareAdapter } from './device.js';
import { kernelConstants, kernelSource, type KernelName } from './shader-source.js';

type Binding = 'uniform' | 'read' | 'storage' | 'rgba8-write';

/**
 * The shapes of the bind groups, binding by binding. Group 0 of the per-pixel kernels is the operation's (tables,
 * palette), group 1 one image segment; group 0 of the per-colour kernels is the runs', group 1 the colours'.
 */
const LAYOUTS = {
  positionsRun: ['uniform', 'read', 'read', 'read'],
  positionsList: ['read', 'storage', 'read', 'storage'],
  countTable: ['storage', 'storage', 'storage', 'storage', 'uniform'],
  compactTable: ['read', 'storage', 'storage', 'storage', 'read', 'read', 'uniform'],
  iterateRuns: ['uniform', 'read', 'read', 'storage', 'storage'],
  updateRuns: ['uniform', 'storage', 'storage', 'storage', 'storage'],
  controlRuns: ['uniform', 'read', 'storage'],
  colors: ['read', 'read', 'storage', 'storage'],
  lut: ['uniform', 'read', 'read', 'read', 'storage', 'read', 'uniform'],
  lutRead: ['read', 'read', 'uniform'],
  palette: ['read', 'read', 'read', 'uniform'],
  paletteTexture: ['read', 'read', 'rgba8-write', 'read', 'uniform'],
  segmentWrite: ['uniform', 'read', 'storage'],
  segmentRead: ['uniform', 'read'],
} as const satisfies Record<string, readonly Binding[]>;

export type LayoutName = keyof typeof LAYOUTS;

/** Pipelines by role: the kernel they run, their variant constants, the layouts of their groups. */
const PIPELINES = {
  positions: { kernel: 'positions', groups: ['positionsRun', 'positionsList'] },
  count: { kernel: 'count', groups: ['countTable', 'segmentRead'] },
  compact: { kernel: 'compact', groups: ['compactTable'] },
  assign: { kernel: 'assign', variant: { FINAL_E_STEP: 0 }, groups: ['iterateRuns', 'colors'] },
  assignFinal: { kernel: 'assign', variant: { FINAL_E_STEP: 1 }, groups: ['iterateRuns', 'colors'] },
  update: { kernel: 'update', groups: ['updateRuns'] },
  control: { kernel: 'control', groups: ['controlRuns'] },
  lut: { kernel: 'lut', groups: ['lut'] },
  pixelLabels: { kernel: 'pixelLabels', groups: ['lutRead', 'segmentWrite'] },
  recolorBuffer: { kernel: 'recolorBuffer', groups: ['palette', 'segmentWrite'] },
  recolorTexture: { kernel: 'recolorTexture', groups: ['paletteTexture', 'segmentRead'] },
} as const satisfies Record<
  string,
  { kernel: KernelName; variant?: Record<string, number>; groups: readonly LayoutName[] }
>;

export type PipelineName = keyof typeof PIPELINES;

function entry(binding: number, kind: Binding): GPUBindGroupLayoutEntry {
  const visibility = GPUShaderStage.COMPUTE;
  switch (kind) {
    case 'uniform':
      return { binding, visibility, buffer: { type: 'uniform' } };
    case 'read':
      return { binding, visibility, buffer: { type: 'read-only-storage' } };
    case 'storage':
      return { binding, visibility, buffer: { type: 'storage' } };
    case 'rgba8-write':
      return { binding, visibility, storageTexture: { access: 'write-only', format: 'rgba8unorm' } };
  }
}

/** One device's pipelines and layouts, each made on first request. */
/** COLORS_PER_THREAD for `device`: the software value where its info (`GPUDevice.adapterInfo`) says it is one. */
export function defaultColorsPerThread(device: GPUDevice): number {
  const software = isSoftwareAdapter((device as { adapterInfo?: GPUAdapterInfo }).adapterInfo);
  return software ? COLORS_PER_THREAD.software : COLORS_PER_THREAD.gpu;
}

export class EnginePipelines {
  readonly #device: GPUDevice;
  /** Colours one thread of the per-colour kernels visits on this device (COLORS_PER_THREAD). */
  readonly colorsPerThread: number;
  /** Colours one workgroup of the per-colour kernels covers: the colour list is padded to whole tiles of these. */
  readonly colorTile: number;
  readonly #modules = new Map<KernelName, GPUShaderModule>();
  readonly #layouts = new Map<LayoutName, GPUBindGroupLayout>();
  readonly #pipelines = new Map<PipelineName, Promise<GPUComputePipeline>>();

  constructor(device: GPUDevice, colorsPerThread = defaultColorsPerThread(device)) {
    this.#device = device;
    this.colorsPerThread = colorsPerThread;
    this.colorTile = WORKGROUP_SIZE * this.colorsPerThread;
  }

  layout(name: LayoutName): GPUBindGroupLayout {
    let layout = this.#layouts.get(name);
    if (!layout) {
      layout = this.#device.createBindGroupLayout({
        label: `palette-extractor ${name} layout`,
        entries: LAYOUTS[name].map((kind, i) => entry(i, kind)),
      });
      this.#layouts.set(name, layout);
    }
    return layout;
  }

  #module(kernel: KernelName): GPUShaderModule {
    let module = this.#modules.get(kernel);
    if (!module) {
      module = this.#device.createShaderModule({ label: `palette-extractor ${kernel}.wgsl`, code: kernelSource(kernel) });
      this.#modules.set(kernel, module);
    }
    return module;
  }

  /** The pipeline, compiled asynchronously the first time so that a page's main thread does not stall on it. */
  pipeline(name: PipelineName): Promise<GPUComputePipeline> {
    let pipeline = this.#pipelines.get(name);
    if (!pipeline) {
      const spec: (typeof PIPELINES)[PipelineName] = PIPELINES[name];
      const variant = 'variant' in spec ? spec.variant : undefined;
      pipeline = this.#device.createComputePipelineAsync({
        label: `palette-extractor ${name} pipeline`,
        layout: this.#device.createPipelineLayout({
          label: `palette-extractor ${name} pipeline layout`,
          bindGroupLayouts: spec.groups.map((g) => this.layout(g)),
        }),
        compute: {
          module: this.#module(spec.kernel),
          entryPoint: 'main',
          constants: kernelConstants(spec.kernel, { COLORS_PER_THREAD: this.colorsPerThread, ...variant }),
        },
      });
      // A failed compilation is not cached: the next request tries again (and reports its own error).
      pipeline.catch(() => this.#pipelines.delete(name));
      this.#pipelines.set(name, pipeline);
    }
    return pipeline;
  }
}

const cache = new WeakMap<GPUDevice, Map<number, EnginePipelines>>();

/**
 * The device's pipeline cache, created on first use; one per colours-per-thread value (the device's own unless a
 * caller, a test of the other kind of adapter's tiles, asks for another).
 */
export function pipelinesFor(device: GPUDevice, colorsPerThread = defaultColorsPerThread(device)): EnginePipelines {
  if (!Number.isInteger(colorsPerThread) || colorsPerThread < 4 || colorsPerThread % 4 !== 0) {
    throw new RangeError(`colorsPerThread must be a positive multiple of 4, got ${colorsPerThread}.`);
  }
  let byTile = cache.get(device);
  if (!byTile) cache.set(device, (byTile = new Map()));
  let pipelines = byTile.get(colorsPerThread);
  if (!pipelines) byTile.set(colorsPerThread, (pipelines = new EnginePipelines(device, colorsPerThread)));
  return pipelines;
}

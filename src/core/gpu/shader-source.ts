/**
 * The WGSL kernels as text, and everything the host must agree on with them, defined once:
 * - numbers (workgroup size, the limit on k, fixed-point shift, OKLab code constants, ...) come from the TypeScript
 *   constants and reach the shaders as WGSL `override`s. The shaders declare them without defaults, so a missing one
 *   fails pipeline creation instead of silently using a copy.
 * - struct layouts are declared in the shaders; the host reads them from the WGSL text (`structLayout`), so buffer
 *   offsets are never restated here. Kernels that share a struct must declare it identically, which is checked.
 */
import assignWgsl from '../../../shaders/assign.wgsl?raw';
import compactWgsl from '../../../shaders/compact.wgsl?raw';
import controlWgsl from '../../../shaders/control.wgsl?raw';
import countWgsl from '../../../shaders/count.wgsl?raw';
import lutWgsl from '../../../shaders/lut.wgsl?raw';
import pixelLabelsWgsl from '../../../shaders/pixel-labels.wgsl?raw';
import positionsWgsl from '../../../shaders/positions.wgsl?raw';
import recolorBufferWgsl from '../../../shaders/recolor-buffer.wgsl?raw';
import recolorTextureWgsl from '../../../shaders/recolor-texture.wgsl?raw';
import updateWgsl from '../../../shaders/update.wgsl?raw';
import findSlotWgsl from '../../../shaders/lib/find-slot.wgsl?raw';
import mortonWgsl from '../../../shaders/lib/morton.wgsl?raw';
import pixelKeyWgsl from '../../../shaders/lib/pixel-key.wgsl?raw';
import u64Wgsl from '../../../shaders/lib/u64.wgsl?raw';
import { COLORS_PER_THREAD, FIXED_SHIFT, MAX_K, PIXELS_PER_THREAD, WORKGROUP_SIZE } from '../constants.js';
import { AB_OFFSET, CBRT_FRACTION_BITS, CODE_SHIFT, LAB_SHIFT } from '../oklab-int.js';

export type KernelName =
  | 'positions'
  | 'count'
  | 'compact'
  | 'assign'
  | 'update'
  | 'control'
  | 'lut'
  | 'pixelLabels'
  | 'recolorBuffer'
  | 'recolorTexture';

/** Shared WGSL (shaders/lib/): a kernel names one with a line `// @include name`, replaced by its text here. */
const LIBRARIES: Readonly<Record<string, string>> = {
  'find-slot': findSlotWgsl,
  morton: mortonWgsl,
  'pixel-key': pixelKeyWgsl,
  u64: u64Wgsl,
};

function withIncludes(source: string, kernel: string): string {
  return source.replace(/^\/\/ @include ([\w-]+)[ \t]*$/gm, (_, name: string) => {
    const library = LIBRARIES[name];
    if (library === undefined) throw new Error(`${kernel}.wgsl includes ${name}, which shaders/lib/ does not have.`);
    return library;
  });
}

const RAW_SOURCES: Record<KernelName, string> = {
  positions: positionsWgsl,
  count: countWgsl,
  compact: compactWgsl,
  assign: assignWgsl,
  update: updateWgsl,
  control: controlWgsl,
  lut: lutWgsl,
  pixelLabels: pixelLabelsWgsl,
  recolorBuffer: recolorBufferWgsl,
  recolorTexture: recolorTextureWgsl,
};

const SOURCES = Object.fromEntries(
  Object.entries(RAW_SOURCES).map(([kernel, source]) => [kernel, withIncludes(source, kernel)]),
) as Record<KernelName, string>;

/** u32 words per cluster in the sums buffer: count, Σp0, Σp1, Σp2, each a u64 as (low, high). */
export const CLUSTER_SUM_WORDS = 8;
/** Values of `Status.done` (update.wgsl): why a run stopped, 0 while it runs. */
export const DONE = { running: 0, strict: 1, tol: 2, maxIter: 3 } as const;

/** Pixels one workgroup of the per-pixel kernels covers (and colours, for the per-colour kernels). */
export const TILE_PIXELS = WORKGROUP_SIZE * PIXELS_PER_THREAD;

/** Quads of the count table one thread of compact.wgsl reads. */
export const TABLE_QUADS_PER_THREAD = 4;
/** Slots of one compact.wgsl tile (a workgroup's share of the table). */
export const TABLE_TILE_SLOTS = WORKGROUP_SIZE * 4 * TABLE_QUADS_PER_THREAD;
/** The tag of a claimed slot's key in a hashed table (keys are 24-bit; 0 is a free slot). */
export const KEY_TAG = 2 ** 31;

/**
 * log2 of the colour table's slots for an image of `pixels` pixels: at least twice the pixels (a hashed table never
 * fills past half, so probes stay short), at least one compact tile; at 2^24 the table is direct (a slot per key).
 */
export function tableBits(pixels: number): number {
  const min = Math.log2(TABLE_TILE_SLOTS);
  if (pixels >= 2 ** 18) return 24;
  return Math.min(24, Math.max(min, Math.ceil(Math.log2(Math.max(1, 2 * pixels)))));
}

/**
 * Every value a shader may declare as an `override`, by name; COLORS_PER_THREAD depends on the device and comes from
 * its pipelines (`EnginePipelines.colorsPerThread`).
 */
const OVERRIDES: Readonly<Record<string, number>> = {
  WORKGROUP_SIZE,
  PIXELS_PER_THREAD,
  TABLE_QUADS_PER_THREAD,
  KEY_TAG,
  MAX_K,
  FIXED_SHIFT,
  CLUSTER_SUM_WORDS,
  DONE_STRICT: DONE.strict,
  DONE_TOL: DONE.tol,
  DONE_MAX_ITER: DONE.maxIter,
  CBRT_FRACTION_BITS,
  LAB_SHIFT,
  CODE_SHIFT,
  AB_OFFSET,
};

if (PIXELS_PER_THREAD % 4 !== 0) throw new Error('PIXELS_PER_THREAD must be a multiple of 4: kernels read quads.');
if (Object.values(COLORS_PER_THREAD).some((n) => n % 4 !== 0)) throw new Error('COLORS_PER_THREAD must be multiples of 4: kernels read quads.');
if (MAX_K > 256) throw new Error('MAX_K must fit labels in a byte.');

export function kernelSource(name: KernelName): string {
  return SOURCES[name];
}

function declaredOverrides(source: string): string[] {
  return [...source.matchAll(/^\s*override\s+(\w+)\s*:/gm)].map((m) => m[1]!);
}

/**
 * The `constants` of a kernel's pipeline: each `override` it declares, from the shared table or from `variant`
 * (switches such as assign's FINAL_E_STEP). Throws on a declared override that nobody provides.
 */
export function kernelConstants(name: KernelName, variant: Record<string, number> = {}): Record<string, number> {
  const constants: Record<string, number> = {};
  for (const id of declaredOverrides(SOURCES[name])) {
    const value = variant[id] ?? OVERRIDES[id];
    if (value === undefined) throw new Error(`No value to inject for override ${id} of ${name}.wgsl.`);
    constants[id] = value;
  }
  return constants;
}

/** A WGSL struct of 4-byte scalars: each field's index in u32 words, and the size in words. */
export interface StructLayout {
  readonly name: string;
  readonly fields: readonly string[];
  readonly offsets: Readonly<Record<string, number>>;
  readonly words: number;
}

const SCALAR_TYPES = new Set(['u32', 'i32', 'f32', 'atomic<u32>', 'atomic<i32>']);

function parseStructs(source: string, file: string): Map<string, string[]> {
  const structs = new Map<string, string[]>();
  for (const [, name, body] of source.matchAll(/struct\s+(\w+)\s*\{([^}]*)\}/g)) {
    const fields: string[] = [];
    for (const line of body!.replace(/\/\/.*$/gm, '').split(',')) {
      const m = /^\s*(\w+)\s*:\s*([\w<>]+)\s*$/.exec(line);
      if (!m) continue;
      if (!SCALAR_TYPES.has(m[2]!)) throw new Error(`${file}: ${name}.${m[1]} is ${m[2]}; host layouts take 4-byte scalars.`);
      fields.push(m[1]!);
    }
    structs.set(name!, fields);
  }
  return structs;
}

let layouts: Map<string, StructLayout> | undefined;

function allLayouts(): Map<string, StructLayout> {
  if (layouts) return layouts;
  const found = new Map<string, { fields: string[]; file: string }>();
  for (const [kernel, source] of Object.entries(SOURCES)) {
    for (const [name, fields] of parseStructs(source, kernel)) {
      const seen = found.get(name);
      if (seen && seen.fields.join() !== fields.join()) {
        throw new Error(`struct ${name} differs between ${seen.file}.wgsl and ${kernel}.wgsl.`);
      }
      found.set(name, { fields, file: kernel });
    }
  }
  layouts = new Map();
  for (const [name, { fields }] of found) {
    layouts.set(name, { name, fields, offsets: Object.fromEntries(fields.map((f, i) => [f, i])), words: fields.length });
  }
  return layouts;
}

/** The layout of a struct the kernels declare (RunParams, Status, Counters, ColorStats, SegmentParams, ...). */
export function structLayout(name: string): StructLayout {
  const layout = allLayouts().get(name);
  if (!layout) throw new Error(`No kernel declares struct ${name}.`);
  return layout;
}

/** Packs named u32 values into a struct's words (unnamed fields, padding included, are zero). */
export function packStruct(layout: StructLayout, values: Readonly<Record<string, number>>): Uint32Array<ArrayBuffer> {
  const words = new Uint32Array(layout.words);
  for (const [field, value] of Object.entries(values)) {
    const offset = layout.offsets[field];
    if (offset === undefined) throw new Error(`struct ${layout.name} has no field ${field}.`);
    words[offset] = value;
  }
  return words;
}

/** Reads one field of a struct from words starting at `base`. */
export function readField(layout: StructLayout, words: Uint32Array, field: string, base = 0): number {
  const offset = layout.offsets[field];
  if (offset === undefined) throw new Error(`struct ${layout.name} has no field ${field}.`);
  return words[base + offset]!;
}

/**
 * The WebAssembly kernels (wasm/, compiled into module.ts): the hot loops of the CPU path, two float64 lanes at a
 * time, with the bits of their JavaScript versions. Every caller keeps its JavaScript version and uses it where this
 * returns null: no WebAssembly or no SIMD, a Content-Security-Policy without `'wasm-unsafe-eval'`, a main thread that
 * refuses synchronous compiles, or kernels turned off (`setWasmKernels(false)`: tests and benches compare both). Only
 * the speed differs.
 *
 * They run in Node and in Workers (the element's CPU worker does the heavy work), not on a page's main thread unless
 * turned on there (`setWasmKernels(true)`): a page's policy may forbid compiling WebAssembly, and trying would report
 * a violation on a page that never asked for it.
 *
 * Each piece of work takes its own instance (`acquireKernels`: from a pool, else made from the compiled module) and
 * gives it back (`releaseKernels`), so works interleaved on one thread (paced steps) never share memory. An instance's
 * memory is a bump arena: `alloc` everything first, then take views (growing the memory detaches earlier views).
 */
import { KERNELS_WASM_BASE64 } from './module.js';

export interface KernelExports {
  memory: WebAssembly.Memory;
  filterRowPair(top: number, stride: number, values: number, kernel: number, radius: number, out0: number, out1: number): void;
  filterColumns(
    line: number, x0: number, width: number, channels: number, lanes: number, cols: number, count: number,
    kernel: number, radius: number, neighbours: number, out: number,
  ): void;
  zoom(filtered: number, rows: number, wy: number, cols: number, wx: number, width: number, height: number, channels: number, lanes: number, out: number): void;
  byteRange(at: number, values: number, channels: number, lo: number, hi: number): void;
  within(data: number, n: number, channels: number, planes: number, min: number, max: number): number;
  clipAndRound(
    data: number, n: number, channels: number, planes: number, min: number, max: number, alpha: number, float4: number, bytes4: number,
  ): void;
  lowerBoxes(
    x0: number, x1: number, x2: number, norms: number, weights: number, closest: number,
    start: number, lo: number, hi: number, boxMax: number, u: number, count: number,
    trials: number, candidateRows: number, lowered: number, reached: number, reachedCount: number, gains: number,
    fromBox: number, toBox: number,
  ): number;
  drawSorted(closest: number, rowOf: number, m: number, targets: number, n: number, out: number): void;
  pairwiseSumGather(a: number, index: number, start: number, n: number): number;
  applyLowered(into: number, lowered: number, reached: number, n: number, start: number, boxMax: number): void;
  distancesToRow(
    x0: number, x1: number, x2: number, norms: number, u: number, cand: number, closest: number, start: number, count: number, boxMax: number,
  ): void;
  lloydAssign(header: number, fromCoarse: number, budget: number): number;
  lloydInertia(header: number, from: number, to: number): number;
}

const PAGE = 65536;
/** Bytes after every allocation: the kernels run in whole vectors and may read or write a little past a buffer. */
const SLACK = 32;
/** An instance whose memory grew past this is dropped when given back rather than kept (memory never shrinks). */
const KEEP_BYTES = 64 << 20;
/** Idle instances kept for reuse. */
const POOL_SIZE = 8;

/** An instance's memory could not grow to what a work needs: the work runs the JavaScript versions instead. */
export class KernelMemoryError extends Error {
  constructor(bytes: number) {
    super(`The WebAssembly kernels could not have ${bytes} bytes of memory.`);
    this.name = 'KernelMemoryError';
  }
}

/** The most memory an instance may grow to (wasm32's 4 GiB; lowered by tests). */
let memoryLimit = 2 ** 32;

/** Sets the most memory an instance may grow to (tests: what happens where the memory runs out); null restores it. */
export function setKernelMemoryLimit(bytes: number | null): void {
  memoryLimit = bytes ?? 2 ** 32;
}

/**
 * `work(kernels)` with an instance of the kernels, or null where there is none or the work's memory does not fit
 * (`KernelMemoryError`: the instance goes back, and the caller runs the JavaScript versions). For the allocations a
 * work makes before it starts; any other error propagates.
 */
function withKernelMemory<T>(kernels: Kernels | null, work: (kernels: Kernels) => T): T | null {
  if (!kernels) return null;
  try {
    return work(kernels);
  } catch (error) {
    if (!(error instanceof KernelMemoryError)) throw error;
    releaseKernels(kernels);
    return null;
  }
}

/** One instance of the module and its arena. */
export class Kernels {
  private top = 0;

  constructor(readonly exports: KernelExports) {}

  get memory(): ArrayBuffer {
    return this.exports.memory.buffer;
  }

  /**
   * `bytes` of memory, 16-byte aligned, growing the memory if needed; earlier views may be detached after it. Throws
   * KernelMemoryError when the memory cannot grow that far (callers then run the JavaScript versions).
   */
  alloc(bytes: number): number {
    const at = this.top;
    const top = at + Math.ceil((bytes + SLACK) / 16) * 16;
    if (top > memoryLimit) throw new KernelMemoryError(top);
    const have = this.exports.memory.buffer.byteLength;
    if (top > have) {
      try {
        this.exports.memory.grow(Math.ceil((top - have) / PAGE));
      } catch {
        throw new KernelMemoryError(top);
      }
    }
    this.top = top;
    return at;
  }

  f64(at: number, length: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, at, length);
  }

  i32(at: number, length: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, at, length);
  }

  u32(at: number, length: number): Uint32Array {
    return new Uint32Array(this.exports.memory.buffer, at, length);
  }

  u8(at: number, length: number): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, at, length);
  }

  /** Where the next allocation goes: `truncate(mark)` later frees everything allocated after it. */
  get mark(): number {
    return this.top;
  }

  truncate(mark: number): void {
    this.top = mark;
  }

  /** Frees every allocation. */
  reset(): void {
    this.top = 0;
  }
}

/** A page's main thread (a global with a document), where the kernels stay off until turned on. */
const onPage = 'document' in globalThis;
let enabled = !onPage;
let compiled: WebAssembly.Module | null | 'pending' | undefined;
const pool: Kernels[] = [];

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The compiled module, or null where it cannot be compiled here (remembered: it is tried once a thread). A thread that
 * refuses a synchronous compile of this size (some browsers' main threads) compiles it in the background instead: the
 * JavaScript versions run until it is ready.
 */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled === 'pending' ? null : compiled;
  if (typeof WebAssembly !== 'object') return (compiled = null);
  const bytes = decodeBase64(KERNELS_WASM_BASE64);
  try {
    compiled = new WebAssembly.Module(bytes);
  } catch (error) {
    if (error instanceof RangeError && typeof WebAssembly.compile === 'function') {
      compiled = 'pending';
      WebAssembly.compile(bytes).then(
        (module) => (compiled = module),
        () => (compiled = null),
      );
      return null;
    }
    // No SIMD, or a Content-Security-Policy without 'wasm-unsafe-eval': the JavaScript kernels run.
    compiled = null;
  }
  return compiled;
}

/** An instance of the kernels for one piece of work, or null to use the JavaScript versions. */
export function acquireKernels(): Kernels | null {
  if (!enabled) return null;
  const reused = pool.pop();
  if (reused) return reused;
  const module = kernelModule();
  if (!module) return null;
  try {
    const instance = new WebAssembly.Instance(module, {});
    return new Kernels(instance.exports as unknown as KernelExports);
  } catch {
    return null;
  }
}

/** Gives an instance back when its work is done (or abandoned). */
export function releaseKernels(kernels: Kernels | null): void {
  if (!kernels) return;
  kernels.reset();
  if (kernels.memory.byteLength <= KEEP_BYTES && pool.length < POOL_SIZE) pool.push(kernels);
}

/** Data loaded into an instance: the instance, and where the data's memory ends (a work's own memory follows). */
export interface Loaded {
  kernels: Kernels;
  mark: number;
}

/**
 * Data loaded into instances and kept for the next work on the same data (the ten seedings of an image share its
 * rows, its ten runs its grid): at most `size` entries, the oldest going back to the pool, so that a stream of images
 * reuses a few instances instead of making (and collecting) a memory per image. A work checks its entry out while it
 * runs (a work interleaved with it on the same data loads its own) and checks it in when done.
 */
export class KernelCache<K extends object, V> {
  private readonly entries = new Map<K, V & Loaded>();

  constructor(private readonly size = 2) {}

  /** The instance holding `key`'s data: the idle one, else a new one that `load` fills; null without the kernels. */
  checkOut(key: K, load: (kernels: Kernels) => V): (V & Loaded) | null {
    const held = this.entries.get(key);
    if (held) {
      this.entries.delete(key);
      return held;
    }
    return withKernelMemory(acquireKernels(), (kernels) => ({ ...load(kernels), kernels, mark: kernels.mark }));
  }

  /**
   * `allocate()`: a work's own allocations on its checked-out entry. Where they do not fit (`KernelMemoryError`) the
   * entry is checked back in and this returns null: the work runs the JavaScript versions.
   */
  workMemory<T>(key: K, value: V & Loaded, allocate: () => T): T | null {
    try {
      return allocate();
    } catch (error) {
      if (!(error instanceof KernelMemoryError)) throw error;
      this.checkIn(key, value);
      return null;
    }
  }

  /** Frees the work's memory (after the data's) and keeps the entry for the next work on `key`. */
  checkIn(key: K, value: V & Loaded): void {
    value.kernels.truncate(value.mark);
    if (this.entries.has(key)) {
      releaseKernels(value.kernels);
      return;
    }
    this.entries.set(key, value);
    for (const [oldest, old] of this.entries) {
      if (this.entries.size <= this.size) break;
      this.entries.delete(oldest);
      releaseKernels(old.kernels);
    }
  }
}

/** Turns the kernels off (or on again) in this thread: the JavaScript versions run, with the same bits. */
export function setWasmKernels(on: boolean): void {
  enabled = on;
}

/** Whether this thread runs the WebAssembly kernels (compiling them on first call). */
export function wasmKernelsAvailable(): boolean {
  return enabled && kernelModule() !== null;
}

/**
 * Getting a GPUDevice, in a page, a Worker or Node (pass the `webgpu` package's `create([])` as `gpu`), with the
 * distinct errors a caller can act on: no WebGPU at all, no adapter, a lost device, an uncaptured GPU error.
 * Only devices acquired here are destroyed here; a caller's own device is watched, never destroyed.
 */
import { DeviceLostError, GpuError, NoAdapterError, WebGPUUnavailableError, type PaletteError } from '../errors.js';

export interface AcquireDeviceOptions {
  /** The WebGPU entry point. Default: `navigator.gpu`. In Node: `create([])` from the `webgpu` package. */
  gpu?: GPU;
  /** Bytes the largest buffer should hold (see `imageBufferBytes`); larger limits are requested up to the adapter's. */
  requiredBytes?: number;
  powerPreference?: GPUPowerPreference;
  label?: string;
  /** Told of an unexpected device loss or an uncaptured GPU error, as a DeviceLostError or GpuError. */
  onError?: (error: PaletteError) => void;
}

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  description: string;
  /** The adapter says it is a fallback one (`isFallbackAdapter`): software or otherwise limited. */
  fallback: boolean;
  /**
   * A CPU emulating a GPU (`isSoftwareAdapter`): a fallback adapter, or one whose name is a known software renderer.
   * The one test every `auto` policy uses (extractPalette, the element, the command line) to prefer the CPU path.
   */
  software: boolean;
  /** One line for people: "nvidia hopper", "google swiftshader (fallback)". */
  text: string;
}

export interface AcquiredDevice {
  device: GPUDevice;
  adapter: GPUAdapter;
  info: AdapterDescription;
  /** Settles when the device is lost: a `DeviceLostError` (reason 'destroyed' after `release()`). */
  lost: Promise<DeviceLostError>;
  /** Stops watching and destroys the device. */
  release(): void;
}

/** WebGPU's guaranteed defaults: asking for no more than these never needs `requiredLimits`. */
const DEFAULT_MAX_STORAGE_BINDING = 128 * 1024 * 1024;
const DEFAULT_MAX_BUFFER = 256 * 1024 * 1024;

function entryPoint(gpu: GPU | undefined): GPU {
  const found = gpu ?? (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!found) throw new WebGPUUnavailableError();
  return found;
}

/** Software renderers that may not call themselves fallback adapters. */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

/**
 * Whether adapter info (a `GPUAdapterInfo`, or a device's `adapterInfo`) describes a CPU emulating a GPU: the same
 * bits as the CPU engines, many times slower, and cheaper per workgroup when workgroups are few and large.
 */
export function isSoftwareAdapter(info: Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean } | undefined): boolean {
  if (!info) return false;
  return !!info.isFallbackAdapter || SOFTWARE_RENDERERS.test(`${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''}`);
}

/** vendor / architecture / description of an adapter, and whether it is a fallback (software) one. */
export function describeAdapter(adapter: GPUAdapter): AdapterDescription {
  // `info` and `info.isFallbackAdapter` are the current API; older browsers had `isFallbackAdapter` on the adapter.
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  const vendor = info?.vendor ?? '';
  const architecture = info?.architecture ?? '';
  const description = info?.description ?? '';
  const fallback = Boolean(
    (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ??
      (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter,
  );
  const name = [vendor, architecture].filter(Boolean).join(' ') || description || 'unknown adapter';
  const software = fallback || isSoftwareAdapter(info);
  return { vendor, architecture, description, fallback, software, text: fallback ? `${name} (fallback)` : name };
}

/**
 * Limits to request so that one buffer of `requiredBytes` can be bound: raised above WebGPU's defaults only when
 * needed, and never above the adapter's. (A larger image still runs: the engine splits it into segments.)
 */
export function limitsFor(adapter: GPUAdapter, requiredBytes = 0): Record<string, number> {
  const limits: Record<string, number> = {};
  const want = (name: 'maxStorageBufferBindingSize' | 'maxBufferSize', fallback: number) => {
    if (requiredBytes <= fallback) return;
    limits[name] = Math.min(adapter.limits[name], Math.max(fallback, requiredBytes));
  };
  want('maxStorageBufferBindingSize', DEFAULT_MAX_STORAGE_BINDING);
  want('maxBufferSize', DEFAULT_MAX_BUFFER);
  return limits;
}

/**
 * Each acquired device's entry point and adapter, held for as long as the device lives: Dawn in Node tears its
 * instance down when the `GPU` object is collected, even with a device still in use (`create([])` passed inline
 * would otherwise crash the process at the first GPU work after a collection).
 */
const keepAlive = new WeakMap<GPUDevice, [GPU, GPUAdapter]>();

/** Requests an adapter (falling back to `forceFallbackAdapter` where the normal request finds none) and a device. */
export async function acquireDevice(options: AcquireDeviceOptions = {}): Promise<AcquiredDevice> {
  const gpu = entryPoint(options.gpu);
  const request: GPURequestAdapterOptions = options.powerPreference ? { powerPreference: options.powerPreference } : {};
  const adapter =
    (await gpu.requestAdapter(request)) ?? (await gpu.requestAdapter({ ...request, forceFallbackAdapter: true }));
  if (!adapter) throw new NoAdapterError();
  const device = await adapter.requestDevice({
    label: options.label ?? 'palette-extractor',
    requiredLimits: limitsFor(adapter, options.requiredBytes),
  });
  keepAlive.set(device, [gpu, adapter]);
  let released = false;
  const lost = watchDevice(device, options.onError ?? (() => undefined), () => released);
  return {
    device,
    adapter,
    info: describeAdapter(adapter),
    lost,
    release() {
      if (released) return;
      released = true;
      device.destroy();
    },
  };
}

/**
 * Reports a device's loss and its uncaptured errors as PaletteErrors. Returns the loss as a promise; a loss the
 * caller caused on purpose (`expected()` true, or `destroy()`) is still reported there but not through `onError`.
 */
export function watchDevice(
  device: GPUDevice,
  onError: (error: PaletteError) => void,
  expected: () => boolean = () => false,
): Promise<DeviceLostError> {
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error;
    onError(new GpuError(`Uncaptured WebGPU error: ${error.message}`, { cause: error }));
  });
  return device.lost.then((info) => {
    const error = new DeviceLostError(`The GPU device was lost: ${info.message || info.reason}`, info.reason ?? 'unknown');
    if (info.reason !== 'destroyed' && !expected()) onError(error);
    return error;
  });
}

/** Bytes of the largest buffer an image of `pixelCount` pixels needs (its RGBA words). */
export function imageBufferBytes(pixelCount: number): number {
  return 4 * pixelCount;
}

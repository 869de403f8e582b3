/**
 * `extractPalette`: an image's colour palette by k-means, on the GPU where there is one, else on the CPU.
 *
 * Backends: `'gpu'` (WGSL, exact arithmetic), `'cpu'` (exact arithmetic by default, or scikit-learn's float64 with
 * `arithmetic: 'float64'`), `'auto'` (the GPU, falling back to the CPU's exact engine when WebGPU or an adapter is
 * missing, or is a software (fallback) adapter: the two give the same bits, so the fallback changes the speed, not the
 * palette).
 * `arithmetic: 'float64'` exists only on the CPU: with `'auto'` it runs there, with `'gpu'` it is an error.
 * With `'auto'`, a GPU device lost (or failing) mid-run is retried once on a freshly acquired device, then on the
 * CPU; the result's `notice` says what happened.
 */
import { adapterName, decideBackend } from './backend-policy.js';
import { DEFAULTS, MAX_COORD } from './constants.js';
import { oklabToSrgb8, rgbToHex, srgb8ToOklab, unitToByte, type Rgb8 } from './color.js';
import {
  DeviceLostError,
  GpuError,
  InvalidInputError,
  InvalidOptionError,
  NoAdapterError,
  NoOpaquePixelsError,
  WebGPUUnavailableError,
  throwIfAborted,
  type PaletteError,
} from './errors.js';
import { cpuPixelKMeans } from './exact/cpu.js';
import { resolveFixedColors, withFixedColors } from './exact/fixed-colors.js';
import { exactRunPlan } from './exact/plan.js';
import { checkPixelKMeansOptions, prepareExactRunSteps, resolvePixelOptions, validateImage } from './exact/prepare.js';
import { extractPointsSteps, floatCentersToFixed } from './exact/points.js';
import { acquireDevice, describeAdapter, imageBufferBytes } from './gpu/device.js';
import { GpuKMeans } from './gpu/gpu-kmeans.js';
import { validateDevice } from './validate.js';
import { kmeansSteps } from './sklearn/kmeans.js';
import { chunkFor, chunks, runPaced, type Steps } from './pace.js';
import type {
  ExtractPaletteOptions,
  PaletteColor,
  PaletteResult,
  PixelImage,
  PixelKMeansOptions,
  PixelKMeansResult,
} from './types.js';

const CPU_EXACT = 'CPU (exact integer arithmetic)';
const CPU_FLOAT64 = "CPU (float64, scikit-learn 1.2's algorithm)";

/**
 * The palette entries: one per non-empty cluster, largest share first, ties in cluster order. Clusters whose centres
 * round to the same 8-bit colour become one entry with their pixels added up (it happens when k exceeds the colours an
 * image has, and occasionally for two centres less than one 8-bit step apart), so a palette never shows a swatch twice.
 * The first `fixedCount` clusters are locked colours: they are marked `locked` and kept even when empty (a colour the
 * user locked stays in the palette, at 0 %).
 */
export function paletteColors(
  rgb: readonly Rgb8[], counts: readonly number[], pixelsUsed: number, fixedCount = 0,
): PaletteColor[] {
  const byHex = new Map<string, PaletteColor>();
  for (let j = 0; j < rgb.length; j++) {
    const count = counts[j]!;
    const locked = j < fixedCount;
    if (count === 0 && !locked) continue;
    const hex = rgbToHex(rgb[j]!);
    const entry = byHex.get(hex);
    if (entry) {
      entry.count += count;
      if (locked) entry.locked = true;
    } else byHex.set(hex, { hex, rgb: [...rgb[j]!], count, fraction: 0, ...(locked ? { locked } : {}) });
  }
  // Map order is cluster order and Array.prototype.sort is stable: equal counts keep the lower cluster first.
  const colors = [...byHex.values()].sort((a, b) => b.count - a.count);
  for (const c of colors) c.fraction = c.count / pixelsUsed;
  return colors;
}

/** A pixel engine's result as `extractPalette` reports it (the element and its worker use it too). */
export function toPaletteResult(result: PixelKMeansResult, backend: 'gpu' | 'cpu', adapter: string): PaletteResult {
  return {
    colors: paletteColors(result.rgb, result.counts, result.pixelsUsed, result.fixedCount ?? 0),
    centers: result.centers,
    labels: result.labels,
    inertia: result.inertia,
    iterations: result.iterations,
    converged: result.converged,
    backend,
    adapter,
    pixelsUsed: result.pixelsUsed,
    colorSpace: result.colorSpace,
    arithmetic: result.arithmetic,
  };
}

/** An image's float values (`PixelImage.float`), checked: 4 finite values per pixel. */
function checkedFloat(image: PixelImage): Float64Array {
  const float = image.float!;
  if (float.length !== 4 * image.width * image.height) {
    throw new InvalidInputError(
      `float must hold 4 values per pixel (${4 * image.width * image.height}), got ${float.length}.`,
    );
  }
  for (let i = 0; i < float.length; i++) {
    if (!Number.isFinite(float[i]!)) throw new InvalidInputError(`float[${i}] is not a finite number.`);
  }
  return float;
}

/**
 * scikit-learn's float64 k-means on the pixels, as the notebook runs it: `X = rgb / 255` (or the float values of a
 * resized image, `image.float`: the notebook clusters `resize`'s float output), or float OKLab. Seeds,
 * labels, centres and iteration count are scikit-learn's own (see `kmeans`).
 */
function cpuFloat64PixelKMeans(image: PixelImage, options: PixelKMeansOptions): Promise<PixelKMeansResult> {
  return runPaced(cpuFloat64Steps(image, options), options.signal);
}

/** `cpuFloat64PixelKMeans` as steps (`pace.ts`), so that an abort lands mid-run. */
function* cpuFloat64Steps(image: PixelImage, options: PixelKMeansOptions): Steps<PixelKMeansResult> {
  validateImage(image);
  const { colorSpace, alphaThreshold } = resolvePixelOptions(options);
  checkPixelKMeansOptions(options);
  // RGB bytes: float OKLab is computed from them, not from the integer OKLab code.
  const { points, pixelIndex, n } = yield* extractPointsSteps(image, alphaThreshold);
  if (n === 0) throw new NoOpaquePixelsError();
  const x = new Float64Array(3 * n);
  if (colorSpace === 'oklab') {
    yield* chunks(n, chunkFor(100), (from, to) => {
      for (let i = from; i < to; i++) x.set(srgb8ToOklab(points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!), 3 * i);
    });
  } else if (image.float) {
    const float = checkedFloat(image);
    yield* chunks(n, chunkFor(4), (from, to) => {
      for (let i = from; i < to; i++) {
        const p = 4 * (pixelIndex ? pixelIndex[i]! : i);
        x[3 * i] = float[p]!;
        x[3 * i + 1] = float[p + 1]!;
        x[3 * i + 2] = float[p + 2]!;
      }
    });
  } else {
    yield* chunks(3 * n, chunkFor(1), (from, to) => {
      for (let i = from; i < to; i++) x[i] = points[i]! / 255;
    });
  }
  const { k = DEFAULTS.k, seed, nInit, maxIter, tol, signal, onProgress } = options;
  // The locked colours in the units of x: what a pixel of that colour would be there.
  const locked = resolveFixedColors(options.fixed, k);
  const fixed = locked.map(([r, g, b]) => (colorSpace === 'oklab' ? srgb8ToOklab(r, g, b) : [r / 255, g / 255, b / 255]));
  onProgress?.({ phase: 'iterate', fraction: 0 });
  const fit = yield* kmeansSteps(x, { k, seed, nInit, maxIter, tol, signal, ...(fixed.length > 0 ? { fixed } : {}) });
  onProgress?.({ phase: 'iterate', fraction: 1 });
  const labels = new Int32Array(image.width * image.height).fill(-1);
  const counts = new Array<number>(fit.centers.length).fill(0);
  yield* chunks(n, chunkFor(2), (from, to) => {
    for (let i = from; i < to; i++) {
      const j = fit.labels[i]!;
      labels[pixelIndex ? pixelIndex[i]! : i] = j;
      counts[j]!++;
    }
  });
  const rgb = fit.centers.map(([c0, c1, c2]): Rgb8 =>
    colorSpace === 'oklab' ? oklabToSrgb8(c0!, c1!, c2!) : [unitToByte(c0!), unitToByte(c1!), unitToByte(c2!)],
  );
  return withFixedColors({
    centers: fit.centers,
    centersFixed: floatCentersToFixed(fit.centers, colorSpace),
    rgb,
    counts,
    labels,
    inertia: fit.inertia,
    // Rounded, not exact: float64 results carry it only so that every result has the same shape.
    inertiaFixed: BigInt(Math.round(fit.inertia * MAX_COORD * MAX_COORD)),
    iterations: fit.iterations,
    converged: fit.converged,
    pixelsUsed: n,
    colorSpace,
    arithmetic: 'float64',
  }, locked);
}

/** One line naming the adapter behind a device the caller passed in (`adapterInfo` where the browser has it). */
function describeDevice(device: GPUDevice): string {
  const info = (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return info ? describeAdapter({ info } as unknown as GPUAdapter).text : 'GPU (device provided by the caller)';
}

/**
 * The image with its pixels in an ArrayBuffer: WebGPU's `writeBuffer` takes no view of a SharedArrayBuffer, so such
 * pixels are copied once before the upload.
 */
function unshared(image: PixelImage): PixelImage {
  if (typeof SharedArrayBuffer === 'undefined' || !(image.data.buffer instanceof SharedArrayBuffer)) return image;
  return { ...image, data: new Uint8ClampedArray(image.data) };
}

/**
 * The GPU engine on the caller's device, or on one acquired for this call and released after it. With
 * `hardwareOnly` (the `'auto'` policy, `decideBackend`), an acquired software adapter (SwiftShader, WARP) counts as no
 * adapter: the CPU gives the same bits many times sooner. A device the caller passes is always used.
 */
async function gpuPalette(shared: PixelImage, options: ExtractPaletteOptions, hardwareOnly = false): Promise<PaletteResult> {
  const image = unshared(shared);
  const acquired = options.device
    ? null
    : await acquireDevice({ requiredBytes: imageBufferBytes(image.width * image.height) });
  const decision = acquired && decideBackend(hardwareOnly ? 'auto' : 'gpu', { software: acquired.info.software, name: acquired.info.text });
  if (decision?.kind === 'cpu') {
    acquired!.release();
    throw new NoAdapterError(
      `The only GPU adapter here is a software one (${adapterName(acquired!.info.text)}), slower than the CPU for the same result.`,
    );
  }
  const device = options.device ?? acquired!.device;
  let engine: GpuKMeans | null = null;
  try {
    // The run's CPU part (validation, tolerance, seedings) done here, paced, so that it neither holds the page's
    // thread nor ignores an abort; the engine takes it as `prepared`.
    const prepared = exactRunPlan(await runPaced(prepareExactRunSteps(image, options), options.signal));
    engine = new GpuKMeans(device);
    const result = await engine.run(image, { ...options, prepared });
    return toPaletteResult(result, 'gpu', acquired ? acquired.info.text : describeDevice(device));
  } finally {
    engine?.destroy();
    acquired?.release();
  }
}

/**
 * Finds the palette of an RGBA image (an `ImageData` or `{ data, width, height }`).
 *
 * Rejects with the typed errors of `errors.ts`: InvalidOptionError / InvalidInputError for bad options or pixels,
 * NoOpaquePixelsError when no pixel reaches `alphaThreshold`, WebGPUUnavailableError / NoAdapterError for
 * `backend: 'gpu'` without a GPU, AbortError when `signal` fires.
 */
export async function extractPalette(image: PixelImage, options: ExtractPaletteOptions = {}): Promise<PaletteResult> {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError(`options must be an object (or left out), got ${options === null ? 'null' : typeof options}.`);
  }
  throwIfAborted(options.signal);
  // Checked before any backend is chosen, so that every backend refuses the same input the same way.
  validateImage(image);
  validateDevice(options.device);
  const backend = options.backend ?? 'auto';
  const arithmetic = options.arithmetic ?? 'exact';
  if (backend !== 'auto' && backend !== 'gpu' && backend !== 'cpu') {
    throw new InvalidOptionError(`backend must be 'auto', 'gpu' or 'cpu', got ${JSON.stringify(backend)}.`);
  }
  if (arithmetic !== 'exact' && arithmetic !== 'float64') {
    throw new InvalidOptionError(`arithmetic must be 'exact' or 'float64', got ${JSON.stringify(arithmetic)}.`);
  }
  if (arithmetic === 'float64') {
    if (backend === 'gpu') {
      throw new InvalidOptionError(
        "The GPU computes in exact arithmetic only: use arithmetic 'exact', or backend 'cpu' for 'float64'.",
      );
    }
    // float64 is a CPU arithmetic: 'auto' with it means the CPU.
    return toPaletteResult(await cpuFloat64PixelKMeans(image, options), 'cpu', CPU_FLOAT64);
  }
  if (backend === 'cpu') return toPaletteResult(await cpuPixelKMeans(image, options), 'cpu', CPU_EXACT);
  if (backend === 'gpu') return gpuPalette(image, options);
  return autoPalette(image, options);
}

const gpuMissing = (error: unknown): boolean => error instanceof WebGPUUnavailableError || error instanceof NoAdapterError;
/** A GPU that was there and failed: worth one more try on a new device (a lost device never comes back). */
const gpuFailed = (error: unknown): boolean => error instanceof DeviceLostError || error instanceof GpuError;

/**
 * `'auto'`: a hardware GPU; where WebGPU or a hardware adapter is missing (a software one counts as missing), the CPU; where the device is lost or fails mid-run, once
 * more on a freshly acquired device, then the CPU. Both engines give the same bits, so a fallback changes the speed
 * and the `notice`, never the palette. Bad input or options are refused as they are, not retried.
 */
async function autoPalette(image: PixelImage, options: ExtractPaletteOptions): Promise<PaletteResult> {
  const onCpu = async (notice: string): Promise<PaletteResult> => ({
    ...toPaletteResult(await cpuPixelKMeans(image, options), 'cpu', CPU_EXACT),
    notice,
  });
  let lost: PaletteError;
  try {
    return await gpuPalette(image, options, true);
  } catch (error) {
    if (gpuMissing(error)) return onCpu(`${(error as PaletteError).message} The palette was computed on the CPU.`);
    if (!gpuFailed(error)) throw error;
    lost = error as PaletteError;
  }
  throwIfAborted(options.signal);
  const { device: _failed, ...fresh } = options;
  try {
    const result = await gpuPalette(image, fresh, true);
    return { ...result, notice: `${lost.message} The palette was computed again on a new GPU device.` };
  } catch (error) {
    if (!gpuMissing(error) && !gpuFailed(error)) throw error;
    throwIfAborted(options.signal);
    const why = gpuMissing(error) ? (error as PaletteError).message : 'No new GPU device could finish the run.';
    return onCpu(`${lost.message} ${why} The palette was computed on the CPU.`);
  }
}

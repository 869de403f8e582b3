/**
 * The element's two backends behind core's one interface (`PaletteBackend`, src/core/backend.ts), and the one policy
 * that picks between them.
 *
 * A backend takes the sample (and, to recolour, the full-size image) and gives the palette and the recoloured
 * original: `CpuBackend` runs in the page's CPU workers, `GpuBackend` on the page's WebGPU device, with its run
 * prepared by the CPU worker (the seedings and tolerance, on the points it keeps) so that this thread only drives the
 * GPU. Both give the same bits (docs/ARITHMETIC.md).
 *
 * The policy (`chooseBackend`) is core's `decideBackend`, which `extractPalette` and the command line follow too: `cpu`
 * is the CPU; `gpu` is the GPU where there is one; `auto` is a hardware GPU, never a software (fallback) adapter, which
 * gives the same bits many times slower; an image the device cannot hold goes to the CPU. Each fallback says why
 * (`notice`). A GPU that fails mid-run
 * (lost or erroring) hands the run to the CPU (`ExtractionPipeline`).
 */
import type {
  BackendRequest as CoreBackendRequest,
  BackendRun as CoreBackendRun,
  EngineOptions,
  PaletteBackend as CorePaletteBackend,
} from '../core/backend.js';
import { adapterName, decideBackend } from '../core/backend-policy.js';
import type { ExactRunPlan } from '../core/exact/plan.js';
import { PaletteError } from '../core/errors.js';
import type { CpuImage, CpuWorkerClient as CpuClient } from '../worker/cpu-client.js';
import type { GpuSession } from './gpu-backend.js';
import type { ResolvedOptions } from './options.js';

/** The element's requests: the sample as the CPU worker names it, the original as `ImageData`. */
export type BackendRequest = CoreBackendRequest<CpuImage, ImageData>;
/** The element's runs: the recoloured original as a canvas. */
export type BackendRun = CoreBackendRun<HTMLCanvasElement>;
export type PaletteBackend = CorePaletteBackend<CpuImage, HTMLCanvasElement, ImageData>;

/** Whether `error` says the CPU worker could not run (it failed to start or to load): the page then does the work. */
export function workerFailed(error: unknown): boolean {
  return error instanceof PaletteError && error.code === 'worker-failed';
}

function canvasFor(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}


export class CpuBackend implements PaletteBackend {
  readonly kind = 'cpu';
  readonly #cpu: () => CpuClient;

  constructor(cpu: () => CpuClient) {
    this.#cpu = cpu;
  }

  async run({ image, options, recolor, signal, onProgress }: BackendRequest): Promise<BackendRun> {
    // The worker reads the original through `image.original()`: make sure it is there first.
    if (recolor) await recolor();
    const run = await this.#cpu().run({ ...image, recolor: !!recolor, options }, signal, onProgress);
    let recolored: HTMLCanvasElement | undefined;
    const t = performance.now();
    if (run.recolored) {
      // The worker drew the picture; handing its bitmap to the canvas copies nothing on this thread.
      const bitmap = run.recolored;
      recolored = canvasFor(bitmap.width, bitmap.height);
      if (signal.aborted) bitmap.close();
      else recolored.getContext('bitmaprenderer')!.transferFromImageBitmap(bitmap);
    }
    return { result: run.result, clusterMs: run.clusterMs, recolorMs: run.recolorMs + (performance.now() - t), ...(recolored ? { recolored } : {}) };
  }
}

export class GpuBackend implements PaletteBackend {
  readonly kind = 'gpu';
  readonly session: GpuSession;
  readonly #cpu: () => CpuClient;

  constructor(session: GpuSession, cpu: () => CpuClient) {
    this.session = session;
    this.#cpu = cpu;
  }

  async run({ image, whole, options, recolor, labels, signal, onProgress }: BackendRequest): Promise<BackendRun> {
    const t = performance.now();
    const prepared = await this.#plan(image, options, signal);
    const result = await this.session.cluster(image.sample, {
      ...options,
      ...prepared,
      labels,
      signal,
      ...(onProgress ? { onProgress } : {}),
    });
    const clusterMs = performance.now() - t;
    if (!recolor || signal.aborted) return { result, clusterMs, recolorMs: 0 };
    const t2 = performance.now();
    onProgress?.({ phase: 'recolor', fraction: 0 });
    const original = whole ? image.sample : await recolor();
    const recolored = canvasFor(original.width, original.height);
    await this.session.recolor(original, recolored);
    return { result, recolored, clusterMs, recolorMs: performance.now() - t2 };
  }

  /**
   * The run's preparation, made in the CPU worker (it keeps the sample's points: a new k does not extract them
   * again), as `{ prepared }`; `{}` where the worker cannot start, and the engine then prepares on this thread.
   */
  async #plan(image: CpuImage, options: EngineOptions, signal: AbortSignal): Promise<{ prepared?: ExactRunPlan }> {
    try {
      return { prepared: await this.#cpu().plan(image, options, signal) };
    } catch (error) {
      if (workerFailed(error)) return {};
      throw error;
    }
  }
}

/** The policy (`decideBackend`, core's, the one `extractPalette` follows): which backend runs, and why not the one asked for (`notice`). */
export function chooseBackend(
  asked: ResolvedOptions['backend'],
  gpu: GpuSession | null,
  width: number,
  height: number,
): { kind: 'gpu' | 'cpu'; notice?: string } {
  const decision = decideBackend(asked, gpu && { software: gpu.software, name: gpu.adapterName, fits: gpu.canHold(width, height) });
  if (decision.kind === 'gpu') return decision;
  switch (decision.reason) {
    case 'asked':
      return { kind: 'cpu' };
    case 'no-gpu':
      return { kind: 'cpu', notice: 'WebGPU is not available in this browser, so the palette was computed on the CPU (same result).' };
    case 'software':
      // A software adapter (SwiftShader, WARP) gives the same bits as the CPU workers, many times slower.
      return {
        kind: 'cpu',
        notice: `The only GPU here is a software one (${adapterName(gpu!.adapterName)}), so the palette was computed on the CPU: the same result, sooner.`,
      };
    case 'too-large':
      return { kind: 'cpu', notice: `This ${width}×${height} image is larger than the GPU can hold, so the palette was computed on the CPU (same result).` };
  }
}

/** Why the GPU failed, in words for people (the driver's own message goes to the console, not the page). */
export function gpuFailure(error: PaletteError): string {
  return error.code === 'gpu-lost' ? 'the GPU device was lost' : 'the GPU reported an error';
}

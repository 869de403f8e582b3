/**
 * The GPU side of the element. One device is shared by every element on the page (acquired on first use, forgotten
 * when lost so the next run asks again); each element has its own engines on it:
 * - the sample engine clusters the downscaled sample, which stays uploaded while only k, seed or options change;
 * - the full engine holds the original image, labels it against the sample's centres and draws the recoloured image
 *   straight into a WebGPU canvas, so the full-size picture never passes through JavaScript.
 */
import { GpuError, NoAdapterError, WebGPUUnavailableError } from '../core/errors.js';
import { DEFAULTS } from '../core/constants.js';
import { acquireDevice, imageBufferBytes, type AcquiredDevice } from '../core/gpu/device.js';
import { MAX_CANVAS_SIDE } from '../image/canvas-limits.js';
import { GpuKMeans, type GpuRunOptions } from '../core/gpu/gpu-kmeans.js';
import { toPaletteResult } from '../core/palette.js';
import type { PaletteResult, PixelKMeansResult } from '../core/types.js';

let shared: Promise<AcquiredDevice | null> | undefined;

/** Pixels per stripe when a read-back recolour is put in a 2D canvas, between yields to the event loop. */
const STRIPE_PIXELS = 1 << 20;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The page's device, or null where WebGPU or an adapter is missing (remembered: no retry on every run). */
function sharedDevice(): Promise<AcquiredDevice | null> {
  if (!shared) {
    const attempt: Promise<AcquiredDevice | null> = acquireDevice({ label: 'palette-extractor (shared)' }).then(
      (acquired) => {
        void acquired.lost.then(() => {
          if (shared === attempt) shared = undefined;
        });
        return acquired;
      },
      (error: unknown) => {
        if (error instanceof WebGPUUnavailableError || error instanceof NoAdapterError) return null;
        // Anything else (a failed requestDevice) may pass: try again next time.
        shared = undefined;
        return null;
      },
    );
    shared = attempt;
  }
  return shared;
}

/** Engine options; `prepared` carries a run prepared in the CPU worker. */
export type GpuClusterOptions = GpuRunOptions & { k: number };

export class GpuSession {
  readonly #acquired: AcquiredDevice;
  readonly #sampleEngine: GpuKMeans;
  readonly #fullEngine: GpuKMeans;
  #fullSource: ImageData | undefined;
  #last: { sample: ImageData; result: PixelKMeansResult } | undefined;
  #lost = false;

  private constructor(acquired: AcquiredDevice) {
    this.#acquired = acquired;
    this.#sampleEngine = new GpuKMeans(acquired.device);
    this.#fullEngine = new GpuKMeans(acquired.device);
    void acquired.lost.then(() => (this.#lost = true));
  }

  /** A session on the shared device, or null where there is no GPU. */
  static async open(): Promise<GpuSession | null> {
    const acquired = await sharedDevice();
    return acquired ? new GpuSession(acquired) : null;
  }

  /** False once the device is lost: open a new session. */
  get usable(): boolean {
    return !this.#lost;
  }

  get adapter(): string {
    return `WebGPU · ${this.#acquired.info.text}`;
  }

  /** The adapter in words ("google swiftshader (fallback)"). */
  get adapterName(): string {
    return this.#acquired.info.text;
  }

  /** A software (fallback) adapter such as SwiftShader: `auto` prefers the CPU workers to it. */
  get fallback(): boolean {
    return this.#acquired.info.fallback;
  }

  /**
   * Whether an image of `width × height` fits this device, decided before anything is uploaded: its pixels in one
   * buffer, and its recoloured picture in a canvas (no side past `MAX_CANVAS_SIDE`).
   */
  canHold(width: number, height: number): boolean {
    const { limits } = this.#acquired.device;
    return (
      imageBufferBytes(width * height) <= limits.maxBufferSize && Math.max(width, height) <= MAX_CANVAS_SIDE
    );
  }

  async cluster(sample: ImageData, options: GpuClusterOptions): Promise<PaletteResult> {
    const result = await this.#sampleEngine.run(sample, { alphaThreshold: DEFAULTS.alphaThreshold, ...options });
    this.#last = { sample, result };
    return toPaletteResult(result, 'gpu', this.adapter);
  }

  /**
   * Draws `original` recoloured with the last `cluster()` result into `canvas` (sized like `original`), on the GPU.
   * Resolves when the GPU has finished.
   */
  async recolor(original: ImageData, canvas: HTMLCanvasElement): Promise<void> {
    const last = this.#last;
    if (!last) throw new GpuError('recolor() was called before cluster().');
    let engine = this.#sampleEngine;
    const sameImage =
      last.sample === original ||
      (last.sample.width === original.width && last.sample.height === original.height);
    if (!sameImage) {
      engine = this.#fullEngine;
      if (this.#fullSource !== original) {
        engine.setImage(original);
        this.#fullSource = original;
      }
      await engine.applyResult(last.result, DEFAULTS.alphaThreshold);
    }
    // A WebGPU canvas is one texture: past the device's largest texture side it cannot show the full-size image, so
    // such an image is read back once into a 2D canvas (which takes up to 32767 a side), like a software adapter's.
    const maxSide = this.#acquired.device.limits.maxTextureDimension2D;
    const fitsTexture = original.width <= maxSide && original.height <= maxSide;
    if (this.#acquired.info.fallback || !fitsTexture) await this.#drawByReadback(engine, original, canvas);
    else await this.#drawToWebGpuCanvas(engine, original, canvas);
  }

  /**
   * The picture stays on the GPU: the engine writes a storage texture, one texture-to-texture copy puts it in the
   * canvas (a canvas texture is only guaranteed to be a copy destination, not a storage binding).
   */
  async #drawToWebGpuCanvas(engine: GpuKMeans, original: ImageData, canvas: HTMLCanvasElement): Promise<void> {
    const { device } = this.#acquired;
    const context = canvas.getContext('webgpu');
    if (!context) throw new GpuError('This browser has WebGPU but no WebGPU canvas context.');
    context.configure({
      device,
      format: 'rgba8unorm',
      usage: GPUTextureUsage.COPY_DST | GPUTextureUsage.RENDER_ATTACHMENT,
      alphaMode: 'premultiplied',
    });
    const size = { width: original.width, height: original.height };
    const texture = device.createTexture({
      label: 'palette-extractor recoloured image',
      size,
      format: 'rgba8unorm',
      usage: GPUTextureUsage.STORAGE_BINDING | GPUTextureUsage.COPY_SRC,
    });
    try {
      await engine.recolor(texture);
      const encoder = device.createCommandEncoder({ label: 'palette-extractor recolour to canvas' });
      encoder.copyTextureToTexture({ texture }, { texture: context.getCurrentTexture() }, size);
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    } finally {
      texture.destroy();
    }
  }

  /**
   * For software (fallback) adapters such as SwiftShader: headless Chromium cannot present a WebGPU canvas from
   * them (the first frame drops the whole WebGPU instance), and there is no GPU memory to spare anyway. The GPU still
   * recolours; the pixels are read back once and put in a 2D canvas.
   */
  async #drawByReadback(engine: GpuKMeans, original: ImageData, canvas: HTMLCanvasElement): Promise<void> {
    const { device } = this.#acquired;
    const bytes = 4 * original.width * original.height;
    const output = device.createBuffer({
      label: 'palette-extractor recoloured pixels',
      size: bytes,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
    const staging = device.createBuffer({
      label: 'palette-extractor recoloured pixels readback',
      size: bytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    try {
      await engine.recolor(output);
      const encoder = device.createCommandEncoder({ label: 'palette-extractor recolour readback' });
      encoder.copyBufferToBuffer(output, 0, staging, 0, bytes);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new GpuError('Could not draw the recoloured image: no 2D canvas context.');
      // In horizontal stripes, yielding between them: one putImageData of 24 MP holds the page's thread ~0.15 s.
      const { width, height } = original;
      const mapped = staging.getMappedRange();
      const rows = Math.max(1, Math.floor(STRIPE_PIXELS / width));
      for (let y = 0; y < height; y += rows) {
        if (y > 0) await yieldToEventLoop();
        const h = Math.min(rows, height - y);
        // Copied out of the mapping (a destroyed buffer's mapping is detached: this throws rather than draw nothing).
        const stripe = new Uint8ClampedArray(mapped, 4 * width * y, 4 * width * h).slice();
        ctx.putImageData(new ImageData(stripe, width, h), 0, y);
      }
      staging.unmap();
    } finally {
      output.destroy();
      staging.destroy();
    }
  }

  /** Frees this element's GPU buffers; the shared device stays for the others. */
  destroy(): void {
    this.#sampleEngine.destroy();
    this.#fullEngine.destroy();
    this.#fullSource = undefined;
    this.#last = undefined;
  }
}

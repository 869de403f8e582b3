/**
 * The GPU side of the element. One device is shared by every element on the page (acquired on first use, forgotten
 * when lost so the next run asks again); each element has its own engines on it:
 * - the sample engine (`GpuKMeans`) clusters the downscaled sample, which stays uploaded while only k, seed or options
 *   change;
 * - the recolour (`GpuRecolor`) holds the original image and its distinct colours, labels those against the sample's
 *   centres (U·k work, no per-pixel pass) and draws the recoloured image (pixel → colour → label → palette) straight
 *   into a WebGPU canvas, so the full-size picture never passes through JavaScript.
 */
import { GpuError, NoAdapterError, WebGPUUnavailableError } from '../core/errors.js';
import { yieldToEventLoop } from '../core/pace.js';
import { acquireDevice, imageBufferBytes, type AcquiredDevice } from '../core/gpu/device.js';
import { MAX_CANVAS_SIDE } from '../image/canvas-limits.js';
import { GpuKMeans, type GpuRunOptions } from '../core/gpu/gpu-kmeans.js';
import type { GpuImageEngine } from '../core/gpu/image-engine.js';
import { GpuRecolor } from '../core/gpu/recolor.js';
import { readRecolored } from '../core/gpu/recolor-readback.js';
import { toPaletteResult } from '../core/palette.js';
import type { PaletteResult, PixelKMeansResult } from '../core/types.js';

let shared: Promise<AcquiredDevice | null> | undefined;

/** Pixels per stripe when a read-back recolour is put in a 2D canvas, between yields to the event loop. */
const STRIPE_PIXELS = 1 << 20;

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

/**
 * Engine options; `prepared` carries a run prepared in the CPU worker. `labels: false` leaves the per-pixel labels on
 * the device (the palette and the recolour do not need them; `compare` does): the result's `labels` is then empty.
 */
/** The run's options as the element resolved them (`engineOptions`): k and the alpha threshold always given. */
export type GpuClusterOptions = GpuRunOptions & { k: number; alphaThreshold: number };

export class GpuSession {
  readonly #acquired: AcquiredDevice;
  readonly #sampleEngine: GpuKMeans;
  readonly #full: GpuRecolor;
  #fullSource: ImageData | undefined;
  #last: { sample: ImageData; result: PixelKMeansResult; alphaThreshold: number } | undefined;
  #lost = false;

  private constructor(acquired: AcquiredDevice) {
    this.#acquired = acquired;
    this.#sampleEngine = new GpuKMeans(acquired.device);
    this.#full = new GpuRecolor(acquired.device);
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

  /** A software adapter such as SwiftShader (`isSoftwareAdapter`): `auto` prefers the CPU workers to it. */
  get software(): boolean {
    return this.#acquired.info.software;
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
    const result = await this.#sampleEngine.run(sample, options);
    this.#last = { sample, result, alphaThreshold: options.alphaThreshold };
    return toPaletteResult(result, 'gpu', this.adapter);
  }

  /**
   * Draws `original` recoloured with the last `cluster()` result into `canvas` (sized like `original`), on the GPU.
   * Resolves when the GPU has finished.
   */
  async recolor(original: ImageData, canvas: HTMLCanvasElement): Promise<void> {
    const last = this.#last;
    if (!last) throw new GpuError('recolor() was called before cluster().');
    let engine: GpuImageEngine = this.#sampleEngine;
    const sameImage =
      last.sample === original ||
      (last.sample.width === original.width && last.sample.height === original.height);
    if (!sameImage) {
      if (this.#fullSource !== original) {
        this.#full.setImage(original);
        this.#fullSource = original;
      }
      await this.#full.apply(last.result, last.alphaThreshold);
      engine = this.#full;
    }
    // A WebGPU canvas is one texture: past the device's largest texture side it cannot show the full-size image, so
    // such an image is read back once into a 2D canvas (which takes up to 32767 a side), like a software adapter's.
    const maxSide = this.#acquired.device.limits.maxTextureDimension2D;
    const fitsTexture = original.width <= maxSide && original.height <= maxSide;
    if (this.#acquired.info.software || !fitsTexture) await this.#drawByReadback(engine, original, canvas);
    else await this.#drawToWebGpuCanvas(engine, original, canvas);
  }

  /**
   * The picture stays on the GPU: the engine writes a storage texture, one texture-to-texture copy puts it in the
   * canvas (a canvas texture is only guaranteed to be a copy destination, not a storage binding).
   */
  async #drawToWebGpuCanvas(engine: GpuImageEngine, original: ImageData, canvas: HTMLCanvasElement): Promise<void> {
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
   * them (the first frame drops the whole WebGPU instance), and there is no GPU memory to spare anyway; and for images
   * past the device's largest texture. The GPU still recolours; the pixels are read back one storage segment at a
   * time (no buffer larger than a binding) and put in a 2D canvas in stripes, yielding between them.
   */
  async #drawByReadback(engine: GpuImageEngine, original: ImageData, canvas: HTMLCanvasElement): Promise<void> {
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new GpuError('Could not draw the recoloured image: no 2D canvas context.');
    const { width } = original;
    await readRecolored(engine, async ({ firstPixel, pixels }) => {
      // A segment starts and ends anywhere in a row: a partial first row, whole rows in stripes, a partial last row.
      const end = firstPixel + pixels.length / 4;
      let p = firstPixel;
      while (p < end) {
        const x = p % width;
        const y = Math.floor(p / width);
        const rows = x > 0 || end - p < width ? 1 : Math.max(1, Math.min(Math.floor(STRIPE_PIXELS / width), Math.floor((end - p) / width)));
        const w = rows === 1 ? Math.min(width - x, end - p) : width;
        const start = 4 * (p - firstPixel);
        ctx.putImageData(new ImageData(pixels.slice(start, start + 4 * w * rows), w, rows), x, y);
        p += w * rows;
        // One putImageData of 24 MP holds the page's thread ~0.15 s: yield between stripes.
        if (p < end) await yieldToEventLoop();
      }
    });
  }

  /** Frees this element's GPU buffers; the shared device stays for the others. */
  destroy(): void {
    this.#sampleEngine.destroy();
    this.#full.destroy();
    this.#fullSource = undefined;
    this.#last = undefined;
  }
}

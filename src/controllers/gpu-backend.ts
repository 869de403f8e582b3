/**
 * The GPU side of the element: one device shared by every element on the page, k-means with the exact engine, and
 * the recoloured image drawn by the GPU into a WebGPU canvas.
 */
import type { PaletteResult, PixelKMeansOptions } from '../core/types.js';
import type { DecodedImage } from '../image/load.js';

export interface GpuClusterOptions extends PixelKMeansOptions {
  k: number;
}

export interface GpuBackend {
  /** The adapter's description, for the stats line. */
  readonly adapter: string;
  cluster(sample: ImageData, options: GpuClusterOptions): Promise<PaletteResult>;
  /** Draws `image` at its own size with every pixel replaced by its nearest centre's colour. */
  recolor(image: DecodedImage, result: PaletteResult, canvas: HTMLCanvasElement): Promise<void>;
}

/** Resolves to `null` where WebGPU or an adapter is missing. Placeholder until the GPU engine lands. */
export async function getGpuBackend(): Promise<GpuBackend | null> {
  return null;
}

/** Forgets the shared device after a loss, so the next run asks for a new one. */
export function dropGpuBackend(): void {}

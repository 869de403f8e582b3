/**
 * The one contract every palette backend keeps, DOM-free: a backend clusters a sample with options resolved once
 * (`EngineOptions`, which every layer takes unchanged: the worker, the GPU session, the CPU pool of the command line)
 * and, when asked, recolours the full-size image with the palette. Two implementations serve the element, on the GPU
 * session and on the CPU worker client (`src/controllers/backends.ts`: `GpuBackend`, `CpuBackend`); which one runs
 * is `decideBackend`'s choice (`backend-policy.ts`), the policy `extractPalette` and the command line follow too. Both
 * give the same bits (docs/ARITHMETIC.md), so the choice changes the speed, never the palette.
 *
 * The types are generic in what a host calls an image: the element's backends take the CPU worker's image handle and
 * give a canvas; nothing here depends on the page.
 */
import type { Rgb8 } from './color.js';
import type { Arithmetic, ColorSpace, PaletteResult, ProgressInfo } from './types.js';

/**
 * What every engine takes of the resolved options, unchanged (the CPU worker's runs and plans, the GPU engine, the
 * command line's workers): core's `PixelKMeansOptions` with every field decided.
 */
export interface EngineOptions {
  k: number;
  seed: number;
  nInit: number;
  maxIter: number;
  colorSpace: ColorSpace;
  arithmetic: Arithmetic;
  alphaThreshold: number;
  /** Locked colours (8-bit sRGB), left out when there are none. */
  fixed?: Rgb8[];
}

export type BackendKind = 'gpu' | 'cpu';

/** One run: the sample to cluster, how, and whether to recolour the full-size image too. */
export interface BackendRequest<Image, Original = unknown> {
  /** The sample (and, through the host's handle, the original it may recolour). */
  image: Image;
  /** The sample is the whole image at its own size: the recolour is the sample's labels. */
  whole: boolean;
  options: EngineOptions;
  /** The full-size image to recolour, when that is asked for; undefined: no recolour. */
  recolor?: () => Promise<Original>;
  /** Per-pixel labels in the result (comparing labels needs them; the palette and the recolour do not). */
  labels: boolean;
  signal: AbortSignal;
  onProgress?: (p: ProgressInfo) => void;
}

/** A run's outcome: the palette, and the original recoloured with it when asked. */
export interface BackendRun<Picture> {
  result: PaletteResult;
  recolored?: Picture;
  clusterMs: number;
  recolorMs: number;
}

export interface PaletteBackend<Image, Picture, Original = unknown> {
  readonly kind: BackendKind;
  run(request: BackendRequest<Image, Original>): Promise<BackendRun<Picture>>;
}

/** The shapes carried by the element's events and returned by `extract()`. */
import type { Arithmetic, ColorSpace, PaletteColor } from '../core/types.js';
import type { PaletteErrorCode } from '../core/errors.js';

/** How long each step of one extraction took, in milliseconds (`performance.now()` deltas). */
export interface PaletteTimings {
  /** Fetching and decoding the image (0 when the decoded image was reused). */
  decodeMs: number;
  /** Drawing the image down to the sample size and reading its pixels back. */
  downscaleMs: number;
  /** k-means, from upload or hand-off to the worker until the centres are known. */
  clusterMs: number;
  /** Drawing the recoloured image at the original size. */
  recolorMs: number;
  totalMs: number;
}

/** One extraction's palette: the `detail` of `palette-change`, the element's `palette`, what `extract()` resolves to. */
export interface PaletteDetail {
  /** Largest share first; clusters that ended up empty are left out. */
  colors: PaletteColor[];
  backend: 'gpu' | 'cpu';
  /** The GPU adapter's description, or the CPU engine's. */
  adapter: string;
  /** Which arithmetic the k-means used (docs/ARITHMETIC.md). */
  arithmetic: Arithmetic;
  colorSpace: ColorSpace;
  /** The `colors` asked for (after clamping). */
  k: number;
  seed: number;
  iterations: number;
  converged: boolean;
  /** Sum of squared distances from each sampled pixel to its centre, in the units of the clustering space. */
  inertia: number;
  /** Size of the original image. */
  width: number;
  height: number;
  /** Size of the image the clustering saw, after `sample-size`. */
  sampleWidth: number;
  sampleHeight: number;
  /** Sampled pixels that took part (alpha at or above the threshold). */
  pixelsUsed: number;
  timings: PaletteTimings;
}

/** `palette-compare`'s `detail`: the same sample clustered on both backends. */
export interface PaletteCompareDetail {
  gpu: PaletteDetail;
  cpu: PaletteDetail;
  /** Share of the sampled pixels given the same cluster by both, 0..1 (1 with exact arithmetic). */
  labelAgreement: number;
  /** Largest absolute difference between matching centre coordinates, in the clustering space's units. */
  maxCenterDelta: number;
  /** `|gpu.inertia − cpu.inertia|`, in the clustering space's units. */
  inertiaDelta: number;
}

/** `palette-error`'s `detail`. */
export interface PaletteErrorDetail {
  /** Stable, documented code: branch on this, not on `message`. */
  code: PaletteErrorCode;
  message: string;
}

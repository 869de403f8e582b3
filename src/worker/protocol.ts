/** Messages between the page and the CPU worker. Pixel buffers are transferred, never copied. */
import type { Arithmetic, ColorSpace, PaletteResult, ProgressInfo } from '../core/types.js';
import type { PaletteErrorCode } from '../core/errors.js';

export interface WorkerPixels {
  data: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
}

export interface WorkerRequest {
  id: number;
  /** The pixels to cluster. */
  sample: WorkerPixels;
  /**
   * The original pixels, to recolour at full size; absent when the sample is the original (`sample-size="full"`),
   * or when no recolouring is wanted (the comparison run).
   */
  original?: WorkerPixels;
  recolor: boolean;
  options: {
    k: number;
    seed: number;
    nInit: number;
    maxIter: number;
    colorSpace: ColorSpace;
    arithmetic: Arithmetic;
  };
}

export type WorkerResponse =
  | { id: number; type: 'progress'; progress: ProgressInfo }
  | {
      id: number;
      type: 'result';
      result: PaletteResult;
      /** RGBA at the original size, or absent when `recolor` was false. */
      recolored?: Uint8ClampedArray<ArrayBuffer>;
      clusterMs: number;
      recolorMs: number;
    }
  | { id: number; type: 'error'; code: PaletteErrorCode; message: string };

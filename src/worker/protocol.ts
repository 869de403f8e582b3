/**
 * Messages of the CPU path. Pixel buffers are transferred, never copied.
 *
 * The page talks to the main worker only: `load` (once per image and sample), `run` (per request), `cancel`; and on
 * the GPU path `plan` (per request: the worker prepares the run, the page's GPU engine iterates it).
 * The main worker keeps the loaded image (`ExactImageSession`) and hands part of the seedings to a helper worker
 * over a MessageChannel the page set up (`connect` / `helper`); the helper keeps its own copy of the distinct-colour
 * table between requests.
 */
import type { PaletteResult, ProgressInfo } from '../core/types.js';
import type { PaletteErrorCode } from '../core/errors.js';
import type { ExactRunPlan } from '../core/exact/plan.js';
import type { ExactRunResult } from '../core/exact/runs.js';
import type { SeedingRows } from '../core/exact/prepare.js';
import type { IgnoreEntry } from '../core/ignore.js';
import type { EngineOptions } from '../core/backend.js';

export interface WorkerPixels {
  data: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
  /** A resized sample's float values (4 per pixel), which the float64 arithmetic clusters (structured-cloned). */
  float?: Float64Array<ArrayBuffer>;
}

/** The engine options of a run or plan, as the element resolved them (`EngineOptions`), taken unchanged. */
export type RunOptions = EngineOptions;

/** Page → helper worker, once: its end of the channel to the main worker. */
export interface HelperStart {
  type: 'helper';
  port: MessagePort;
}

/** Page → main worker. */
export type WorkerRequest =
  /** The helper's end of the channel (sent once, right after the workers start). */
  | { type: 'connect'; port: MessagePort }
  /**
   * A new image: `sample` is clustered; `original` is recoloured at full size (absent when the sample is the
   * original, `sample-size="full"`). Kept, beside the other elements' images, until `drop`.
   */
  | { type: 'load'; imageId: number; sample: WorkerPixels; original?: WorkerPixels }
  /**
   * The original of a loaded image that was loaded without it (a `plan` needs the sample only), sent before the
   * first `run` that recolours it.
   */
  | { type: 'original'; imageId: number; original: WorkerPixels }
  /** Cluster the loaded image `imageId`; with `recolor`, also draw the full-size recoloured image. */
  | { type: 'run'; id: number; imageId: number; recolor: boolean; options: RunOptions }
  /** Prepare a GPU run on the loaded image `imageId` (points kept between requests): answered with `plan`. */
  | { type: 'plan'; id: number; imageId: number; options: RunOptions }
  /**
   * Make the pixels `ignore` matches transparent (the per-pixel work of the `ignore` option, kept off the page's
   * thread): answered with `masked`, the same pixels with those alphas set to 0.
   */
  | { type: 'mask'; id: number; pixels: WorkerPixels; ignore: IgnoreEntry[]; alphaThreshold: number }
  /**
   * Resize `pixels` (the full-size image or its region) to `width × height` with the core resampler (scikit-image's
   * `resize`, the sample's per-pixel work kept off the page's thread): answered with `resampled`.
   */
  | { type: 'resample'; id: number; pixels: WorkerPixels; width: number; height: number }
  /** The page no longer wants request `id`: stop at the next yield of the work (within tens of ms), send nothing. */
  | { type: 'cancel'; id: number }
  /** The page no longer needs image `imageId`: free it. */
  | { type: 'drop'; imageId: number };

export type WorkerResponse =
  | { id: number; type: 'progress'; progress: ProgressInfo }
  | {
      id: number;
      type: 'result';
      result: PaletteResult;
      /** The recoloured image at the original size, or absent when `recolor` was false. */
      recolored?: ImageBitmap;
      clusterMs: number;
      recolorMs: number;
    }
  /** The preparation of a GPU run (its seedings' buffers transferred). */
  | { id: number; type: 'plan'; plan: ExactRunPlan }
  /** The pixels of a `mask` request, ignored ones made transparent (transferred back). */
  | { id: number; type: 'masked'; pixels: WorkerPixels }
  /** The sample of a `resample` request: RGBA bytes and the float values they were rounded from (transferred). */
  | { id: number; type: 'resampled'; pixels: WorkerPixels & { float: Float64Array<ArrayBuffer> } }
  | { id: number; type: 'error'; code: PaletteErrorCode; message: string };

/** Main worker → helper (over the channel). */
export type HelperRequest =
  | {
      type: 'runs';
      id: number;
      /**
       * Identifies the distinct-colour table and its seeding rows; `coords`, `weights` and `seeding` come only when the
       * helper does not hold them.
       */
      tableKey: string;
      coords?: Uint16Array;
      weights?: Float64Array;
      seeding?: SeedingRows;
      k: number;
      seed: number;
      nInit: number;
      maxIter: number;
      tolFixed: number;
      /** The locked colours' fixed-point centres (centres 0 .. m−1 of every seeding). */
      fixed: Uint32Array;
      /** The seedings the helper draws (from their own generator states) and, with `iterate`, runs. */
      runs: number[];
      /** Run them too (the CPU path), or only draw them (a plan for the GPU: `seeded` answers). */
      iterate: boolean;
    }
  | { type: 'cancel'; id: number };

/** Helper → main worker: the seedings it drew (a plan), or one message per finished run, then its best. */
export type HelperResponse =
  | { type: 'seeded'; id: number; initCenters: Uint32Array[] }
  | { type: 'ran'; id: number }
  | { type: 'best'; id: number; best: ExactRunResult }
  | { type: 'error'; id: number; message: string };

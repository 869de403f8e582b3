/**
 * The part of a prepared exact run that an engine already holding the pixels needs: the resolved options,
 * `pixelsUsed`, `tolFixed` and the `nInit` seedings. Small (nInit × k × 3 words, no per-pixel array), so a Worker that
 * keeps the image's points can prepare a run and post it to the GPU engine on the page
 * (`GpuKMeans.run({ ...options, prepared })`), keeping the page's main thread free of the CPU preparation.
 */
import { MAX_COORD, MAX_K } from '../constants.js';
import { InvalidInputError, InvalidOptionError } from '../errors.js';
import type { Rgb8 } from '../color.js';
import type { ColorSpace, PixelKMeansOptions } from '../types.js';
import { resolveKMeansOptions } from '../validate.js';
import { fixedCenters, resolveFixedColors } from './fixed-colors.js';
import { resolvePixelOptions, type PreparedExactRun } from './prepare.js';

export interface ExactRunPlan {
  colorSpace: ColorSpace;
  alphaThreshold: number;
  k: number;
  seed: number;
  nInit: number;
  maxIter: number;
  tol: number;
  /** Number of points (`pixelsUsed`): pixels with alpha ≥ alphaThreshold. */
  n: number;
  /** The tolerance in squared fixed-point units (docs/ARITHMETIC.md). */
  tolFixed: number;
  /**
   * The locked colours (8-bit sRGB, duplicates merged): centres 0 .. m−1 of every seeding, never moved. Left out, none.
   */
  fixed?: Rgb8[];
  /** `nInit` seedings, in run order, each k × 3 fixed-point centres (the first m the locked colours). */
  initCenters: Uint32Array[];
}

/** The plan of a prepared run: its small fields only (the seedings are shared, not copied). */
export function exactRunPlan(run: PreparedExactRun): ExactRunPlan {
  const { colorSpace, alphaThreshold, k, seed, nInit, maxIter, tol, n, tolFixed, fixed, initCenters } = run;
  return { colorSpace, alphaThreshold, k, seed, nInit, maxIter, tol, n, tolFixed, fixed, initCenters };
}

const FIELDS = ['colorSpace', 'alphaThreshold', 'k', 'seed', 'nInit', 'maxIter', 'tol'] as const;

/**
 * Checks that `plan` was made for these options on an image of `pixelCount` pixels, and is well formed (nInit
 * seedings of k × 3 fixed-point centres). Throws InvalidOptionError when it belongs to other options, InvalidInputError
 * when it is malformed. (Whether `n` is this image's count of used pixels is only known after a pass over the pixels:
 * the GPU engine checks it when it reads the labels back.)
 */
export function checkExactRunPlan(plan: ExactRunPlan, options: PixelKMeansOptions, pixelCount: number): ExactRunPlan {
  if (plan === null || typeof plan !== 'object') throw new InvalidInputError('prepared must be an exact run plan.');
  const { n, tolFixed, initCenters } = plan;
  if (!Number.isInteger(n) || n < 1 || n > pixelCount) {
    throw new InvalidInputError(`prepared counts ${n} used pixels; the image has ${pixelCount} pixels.`);
  }
  const expected = { ...resolvePixelOptions(options), ...resolveKMeansOptions(options, n) };
  for (const field of FIELDS) {
    if (plan[field] !== expected[field]) {
      throw new InvalidOptionError(
        `prepared was made for ${field} = ${JSON.stringify(plan[field])}; the options ask for ${JSON.stringify(expected[field])}.`,
      );
    }
  }
  if (plan.k > MAX_K) throw new InvalidOptionError(`k must be at most ${MAX_K} on pixels, got ${plan.k}.`);
  const fixed = resolveFixedColors(options.fixed, plan.k);
  // A plan without `fixed` (made before locked colours existed) locks nothing.
  const planFixed = plan.fixed ?? [];
  if (!Array.isArray(planFixed) || planFixed.join(' ') !== fixed.join(' ')) {
    throw new InvalidOptionError('prepared was made for other fixed colours than the options ask for.');
  }
  const fixedFixed = fixedCenters(fixed, plan.colorSpace);
  if (typeof tolFixed !== 'number' || !Number.isInteger(tolFixed)) {
    throw new InvalidInputError(`prepared.tolFixed must be an integer, got ${String(tolFixed)}.`);
  }
  if (!Array.isArray(initCenters) || initCenters.length !== plan.nInit) {
    throw new InvalidInputError(`prepared must hold nInit = ${plan.nInit} seedings, got ${Array.isArray(initCenters) ? initCenters.length : 'none'}.`);
  }
  initCenters.forEach((centers, r) => {
    if (!(centers instanceof Uint32Array) || centers.length !== 3 * plan.k) {
      throw new InvalidInputError(`Seeding ${r} of prepared must be a Uint32Array of 3 × k = ${3 * plan.k} centre coordinates.`);
    }
    if (centers.some((c) => c > MAX_COORD)) {
      throw new InvalidInputError(`Seeding ${r} of prepared has a coordinate above ${MAX_COORD} (255 in fixed point).`);
    }
    if (fixedFixed.some((c, i) => centers[i] !== c)) {
      throw new InvalidInputError(`Seeding ${r} of prepared does not start with the fixed colours.`);
    }
  });
  return plan;
}

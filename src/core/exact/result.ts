/** From an exact run's fixed-point outcome to the public `PixelKMeansResult`, the same for the CPU and GPU engines. */
import { FIXED_ONE, FIXED_SHIFT, MAX_COORD } from '../constants.js';
import { fixedOklabToSrgb8, fixedToOklab } from '../oklab-int.js';
import type { ColorSpace, PixelKMeansResult } from '../types.js';
import { withFixedColors } from './fixed-colors.js';
import type { ExactRunPlan } from './plan.js';
import type { PreparedExactRun } from './prepare.js';

/** What an engine hands back from its chosen run. */
export interface ExactFinalState {
  /** k × 3 fixed-point centres. */
  centersFixed: Uint32Array;
  /**
   * Cluster of each point (length `run.n`) or of each pixel (length width × height, -1 for left-out pixels).
   * When every pixel is a point the two are the same.
   */
  labels: Int32Array;
  inertiaFixed: bigint;
  iterations: number;
  converged: boolean;
  /**
   * The k cluster sizes in pixels (what `counts` of the result holds), where the engine already counted them as it
   * read the labels (the GPU engine). Left out, they are counted from `labels` here.
   */
  pixelCounts?: number[];
}

/** Spreads point labels over the image: a pixel left out by alpha gets -1. */
export function pointLabelsToPixelLabels(run: PreparedExactRun, pointLabels: Int32Array): Int32Array {
  if (run.pixelIndex === null) return pointLabels;
  const labels = new Int32Array(run.width * run.height).fill(-1);
  const index = run.pixelIndex;
  for (let i = 0; i < run.n; i++) labels[index[i]!] = pointLabels[i]!;
  return labels;
}

/** A fixed-point RGB coordinate to a byte: `round(c / 128)`, half up. */
function fixedToByte(c: number): number {
  return (Math.min(c, MAX_COORD) + (FIXED_ONE >> 1)) >> FIXED_SHIFT;
}

/**
 * Each fixed-point centre (k × 3) as 8-bit sRGB, in cluster order: RGB rounded half up; OKLab the colour whose code it
 * is, else the float inverse (`fixedOklabToSrgb8`).
 */
export function fixedCentersToRgb8(fixed: ArrayLike<number>, colorSpace: ColorSpace): [number, number, number][] {
  const rgb: [number, number, number][] = [];
  for (let j = 0; j + 2 < fixed.length; j += 3) {
    const c0 = fixed[j]!, c1 = fixed[j + 1]!, c2 = fixed[j + 2]!;
    rgb.push(colorSpace === 'oklab' ? fixedOklabToSrgb8(c0, c1, c2) : [fixedToByte(c0), fixedToByte(c1), fixedToByte(c2)]);
  }
  return rgb;
}

/**
 * The public result of an exact run. With a prepared run, `state.labels` may be per point or per pixel; with a plan
 * alone (no points: the GPU engine given a preparation made elsewhere) they must be per pixel.
 */
export function finishExactResult(run: PreparedExactRun | ExactRunPlan, state: ExactFinalState): PixelKMeansResult {
  const { k, colorSpace } = run;
  const perPoint = 'pixelIndex' in run && state.labels.length === run.n;
  const labels = perPoint ? pointLabelsToPixelLabels(run, state.labels) : state.labels;
  let counts = state.pixelCounts;
  if (counts === undefined) {
    counts = new Array<number>(k).fill(0);
    for (let i = 0; i < labels.length; i++) {
      const j = labels[i]!;
      if (j >= 0) counts[j]!++;
    }
  } else if (counts.length !== k) throw new RangeError(`pixelCounts has ${counts.length} entries for k = ${k}.`);
  const c = state.centersFixed;
  const centers: number[][] = [];
  for (let j = 0; j < k; j++) {
    const c0 = c[3 * j]!;
    const c1 = c[3 * j + 1]!;
    const c2 = c[3 * j + 2]!;
    centers.push(colorSpace === 'oklab' ? fixedToOklab(c0, c1, c2) : [c0 / MAX_COORD, c1 / MAX_COORD, c2 / MAX_COORD]);
  }
  const rgb = fixedCentersToRgb8(c.subarray(0, 3 * k), colorSpace);
  return withFixedColors({
    centers,
    centersFixed: Uint32Array.from(c),
    rgb,
    counts,
    labels,
    // Both spaces put 255 · 128 fixed-point units on one unit of `centers`.
    inertia: Number(state.inertiaFixed) / (MAX_COORD * MAX_COORD),
    inertiaFixed: state.inertiaFixed,
    iterations: state.iterations,
    converged: state.converged,
    pixelsUsed: run.n,
    colorSpace,
    arithmetic: 'exact',
  }, run.fixed);
}

/**
 * What the runs of one image share, computed on first use and kept between runs, so that a new k, seed, nInit,
 * tolerance or locked colour on the same image skips every pass over its pixels. Per alpha threshold: the points and
 * their distinct colours; per threshold and colour space: the colours' coordinates, the channel sums (the tolerance of
 * any `tol`) and the seeding rows (the seedings of any k and seed). The CPU worker's session keeps it for its loaded
 * image. (The GPU engine keeps its own: the sums come from the device, the seeding rows from one pass over the pixels.)
 */
import { NoOpaquePixelsError } from '../errors.js';
import { runSync, type Steps } from '../pace.js';
import type { ColorSpace, PixelImage, PixelKMeansOptions } from '../types.js';
import { distinctColorsSteps, type DistinctColors } from './distinct.js';
import { channelSumsSteps, extractPointsSteps, fixedCoordsSteps, type ChannelSums, type ExtractedPoints } from './points.js';
import {
  checkPixelKMeansOptions,
  planExactRunSteps,
  prepareExactRunSteps,
  resolvePixelOptions,
  seedingRowsOfPointsSteps,
  type PlanInputs,
  type PreparedExactRun,
  type PreparedInputs,
  type SeedingRows,
  type SeedingShare,
  validateImage,
} from './prepare.js';
import type { ExactRunPlan } from './plan.js';

interface SpaceEntry {
  coords: Uint16Array;
  sums: ChannelSums;
  seeding: SeedingRows;
}

interface ThresholdEntry {
  n: number;
  extracted: ExtractedPoints;
  /** Absent when no pixel reaches the threshold. */
  distinct: DistinctColors | undefined;
  spaces: Map<ColorSpace, SpaceEntry>;
}

export class ExactImageInputs {
  readonly image: PixelImage;
  readonly #thresholds = new Map<number, ThresholdEntry>();

  constructor(image: PixelImage) {
    this.image = image;
  }

  /** The inputs of `prepareExactRun` for this threshold and colour space, computed where missing, then kept. */
  *inputsSteps(colorSpace: ColorSpace, alphaThreshold: number): Steps<PreparedInputs & { n: number }> {
    let entry = this.#thresholds.get(alphaThreshold);
    if (!entry) {
      const extracted = yield* extractPointsSteps(this.image, alphaThreshold);
      const distinct = extracted.n === 0 ? undefined : yield* distinctColorsSteps(extracted.points, extracted.n);
      entry = { n: extracted.n, extracted, distinct, spaces: new Map() };
      this.#thresholds.set(alphaThreshold, entry);
    }
    const { extracted, distinct } = entry;
    if (!distinct) return { n: 0, extracted };
    let kept = entry.spaces.get(colorSpace);
    if (!kept) {
      const coords = yield* fixedCoordsSteps(distinct.colors, distinct.u, colorSpace);
      kept = {
        coords,
        sums: yield* channelSumsSteps(coords, distinct.weights),
        seeding: yield* seedingRowsOfPointsSteps(extracted.points, entry.n, colorSpace, distinct),
      };
      entry.spaces.set(colorSpace, kept);
    }
    return { n: entry.n, extracted, distinct, ...kept };
  }

  /** `prepareExactRun` on the kept inputs (with `share`, only those seedings drawn). */
  *prepareSteps(options: PixelKMeansOptions, share?: SeedingShare): Steps<PreparedExactRun & { seeding: SeedingRows }> {
    const { colorSpace, alphaThreshold } = this.#check(options);
    const inputs = yield* this.inputsSteps(colorSpace, alphaThreshold);
    const run = yield* prepareExactRunSteps(this.image, options, inputs, share);
    return { ...run, seeding: inputs.seeding! };
  }

  /** The run's plan (`planExactRun`) on the kept inputs: after the first run of a threshold and colour space, no pass over the pixels. */
  *planSteps(options: PixelKMeansOptions): Steps<ExactRunPlan & { initIndices: Int32Array[] }> {
    const { colorSpace, alphaThreshold } = this.#check(options);
    const inputs = yield* this.inputsSteps(colorSpace, alphaThreshold);
    if (inputs.n === 0 || !inputs.sums || !inputs.seeding) throw new NoOpaquePixelsError();
    return yield* planExactRunSteps(this.image, options, inputs as PlanInputs);
  }

  /** The image and every option checked before any pixel is read, as `prepareExactRun` checks them. */
  #check(options: PixelKMeansOptions): { colorSpace: ColorSpace; alphaThreshold: number } {
    validateImage(this.image);
    const resolved = resolvePixelOptions(options);
    checkPixelKMeansOptions(options);
    return resolved;
  }

  plan(options: PixelKMeansOptions): ExactRunPlan & { initIndices: Int32Array[] } {
    return runSync(this.planSteps(options));
  }
}

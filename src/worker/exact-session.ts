/**
 * One loaded image in the CPU worker, kept between requests: its pixels, and per alpha threshold its points and
 * distinct-colour table (`DistinctColors`), with the table's coordinates per colour space. A new k, seed or nInit on the same image then skips extracting the points
 * and counting the colours, and its runs reuse the sorted grid of the table (`runExactSeeds`). For the GPU path it
 * prepares runs (`plan`: seedings and tolerance on the kept points) that the page's GPU engine then iterates.
 * Each step is also available as `Steps` (`src/core/pace.ts`), which the Worker runs paced so that a `cancel` lands
 * mid-step. DOM-free, so the same code is tested in Node against `cpuPixelKMeans`.
 */
import { DEFAULTS } from '../core/constants.js';
import { extractPointsSteps, fixedCoordsSteps, type ExtractedPoints } from '../core/exact/points.js';
import { distinctColorsSteps, spreadDistinctLabelsSteps, type DistinctColors } from '../core/exact/distinct.js';
import { exactRunPlan, type ExactRunPlan } from '../core/exact/plan.js';
import { prepareExactRunSteps, resolvePixelOptions, type PreparedExactRun, type PreparedInputs } from '../core/exact/prepare.js';
import { runSync, type Steps } from '../core/pace.js';
import { finishExactResult } from '../core/exact/result.js';
import { exactWork, pickBestRun, type ExactRunResult, type ExactWork } from '../core/exact/runs.js';
import type { PixelImage, PixelKMeansOptions, PixelKMeansResult } from '../core/types.js';

interface PointsEntry {
  extracted: ExtractedPoints;
  distinct: DistinctColors;
  /** The distinct colours' coordinates, by colour space. */
  coords: Map<string, Uint16Array>;
}

/** A prepared request: what the runs need, split however the caller likes, and how to finish. */
export interface PreparedRequest {
  run: PreparedExactRun;
  distinct: DistinctColors;
  work: ExactWork;
  /** Identifies the table's coordinates within this session ("rgb/128"), so a helper can keep its copy. */
  distinctKey: string;
}

/** Seeding r goes to part `r mod parts`: runs take about as long as each other, so this balances them. */
export function splitRuns(nInit: number, parts: number): number[][] {
  const out: number[][] = Array.from({ length: parts }, () => []);
  for (let r = 0; r < nInit; r++) out[r % parts]!.push(r);
  return out.filter((part) => part.length > 0);
}

export class ExactImageSession {
  readonly image: PixelImage;
  readonly #points = new Map<string, PointsEntry>();

  constructor(image: PixelImage) {
    this.image = image;
  }

  /**
   * Points and distinct colours for a threshold, and their coordinates for a colour space, computed on first use.
   * Without opaque pixels only the (empty) points come back, and `prepareExactRun` reports it.
   */
  *#inputs(options: PixelKMeansOptions): Steps<{ key: string; inputs: PreparedInputs }> {
    const { colorSpace, alphaThreshold } = resolvePixelOptions(options);
    const key = `${colorSpace}/${alphaThreshold}`;
    let entry = this.#points.get(String(alphaThreshold));
    if (!entry) {
      const extracted = yield* extractPointsSteps(this.image, alphaThreshold);
      if (extracted.n === 0) return { key, inputs: { extracted } };
      entry = { extracted, distinct: yield* distinctColorsSteps(extracted.points, extracted.n), coords: new Map() };
      this.#points.set(String(alphaThreshold), entry);
    }
    let coords = entry.coords.get(colorSpace);
    if (!coords) {
      coords = yield* fixedCoordsSteps(entry.distinct.colors, entry.distinct.u, colorSpace);
      entry.coords.set(colorSpace, coords);
    }
    return { key, inputs: { extracted: entry.extracted, distinct: entry.distinct, coords } };
  }

  /** Validates, seeds (`prepareExactRun`, on the kept points) and builds the work of every seeding. */
  prepare(options: PixelKMeansOptions): PreparedRequest {
    return runSync(this.prepareSteps(options));
  }

  /** `prepare` as steps (`pace.ts`), for a Worker that must read `cancel` messages while it prepares. */
  *prepareSteps(options: PixelKMeansOptions): Steps<PreparedRequest> {
    const withThreshold = { alphaThreshold: DEFAULTS.alphaThreshold, ...options };
    const { key, inputs } = yield* this.#inputs(withThreshold);
    const run = yield* prepareExactRunSteps(this.image, withThreshold, inputs);
    return { run, distinct: run.distinct, work: exactWork(run), distinctKey: key };
  }

  /**
   * The preparation the GPU engine needs for a run on this image (`GpuKMeans.run({ ...options, prepared })`):
   * validated options, `tolFixed` and the seedings, computed on the kept points. No per-pixel array: small to post.
   */
  plan(options: PixelKMeansOptions): ExactRunPlan {
    return runSync(this.planSteps(options));
  }

  /** `plan` as steps (`pace.ts`). */
  *planSteps(options: PixelKMeansOptions): Steps<ExactRunPlan> {
    const withThreshold = { alphaThreshold: DEFAULTS.alphaThreshold, ...options };
    const { inputs } = yield* this.#inputs(withThreshold);
    return exactRunPlan(yield* prepareExactRunSteps(this.image, withThreshold, inputs));
  }

  /** The result of the best of `results` (the runs of every part), as `cpuPixelKMeans` returns it. */
  finish(request: PreparedRequest, results: readonly ExactRunResult[]): PixelKMeansResult {
    return runSync(this.finishSteps(request, results));
  }

  /** `finish` as steps (`pace.ts`). */
  *finishSteps(request: PreparedRequest, results: readonly ExactRunResult[]): Steps<PixelKMeansResult> {
    const { run, distinct } = request;
    const best = pickBestRun(results);
    const labels = new Int32Array(run.width * run.height);
    yield* spreadDistinctLabelsSteps(distinct, run.points, run.n, best.labels, run.pixelIndex, labels);
    return finishExactResult(run, { ...best, labels });
  }
}

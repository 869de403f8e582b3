/**
 * One loaded image in the CPU worker, kept between requests: its pixels and what its runs share (`ExactImageInputs`:
 * per alpha threshold its points and distinct colours, per colour space their coordinates, channel sums and seeding
 * rows). A new k, seed or nInit on the same image then skips every pass over the pixels, and its runs reuse the sorted
 * grid of the table (`runExactSeeds`). For the GPU path it prepares runs (`plan`: seedings and tolerance from the kept
 * sums and rows) that the page's GPU engine then iterates.
 * Each step is also available as `Steps` (`src/core/pace.ts`), which the Worker runs paced so that a `cancel` lands
 * mid-step. DOM-free, so the same code is tested in Node against `cpuPixelKMeans`.
 */
import { spreadDistinctLabelsSteps, type DistinctColors } from '../core/exact/distinct.js';
import { ExactImageInputs } from '../core/exact/image-inputs.js';
import type { ExactRunPlan } from '../core/exact/plan.js';
import { resolvePixelOptions, type PreparedExactRun, type SeedingRows, type SeedingShare } from '../core/exact/prepare.js';
import { runSync, type Steps } from '../core/pace.js';
import { finishExactResult } from '../core/exact/result.js';
import { exactWork, pickBestRun, type ExactRunResult, type ExactWork } from '../core/exact/runs.js';
import type { PixelImage, PixelKMeansOptions, PixelKMeansResult } from '../core/types.js';

/** A prepared request: what the runs need, split however the caller likes, and how to finish. */
export interface PreparedRequest {
  run: PreparedExactRun;
  distinct: DistinctColors;
  /** The runs' work; with a share, only that share's seedings are in `initCenters` (the others are empty). */
  work: ExactWork;
  /** The seeding rows of the table, from which another worker draws the other seedings (`seedRunsOnRowsSteps`). */
  seeding: SeedingRows;
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
  /** The points, colours, coordinates, channel sums and seeding rows, per threshold and colour space. */
  readonly #inputs: ExactImageInputs;

  constructor(image: PixelImage) {
    this.image = image;
    this.#inputs = new ExactImageInputs(image);
  }

  /** Validates, seeds (`prepareExactRun`, on the kept points) and builds the work of every seeding. */
  prepare(options: PixelKMeansOptions): PreparedRequest {
    return runSync(this.prepareSteps(options));
  }

  /**
   * `prepare` as steps (`pace.ts`), for a Worker that must read `cancel` messages while it prepares. With `share`, only
   * that share of the seedings is drawn (another worker draws the rest from `seeding`).
   */
  *prepareSteps(options: PixelKMeansOptions, share?: SeedingShare): Steps<PreparedRequest> {
    const { seeding, ...run } = yield* this.#inputs.prepareSteps(options, share);
    const { colorSpace, alphaThreshold } = resolvePixelOptions(options);
    return {
      run,
      distinct: run.distinct,
      work: exactWork(run),
      seeding,
      distinctKey: `${colorSpace}/${alphaThreshold}`,
    };
  }

  /**
   * The preparation the GPU engine needs for a run on this image (`GpuKMeans.run({ ...options, prepared })`):
   * validated options, `tolFixed` and the seedings, from the kept channel sums and seeding rows. No per-pixel array:
   * small to post.
   */
  plan(options: PixelKMeansOptions): ExactRunPlan {
    return runSync(this.planSteps(options));
  }

  /** `plan` as steps (`pace.ts`). */
  *planSteps(options: PixelKMeansOptions): Steps<ExactRunPlan> {
    const { initIndices: _indices, ...plan } = yield* this.#inputs.planSteps(options);
    return plan;
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

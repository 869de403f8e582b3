/**
 * The `nInit` runs of an exact k-means, as independent pieces of work: once `prepareExactRun` has drawn the seeds (in
 * order, from one generator), run r depends on nothing but seed r. So runs can be split over Workers and the results
 * merged with `pickBestRun`, which gives the bits a single loop over all runs gives.
 */
import { runSync, type Steps } from '../pace.js';
import { buildPointGridSteps, exactLloydOnGridSteps, type ExactRunOutcome, type PointGrid } from './lloyd.js';
import type { PreparedExactRun } from './prepare.js';

/** What the runs need, typed arrays and numbers only, so it can be posted (or transferred) to a Worker. */
export interface ExactWork {
  /** u × 3 fixed-point coordinates of the distinct colours (`PreparedExactRun.coords`). */
  coords: Uint16Array;
  /** The count of each distinct point. */
  weights: Float64Array;
  k: number;
  maxIter: number;
  tolFixed: number;
  /** Centres 0 .. fixedCount−1 are locked (`fixed`): they never move. */
  fixedCount: number;
  /** Every run's seeding, in run order (`PreparedExactRun.initCenters`). */
  initCenters: Uint32Array[];
}

/** One run's outcome, labels per distinct colour, tagged with its run index. */
export interface ExactRunResult extends ExactRunOutcome {
  run: number;
}

export function exactWork(run: PreparedExactRun): ExactWork {
  const { k, maxIter, tolFixed, initCenters, coords, distinct } = run;
  const fixedCount = run.fixed?.length ?? 0;
  return { coords, weights: distinct.weights, k, maxIter, tolFixed, fixedCount, initCenters };
}

/**
 * Each distinct-colour table's points sorted into boxes, built on first use and shared by every work on that table
 * (its runs, and later works with another k or seed on the same loaded image). Keyed by the coordinate array: a grid
 * is a function of the coordinates and their weights, which always travel together.
 */
const grids = new WeakMap<Uint16Array, PointGrid>();

/** Runs the seedings `runIndices` (any subset of 0 .. nInit−1, in any order) and returns their outcomes. */
export function runExactSeeds(work: ExactWork, runIndices: readonly number[]): ExactRunResult[] {
  return runIndices.map((r) => runSync(runExactSeedSteps(work, r)));
}

/**
 * Seeding r of `work`, as steps (`pace.ts`): the grid built on first use, then the run, yielding as they go. With
 * `best` (the best run so far of a caller that keeps only the best), a run that `pickBestRun` would not prefer to it
 * comes back without labels.
 */
export function* runExactSeedSteps(work: ExactWork, r: number, best?: Pick<ExactRunResult, 'run' | 'inertiaFixed'>): Steps<ExactRunResult> {
  const init = work.initCenters[r];
  if (init === undefined) throw new RangeError(`No seeding ${r}: there are ${work.initCenters.length}.`);
  let grid = grids.get(work.coords);
  if (grid === undefined) {
    grid = yield* buildPointGridSteps(work.coords, work.weights);
    grids.set(work.coords, grid);
  }
  const keepLabels = best && ((inertiaFixed: bigint) => prefers({ run: r, inertiaFixed }, best));
  const outcome = yield* exactLloydOnGridSteps(grid, init, work.k, work.maxIter, work.tolFixed, work.fixedCount ?? 0, keepLabels);
  return { ...outcome, run: r };
}

/** Whether run `a` is chosen over run `b`: a strictly lower inertia, or an equal one and an earlier run. */
function prefers(a: { run: number; inertiaFixed: bigint }, b: { run: number; inertiaFixed: bigint }): boolean {
  return a.inertiaFixed < b.inertiaFixed || (a.inertiaFixed === b.inertiaFixed && a.run < b.run);
}

/**
 * The chosen run of docs/ARITHMETIC.md ("Runs"): the strictly lowest `inertiaFixed`, ties to the earliest run index,
 * whatever order the results come in.
 */
export function pickBestRun<T extends { run: number; inertiaFixed: bigint }>(results: readonly T[]): T {
  let best: T | undefined;
  for (const r of results) if (best === undefined || prefers(r, best)) best = r;
  if (best === undefined) throw new RangeError('pickBestRun needs at least one result.');
  return best;
}

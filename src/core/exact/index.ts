/**
 * The exact k-means engine (docs/ARITHMETIC.md): integer arithmetic on fixed-point points, so that the CPU (here) and the
 * GPU (`src/core/gpu/`) produce the same labels, the same centres to the bit and the same iteration count.
 *
 * How the GPU engine reuses it:
 * 1. `prepareExactRun(image, options)` validates, extracts the points (sRGB colours, alpha ≥ threshold), counts
 *    their distinct colours and their positions (`coords`: RGB · 128 or the integer OKLab code), computes `tolFixed`,
 *    and draws the `nInit` seedings (`initCenters`, fixed point). Call it, never re-derive any of
 *    it: the seeding and the tolerance are CPU float64 computations that must be identical for both engines. Its
 *    small part, `exactRunPlan(run)` (options, `tolFixed`, seedings: no per-pixel array), can be made in a Worker and
 *    handed to the GPU engine (`run({ ...options, prepared })`), which checks it with `checkExactRunPlan`.
 * 2. Run each seeding on the device with the loop of ARITHMETIC.md; keep the run with the strictly lowest
 *    `inertiaFixed` (earlier runs win ties). `exactLloyd(fixedCoords(run.points, run.n, run.colorSpace),
 *    undefined, run.initCenters[r], ...)` is the oracle for one run.
 * 3. `finishExactResult(run, { centersFixed, labels, inertiaFixed, iterations, converged })` builds the public result;
 *    `labels` may be per point (length `run.n`) or per pixel (-1 for left-out pixels).
 *
 * How the CPU splits runs over Workers: `exactWork(run)` (the distinct colours' positions and counts: typed
 * arrays only); each Worker calls `runExactSeeds(work, itsRunIndices)`; `pickBestRun` over all results chooses the run
 * a single loop would; `spreadDistinctLabels` turns its per-colour labels into pixel labels for `finishExactResult`.
 */
export { cpuPixelKMeans } from './cpu.js';
export {
  distinctColors,
  distinctIndex,
  spreadDistinctLabels,
  type DistinctColors,
} from './distinct.js';
export { exactLloyd, type ExactRunOutcome } from './lloyd.js';
export { checkExactRunPlan, exactRunPlan, type ExactRunPlan } from './plan.js';
export { colorToFixed, extractPoints, fixedCoords, toleranceFixed, type ExtractedPoints } from './points.js';
export {
  checkPixelKMeansOptions,
  prepareExactRun,
  resolvePixelOptions,
  seedExactRuns,
  seedSampleIndices,
  validateImage,
  type PreparedExactRun,
} from './prepare.js';
export { finishExactResult, pointLabelsToPixelLabels, type ExactFinalState } from './result.js';
export { exactWork, pickBestRun, runExactSeeds, type ExactRunResult, type ExactWork } from './runs.js';

/**
 * Exact k-means on the GPU (docs/ARITHMETIC.md): the same labels, centres, iteration count and inertia as the CPU
 * engine (`cpuPixelKMeans`), bit for bit. Like the CPU engine it clusters the image's distinct colours weighted by
 * their counts, which gives the same bits as clustering every pixel:
 *
 * 1. once per image and alpha threshold: pixels → 24-bit colour keys → a 2^24-entry count table → the list of U
 *    distinct colours and their counts (`ColorTable`), with n (one 16-byte readback); once per list and colour space,
 *    each colour's fixed-point position;
 * 2. per run: the plan, from what the device counted (n, and the exact channel sums behind `tolFixed`, read back with
 *    the positions: 48 bytes) and the k-means++ seedings on the CPU, drawn from the seeding sample's rows (one pass over
 *    the pixels per threshold and colour space, then kept); or one made elsewhere (`prepared`, an `ExactRunPlan`: the
 *    element's CPU worker makes it);
 * 3. all nInit seedings iterate together on the device, U·k work per iteration, the host out of the loop
 *    (`runPass`): one submission and one small readback per pass unless a run goes past the first batch;
 * 4. the best run's labels fill the colour table (code → label); per-pixel labels are read back only when asked
 *    (`labels`, default true), and `recolor()` draws pixel → code → label → palette on the device.
 *
 * The image is uploaded once (`setImage`) and stays on the device; a run with another k, seed or nInit reuses its
 * colour list, and the lists of the last two thresholds are kept (a colour-space change recomputes the positions of
 * the colours only).
 */
import { throwIfAborted, InvalidInputError, NoOpaquePixelsError } from '../errors.js';
import { checkExactRunPlan, type ExactRunPlan } from '../exact/plan.js';
import {
  checkPixelKMeansOptions,
  planExactRunSteps,
  resolvePixelOptions,
  seedingRowsSteps,
  seedingSampleColorsFromPixelsSteps,
  type SeedingRows,
} from '../exact/prepare.js';
import { runPaced } from '../pace.js';
import { finishExactResult } from '../exact/result.js';
import { pickBestRun } from '../exact/runs.js';
import type { ColorSpace, PixelImage, PixelKMeansOptions, PixelKMeansResult } from '../types.js';
import type { ColorSet } from './color-table.js';
import { withScopes } from './error-scopes.js';
import { GpuImageEngine, type GpuImageTuning, type PaletteCentres, type Pipelines } from './image-engine.js';
import { boundWords, encodeLabelling, runPass, type RunOutcome } from './lloyd-runs.js';
import { readPixelLabels } from './pixel-ops.js';

/** Knobs for tests and benchmarks; the defaults follow the device's limits. */
export interface GpuKMeansTuning extends GpuImageTuning {
  /** Most Lloyd iterations encoded in one submission. Default 256 (the first submission of a pass: 32). */
  maxIterationsPerSubmit?: number;
  /** Most seedings iterated together in one pass. Default: all nInit, as the labels' binding allows. */
  runsPerPass?: number;
}

export interface GpuRunOptions extends PixelKMeansOptions {
  /**
   * The run's preparation, made elsewhere (`exactRunPlan(prepareExactRun(image, options))`, e.g. in a Worker) for
   * this image and these options; checked against them. Without it the run prepares itself on this thread.
   */
  prepared?: ExactRunPlan;
  /**
   * Whether the result carries a label per pixel (read back from the device: 4 bytes a pixel). Default true. With
   * false, `labels` is an empty array; `counts`, the palette and `recolor()` do not need them.
   */
  labels?: boolean;
}

/** Milliseconds of each phase of the last run (benchmarks). */
export interface GpuRunPhases {
  /** Points, count and colour list (0 when the image's list for this colour space was already there). */
  countMs: number;
  /** Plan: tolerance and k-means++ seedings (0 with `prepared`). */
  planMs: number;
  /** Lloyd loops, final E-step and the readback of every run's outcome. */
  iterateMs: number;
  /** Label table, and the per-pixel labels when asked. */
  labelsMs: number;
}

const RUN_PIPELINES = ['assign', 'assignFinal', 'update', 'control', 'lut'] as const;

const DEFAULT_MAX_BATCH = 256;

function isImage(value: PixelImage | PixelKMeansOptions): value is PixelImage {
  return typeof value === 'object' && value !== null && 'data' in value && 'width' in value;
}

export class GpuKMeans extends GpuImageEngine {
  readonly #maxBatch: number;
  readonly #maxRunsPerPass: number;
  #phases: GpuRunPhases = { countMs: 0, planMs: 0, iterateMs: 0, labelsMs: 0 };
  /** The seeding rows of the current image, by threshold and colour space, kept between its runs. */
  readonly #seeding = new Map<string, SeedingRows>();
  #seedingFor: PixelImage | null = null;

  /** The engine uses `device` but never destroys it. */
  constructor(device: GPUDevice, tuning: GpuKMeansTuning = {}) {
    super(device, tuning);
    this.#maxBatch = Math.max(1, tuning.maxIterationsPerSubmit ?? DEFAULT_MAX_BATCH);
    this.#maxRunsPerPass = Math.max(1, tuning.runsPerPass ?? Infinity);
  }

  /** Phase times of the last run (benchmarks). */
  get lastPhases(): Readonly<GpuRunPhases> {
    return { ...this.#phases };
  }

  /** Runs exact k-means on the image set last (or on `image`, uploaded first unless it is that image). */
  run(options: GpuRunOptions): Promise<PixelKMeansResult>;
  run(image: PixelImage, options: GpuRunOptions): Promise<PixelKMeansResult>;
  run(first: PixelImage | GpuRunOptions, second?: GpuRunOptions): Promise<PixelKMeansResult> {
    const [image, options] = isImage(first) ? [first, second ?? ({} as GpuRunOptions)] : [null, first];
    return this.serialize(() => this.#run(image, options));
  }

  /**
   * Gives the image set last the palette of `result`, a run on another image (typically a downscaled copy of this
   * one): every pixel is labelled with its nearest centre (the final E-step alone, exact, ties to the lowest index,
   * done on the image's distinct colours), and `recolor()` then draws this image with that palette. Resolves once the
   * work is submitted. (`GpuRecolor` is this operation alone.)
   */
  applyResult(result: PaletteCentres, alphaThreshold = 128): Promise<void> {
    return this.serialize(() => withScopes(this.device, 'applying a palette', () => this.label(result, alphaThreshold)));
  }

  async #run(image: PixelImage | null, options: GpuRunOptions): Promise<PixelKMeansResult> {
    const { signal, onProgress } = options;
    this.assertUsable();
    throwIfAborted(signal);
    if (image && image !== this.source) {
      onProgress?.({ phase: 'upload', fraction: 0 });
      this.setImage(image);
    }
    const source = this.source;
    if (!source || !this.image) throw new InvalidInputError('No image: call setImage(image) or run(image, options).');
    onProgress?.({ phase: 'init', fraction: 0 });
    const { colorSpace, alphaThreshold } = resolvePixelOptions(options);
    // Every option that does not depend on the points is checked before any GPU work.
    checkPixelKMeansOptions(options);
    let t = performance.now();
    const prepared = options.prepared && checkExactRunPlan(options.prepared, options, source.width * source.height);
    // The plan's time: checking a plan made elsewhere, or making one once the colours are counted (below).
    const phases: GpuRunPhases = { countMs: 0, planMs: performance.now() - t, iterateMs: 0, labelsMs: 0 };
    if (this.#seedingFor !== source) {
      this.#seeding.clear();
      this.#seedingFor = source;
    }
    const gpuImage = await this.uploaded('run()');
    const pipelines = await this.loadPipelines(RUN_PIPELINES);
    const result = await withScopes(this.device, 'running k-means', async () => {
      t = performance.now();
      const set = await this.colors(gpuImage, colorSpace, alphaThreshold);
      phases.countMs = performance.now() - t;
      t = performance.now();
      const plan = prepared ?? (await this.#plan(source, options, set, colorSpace, alphaThreshold));
      phases.planMs += performance.now() - t;
      if (plan.n !== set.n) {
        throw new InvalidInputError(`The run was prepared for ${plan.n} used pixels; this image has ${set.n}: prepared for another image.`);
      }
      t = performance.now();
      const { best, slot } = await this.#iterate(pipelines, set, plan, options);
      phases.iterateMs = performance.now() - t;
      t = performance.now();
      onProgress?.({ phase: 'readback', fraction: 0 });
      const encoder = this.device.createCommandEncoder({ label: 'palette-extractor label table' });
      if (slot < 0) encodeLabelling(this.device, encoder, pipelines.assignFinal, this.runs!, set, best.centersFixed, this.colorGrid(set.tiles));
      this.encodeLut(encoder, pipelines, set, Math.max(0, slot));
      this.submit(encoder);
      let labels: Int32Array = new Int32Array(0);
      if (options.labels !== false) {
        const pipeline = await this.pipelines.pipeline('pixelLabels');
        labels = await readPixelLabels(this.device, this.allocator, pipeline, this.pipelines, this.table!.slots, gpuImage, this.dispatch, (b, n) => this.map(b, n), this.counters);
      }
      phases.labelsMs = performance.now() - t;
      onProgress?.({ phase: 'readback', fraction: 1 });
      return finishExactResult(plan, { ...best, labels, pixelCounts: best.counts });
    });
    this.#phases = phases;
    this.last = result;
    return result;
  }

  /**
   * The run's plan from what the device counted (n, and the channel sums behind the tolerance) and the seeding rows,
   * which one pass over the pixels gives for the image, threshold and colour space (kept for the next runs): the CPU
   * never counts the image's colours.
   */
  async #plan(
    source: PixelImage, options: GpuRunOptions, set: ColorSet, colorSpace: ColorSpace, alphaThreshold: number,
  ): Promise<ExactRunPlan> {
    if (set.n === 0) throw new NoOpaquePixelsError();
    const key = `${alphaThreshold}/${colorSpace}`;
    let seeding = this.#seeding.get(key);
    if (!seeding) {
      // Paced (`pace.ts`): on a page's thread the pass over a large image's pixels never makes one long task.
      const sample = await runPaced(seedingSampleColorsFromPixelsSteps(source, alphaThreshold, set.n), options.signal);
      seeding = await runPaced(seedingRowsSteps(sample, set.n, colorSpace), options.signal);
      this.#seeding.set(key, seeding);
    }
    return runPaced(planExactRunSteps(source, options, { n: set.n, sums: set.sums!, seeding }), options.signal);
  }

  /**
   * Every seeding, in passes of as many runs as fit; the best by the rule of ARITHMETIC.md ("Runs"). `slot` is the
   * best run's label slot in the last pass, or -1 when it ran in an earlier pass (its labels are gone: relabel).
   */
  async #iterate(
    pipelines: Pipelines,
    set: ColorSet,
    plan: ExactRunPlan,
    { signal, onProgress }: GpuRunOptions,
  ): Promise<{ best: RunOutcome; slot: number }> {
    const perPass = this.#passSize(set, plan.nInit);
    const buffers = this.runBuffers(perPass, set);
    let best: RunOutcome | null = null;
    let lastFirst = 0;
    for (let first = 0; first < plan.nInit; first += perPass) {
      throwIfAborted(signal);
      const runs = Math.min(perPass, plan.nInit - first);
      const { outcomes } = await runPass(
        this.device,
        pipelines,
        buffers,
        set,
        plan,
        first,
        runs,
        { maxBatch: this.#maxBatch, signal, ...(onProgress ? { onProgress } : {}) },
        this.dispatcher,
        { done: first, total: plan.nInit },
      );
      best = pickBestRun(best ? [best, ...outcomes] : outcomes);
      lastFirst = first;
    }
    const slot = best!.run >= lastFirst ? best!.run - lastFirst : -1;
    return { best: best!, slot };
  }

  /** Runs a pass can hold: the bounds of all its runs in one binding, the runs in one dispatch dimension. */
  #passSize(set: ColorSet, nInit: number): number {
    const { limits } = this.device;
    const binding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    const byBounds = Math.floor(binding / (4 * boundWords(set)));
    return Math.max(1, Math.min(nInit, this.#maxRunsPerPass, byBounds, limits.maxComputeWorkgroupsPerDimension));
  }
}

/**
 * The CPU path, in module Workers so the page never freezes. One script, two roles:
 * - the main worker keeps the loaded image (`ExactImageSession`: pixels, points, distinct colours) between requests,
 *   runs its share of the seedings, picks the best run of all (`pickBestRun`: the bits one loop would give), and draws
 *   the full-size recoloured image as an ImageBitmap (transferred to the page, never copied through it);
 * - the helper (started with a `helper` message carrying its end of a MessageChannel) draws and runs the other
 *   seedings on its copy of the distinct-colour table and its seeding rows, which it keeps while they stay the same:
 *   each seeding starts from its own generator state (`skipSeeding`), so the two workers draw in parallel and get the
 *   bits one loop would.
 * A request can be cancelled while it runs: the work yields to the event loop every few milliseconds (`pace.ts`), so a
 * `cancel` message is read mid-run and the request stops at its next yield, in either worker.
 * On the GPU path the workers only prepare runs (`plan`: validation, tolerance, the seedings drawn half in each), so
 * that the page's thread, which drives the GPU, never does that CPU work.
 */
import { extractPalette, toPaletteResult } from '../core/palette.js';
import { AbortError, PaletteError, throwIfAborted } from '../core/errors.js';
import { fixedCenters } from '../core/exact/fixed-colors.js';
import { exactRunPlan } from '../core/exact/plan.js';
import { seedRunsOnRowsSteps, type SeedingRows } from '../core/exact/prepare.js';
import { pickBestRun, runExactSeedSteps, type ExactRunResult, type ExactWork } from '../core/exact/runs.js';
import { runPaced, yieldToEventLoop } from '../core/pace.js';
import { maskIgnoredSteps } from '../core/ignore.js';
import { resizeToPixelsAsync } from '../core/resample.js';
import type { PaletteResult, PixelKMeansResult, ProgressInfo } from '../core/types.js';
import { ExactImageSession, splitRuns, type PreparedRequest } from './exact-session.js';
import type { HelperRequest, HelperResponse, HelperStart, RunOptions, WorkerPixels, WorkerRequest, WorkerResponse } from './protocol.js';
import { displaySize } from '../image/canvas-limits.js';
import { recolorFromLabelsSteps, recolorNearestSteps } from './recolor.js';
import { floatCentersToFixed } from '../core/exact/points.js';
import { fixedCentersToRgb8 } from '../core/exact/result.js';

/** The slice of DedicatedWorkerGlobalScope used here (the project's lib is DOM, not WebWorker). */
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest | HelperStart>) => void): void;
}
const scope = self as unknown as WorkerScope;

/** Each request's abort, fired by its `cancel` message (which may come before the request starts, or while it runs). */
const aborts = new Map<number, AbortController>();
function signalOf(id: number): AbortSignal {
  let controller = aborts.get(id);
  if (!controller) aborts.set(id, (controller = new AbortController()));
  return controller.signal;
}
function cancel(id: number): void {
  signalOf(id);
  aborts.get(id)!.abort();
}
/** Whether `error` is the request's own cancellation, which is answered with nothing. */
const cancelledBy = (id: number, error: unknown): boolean => error instanceof AbortError && signalOf(id).aborted;
/** Lets a `cancel` message in, then stops the request if it was cancelled. */
async function checkpoint(id: number): Promise<void> {
  await yieldToEventLoop();
  throwIfAborted(signalOf(id));
}

/** Requests run one at a time, in order. */
let queue: Promise<void> = Promise.resolve();
function enqueue(work: () => Promise<void>): void {
  queue = queue.then(work, work);
}

function keepBest(best: ExactRunResult | undefined, outcome: ExactRunResult): ExactRunResult {
  return best === undefined ? outcome : pickBestRun([best, outcome]);
}

/** Runs `runs` of `work` one at a time, calling `ran` after each; returns the best. */
async function runSeeds(id: number, work: ExactWork, runs: readonly number[], ran: () => void): Promise<ExactRunResult> {
  let best: ExactRunResult | undefined;
  for (const r of runs) {
    // Only the best so far is kept: each outcome holds a label for every distinct colour.
    best = keepBest(best, await runPaced(runExactSeedSteps(work, r, best), signalOf(id)));
    ran();
  }
  return best!;
}

// ---- helper role -------------------------------------------------------------------------------------------------

function startHelper(port: MessagePort): void {
  let table: { key: string; coords: Uint16Array; weights: Float64Array; seeding: SeedingRows } | undefined;
  const reply = (message: HelperResponse, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  port.onmessage = ({ data }: MessageEvent<HelperRequest>) => {
    if (data.type === 'cancel') {
      cancel(data.id);
      return;
    }
    enqueue(async () => {
      try {
        if (data.coords && data.weights && data.seeding) {
          table = { key: data.tableKey, coords: data.coords, weights: data.weights, seeding: data.seeding };
        }
        if (table?.key !== data.tableKey) throw new Error(`the helper does not hold table ${data.tableKey}`);
        const { k, seed, nInit, maxIter, tolFixed, fixed, runs } = data;
        // This worker's seedings, each from its own generator state: the bits the runs in order give.
        const seeded = await runPaced(seedRunsOnRowsSteps(table.seeding, k, seed, nInit, fixed, runs), signalOf(data.id));
        if (!data.iterate) {
          reply({ type: 'seeded', id: data.id, initCenters: seeded.initCenters }, seeded.initCenters.map((c) => c.buffer as ArrayBuffer));
          return;
        }
        const initCenters: Uint32Array[] = [];
        runs.forEach((r, i) => (initCenters[r] = seeded.initCenters[i]!));
        const work: ExactWork = { coords: table.coords, weights: table.weights, k, maxIter, tolFixed, fixedCount: fixed.length / 3, initCenters };
        const best = await runSeeds(data.id, work, runs, () => reply({ type: 'ran', id: data.id }));
        reply({ type: 'best', id: data.id, best }, [best.labels.buffer as ArrayBuffer]);
      } catch (error) {
        reply({ type: 'error', id: data.id, message: error instanceof Error ? error.message : String(error) });
      } finally {
        aborts.delete(data.id);
      }
    });
  };
}

// ---- main role ---------------------------------------------------------------------------------------------------

interface Loaded {
  imageId: number;
  sample: WorkerPixels;
  original: WorkerPixels | undefined;
  session: ExactImageSession;
}

/** Images held for the page's elements (they share these workers), by id; the page drops what it no longer needs. */
const images = new Map<number, Loaded>();
let helper: MessagePort | undefined;
/** Key of the table the helper holds (image and colour space), so it is sent once. */
let helperTable: string | undefined;
interface HelperJob {
  ran: () => void;
  resolve: (answer: Extract<HelperResponse, { type: 'best' | 'seeded' }>) => void;
  reject: (e: Error) => void;
}
const helperJobs = new Map<number, HelperJob>();

function connectHelper(port: MessagePort): void {
  helper = port;
  port.onmessage = ({ data }: MessageEvent<HelperResponse>) => {
    const job = helperJobs.get(data.id);
    if (!job) return;
    if (data.type === 'ran') job.ran();
    else if (data.type === 'error') job.reject(new Error(`The helper worker failed: ${data.message}`));
    else job.resolve(data);
  };
}

/**
 * Hands the helper seedings `runs` of the request: it draws them from their own generator states and, with
 * `iterate`, runs them. The table (coordinates, weights, seeding rows) goes once per image, threshold and colour space.
 */
function askHelper(id: number, request: PreparedRequest, imageId: number, runs: number[], iterate: boolean, ran: () => void) {
  const port = helper!;
  const tableKey = `${imageId}/${request.distinctKey}`;
  const { coords, weights, k, maxIter, tolFixed } = request.work;
  const { seed, nInit, colorSpace } = request.run;
  // Copied, not transferred: this worker keeps its table too.
  const table = helperTable === tableKey ? {} : { coords, weights, seeding: request.seeding };
  helperTable = tableKey;
  return new Promise<Extract<HelperResponse, { type: 'best' | 'seeded' }>>((resolve, reject) => {
    helperJobs.set(id, { ran, resolve, reject });
    const fixed = fixedCenters(request.run.fixed ?? [], colorSpace);
    port.postMessage({ type: 'runs', id, tableKey, ...table, k, seed, nInit, maxIter, tolFixed, fixed, runs, iterate } satisfies HelperRequest);
  })
    .catch((error: unknown) => {
      // A cancelled request's helper stops with an error of its own: the request's cancellation it is.
      throwIfAborted(signalOf(id));
      throw error;
    })
    .finally(() => helperJobs.delete(id));
}

function post(message: WorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

/**
 * The request prepared with this worker's share of the seedings drawn (`parts[0]`; the helper, where there is one,
 * draws `parts[1]`).
 */
async function prepareShare(id: number, image: Loaded, options: RunOptions) {
  const workers = helper ? 2 : 1;
  const request = await runPaced(image.session.prepareSteps(options, { index: 0, count: workers }), signalOf(id));
  return { request, parts: splitRuns(request.run.nInit, workers) };
}

/**
 * Exact k-means on the loaded sample, its seedings split between this worker and the helper: each draws its own
 * (from its own generator states) and runs them; the best of all is kept.
 */
async function exactRun(id: number, image: Loaded, options: Extract<WorkerRequest, { type: 'run' }>['options']) {
  const progress = (p: ProgressInfo) => post({ id, type: 'progress', progress: p });
  progress({ phase: 'init', fraction: 0 });
  const { request, parts } = await prepareShare(id, image, options);
  let done = 0;
  const ran = () => progress({ phase: 'iterate', fraction: ++done / request.run.nInit });
  progress({ phase: 'iterate', fraction: 0 });
  const helped = parts[1] ? askHelper(id, request, image.imageId, parts[1], true, ran) : undefined;
  // Keep a rejection from being unhandled while this worker runs its own share.
  helped?.catch(() => undefined);
  const own = await runSeeds(id, request.work, parts[0]!, ran);
  const other = helped ? await helped : undefined;
  const results = other?.type === 'best' ? [own, other.best] : [own];
  await checkpoint(id);
  const result = await runPaced(image.session.finishSteps(request, results), signalOf(id));
  const adapter = `CPU (exact integer arithmetic, ${parts.length} worker${parts.length > 1 ? 's' : ''})`;
  return { result, palette: toPaletteResult(result, 'cpu', adapter) };
}

async function recolorBitmap(id: number, image: Loaded, palette: PaletteResult, exact: PixelKMeansResult | undefined, alphaThreshold: number) {
  const fixed = exact ? exact.centersFixed : floatCentersToFixed(palette.centers, palette.colorSpace);
  const rgb = exact ? exact.rgb : fixedCentersToRgb8(fixed, palette.colorSpace);
  const { original, sample } = image;
  const target = original ?? sample;
  const pixels = await runPaced(
    original
      ? recolorNearestSteps(original.data, fixed, rgb, palette.colorSpace, alphaThreshold)
      : recolorFromLabelsSteps(sample.data, palette.labels, rgb),
    signalOf(id),
  );
  // Straight alpha kept as it is: pixels left out by alpha keep their colour, as on the GPU.
  // Shown at a size a canvas can hold (a 1×100000 image is drawn 1×16384; CSS scales it anyway).
  const shown = displaySize(target.width, target.height);
  const resize = shown.width === target.width && shown.height === target.height ? {} : { resizeWidth: shown.width, resizeHeight: shown.height };
  return createImageBitmap(new ImageData(pixels, target.width, target.height), {
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
    ...resize,
  });
}

function held(imageId: number): Loaded {
  const image = images.get(imageId);
  if (!image) throw new PaletteError('worker-failed', `The CPU worker does not hold image ${imageId}.`);
  return image;
}

/** A GPU run's plan: tolerance and seedings, the seedings drawn half here and half in the helper. */
async function handlePlan(request: Extract<WorkerRequest, { type: 'plan' }>): Promise<void> {
  const { id, imageId, options } = request;
  await checkpoint(id);
  const image = held(imageId);
  const { request: prepared, parts } = await prepareShare(id, image, options);
  const plan = exactRunPlan(prepared.run);
  if (parts[1]) {
    const answer = await askHelper(id, prepared, imageId, parts[1], false, () => undefined);
    if (answer.type === 'seeded') parts[1].forEach((r, i) => (plan.initCenters[r] = answer.initCenters[i]!));
  }
  await checkpoint(id);
  post({ id, type: 'plan', plan }, plan.initCenters.map((c) => c.buffer as ArrayBuffer));
}

async function handleMask(request: Extract<WorkerRequest, { type: 'mask' }>): Promise<void> {
  const { id, pixels, ignore, alphaThreshold } = request;
  await checkpoint(id);
  await runPaced(maskIgnoredSteps(pixels.data, ignore, { alphaThreshold }), signalOf(id));
  post({ id, type: 'masked', pixels }, [pixels.data.buffer]);
}

async function handleResample(request: Extract<WorkerRequest, { type: 'resample' }>): Promise<void> {
  const { id, pixels, width, height } = request;
  await checkpoint(id);
  const { data, float } = await resizeToPixelsAsync(pixels, width, height, { signal: signalOf(id), pause: yieldToEventLoop });
  const sample = { data: data as Uint8ClampedArray<ArrayBuffer>, width, height, float };
  post({ id, type: 'resampled', pixels: sample }, [sample.data.buffer, float.buffer]);
}

async function handleRun(request: Extract<WorkerRequest, { type: 'run' }>): Promise<void> {
  const { id, imageId, options } = request;
  await checkpoint(id);
  const image = held(imageId);
  const t0 = performance.now();
  let palette: PaletteResult;
  let exact: PixelKMeansResult | undefined;
  if (options.arithmetic === 'float64') {
    palette = await extractPalette(image.sample, {
      ...options,
      backend: 'cpu',
      signal: signalOf(id),
      onProgress: (progress: ProgressInfo) => post({ id, type: 'progress', progress }),
    });
  } else {
    ({ result: exact, palette } = await exactRun(id, image, options));
  }
  const t1 = performance.now();
  let recolored: ImageBitmap | undefined;
  if (request.recolor) {
    post({ id, type: 'progress', progress: { phase: 'recolor', fraction: 0 } });
    recolored = await recolorBitmap(id, image, palette, exact, options.alphaThreshold);
  }
  await checkpoint(id);
  const t2 = performance.now();
  const transfer: Transferable[] = [palette.labels.buffer as ArrayBuffer];
  if (recolored) transfer.push(recolored);
  post(
    { id, type: 'result', result: palette, ...(recolored ? { recolored } : {}), clusterMs: t1 - t0, recolorMs: t2 - t1 },
    transfer,
  );
}

function errorResponse(id: number, error: unknown): WorkerResponse {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof PaletteError) return { id, type: 'error', code: error.code, message };
  // V8 reports a failed allocation of a typed array as a RangeError: the image is more than this worker can hold.
  if (error instanceof RangeError && /alloc|memory|length/i.test(message)) {
    return { id, type: 'error', code: 'too-large', message: `The image is too large for the CPU worker: ${message}` };
  }
  return { id, type: 'error', code: 'worker-failed', message };
}

scope.addEventListener('message', ({ data }) => {
  switch (data.type) {
    case 'helper':
      startHelper(data.port);
      return;
    case 'connect':
      connectHelper(data.port);
      return;
    case 'cancel':
      cancel(data.id);
      helper?.postMessage({ type: 'cancel', id: data.id } satisfies HelperRequest);
      return;
    case 'load':
      enqueue(async () => {
        const { imageId, sample, original } = data;
        images.set(imageId, { imageId, sample, original, session: new ExactImageSession(sample) });
      });
      return;
    case 'original':
      enqueue(async () => {
        const image = images.get(data.imageId);
        if (image) image.original = data.original;
      });
      return;
    case 'drop':
      enqueue(async () => {
        images.delete(data.imageId);
      });
      return;
    case 'run':
    case 'plan':
    case 'mask':
    case 'resample': {
      const handle =
        data.type === 'run'
          ? () => handleRun(data)
          : data.type === 'plan'
            ? () => handlePlan(data)
            : data.type === 'mask'
              ? () => handleMask(data)
              : () => handleResample(data);
      enqueue(() =>
        handle().catch((error: unknown) => {
          if (!cancelledBy(data.id, error)) post(errorResponse(data.id, error));
        }).finally(() => aborts.delete(data.id)),
      );
    }
  }
});

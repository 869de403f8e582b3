/**
 * Everything an exact run needs before its first Lloyd iteration, computed once on the CPU and shared by the CPU and
 * GPU engines so that both start from the same bits: the points, `tolFixed`, and the `nInit` k-means++ seedings.
 */
import { DEFAULTS, MAX_COORD, MAX_K, SEED_SAMPLE_MAX } from '../constants.js';
import { InvalidInputError, InvalidOptionError, NoOpaquePixelsError } from '../errors.js';
import { RandomState } from '../random.js';
import { chunks, runSync, type Steps } from '../pace.js';
import { greedyKMeansPlusPlusSteps } from '../sklearn/kmeans-plusplus.js';
import { greedyKMeansPlusPlusOnRowsSteps, rowBoxes, type RowBoxes } from '../sklearn/kmeans-plusplus-rows.js';
import { centerPointsSteps } from '../sklearn/prepare.js';
import type { ColorSpace, PixelImage, PixelKMeansOptions } from '../types.js';
import { resolveKMeansOptions } from '../validate.js';
import { fixedCenters, resolveFixedColors } from './fixed-colors.js';
import type { ExactRunPlan } from './plan.js';
import { distinctColorsSteps, type DistinctColors } from './distinct.js';
import {
  channelSumsSteps,
  extractPointsSteps,
  fixedCoordsSteps,
  toleranceFromSums,
  writeFixedCoords,
  type ChannelSums,
  type ExtractedPoints,
} from './points.js';

/** A validated exact run, ready for `exactLloyd` (CPU) or the GPU engine: its plan, and the points behind it. */
export interface PreparedExactRun extends ExactRunPlan {
  width: number;
  height: number;
  /** n × 3 bytes: the sRGB colours of the pixels with alpha ≥ alphaThreshold, in order. */
  points: Uint8Array;
  /** The distinct colours of `points`, with their counts. */
  distinct: DistinctColors;
  /** u × 3 fixed-point coordinates of the distinct colours in the run's colour space (what Lloyd iterates on). */
  coords: Uint16Array;
  /** Pixel index of each point; null when every pixel is a point. */
  pixelIndex: Uint32Array | null;
  /** The point indices (0 .. n−1) k-means++ chose for each seeding; −1 for the fixed centres 0 .. m−1. */
  initIndices: Int32Array[];
}

/** Throws InvalidInputError unless `image` is `width × height` RGBA bytes. */
export function validateImage(image: PixelImage): void {
  if (image === null || typeof image !== 'object') {
    throw new InvalidInputError('The image must be { data, width, height }.');
  }
  const { data, width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InvalidInputError(`The image size must be positive integers, got ${width} × ${height}.`);
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new InvalidInputError('The image data must be a Uint8Array or Uint8ClampedArray of RGBA bytes.');
  }
  if (data.length !== 4 * width * height) {
    throw new InvalidInputError(
      `The image data holds ${data.length} bytes; ${width} × ${height} RGBA pixels need ${4 * width * height}.`,
    );
  }
}

/** The options only pixel engines have. */
export function resolvePixelOptions(options: PixelKMeansOptions): { colorSpace: ColorSpace; alphaThreshold: number } {
  const colorSpace = options.colorSpace ?? 'rgb';
  if (colorSpace !== 'rgb' && colorSpace !== 'oklab') {
    throw new InvalidOptionError(`colorSpace must be 'rgb' or 'oklab', got ${JSON.stringify(colorSpace)}.`);
  }
  const alphaThreshold = options.alphaThreshold ?? DEFAULTS.alphaThreshold;
  if (!Number.isInteger(alphaThreshold) || alphaThreshold < 0 || alphaThreshold > 255) {
    throw new InvalidOptionError(`alphaThreshold must be an integer from 0 to 255, got ${alphaThreshold}.`);
  }
  return { colorSpace, alphaThreshold };
}

/** Checks the k-means options that do not depend on the number of points, including `k ≤ MAX_K`. */
export function checkPixelKMeansOptions(options: PixelKMeansOptions): void {
  const { k } = resolveKMeansOptions(options, Number.MAX_SAFE_INTEGER);
  if (k > MAX_K) throw new InvalidOptionError(`k must be at most ${MAX_K} on pixels, got ${k}.`);
  resolveFixedColors(options.fixed, k);
}

/**
 * The used points k-means++ seeds on (docs/ARITHMETIC.md, "Seeding"): all of them when `n ≤ SEED_SAMPLE_MAX`, else
 * `M = SEED_SAMPLE_MAX` of them, point `floor(i·n / M)` for `i = 0 .. M−1`, in point order. Null means all.
 */
export function seedSampleIndices(n: number): Uint32Array | null {
  const m = SEED_SAMPLE_MAX;
  if (n <= m) return null;
  const indices = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    // i·n < 2^48 is exact; the two checks make the floor exact whatever the rounding of the division.
    const a = i * n;
    let q = Math.floor(a / m);
    if (q * m > a) q--;
    else if ((q + 1) * m <= a) q++;
    indices[i] = q;
  }
  return indices;
}

/**
 * The `nInit` k-means++ seedings of docs/ARITHMETIC.md, in run order from one generator: scikit-learn's greedy
 * k-means++ on `X = P / (255·128)` (the fixed-point coordinates in units of the notebook's 0..1 channels: `rgb / 255`
 * in RGB) with the column mean subtracted, as `KMeans.fit` sees it, over the seeding sample (`seedSampleIndices`: every
 * point up to SEED_SAMPLE_MAX of them). The float64 path seeds every point that way, so up to that size exact and
 * float64 RGB runs start from the same pixels. `points` are sRGB colours; `initIndices` are point indices (0 .. n−1).
 *
 * `fixed` (m × 3 fixed-point centres, `fixedCenters`): the locked centres, centres 0 .. m−1 of every seeding; k-means++
 * chooses the other k − m with them counted as chosen (`greedyKMeansPlusPlusSteps` with `fixed`, each at `F / (255·128)`
 * in X, like a point of that colour). m = 0 is the plain seeding.
 *
 * With `distinct` (the points' distinct colours) the seedings run on the sample's rows (`seedingRows`: distances once
 * per colour, the same picks); without it, point by point (the plain transcription, which the tests compare with).
 */
export function seedExactRuns(
  points: Uint8Array,
  n: number,
  k: number,
  seed: number,
  nInit: number,
  colorSpace: ColorSpace = 'rgb',
  fixed: Uint32Array = new Uint32Array(0),
): { initCenters: Uint32Array[]; initIndices: Int32Array[] } {
  return runSync(seedExactRunsSteps(points, n, k, seed, nInit, colorSpace, fixed));
}

/** The seedings' result: per run, k × 3 fixed-point centres and the point indices chosen (−1: a fixed centre). */
export interface Seedings {
  initCenters: Uint32Array[];
  initIndices: Int32Array[];
}

/** `seedExactRuns` as steps (`pace.ts`). */
export function* seedExactRunsSteps(
  points: Uint8Array,
  n: number,
  k: number,
  seed: number,
  nInit: number,
  colorSpace: ColorSpace = 'rgb',
  fixed: Uint32Array = new Uint32Array(0),
  distinct?: DistinctColors,
): Steps<Seedings> {
  if (distinct) return yield* seedRunsOnRowsSteps(yield* seedingRowsOfPointsSteps(points, n, colorSpace, distinct), k, seed, nInit, fixed);
  const sample = seedSampleIndices(n);
  const m = sample === null ? n : sample.length;
  const { X, mean, xSquaredNorms } = yield* seedingPointsSteps(seedingSampleColors(points, n), m, colorSpace);
  const fixedCount = fixed.length / 3;
  // The locked centres in the seeding's space, as a point of that colour would be there.
  const fixedX = Float64Array.from(fixed, (v, i) => v / MAX_COORD - mean[i % 3]!);
  const rng = new RandomState(seed);
  const initCenters: Uint32Array[] = [];
  const initIndices: Int32Array[] = [];
  for (let run = 0; run < nInit; run++) {
    const indices = yield* greedyKMeansPlusPlusSteps(X, m, 3, k, rng, xSquaredNorms, fixedCount > 0 ? fixedX : undefined);
    if (sample !== null) for (let j = fixedCount; j < k; j++) indices[j] = sample[indices[j]!]!;
    const centers = new Uint32Array(3 * k);
    centers.set(fixed);
    for (let j = fixedCount; j < k; j++) {
      const q = indices[j]!;
      writeFixedCoords(colorSpace, points[3 * q]!, points[3 * q + 1]!, points[3 * q + 2]!, centers, 3 * j);
    }
    initCenters.push(centers);
    initIndices.push(indices);
  }
  return { initCenters, initIndices };
}

/** The seeding sample's colours (3 bytes each, in point order: `seedSampleIndices`) of the points (n × 3 bytes). */
export function seedingSampleColors(points: Uint8Array, n: number): Uint8Array {
  const sample = seedSampleIndices(n);
  if (sample === null) return points.subarray(0, 3 * n);
  const out = new Uint8Array(3 * sample.length);
  for (let i = 0; i < sample.length; i++) out.set(points.subarray(3 * sample[i]!, 3 * sample[i]! + 3), 3 * i);
  return out;
}

/** Pixels per pause of `seedingSampleColorsFromPixelsSteps`. */
const PIXEL_CHUNK = 1 << 20;

/**
 * `seedingSampleColors` straight from RGBA pixels, whose points are the pixels with alpha ≥ `alphaThreshold`, n of
 * them (counted elsewhere: the GPU engine's colour count): one pass over the pixels, keeping only the sample's colours.
 */
export function* seedingSampleColorsFromPixelsSteps(image: PixelImage, alphaThreshold: number, n: number): Steps<Uint8Array> {
  const sample = seedSampleIndices(n);
  const m = sample === null ? n : sample.length;
  const out = new Uint8Array(3 * m);
  const { data } = image;
  const pixels = image.width * image.height;
  let point = 0;
  let next = 0;
  let wanted = sample === null ? 0 : sample[0]!;
  for (let from = 0; from < pixels && next < m; from += PIXEL_CHUNK) {
    const to = Math.min(pixels, from + PIXEL_CHUNK);
    for (let i = from; i < to && next < m; i++) {
      if (data[4 * i + 3]! < alphaThreshold) continue;
      if (point === wanted) {
        out[3 * next] = data[4 * i]!;
        out[3 * next + 1] = data[4 * i + 1]!;
        out[3 * next + 2] = data[4 * i + 2]!;
        next++;
        wanted = sample === null ? next : (sample[next] ?? -1);
      }
      point++;
    }
    yield;
  }
  if (next < m) throw new InvalidInputError(`The image has fewer than the ${n} points counted: its pixels changed.`);
  return out;
}

/** The seeding sample's X (centred) with its column mean and squared norms, as `KMeans.fit` sees the points. */
function* seedingPointsSteps(colors: Uint8Array, m: number, colorSpace: ColorSpace) {
  const x = new Float64Array(3 * m);
  yield* chunks(m, 1 << 14, (from, to) => sampleCoords(colors, from, to, colorSpace, x));
  return yield* centerPointsSteps(x, m, 3);
}

/** `X = P / (255·128)` of sample points `from .. to`, uncentred, into x. */
function sampleCoords(colors: Uint8Array, from: number, to: number, colorSpace: ColorSpace, x: Float64Array): void {
  const coords = new Float64Array(3);
  for (let i = from; i < to; i++) {
    writeFixedCoords(colorSpace, colors[3 * i]!, colors[3 * i + 1]!, colors[3 * i + 2]!, coords, 0);
    x[3 * i] = coords[0]! / MAX_COORD;
    x[3 * i + 1] = coords[1]! / MAX_COORD;
    x[3 * i + 2] = coords[2]! / MAX_COORD;
  }
}

/**
 * What every seeding of an image needs for one alpha threshold and colour space, whatever k, seed, nInit or locked
 * colours (so an image computes it once): the seeding sample's rows (one per distinct colour, sorted into boxes:
 * `rowBoxes`), each row's sRGB colour, the sample's column mean, and n.
 */
export interface SeedingRows {
  boxes: RowBoxes;
  /** 3 bytes per sorted row: its sRGB colour. */
  colors: Uint8Array;
  mean: Float64Array;
  colorSpace: ColorSpace;
  /** Points of the image (the seeding sample is `seedSampleIndices(n)`). */
  n: number;
}

/**
 * `SeedingRows` of the seeding sample (`sampleColors`: its m colours, 3 bytes each, in point order) of n points: the
 * sample's X as `KMeans.fit` sees it, then one row per distinct colour in order of first appearance (a point's row of
 * X is a function of its colour, so the first point of each colour stands for all), sorted into boxes.
 */
export function* seedingRowsSteps(
  sampleColors: Uint8Array,
  n: number,
  colorSpace: ColorSpace,
  known?: { colorOf: Uint32Array; colors: number },
): Steps<SeedingRows> {
  const m = sampleColors.length / 3;
  const { X, mean, xSquaredNorms } = yield* seedingPointsSteps(sampleColors, m, colorSpace);
  const rows = rowsByColor(sampleColors, m, X, xSquaredNorms, known);
  yield;
  const boxes = rowBoxes(rows.X, rows.u, rows.norms, rows.rowOf);
  const colors = new Uint8Array(3 * rows.u);
  const { from } = boxes;
  for (let s = 0; s < rows.u; s++) {
    const r = from[s]!;
    colors[3 * s] = rows.colors[3 * r]!;
    colors[3 * s + 1] = rows.colors[3 * r + 1]!;
    colors[3 * s + 2] = rows.colors[3 * r + 2]!;
  }
  return { boxes, colors, mean, colorSpace, n };
}

/**
 * One row per distinct colour of the sample, in order of first appearance: each row's X, squared norm and colour, and
 * each point's row. The colours are told apart by `known` (each sample point's index among `colors` distinct colours,
 * where the caller counted them), else by their 24-bit value (`colorIndices`).
 */
function rowsByColor(
  sampleColors: Uint8Array, m: number, X: Float64Array, norms: Float64Array, known?: { colorOf: Uint32Array; colors: number },
) {
  const { colorOf, colors: count } = known ?? colorIndices(sampleColors, m);
  const rowOfColor = new Int32Array(count).fill(-1);
  const rowOf = new Uint32Array(m);
  const size = Math.min(m, count);
  const rowsX = new Float64Array(3 * size);
  const rowNorms = new Float64Array(size);
  const colors = new Uint8Array(3 * size);
  let u = 0;
  for (let i = 0; i < m; i++) {
    const c = colorOf[i]!;
    let row = rowOfColor[c]!;
    if (row < 0) {
      row = rowOfColor[c] = u++;
      rowsX[3 * row] = X[3 * i]!;
      rowsX[3 * row + 1] = X[3 * i + 1]!;
      rowsX[3 * row + 2] = X[3 * i + 2]!;
      rowNorms[row] = norms[i]!;
      colors[3 * row] = sampleColors[3 * i]!;
      colors[3 * row + 1] = sampleColors[3 * i + 1]!;
      colors[3 * row + 2] = sampleColors[3 * i + 2]!;
    }
    rowOf[i] = row;
  }
  return { u, X: rowsX.subarray(0, 3 * u), norms: rowNorms.subarray(0, u), rowOf, colors };
}

/** Each sample point's colour as an index among the sample's distinct colours (open addressing on the 24-bit colour, at most half full). */
function colorIndices(sampleColors: Uint8Array, m: number): { colorOf: Uint32Array; colors: number } {
  const bits = Math.max(4, Math.ceil(Math.log2(2 * m + 1)));
  const mask = (1 << bits) - 1;
  const keys = new Int32Array(1 << bits).fill(-1);
  const slotIndex = new Uint32Array(1 << bits);
  const colorOf = new Uint32Array(m);
  let colors = 0;
  for (let i = 0; i < m; i++) {
    const key = (sampleColors[3 * i]! << 16) | (sampleColors[3 * i + 1]! << 8) | sampleColors[3 * i + 2]!;
    let slot = Math.imul(key, 0x9e3779b1) >>> (32 - bits);
    while (keys[slot] !== -1 && keys[slot] !== key) slot = (slot + 1) & mask;
    if (keys[slot] !== key) {
      keys[slot] = key;
      slotIndex[slot] = colors++;
    }
    colorOf[i] = slotIndex[slot]!;
  }
  return { colorOf, colors };
}

/**
 * The seeding rows of points whose distinct colours were counted: the colour index of each point comes from the count
 * where it was recorded (every point seeded: no sample), else the rows hash the colours.
 */
export function* seedingRowsOfPointsSteps(points: Uint8Array, n: number, colorSpace: ColorSpace, distinct: DistinctColors): Steps<SeedingRows> {
  // Every point is seeded (no sample) exactly when n ≤ SEED_SAMPLE_MAX (`seedSampleIndices`).
  const known = distinct.pointColor && n <= SEED_SAMPLE_MAX ? { colorOf: distinct.pointColor, colors: distinct.u } : undefined;
  return yield* seedingRowsSteps(seedingSampleColors(points, n), n, colorSpace, known);
}

/**
 * One seeding on `rows`, drawing from `rng` as scikit-learn draws: its centres and the point indices it chose
 * (`sample`: `seedSampleIndices(rows.n)`; `fixedX`: the locked centres in the seeding's space).
 */
function* seedRunOnRowsSteps(
  rows: SeedingRows, k: number, rng: RandomState, fixed: Uint32Array, fixedX: Float64Array | undefined, sample: Uint32Array | null,
): Steps<{ centers: Uint32Array; indices: Int32Array }> {
  const { boxes, colors, colorSpace } = rows;
  const fixedCount = fixed.length / 3;
  const picks = yield* greedyKMeansPlusPlusOnRowsSteps(boxes.X, boxes.u, boxes.norms, boxes.rowOf, k, rng, boxes, fixedX);
  const indices = new Int32Array(k).fill(-1);
  const centers = new Uint32Array(3 * k);
  centers.set(fixed);
  for (let j = fixedCount; j < k; j++) {
    const q = picks[j]!;
    indices[j] = sample === null ? q : sample[q]!;
    const s = boxes.rowOf[q]!;
    writeFixedCoords(colorSpace, colors[3 * s]!, colors[3 * s + 1]!, colors[3 * s + 2]!, centers, 3 * j);
  }
  return { centers, indices };
}

/**
 * Advances `rng` past one seeding of k centres (f of them locked) on m sample points without computing it: the draws
 * do not depend on the data (`randint(m)` unless a centre is locked, then `2 + ⌊ln k⌋` uniforms per chosen centre),
 * so a seeding can start from its own generator state anywhere (another worker).
 */
export function skipSeeding(rng: RandomState, m: number, k: number, fixedCount: number): void {
  if (fixedCount === 0) rng.randint(m);
  const trials = 2 + Math.floor(Math.log(k));
  for (let c = Math.max(1, fixedCount); c < k; c++) rng.uniform(trials);
}

/** Seedings `runs` (indices into 0 .. nInit−1, ascending) from `seed`, on `rows`, each from its own generator state. */
export function* seedRunsOnRowsSteps(
  rows: SeedingRows, k: number, seed: number, nInit: number, fixed: Uint32Array, runs?: readonly number[],
): Steps<Seedings> {
  const rng = new RandomState(seed);
  const m = rows.boxes.rowOf.length;
  const fixedCount = fixed.length / 3;
  const sample = seedSampleIndices(rows.n);
  // The locked centres in the seeding's space, as a point of that colour would be there.
  const fixedX = fixedCount > 0 ? Float64Array.from(fixed, (v, i) => v / MAX_COORD - rows.mean[i % 3]!) : undefined;
  const wanted = runs ?? Array.from({ length: nInit }, (_, r) => r);
  const initCenters: Uint32Array[] = [];
  const initIndices: Int32Array[] = [];
  let at = 0;
  for (const r of wanted) {
    for (; at < r; at++) skipSeeding(rng, m, k, fixedCount);
    const { centers, indices } = yield* seedRunOnRowsSteps(rows, k, rng, fixed, fixedX, sample);
    at++;
    initCenters.push(centers);
    initIndices.push(indices);
  }
  return { initCenters, initIndices };
}

/** What a caller that keeps an image between runs can hand `prepareExactRun` instead of having it recomputed. */
export interface PreparedInputs {
  /** `extractPoints(image, alphaThreshold)` of this image and threshold. */
  extracted?: ExtractedPoints;
  /** `distinctColors(extracted.points, extracted.n)`. */
  distinct?: DistinctColors;
  /** `fixedCoords(distinct.colors, distinct.u, colorSpace)` for the run's colour space. */
  coords?: Uint16Array;
  /** `channelSums` of those coordinates: the tolerance of any `tol`. */
  sums?: ChannelSums;
  /** `seedingRows` of the points in the run's colour space: the seedings of any k, seed, nInit or locked colours. */
  seeding?: SeedingRows;
}

/** What a plan needs of the image (`planExactRun`): no per-pixel array. */
export interface PlanInputs {
  /** Points: pixels with alpha ≥ the threshold. */
  n: number;
  sums: ChannelSums;
  seeding: SeedingRows;
}

/**
 * Validates the image and options, extracts the points, counts their distinct colours, computes `tolFixed` and draws
 * the seedings. Throws InvalidInputError for a malformed image, InvalidOptionError for a bad option (k outside
 * 1..min(256, points), ...), NoOpaquePixelsError when no pixel reaches the alpha threshold.
 *
 * `inputs`, when given, must have been computed from this image and these options (a Worker keeps them between runs
 * on a loaded image, so that a new k or seed skips the passes over every pixel).
 */
export function prepareExactRun(image: PixelImage, options: PixelKMeansOptions, inputs?: PreparedInputs): PreparedExactRun {
  return runSync(prepareExactRunSteps(image, options, inputs));
}

/** `prepareExactRun` as steps (`pace.ts`): it yields between chunks of its passes over the pixels and points. */
export function* prepareExactRunSteps(
  image: PixelImage,
  options: PixelKMeansOptions,
  inputs: PreparedInputs = {},
  share?: SeedingShare,
): Steps<PreparedExactRun> {
  validateImage(image);
  const { colorSpace, alphaThreshold } = resolvePixelOptions(options);
  // Every option is checked before the pixels are looked at; only `k ≤ points` has to wait for the count.
  checkPixelKMeansOptions(options);
  const { points, pixelIndex, n } = inputs.extracted ?? (yield* extractPointsSteps(image, alphaThreshold));
  if (n === 0) throw new NoOpaquePixelsError();
  // The options that depend on the points (k ≤ n, the locked colours within k) checked before the passes over them;
  // the plan resolves them again from the same n.
  resolveFixedColors(options.fixed, resolveKMeansOptions(options, n).k);
  const distinct = inputs.distinct ?? (yield* distinctColorsSteps(points, n));
  const coords = inputs.coords ?? (yield* fixedCoordsSteps(distinct.colors, distinct.u, colorSpace));
  const sums = inputs.sums ?? (yield* channelSumsSteps(coords, distinct.weights));
  const seeding = inputs.seeding ?? (yield* seedingRowsOfPointsSteps(points, n, colorSpace, distinct));
  const plan = yield* planExactRunSteps(image, options, { n, sums, seeding }, share);
  return { ...plan, width: image.width, height: image.height, points, distinct, coords, pixelIndex };
}

/**
 * The plan of a run (`ExactRunPlan`, with the chosen point indices) from what the image's runs share: validated
 * options, `tolFixed` from the channel sums and the seedings from the seeding rows; no pass over the pixels. Throws as
 * `prepareExactRun` does.
 */
export function planExactRun(image: PixelImage, options: PixelKMeansOptions, inputs: PlanInputs): ExactRunPlan & { initIndices: Int32Array[] } {
  return runSync(planExactRunSteps(image, options, inputs));
}

/**
 * A share of a request's seedings: runs r with `r mod count = index` (`splitRuns`), the others left empty (a zero-length
 * array) for another worker to draw from its own generator state (`skipSeeding`).
 */
export interface SeedingShare {
  index: number;
  count: number;
}

/** `planExactRun` as steps (`pace.ts`); with `share`, only those seedings are drawn. */
export function* planExactRunSteps(
  image: PixelImage,
  options: PixelKMeansOptions,
  { n, sums, seeding }: PlanInputs,
  share: SeedingShare = { index: 0, count: 1 },
): Steps<ExactRunPlan & { initIndices: Int32Array[] }> {
  validateImage(image);
  const { colorSpace, alphaThreshold } = resolvePixelOptions(options);
  checkPixelKMeansOptions(options);
  if (n === 0) throw new NoOpaquePixelsError();
  if (seeding.colorSpace !== colorSpace || seeding.n !== n) throw new InvalidInputError('The seeding rows belong to other points.');
  const { k, seed, nInit, maxIter, tol } = resolveKMeansOptions(options, n);
  const fixed = resolveFixedColors(options.fixed, k);
  const tolFixed = toleranceFromSums(sums, tol);
  const runs = Array.from({ length: nInit }, (_, r) => r).filter((r) => r % share.count === share.index);
  const drawn = yield* seedRunsOnRowsSteps(seeding, k, seed, nInit, fixedCenters(fixed, colorSpace), runs);
  const initCenters: Uint32Array[] = Array.from({ length: nInit }, () => new Uint32Array(0));
  const initIndices: Int32Array[] = Array.from({ length: nInit }, () => new Int32Array(0));
  runs.forEach((r, i) => {
    initCenters[r] = drawn.initCenters[i]!;
    initIndices[r] = drawn.initIndices[i]!;
  });
  return { colorSpace, alphaThreshold, k, seed, nInit, maxIter, tol, n, tolFixed, fixed, initCenters, initIndices };
}

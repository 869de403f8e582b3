/**
 * Option and input validation shared by every engine (the float64 reference, the exact CPU engine, the GPU engine),
 * so that the same bad input gets the same typed error and message whichever engine runs.
 */
import { DEFAULTS } from './constants.js';
import { InvalidInputError, InvalidOptionError } from './errors.js';
import { chunkFor, chunks, runSync, type Steps } from './pace.js';
import type { KMeansOptions } from './types.js';

/** The k-means options every engine understands; `k` falls back to `DEFAULTS.k` where a caller leaves it out. */
export type KMeansOptionsInput = Omit<KMeansOptions, 'k' | 'dimensions' | 'fixed'> & { k?: number };

/** Options with every default filled in and every value checked. */
export interface ResolvedKMeansOptions {
  k: number;
  seed: number;
  nInit: number;
  maxIter: number;
  tol: number;
  /** Float64 copy of the weights, or undefined when every point weighs 1. */
  weights: Float64Array | undefined;
  signal: AbortSignal | undefined;
}

const MAX_SEED = 0xffffffff;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return typeof value;
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function positiveInteger(name: string, value: unknown): number {
  if (!isInteger(value) || value < 1) {
    throw new InvalidOptionError(`${name} must be an integer ≥ 1, got ${describe(value)}.`);
  }
  return value;
}

/** `dimensions`: values per point, an integer ≥ 1. */
export function validateDimensions(dimensions: unknown = 3): number {
  if (!isInteger(dimensions) || dimensions < 1) {
    throw new InvalidOptionError(`dimensions must be an integer ≥ 1, got ${describe(dimensions)}.`);
  }
  return dimensions;
}

/**
 * Accepts points flat (row-major) or as rows (`[[r, g, b], ...]`); rows set the dimensions themselves and must all
 * have the same length (and agree with `dimensions` when it is given). Returns the flat values and the dimensions.
 */
export function flattenPoints(
  points: ArrayLike<number> | ArrayLike<ArrayLike<number>>,
  dimensions: unknown,
): { flat: ArrayLike<number>; d: number } {
  const first = points !== null && typeof points === 'object' && points.length > 0 ? points[0] : undefined;
  if (first === null || typeof first !== 'object') {
    return { flat: points as ArrayLike<number>, d: validateDimensions(dimensions) };
  }
  const rows = points as ArrayLike<ArrayLike<number>>;
  const d = (first as ArrayLike<number>).length;
  if (dimensions !== undefined && dimensions !== d) {
    throw new InvalidOptionError(`dimensions is ${describe(dimensions)} but the rows of points have ${d} values.`);
  }
  validateDimensions(d);
  const flat = new Float64Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row === null || typeof row !== 'object' || row.length !== d) {
      throw new InvalidInputError(`points row ${i} must hold ${d} numbers like row 0, got ${describe(row)}.`);
    }
    for (let j = 0; j < d; j++) {
      const v = row[j];
      if (typeof v !== 'number') {
        throw new InvalidInputError(`points must be finite numbers: value ${j} of row ${i} is ${describe(v)}.`);
      }
      flat[i * d + j] = v;
    }
  }
  return { flat, d };
}

/**
 * Checks that `points` is an array-like of finite numbers whose length is a whole number of points.
 * Returns the number of points.
 */
export function validatePoints(points: ArrayLike<number>, dimensions: number): number {
  return runSync(validatePointsSteps(points, dimensions));
}

/** `validatePoints` as steps (`pace.ts`): the values are checked a chunk at a time. */
export function* validatePointsSteps(points: ArrayLike<number>, dimensions: number): Steps<number> {
  if (points === null || typeof points !== 'object' || typeof points.length !== 'number') {
    throw new InvalidInputError(`points must be an array or typed array of numbers, got ${describe(points)}.`);
  }
  const length = points.length;
  if (length % dimensions !== 0) {
    throw new InvalidInputError(
      `points has ${length} values, which is not a multiple of dimensions (${dimensions}).`,
    );
  }
  if (length === 0) throw new InvalidInputError('points is empty: there is nothing to cluster.');
  // Integer typed arrays cannot hold NaN or ∞; everything else is checked value by value.
  if (!(points instanceof Uint8Array || points instanceof Uint8ClampedArray || points instanceof Uint16Array ||
    points instanceof Int32Array || points instanceof Uint32Array || points instanceof Int16Array ||
    points instanceof Int8Array)) {
    yield* chunks(length, chunkFor(2), (from, to) => checkFinite(points, from, to, dimensions));
  }
  return length / dimensions;
}

function checkFinite(points: ArrayLike<number>, from: number, to: number, dimensions: number): void {
  for (let i = from; i < to; i++) {
    const v = points[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const point = Math.floor(i / dimensions);
      throw new InvalidInputError(`points must be finite numbers: value ${i} (point ${point}) is ${describe(v)}.`);
    }
  }
}

/** Checks per-point weights: n finite values ≥ 0, not all zero. Returns a float64 copy. */
export function validateWeights(weights: ArrayLike<number>, n: number): Float64Array {
  if (weights === null || typeof weights !== 'object' || typeof weights.length !== 'number') {
    throw new InvalidInputError(`weights must be an array or typed array of numbers, got ${describe(weights)}.`);
  }
  if (weights.length !== n) {
    throw new InvalidInputError(`weights has ${weights.length} values but there are ${n} points.`);
  }
  const out = new Float64Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w)) {
      throw new InvalidInputError(`weights must be finite numbers: weight ${i} is ${describe(w)}.`);
    }
    if (w < 0) throw new InvalidInputError(`weights must not be negative: weight ${i} is ${w}.`);
    if (w > 0) any = true;
    out[i] = w;
  }
  if (!any) throw new InvalidInputError('weights are all zero: no point counts, so there is nothing to cluster.');
  return out;
}

/**
 * Throws InvalidInputError when k-means' float64 sums could overflow: squared distances between points are at most
 * `d·(2·max|x|)²`, intermediate terms of `−2·x·c + ‖c‖² + ‖x‖²` (on centred points) four times that, and the sums
 * add one per point (k-means++'s potential, unweighted) or one per unit of weight (inertia, centre sums). Refused up
 * front, so a caller gets a reason instead of Infinity or NaN centres.
 */
export function checkMagnitudes(points: ArrayLike<number>, n: number, d: number, weights?: Float64Array): void {
  runSync(checkMagnitudesSteps(points, n, d, weights));
}

function largestMagnitude(points: ArrayLike<number>, from: number, to: number, max: number): number {
  for (let i = from; i < to; i++) {
    const a = Math.abs(points[i]!);
    if (a > max) max = a;
  }
  return max;
}

/** `checkMagnitudes` as steps (`pace.ts`). */
export function* checkMagnitudesSteps(points: ArrayLike<number>, n: number, d: number, weights?: Float64Array): Steps<void> {
  let maxAbs = 0;
  yield* chunks(n * d, chunkFor(2), (from, to) => {
    maxAbs = largestMagnitude(points, from, to, maxAbs);
  });
  let total = n;
  if (weights !== undefined) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weights[i]!;
    if (!Number.isFinite(sum)) {
      throw new InvalidInputError(
        'weights are too large for float64 sums: they add up to more than 1.8e308, so every weighted sum would be Infinity.',
      );
    }
    total = Math.max(n, sum);
  }
  if (!Number.isFinite(16 * d * maxAbs * maxAbs * total)) {
    const over = weights === undefined ? `${n} points` : `points whose weights add up to ${total}`;
    throw new InvalidInputError(
      `points are too large for float64 sums: with values up to ${maxAbs} in magnitude over ${over}, sums of squared ` +
        'distances would overflow to Infinity. Scale the points (or the weights) down.',
    );
  }
}

/** `options.device`: left out, or a GPUDevice (checked by shape, so a device from Dawn or another realm passes). */
export function validateDevice(device: unknown): GPUDevice | undefined {
  if (device === undefined) return undefined;
  const d = device as { queue?: { writeBuffer?: unknown }; createBuffer?: unknown; createComputePipeline?: unknown; limits?: unknown };
  const usable =
    device !== null &&
    typeof device === 'object' &&
    typeof d.createBuffer === 'function' &&
    typeof d.createComputePipeline === 'function' &&
    typeof d.queue?.writeBuffer === 'function' &&
    typeof d.limits === 'object' &&
    d.limits !== null;
  if (!usable) {
    throw new InvalidOptionError(
      `device must be a GPUDevice (from adapter.requestDevice()), or left out, got ${device === null ? 'null' : typeof device === 'object' ? 'an object that is not a GPUDevice' : describe(device)}.`,
    );
  }
  return device as GPUDevice;
}

/**
 * Fills in the defaults (`DEFAULTS`) and checks every option against `n`, the number of points.
 * Throws InvalidOptionError for a bad option and InvalidInputError for bad weights.
 */
export function resolveKMeansOptions(options: KMeansOptionsInput, n: number): ResolvedKMeansOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidOptionError(`options must be an object, got ${describe(options)}.`);
  }
  const k = positiveInteger('k', options.k ?? DEFAULTS.k);
  if (k > n) {
    throw new InvalidOptionError(`k must be at most the number of points (${n}), got ${k}.`);
  }
  const seed = options.seed ?? DEFAULTS.seed;
  if (!isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new InvalidOptionError(`seed must be an integer in 0..4294967295 (2^32-1), got ${describe(seed)}.`);
  }
  const nInit = positiveInteger('nInit', options.nInit ?? DEFAULTS.nInit);
  const maxIter = positiveInteger('maxIter', options.maxIter ?? DEFAULTS.maxIter);
  const tol = options.tol ?? DEFAULTS.tol;
  if (typeof tol !== 'number' || !Number.isFinite(tol) || tol < 0) {
    throw new InvalidOptionError(`tol must be a finite number ≥ 0, got ${describe(tol)}.`);
  }
  const weights = options.weights === undefined ? undefined : validateWeights(options.weights, n);
  const signal = options.signal;
  if (signal !== undefined && (signal === null || typeof signal.aborted !== 'boolean')) {
    throw new InvalidOptionError(`signal must be an AbortSignal, got ${describe(signal)}.`);
  }
  return { k, seed, nInit, maxIter, tol, weights, signal };
}

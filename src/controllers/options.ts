/**
 * From the element's attributes to engine options. The rule, documented in the README:
 * numbers out of range are clamped to the range; values that are not numbers, non-integers where an integer is
 * needed, and unknown keywords are reported as `invalid-option` (the previous palette stays shown).
 */
import { InvalidOptionError } from '../core/errors.js';
import { DEFAULTS, MAX_K } from '../core/constants.js';
import type { Arithmetic, Backend, ColorSpace } from '../core/types.js';
import { parseSampleSize, type SampleSize } from '../image/sample-size.js';
import type { ColorManagement } from '../image/load.js';

/** The attribute values as the element holds them. */
export interface RawOptions {
  colors: number;
  seed: number;
  backend: string;
  colorSpace: string;
  sampleSize: string;
  maxIterations: number;
  nInit: number;
  arithmetic: string;
  colorManagement: string;
}

export interface ResolvedOptions {
  k: number;
  seed: number;
  nInit: number;
  maxIter: number;
  backend: Backend;
  colorSpace: ColorSpace;
  arithmetic: Arithmetic;
  sampleSize: SampleSize;
  colorManagement: ColorManagement;
}

/** Ranges the clamping uses. */
export const LIMITS = {
  colors: [1, MAX_K],
  seed: [0, 2 ** 32 - 1],
  maxIterations: [1, 10_000],
  nInit: [1, 100],
} as const;

function integer(name: keyof typeof LIMITS, attribute: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidOptionError(`${attribute} must be a number (got "${String(value)}").`);
  }
  if (!Number.isInteger(value)) throw new InvalidOptionError(`${attribute} must be a whole number (got ${value}).`);
  const [min, max] = LIMITS[name];
  return Math.min(max, Math.max(min, value));
}

function keyword<T extends string>(attribute: string, value: string, allowed: readonly T[]): T {
  const v = String(value).trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) {
    throw new InvalidOptionError(`${attribute} must be one of ${allowed.join(', ')} (got "${value}").`);
  }
  return v as T;
}

export function resolveOptions(raw: RawOptions): ResolvedOptions {
  return {
    k: integer('colors', 'colors', raw.colors),
    seed: integer('seed', 'seed', raw.seed),
    nInit: integer('nInit', 'n-init', raw.nInit),
    maxIter: integer('maxIterations', 'max-iterations', raw.maxIterations),
    backend: keyword('backend', raw.backend, ['auto', 'gpu', 'cpu'] as const),
    colorSpace: keyword('color-space', raw.colorSpace, ['rgb', 'oklab'] as const),
    arithmetic: keyword('arithmetic', raw.arithmetic, ['exact', 'float64'] as const),
    sampleSize: parseSampleSize(raw.sampleSize),
    colorManagement: keyword('color-management', raw.colorManagement, ['srgb', 'none'] as const),
  };
}

export const OPTION_DEFAULTS: RawOptions = {
  colors: DEFAULTS.k,
  seed: DEFAULTS.seed,
  backend: 'auto',
  colorSpace: 'rgb',
  sampleSize: '200',
  maxIterations: DEFAULTS.maxIter,
  nInit: DEFAULTS.nInit,
  arithmetic: 'exact',
  colorManagement: 'srgb',
};

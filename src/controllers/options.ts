/**
 * From the element's attributes to engine options. The rule, documented in the README:
 * numbers out of range are clamped to the range; values that are not numbers, non-integers where an integer is
 * needed, and unknown keywords are reported as `invalid-option` (the previous palette stays shown).
 */
import type { EngineOptions } from '../core/backend.js';
import { InvalidOptionError } from '../core/errors.js';
import { DEFAULTS, MAX_K } from '../core/constants.js';
import type { Arithmetic, Backend, ColorSpace } from '../core/types.js';
import { parseSampleSize, type SampleSize } from '../image/sample-size.js';
import { formatIgnore, parseIgnore, type IgnoreEntry } from '../core/ignore.js';
import { parseRegionSpec, type RegionSpec } from '../image/region.js';
import { rgbToHex, type Rgb8 } from '../core/color.js';
import { resolveFixedColors } from '../core/exact/fixed-colors.js';
import type { ColorManagement } from '../image/load.js';

/**
 * The attribute values as the element holds them. A number attribute holds the text that was written when it is not
 * a number (`colors="abc"`), so the error can quote it.
 */
export interface RawOptions {
  colors: number | string;
  seed: number | string;
  backend: string;
  colorSpace: string;
  sampleSize: string;
  maxIterations: number | string;
  nInit: number | string;
  arithmetic: string;
  /** Colours left out of the clustering (`parseIgnore`); empty for none. */
  ignore: string;
  /** The rectangle the palette comes from, `x y w h` in pixels or percentages; empty for the whole image. */
  region: string;
  colorManagement: string;
  /** Locked colours, `#rrggbb` (or `#rgb`) separated by spaces or commas; empty for none. */
  locked: string;
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
  ignore: IgnoreEntry[];
  /** The ignore list written back in one canonical form, as a cache key ('' for none). */
  ignoreKey: string;
  region: RegionSpec | null;
  colorManagement: ColorManagement;
  /** The locked colours (the engines' `fixed`), duplicates merged, at most k. */
  fixed: Rgb8[];
  /** Pixels below this alpha are left out (the engines' default; the element has no attribute for it). */
  alphaThreshold: number;
}

export type { EngineOptions };

/** The engines' options (`EngineOptions`, core's backend contract), made once from the resolved options. */
export function engineOptions(options: ResolvedOptions): EngineOptions {
  const { k, seed, nInit, maxIter, colorSpace, arithmetic, alphaThreshold, fixed } = options;
  return { k, seed, nInit, maxIter, colorSpace, arithmetic, alphaThreshold, ...(fixed.length > 0 ? { fixed } : {}) };
}

/** Ranges the clamping uses. */
export const LIMITS = {
  colors: [1, MAX_K],
  seed: [0, 2 ** 32 - 1],
  maxIterations: [1, 10_000],
  nInit: [1, 100],
} as const;

function integer(name: keyof typeof LIMITS, attribute: string, raw: number | string): number {
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidOptionError(`${attribute} must be a number (got "${String(raw)}").`);
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

function ignoreOptions(text: string): { ignore: IgnoreEntry[]; ignoreKey: string } {
  const ignore = parseIgnore(text);
  return { ignore, ignoreKey: formatIgnore(ignore) };
}

/** Splits a `locked` list into its colours ('' is none). */
export function lockedList(text: string): string[] {
  const trimmed = String(text ?? '').trim();
  return trimmed ? trimmed.split(/\s*,\s*|\s+/) : [];
}

/** The `locked` attribute as engine colours: hex colours only, at most k of them once duplicates are merged. */
function lockedColors(text: string, k: number): Rgb8[] {
  const list = lockedList(text);
  const bad = list.find((c) => !/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(c));
  if (bad !== undefined) {
    throw new InvalidOptionError(`locked must list #rrggbb colours separated by spaces (got ${JSON.stringify(bad)}).`);
  }
  try {
    return resolveFixedColors(list, k);
  } catch {
    const distinct = new Set(resolveFixedColors(list, MAX_K).map(rgbToHex)).size;
    throw new InvalidOptionError(`locked holds ${distinct} colours but colors is ${k}: unlock one or ask for more colours.`);
  }
}

export function resolveOptions(raw: RawOptions): ResolvedOptions {
  const k = integer('colors', 'colors', raw.colors);
  return {
    k,
    seed: integer('seed', 'seed', raw.seed),
    nInit: integer('nInit', 'n-init', raw.nInit),
    maxIter: integer('maxIterations', 'max-iterations', raw.maxIterations),
    backend: keyword('backend', raw.backend, ['auto', 'gpu', 'cpu'] as const),
    colorSpace: keyword('color-space', raw.colorSpace, ['rgb', 'oklab'] as const),
    arithmetic: keyword('arithmetic', raw.arithmetic, ['exact', 'float64'] as const),
    sampleSize: parseSampleSize(raw.sampleSize),
    ...ignoreOptions(String(raw.ignore ?? '')),
    region: parseRegionSpec(String(raw.region ?? '')),
    colorManagement: keyword('color-management', raw.colorManagement, ['srgb', 'none'] as const),
    fixed: lockedColors(String(raw.locked ?? ''), k),
    alphaThreshold: DEFAULTS.alphaThreshold,
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
  ignore: '',
  region: '',
  colorManagement: 'srgb',
  locked: '',
};

/**
 * Attribute converters: an empty or removed attribute means the option's default (`colors=""` is 5, not 0), a
 * number is read as one, and any other text is kept as written so `invalid-option` can quote it.
 */
export function numberAttribute(fallback: number) {
  return {
    fromAttribute(value: string | null): number | string {
      if (value === null || value.trim() === '') return fallback;
      const n = Number(value);
      return Number.isNaN(n) ? value : n;
    },
    toAttribute(value: number | string): string {
      return String(value);
    },
  };
}

export function keywordAttribute(fallback: string) {
  return {
    fromAttribute(value: string | null): string {
      return value === null || value.trim() === '' ? fallback : value;
    },
  };
}

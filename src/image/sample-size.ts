/**
 * The `sample-size` attribute: how far the image is drawn down before clustering.
 * - `"200"`: fit inside 200×200, keeping the aspect ratio (never enlarged). The default.
 * - `"200x200"`: stretch to exactly 200×200, as the scikit-learn notebook did.
 * - `"full"`: every pixel of the original.
 */
import { DEFAULTS } from '../core/constants.js';
import { InvalidOptionError } from '../core/errors.js';

export type SampleSize =
  | { kind: 'fit'; size: number }
  | { kind: 'exact'; width: number; height: number }
  | { kind: 'full' };

/** Sides beyond this are clamped: larger samples buy nothing a palette can show. */
export const MAX_SAMPLE_SIDE = 8192;

export const DEFAULT_SAMPLE_SIZE = '200';

function side(text: string, value: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) {
    throw new InvalidOptionError(`sample-size "${value}" is not "full", a whole number, or WIDTHxHEIGHT.`);
  }
  return Math.min(MAX_SAMPLE_SIDE, Math.max(1, n));
}

/** Parses the attribute. Numbers out of 1..8192 are clamped; anything else unreadable is an `invalid-option`. */
export function parseSampleSize(value: string | null | undefined): SampleSize {
  const text = (value ?? DEFAULT_SAMPLE_SIZE).trim().toLowerCase();
  if (text === 'full') return { kind: 'full' };
  const match = /^(\S+?)\s*[x×]\s*(\S+)$/.exec(text);
  if (match) return { kind: 'exact', width: side(match[1]!, text), height: side(match[2]!, text) };
  if (text === '') throw new InvalidOptionError('sample-size is empty.');
  return { kind: 'fit', size: side(text, text) };
}

/** The sample's dimensions for an image of `width × height`. */
export function sampleDimensions(size: SampleSize, width: number, height: number): { width: number; height: number } {
  switch (size.kind) {
    case 'full':
      return { width, height };
    case 'exact':
      return { width: size.width, height: size.height };
    case 'fit': {
      const scale = Math.min(1, size.size / Math.max(width, height));
      return {
        width: Math.max(1, Math.round(width * scale)),
        height: Math.max(1, Math.round(height * scale)),
      };
    }
  }
}

/**
 * k-means needs at least k points: a sample with fewer opaque pixels than the colours asked for (a 1×1 image) runs
 * with one cluster per opaque pixel, so it shows the colours it has instead of an error. None opaque is left to the
 * engine, which reports `no-opaque-pixels`. The element and the command line both use this.
 */
export function fitK(k: number, sample: { data: ArrayLike<number> }): number {
  let opaque = 0;
  const data = sample.data;
  // Stops at k: a usual image answers within its first k pixels.
  for (let i = 3; i < data.length && opaque < k; i += 4) if (data[i]! >= DEFAULTS.alphaThreshold) opaque++;
  return opaque > 0 && opaque < k ? opaque : k;
}

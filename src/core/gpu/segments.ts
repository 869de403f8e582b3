/**
 * How an image is laid out on the device: pixels are cut into segments that each fit one storage binding (and one
 * buffer), every segment a whole number of tiles (one tile is the work of one workgroup), and each dispatch over a
 * segment spread over two dimensions when it has more workgroups than one dimension allows.
 */
import { TooLargeError } from '../errors.js';
import { TILE_PIXELS } from './shader-source.js';

/**
 * Pixels beyond which the exact arithmetic's bounds stop holding (a cluster's count doubled must fit a u32 in the
 * update kernel's division); no browser holds an image this large anyway.
 */
export const MAX_PIXELS = 2 ** 30;

export interface SegmentPlan {
  /** Index of the segment's first pixel in the image. */
  firstPixel: number;
  /** Pixels of the image in the segment. */
  pixelCount: number;
  /** Workgroups that cover it; the last tile is padded with pixels that are never points. */
  tiles: number;
}

/** Whole tiles of 4-byte pixels that fit one binding of `bindingBytes`. */
export function tilesPerBinding(bindingBytes: number): number {
  return Math.floor(bindingBytes / (4 * TILE_PIXELS));
}

/** Cuts `pixelCount` pixels into segments of at most `maxTiles` tiles. */
export function planSegments(pixelCount: number, maxTiles: number): SegmentPlan[] {
  if (pixelCount > MAX_PIXELS) {
    throw new TooLargeError(`The image has ${pixelCount} pixels; the GPU engine takes at most ${MAX_PIXELS}.`);
  }
  if (maxTiles < 1) {
    throw new TooLargeError(`The device cannot bind even ${TILE_PIXELS} pixels (one tile) in a storage buffer.`);
  }
  const segments: SegmentPlan[] = [];
  const segmentPixels = maxTiles * TILE_PIXELS;
  for (let first = 0; first < pixelCount; first += segmentPixels) {
    const count = Math.min(segmentPixels, pixelCount - first);
    segments.push({ firstPixel: first, pixelCount: count, tiles: Math.ceil(count / TILE_PIXELS) });
  }
  return segments;
}

/** A workgroup grid of at least `workgroups`, as (x, y) with both within `perDimension`. */
export function dispatchGrid(workgroups: number, perDimension: number): [number, number] {
  const x = Math.min(workgroups, perDimension);
  const y = Math.ceil(workgroups / x);
  if (y > perDimension) {
    throw new TooLargeError(`${workgroups} workgroups do not fit a ${perDimension} × ${perDimension} dispatch.`);
  }
  return [x, y];
}

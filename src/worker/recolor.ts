/**
 * The recoloured image on the CPU: every pixel replaced by its nearest centre's colour, with the same integer
 * distance and tie rule as the exact engine (docs/ARITHMETIC.md), so a pixel gets the colour the GPU would give it.
 */
import { writeFixedCoords } from '../core/exact/points.js';
import { chunkFor, chunks, runSync, type Steps } from '../core/pace.js';
import type { ColorSpace } from '../core/types.js';

/** The nearest centre to a point at fixed-point coordinates (P0, P1, P2), ties to the lowest index. */
function nearest(fixed: Uint32Array, k: number, P0: number, P1: number, P2: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let j = 0; j < k; j++) {
    const d0 = P0 - fixed[3 * j]!;
    const d1 = P1 - fixed[3 * j + 1]!;
    const d2 = P2 - fixed[3 * j + 2]!;
    const d = d0 * d0 + d1 * d1 + d2 * d2;
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  }
  return best;
}

/**
 * Recolours `pixels` (RGBA) with `rgb`. Pixels below `alphaThreshold` were never clustered and keep their colour.
 * A small direct-mapped cache keyed by the 24-bit colour skips the search for the colours photos repeat.
 */
export function recolorNearest(
  pixels: Uint8ClampedArray,
  fixed: Uint32Array,
  rgb: readonly (readonly [number, number, number])[],
  colorSpace: ColorSpace,
  alphaThreshold: number,
): Uint8ClampedArray<ArrayBuffer> {
  return runSync(recolorNearestSteps(pixels, fixed, rgb, colorSpace, alphaThreshold));
}

/** The nearest-colour cache of `recolorNearest`, kept across its chunks. */
interface RecolorCache {
  keys: Int32Array;
  labels: Uint8Array;
  code: Int32Array;
}

/** `recolorNearest` as steps (`src/core/pace.ts`), so that a Worker reads `cancel` while it recolours. */
export function* recolorNearestSteps(
  pixels: Uint8ClampedArray,
  fixed: Uint32Array,
  rgb: readonly (readonly [number, number, number])[],
  colorSpace: ColorSpace,
  alphaThreshold: number,
): Steps<Uint8ClampedArray<ArrayBuffer>> {
  const out = new Uint8ClampedArray(pixels.length);
  const cache: RecolorCache = { keys: new Int32Array(1 << 16).fill(-1), labels: new Uint8Array(1 << 16), code: new Int32Array(3) };
  yield* chunks(pixels.length / 4, chunkFor(rgb.length), (from, to) =>
    recolorRange(pixels, out, 4 * from, 4 * to, fixed, rgb, colorSpace, alphaThreshold, cache),
  );
  return out;
}

function recolorRange(
  pixels: Uint8ClampedArray,
  out: Uint8ClampedArray,
  start: number,
  end: number,
  fixed: Uint32Array,
  rgb: readonly (readonly [number, number, number])[],
  colorSpace: ColorSpace,
  alphaThreshold: number,
  cache: RecolorCache,
): void {
  const k = rgb.length;
  const { keys: cacheKeys, labels: cacheLabels, code } = cache;
  for (let i = start; i < end; i += 4) {
    const r = pixels[i]!;
    const g = pixels[i + 1]!;
    const b = pixels[i + 2]!;
    const a = pixels[i + 3]!;
    if (a < alphaThreshold) {
      out[i] = r;
      out[i + 1] = g;
      out[i + 2] = b;
      out[i + 3] = a;
      continue;
    }
    const key = (r << 16) | (g << 8) | b;
    const slot = (key ^ (key >>> 11)) & 0xffff;
    let label: number;
    if (cacheKeys[slot] === key) {
      label = cacheLabels[slot]!;
    } else {
      writeFixedCoords(colorSpace, r, g, b, code, 0);
      label = nearest(fixed, k, code[0]!, code[1]!, code[2]!);
      cacheKeys[slot] = key;
      cacheLabels[slot] = label;
    }
    const c = rgb[label]!;
    out[i] = c[0];
    out[i + 1] = c[1];
    out[i + 2] = c[2];
    out[i + 3] = a;
  }
}

/** Recolours from labels the engine already gave every pixel (`sample-size="full"`). */
export function recolorFromLabels(
  pixels: Uint8ClampedArray,
  labels: Int32Array,
  rgb: readonly (readonly [number, number, number])[],
): Uint8ClampedArray<ArrayBuffer> {
  return runSync(recolorFromLabelsSteps(pixels, labels, rgb));
}

/** `recolorFromLabels` as steps (`src/core/pace.ts`). */
export function* recolorFromLabelsSteps(
  pixels: Uint8ClampedArray,
  labels: Int32Array,
  rgb: readonly (readonly [number, number, number])[],
): Steps<Uint8ClampedArray<ArrayBuffer>> {
  const out = new Uint8ClampedArray(pixels);
  yield* chunks(labels.length, chunkFor(4), (from, to) => {
    for (let p = from; p < to; p++) {
      const label = labels[p]!;
      if (label < 0) continue;
      const c = rgb[label]!;
      out.set(c, 4 * p);
    }
  });
  return out;
}

/**
 * Deterministic photo-like images of any size, for the large-image tests and benchmarks: smooth colour fields (a sum
 * of low-frequency waves along rows, columns and both diagonals, so regions blend like a landscape under soft light)
 * plus per-pixel sensor-like noise from a seeded hash. A 24 MP one holds ~10^5–10^6 distinct colours, as photos do.
 */
import type { PixelImage } from '../../src/core/types.js';
import { seededRandom } from './images.js';

export interface LargeImage extends PixelImage {
  data: Uint8ClampedArray;
}

/** Common camera sizes by megapixels, about 3:2. */
export const MEGAPIXEL_SIZES: Record<number, [number, number]> = {
  1: [1224, 816],
  2: [1732, 1155],
  4: [2449, 1633],
  12: [4243, 2828],
  24: [6000, 4000],
  50: [8660, 5773],
};

/** A few waves of a channel along one axis, tabulated (the per-pixel work is then table look-ups and adds). */
function waves(length: number, period: number, random: () => number, amplitude: number): Float32Array {
  const table = new Float32Array(length);
  for (let w = 0; w < 3; w++) {
    const f = ((0.5 + 2.5 * random()) * 2 * Math.PI) / period;
    const phase = 2 * Math.PI * random();
    const a = (amplitude * (0.4 + random())) / (w + 1);
    for (let i = 0; i < length; i++) table[i]! += a * Math.sin(f * i + phase);
  }
  return table;
}

/**
 * `width × height` opaque RGBA, the same bytes for the same arguments. `noise` is the amplitude of the per-pixel
 * noise in 8-bit units (default 2).
 */
export function photoLikeImage(width: number, height: number, seed = 1, noise = 2): LargeImage {
  const random = seededRandom(seed);
  const period = Math.max(width, height);
  const base = [90 + 80 * random(), 90 + 80 * random(), 70 + 80 * random()];
  const rows: Float32Array[] = [];
  const cols: Float32Array[] = [];
  const diag: Float32Array[] = [];
  const anti: Float32Array[] = [];
  for (let c = 0; c < 3; c++) {
    rows.push(waves(height, period, random, 45));
    cols.push(waves(width, period, random, 45));
    diag.push(waves(width + height, period, random, 30));
    anti.push(waves(width + height, period, random, 30));
  }
  const data = new Uint8ClampedArray(4 * width * height);
  let state = (seed * 0x9e3779b1) | 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 4 * (y * width + x);
      for (let c = 0; c < 3; c++) {
        // xorshift32: cheap, seeded, and the same sequence in every run.
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        const jitter = ((state >>> 0) / 2 ** 32 - 0.5) * 2 * noise;
        data[o + c] = base[c]! + rows[c]![y]! + cols[c]![x]! + diag[c]![x + y]! + anti[c]![x - y + height - 1]! + jitter;
      }
      data[o + 3] = 255;
    }
  }
  return { data, width, height };
}

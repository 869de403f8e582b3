/**
 * The k-means++ seeding sample of a run whose points live on the GPU (docs/ARITHMETIC.md, "Seeding"): the points at
 * `seedSampleIndices(n)` (every point up to SEED_SAMPLE_MAX of them), in point order, read from the host's copy of
 * the image. At most SEED_SAMPLE_MAX colours are converted, whatever the image size; finding which pixel is the
 * q-th point needs one pass over the alpha bytes only where some pixel is left out.
 */
import { seedSampleIndices } from '../exact/prepare.js';
import { writeOklab8 } from '../oklab-int.js';
import type { ColorSpace, PixelImage } from '../types.js';

export interface SeedSample {
  /** m × 3 bytes in the clustering space. */
  points: Uint8Array;
  /** The point index of each, or null when the sample is every point. */
  sample: Uint32Array | null;
}

export function gatherSeedSample(image: PixelImage, colorSpace: ColorSpace, alphaThreshold: number, n: number): SeedSample {
  const { data } = image;
  const pixelCount = image.width * image.height;
  const sample = seedSampleIndices(n);
  const m = sample === null ? n : sample.length;
  const points = new Uint8Array(3 * m);
  const put = (i: number, pixel: number): void => {
    const s = 4 * pixel;
    if (colorSpace === 'oklab') writeOklab8(data[s]!, data[s + 1]!, data[s + 2]!, points, 3 * i);
    else points.set([data[s]!, data[s + 1]!, data[s + 2]!], 3 * i);
  };
  if (n === pixelCount) {
    // Every pixel is a point: point q is pixel q.
    for (let i = 0; i < m; i++) put(i, sample === null ? i : sample[i]!);
    return { points, sample };
  }
  let i = 0;
  let q = 0;
  let next = sample === null ? 0 : sample[0]!;
  for (let pixel = 0; pixel < pixelCount && i < m; pixel++) {
    if (data[4 * pixel + 3]! < alphaThreshold) continue;
    if (q === next) {
      put(i++, pixel);
      next = sample === null ? i : (sample[i] ?? -1);
    }
    q++;
  }
  return { points, sample };
}

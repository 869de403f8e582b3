/**
 * The sample the CLI clusters, taken as the element takes it: the same `sample-size` rule (`sampleDimensions`), the
 * same k fitted to the opaque pixels, and one resampling function.
 *
 * TODO(issue-11): the element is moving to the core resampler, `src/core/resample.ts` (scikit-image's `resize`, exact
 * and DOM-free; the element's `readSample` in src/image/sample.ts does `toPixelImage(await resizeImageAsync(...))`).
 * When it lands, `resampleTo` below becomes
 *     return toPixelImage(resizeImage(image, width, height));   // import { resizeImage, toPixelImage } from '../core/resample.js'
 * (its `float` values travel with the sample to extractPalette, for the float64 arithmetic), and the CLI's palettes
 * equal the element's for the same file and options. Until then the stand-in is an area average (each sample pixel the
 * mean of the source pixels it covers), close to, but not bit-equal with, scikit-image's resize.
 */
import { DEFAULTS } from '../core/constants.js';
import type { PixelImage } from '../core/types.js';
import { sampleDimensions, type SampleSize } from '../image/sample-size.js';

/** The image drawn to `width × height`. The one place the CLI resamples. */
export function resampleTo(image: PixelImage, width: number, height: number): PixelImage {
  return areaAverage(image, width, height);
}

/** The pixels k-means sees for `image` at `size` (the image itself for `full`, or when it is already that size). */
export function sampleForPalette(image: PixelImage, size: SampleSize): PixelImage {
  const { width, height } = sampleDimensions(size, image.width, image.height);
  if (width === image.width && height === image.height) return image;
  return resampleTo(image, width, height);
}

/**
 * As the element does (`fitK` in src/controllers/extraction.ts): an image with fewer opaque pixels than k runs with
 * one cluster per opaque pixel, so a 1×1 image gives its colour instead of an error.
 */
export function fitK(k: number, sample: PixelImage): number {
  let opaque = 0;
  const data = sample.data;
  for (let i = 3; i < data.length && opaque < k; i += 4) if (data[i]! >= DEFAULTS.alphaThreshold) opaque++;
  return opaque > 0 && opaque < k ? opaque : k;
}

/** Stand-in (see the TODO above): box filter with fractional coverage, alpha-weighted colour, rounded to bytes. */
function areaAverage(image: PixelImage, width: number, height: number): PixelImage {
  const { data, width: w, height: h } = image;
  const out = new Uint8ClampedArray(4 * width * height);
  const sx = w / width;
  const sy = h / height;
  for (let y = 0; y < height; y++) {
    const y0 = y * sy;
    const y1 = y0 + sy;
    for (let x = 0; x < width; x++) {
      const x0 = x * sx;
      const x1 = x0 + sx;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      let area = 0;
      for (let yy = Math.floor(y0); yy < Math.min(h, Math.ceil(y1)); yy++) {
        const wy = Math.min(y1, yy + 1) - Math.max(y0, yy);
        for (let xx = Math.floor(x0); xx < Math.min(w, Math.ceil(x1)); xx++) {
          const wxy = (Math.min(x1, xx + 1) - Math.max(x0, xx)) * wy;
          const i = 4 * (yy * w + xx);
          const alpha = data[i + 3]! * wxy;
          r += data[i]! * alpha;
          g += data[i + 1]! * alpha;
          b += data[i + 2]! * alpha;
          a += alpha;
          area += wxy;
        }
      }
      const o = 4 * (y * width + x);
      if (a > 0) {
        out[o] = Math.round(r / a);
        out[o + 1] = Math.round(g / a);
        out[o + 2] = Math.round(b / a);
      }
      out[o + 3] = Math.round(a / area);
    }
  }
  return { data: out, width, height };
}

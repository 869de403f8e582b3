/**
 * The sample the CLI clusters, taken as the element takes it: the same `sample-size` rule (`sampleDimensions`), the
 * same resampler (the core's `resizeImage`, scikit-image's `resize`, whose float values travel with the sample so the
 * float64 arithmetic clusters them as the notebook does), and the same k fitted to the opaque pixels (`fitK`). So a
 * file and options give the element's palette, bit for bit.
 */
import { resizeToPixels } from '../core/resample.js';
import type { PixelImage } from '../core/types.js';
import { sampleDimensions, type SampleSize } from '../image/sample-size.js';

export { fitK } from '../image/sample-size.js';

/** The image drawn to `width × height` by the core resampler. The one place the CLI resamples. */
export function resampleTo(image: PixelImage, width: number, height: number): PixelImage {
  return resizeToPixels(image, width, height);
}

/** The pixels k-means sees for `image` at `size` (the image itself for `full`, or when it is already that size). */
export function sampleForPalette(image: PixelImage, size: SampleSize): PixelImage {
  const { width, height } = sampleDimensions(size, image.width, image.height);
  if (width === image.width && height === image.height) return image;
  return resampleTo(image, width, height);
}

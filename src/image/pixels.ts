/**
 * Reads a decoded image's pixels through a canvas. The element reads them at the image's own size only (the original,
 * read once: recolouring needs it and the core resampler makes the sample from it, `sample.ts`), so no canvas
 * resampling is on the way to a palette; a read at another size would be the browser's own resampling.
 */
import { PaletteError } from '../core/errors.js';
import type { DecodedImage } from './load.js';

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

function context(width: number, height: number): Context2D {
  const options: CanvasRenderingContext2DSettings = { willReadFrequently: true, colorSpace: 'srgb' };
  if (typeof OffscreenCanvas !== 'undefined') {
    const ctx = new OffscreenCanvas(width, height).getContext('2d', options);
    if (ctx) return ctx;
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', options);
  if (!ctx) throw new PaletteError('too-large', `This browser cannot make a ${width}×${height} canvas.`);
  return ctx;
}

function read(ctx: Context2D, width: number, height: number): ImageData {
  try {
    return ctx.getImageData(0, 0, width, height, { colorSpace: 'srgb' });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'SecurityError') {
      throw new PaletteError(
        'cross-origin',
        'The image comes from another origin without CORS, so the browser does not let its pixels be read.',
        { cause },
      );
    }
    throw new PaletteError('too-large', `Could not read ${width}×${height} pixels (${String(cause)}).`, { cause });
  }
}

/**
 * The image's RGBA pixels at `width × height`. Always a fresh buffer (so it can be transferred to a worker without
 * detaching the caller's ImageData); pixels given as ImageData at the requested size are copied bit for bit.
 */
export function readPixels(image: DecodedImage, width: number, height: number): ImageData {
  const { source } = image;
  if (source instanceof ImageData) {
    if (source.width === width && source.height === height) {
      return new ImageData(new Uint8ClampedArray(source.data), width, height);
    }
    // Scaling ImageData needs it on a canvas first: putImageData ignores transforms.
    const staging = context(source.width, source.height);
    staging.putImageData(source, 0, 0);
    return drawScaled(staging.canvas, image.width, image.height, width, height);
  }
  return drawScaled(source, image.width, image.height, width, height);
}

function drawScaled(
  source: CanvasImageSource | OffscreenCanvas,
  fromWidth: number,
  fromHeight: number,
  width: number,
  height: number,
): ImageData {
  const ctx = context(width, height);
  ctx.imageSmoothingEnabled = width !== fromWidth || height !== fromHeight;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, width, height);
  return read(ctx, width, height);
}

/**
 * What a browser canvas can hold, and how images past it are still read and shown. Chromium refuses a canvas side
 * above 32767 (and an area above 2^28): such a canvas draws nothing, silently, so a 1×100000 image read through one
 * comes back transparent. Full-size pixels are therefore read in tiles, and what is only displayed is drawn at a size
 * a canvas can take (CSS scales it anyway).
 */
import { PaletteError } from '../core/errors.js';
import type { DecodedImage } from './load.js';

/** The largest canvas side used here: well inside every engine's limit (Chromium 32767, Safari and Firefox more). */
export const MAX_CANVAS_SIDE = 16384;

/** The size an image is displayed at: its own, or scaled down (aspect kept) so no side passes `MAX_CANVAS_SIDE`. */
export function displaySize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, MAX_CANVAS_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function tileContext(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
  if (!ctx) throw new PaletteError('too-large', `This browser cannot make a ${width}×${height} canvas.`);
  return ctx;
}

function readTile(ctx: OffscreenCanvasRenderingContext2D, width: number, height: number): ImageData {
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
 * The image's RGBA pixels at its own size, read tile by tile where a side passes `MAX_CANVAS_SIDE`. Always a fresh
 * buffer; pixels given as ImageData are copied as they are.
 */
export function readFullPixels(image: DecodedImage): ImageData {
  const { source, width, height } = image;
  if (source instanceof ImageData) return new ImageData(new Uint8ClampedArray(source.data), width, height);
  let out: Uint8ClampedArray<ArrayBuffer>;
  try {
    out = new Uint8ClampedArray(4 * width * height);
  } catch (cause) {
    throw new PaletteError('too-large', `There is not enough memory for ${width}×${height} pixels.`, { cause });
  }
  const tw = Math.min(width, MAX_CANVAS_SIDE);
  const th = Math.min(height, MAX_CANVAS_SIDE);
  const ctx = tileContext(tw, th);
  for (let y = 0; y < height; y += th) {
    for (let x = 0; x < width; x += tw) {
      const w = Math.min(tw, width - x);
      const h = Math.min(th, height - y);
      ctx.clearRect(0, 0, tw, th);
      ctx.drawImage(source as CanvasImageSource, x, y, w, h, 0, 0, w, h);
      const tile = readTile(ctx, w, h).data;
      for (let row = 0; row < h; row++) {
        out.set(tile.subarray(4 * w * row, 4 * w * (row + 1)), 4 * ((y + row) * width + x));
      }
    }
  }
  return new ImageData(out, width, height);
}

/** A canvas showing the image at `displaySize`. */
export function drawForDisplay(image: DecodedImage): HTMLCanvasElement {
  const size = displaySize(image.width, image.height);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new PaletteError('too-large', `This browser cannot make a ${size.width}×${size.height} canvas.`);
  const { source } = image;
  if (source instanceof ImageData) {
    if (size.width === image.width && size.height === image.height) ctx.putImageData(source, 0, 0);
    else {
      // putImageData ignores transforms: scale through a bitmap instead (asynchronous, so drawn when it is ready).
      void createImageBitmap(source, { resizeWidth: size.width, resizeHeight: size.height }).then((bitmap) => {
        ctx.drawImage(bitmap, 0, 0);
        bitmap.close();
      });
    }
  } else {
    ctx.drawImage(source as CanvasImageSource, 0, 0, size.width, size.height);
  }
  return canvas;
}

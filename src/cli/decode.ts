/**
 * Files to RGBA with sharp (libvips): JPEG, PNG, WebP, AVIF, TIFF, GIF. EXIF orientation is applied (`rotate()`),
 * an embedded ICC profile is converted to sRGB, and the result always has an alpha channel. Node only: the browser
 * bundle never imports this module.
 */
import sharp from 'sharp';
import { PaletteError } from '../core/errors.js';
import type { PixelImage } from '../core/types.js';

/** Past this many pixels an image is refused (sharp's own default limit, ~16384²). */
export const MAX_INPUT_PIXELS = 268_402_689;

export interface DecodedFile extends PixelImage {
  data: Uint8ClampedArray;
}

/** A file path or the bytes of an image, decoded to 8-bit sRGB RGBA at full size, upright. */
export async function decodeImage(input: string | Uint8Array): Promise<DecodedFile> {
  try {
    const pipeline = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .toColourspace('srgb')
      .ensureAlpha();
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    return {
      data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    if (/pixel limit/i.test(message)) {
      throw new PaletteError('too-large', `The image is larger than ${MAX_INPUT_PIXELS} pixels.`, { cause });
    }
    if (/no such file|ENOENT/i.test(message)) throw new PaletteError('fetch-failed', 'No such file.', { cause });
    throw new PaletteError('decode-failed', `Could not decode the image: ${message}`, { cause });
  }
}

/** RGBA pixels to a PNG file (the recoloured images). */
export async function writePng(image: PixelImage, path: string): Promise<void> {
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .png()
    .toFile(path);
}

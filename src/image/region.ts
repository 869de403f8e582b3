/**
 * The `region` option: a rectangle `x y w h` of the image to take the palette from, in pixels or percentages of the
 * image's size (`10% 10% 50% 50%`), separated by spaces or commas. DOM-free: parsing, resolving against an image size,
 * writing back, and cropping RGBA pixels.
 */
import { InvalidOptionError } from '../core/errors.js';
import type { PixelImage } from '../core/types.js';

/** Whole pixels, inside the image, never empty. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface RegionLength {
  value: number;
  unit: 'px' | '%';
}

/** A parsed region before it meets an image: x, y, width and height with their units. */
export type RegionSpec = readonly [x: RegionLength, y: RegionLength, width: RegionLength, height: RegionLength];

const LENGTH = /^(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(px|%)?$/i;

function fail(text: string, why: string): never {
  throw new InvalidOptionError(
    `region ${JSON.stringify(text)} ${why}: expected "x y width height" in pixels or percentages, such as "40 30 200 120" or "10% 10% 50% 50%".`,
  );
}

/** Reads `x y w h` (spaces and/or commas; each in pixels, `px` or `%`). Empty text means no region: null. */
export function parseRegionSpec(text: string): RegionSpec | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const tokens = trimmed.split(/\s*,\s*|\s+/);
  if (tokens.length !== 4) fail(text, `has ${tokens.length} value${tokens.length === 1 ? '' : 's'}`);
  const lengths = tokens.map((token): RegionLength => {
    const m = LENGTH.exec(token);
    if (!m) fail(text, `has ${JSON.stringify(token)}, which is not a number`);
    const value = Number(m[1]);
    if (!Number.isFinite(value)) fail(text, `has ${JSON.stringify(token)}, which is not finite`);
    return { value, unit: m[2] === '%' ? '%' : 'px' };
  });
  if (lengths[2]!.value <= 0 || lengths[3]!.value <= 0) fail(text, 'needs a width and a height above 0');
  return lengths as unknown as RegionSpec;
}

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InvalidOptionError(`An image size must be whole pixels ≥ 1, got ${width}×${height}.`);
  }
}

/**
 * The pixels a region covers in a `width × height` image: every pixel it touches (edges rounded outwards), clipped to
 * the image. A region wholly outside the image is an InvalidOptionError, as there would be nothing to cluster.
 */
export function resolveRegion(spec: RegionSpec, width: number, height: number): PixelRect {
  checkSize(width, height);
  const px = (length: RegionLength, size: number) => (length.unit === '%' ? (length.value / 100) * size : length.value);
  const [x, y, w, h] = spec;
  const left = px(x, width);
  const top = px(y, height);
  // The slack keeps 50% of 100 px from becoming 51 px through floating-point noise.
  const x0 = Math.max(0, Math.floor(left + 1e-9));
  const y0 = Math.max(0, Math.floor(top + 1e-9));
  const x1 = Math.min(width, Math.ceil(left + px(w, width) - 1e-9));
  const y1 = Math.min(height, Math.ceil(top + px(h, height) - 1e-9));
  if (x1 <= x0 || y1 <= y0) {
    throw new InvalidOptionError(`region "${formatSpec(spec)}" lies outside the ${width}×${height} image.`);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** `parseRegionSpec` then `resolveRegion`: the pixel rectangle, or null for empty text (the whole image). */
export function parseRegion(text: string, width: number, height: number): PixelRect | null {
  const spec = parseRegionSpec(text);
  return spec && resolveRegion(spec, width, height);
}

function formatSpec(spec: RegionSpec): string {
  return spec.map((l) => `${l.value}${l.unit === '%' ? '%' : ''}`).join(' ');
}

/** A rectangle as the attribute's text, `x y w h` in pixels (what a drag on the image sets). */
export function formatRegion(rect: PixelRect): string {
  return `${rect.x} ${rect.y} ${rect.width} ${rect.height}`;
}

/** Whether a rectangle is the whole image (then no crop is needed). */
export function isWholeImage(rect: PixelRect, width: number, height: number): boolean {
  return rect.x === 0 && rect.y === 0 && rect.width === width && rect.height === height;
}

/** The RGBA pixels inside `rect`, as a new image (rows copied; the source is left as it is). */
export function cropPixels(image: PixelImage, rect: PixelRect): PixelImage {
  const { x, y, width, height } = rect;
  const whole = [x, y, width, height].every(Number.isInteger);
  if (!whole || x < 0 || y < 0 || x + width > image.width || y + height > image.height || width < 1 || height < 1) {
    const size = `${image.width}×${image.height}`;
    throw new InvalidOptionError(`The rectangle ${formatRegion(rect)} is not inside the ${size} image.`);
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    const from = ((y + row) * image.width + x) * 4;
    data.set(image.data.subarray(from, from + width * 4), row * width * 4);
  }
  return { data, width, height };
}

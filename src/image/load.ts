/**
 * Turns whatever a page hands the element (a URL, a File, a bitmap, an <img>, a canvas, pixels) into one decoded,
 * drawable image, with a typed error for each way that can fail.
 */
import { AbortError, PaletteError } from '../core/errors.js';
import { HEADER_BYTES, MAX_IMAGE_PIXELS, readDeclaredSize } from './header.js';

/** Everything the element's `image` property and `src` attribute accept. */
export type ImageInput =
  | string
  | URL
  | Blob
  | ImageBitmap
  | HTMLImageElement
  | HTMLCanvasElement
  | OffscreenCanvas
  | ImageData;

/**
 * How an encoded file's colours are decoded: `srgb` converts them from the file's colour profile to sRGB, as the
 * browser displays them (the default); `none` keeps the stored values, as Pillow, imageio and the notebook read them.
 */
export type ColorManagement = 'srgb' | 'none';

export interface LoadOptions {
  /** Applies to files and URLs (the element decodes them); an <img>, bitmap, canvas or ImageData is already decoded. */
  colorManagement?: ColorManagement;
}

export interface DecodedImage {
  /** Something `drawImage` takes, or the caller's pixels as they are. */
  source: CanvasImageSource | OffscreenCanvas | ImageData;
  width: number;
  height: number;
  /** Frees what loading created (a bitmap decoded here); never the caller's own objects. */
  release(): void;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new AbortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

/** Decodes an encoded image (PNG, JPEG, WebP, ...) off the main thread where the browser can. */
export async function decodeBlob(blob: Blob, signal?: AbortSignal, options: LoadOptions = {}): Promise<DecodedImage> {
  if (blob.size === 0) throw new PaletteError('decode-failed', 'The file is empty.');
  const declared = readDeclaredSize(new Uint8Array(await abortable(blob.slice(0, HEADER_BYTES).arrayBuffer(), signal)));
  if (declared && declared.width * declared.height > MAX_IMAGE_PIXELS) {
    const mp = (declared.width * declared.height) / 1e6;
    throw new PaletteError(
      'too-large',
      `The ${declared.format.toUpperCase()} declares ${declared.width} × ${declared.height} pixels (${mp.toFixed(0)} MP); ` +
        `images up to ${(MAX_IMAGE_PIXELS / 1e6).toFixed(0)} MP can be read in a browser.`,
    );
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await abortable(createImageBitmap(blob, { colorSpaceConversion: options.colorManagement === 'none' ? 'none' : 'default' }), signal);
  } catch (cause) {
    if (cause instanceof AbortError) throw cause;
    const what = blob.type ? `a ${blob.type} file` : 'the file';
    throw new PaletteError('decode-failed', `Could not decode ${what} as an image.`, { cause });
  }
  if (signal?.aborted) {
    bitmap.close();
    throw new AbortError();
  }
  return { source: bitmap, width: bitmap.width, height: bitmap.height, release: () => bitmap.close() };
}

function isCrossOrigin(url: URL): boolean {
  return typeof location !== 'undefined' && url.protocol.startsWith('http') && url.origin !== location.origin;
}

const FETCHABLE = new Set(['http:', 'https:', 'blob:', 'data:']);

/** Fetches and decodes a URL. `fetch` (not an <img>) so the request can be aborted and its failures told apart. */
export async function loadUrl(href: string | URL, signal?: AbortSignal, options: LoadOptions = {}): Promise<DecodedImage> {
  const url = new URL(href, typeof document !== 'undefined' ? document.baseURI : undefined);
  // Refused here rather than by fetch, which would also log a console error (javascript:, file:, about:, ...).
  if (!FETCHABLE.has(url.protocol)) {
    throw new PaletteError('fetch-failed', `Cannot load an image from a ${url.protocol} URL: use http(s), blob: or data:.`);
  }
  let response: Response;
  try {
    response = await fetch(url, { signal, mode: 'cors', credentials: 'same-origin' });
  } catch (cause) {
    if (signal?.aborted) throw new AbortError();
    // A browser reports a CORS refusal and a network failure the same way; the origin tells which is likely.
    if (isCrossOrigin(url)) {
      throw new PaletteError(
        'cross-origin',
        `The image at ${url.origin} cannot be read: its server does not allow other origins (CORS).`,
        { cause },
      );
    }
    throw new PaletteError('fetch-failed', `Could not fetch the image (${String(cause)}).`, { cause });
  }
  if (!response.ok) {
    throw new PaletteError('fetch-failed', `Could not fetch the image: the server answered ${response.status}.`);
  }
  const blob = await abortable(response.blob(), signal);
  return decodeBlob(blob, signal, options);
}

async function fromImageElement(img: HTMLImageElement, signal?: AbortSignal): Promise<DecodedImage> {
  try {
    await abortable(img.decode(), signal);
  } catch (cause) {
    if (cause instanceof AbortError) throw cause;
    throw new PaletteError('decode-failed', 'The <img> could not be decoded.', { cause });
  }
  return { source: img, width: img.naturalWidth, height: img.naturalHeight, release: () => {} };
}

/** Loads any accepted input. Objects the caller owns are used in place, never closed or detached. */
export async function loadImage(input: ImageInput, signal?: AbortSignal, options: LoadOptions = {}): Promise<DecodedImage> {
  if (signal?.aborted) throw new AbortError();
  if (typeof input === 'string' || input instanceof URL) return loadUrl(input, signal, options);
  if (input instanceof Blob) return decodeBlob(input, signal, options);
  if (typeof HTMLImageElement !== 'undefined' && input instanceof HTMLImageElement) {
    return fromImageElement(input, signal);
  }
  const { width, height } = input;
  if (!width || !height) throw new PaletteError('decode-failed', 'The image has no pixels (its width or height is 0).');
  if (typeof ImageBitmap !== 'undefined' && input instanceof ImageBitmap) {
    return { source: input, width, height, release: () => {} };
  }
  if (typeof ImageData !== 'undefined' && input instanceof ImageData) {
    return { source: input, width, height, release: () => {} };
  }
  if (
    (typeof HTMLCanvasElement !== 'undefined' && input instanceof HTMLCanvasElement) ||
    (typeof OffscreenCanvas !== 'undefined' && input instanceof OffscreenCanvas)
  ) {
    return { source: input, width, height, release: () => {} };
  }
  throw new PaletteError('invalid-input', 'image must be a URL, File, Blob, ImageBitmap, <img>, canvas or ImageData.');
}

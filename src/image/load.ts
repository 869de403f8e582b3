/**
 * Turns whatever a page hands the element (a URL, a File, a bitmap, an <img>, a canvas, pixels) into one decoded,
 * drawable image, with a typed error for each way that can fail.
 */
import { AbortError, PaletteError } from '../core/errors.js';
import { HEADER_BYTES, readDeclaredSize } from './header.js';

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

export interface DecodedImage {
  /** Something `drawImage` takes, or the caller's pixels as they are. */
  source: CanvasImageSource | OffscreenCanvas | ImageData;
  width: number;
  height: number;
  /** Frees what loading created (a bitmap decoded here); never the caller's own objects. */
  release(): void;
}

/** Waits for `promise` unless `signal` fires first (then rejects with AbortError); the promise itself goes on. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
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

/** Options of a load; the element passes its own, `loadImage` alone needs none. */
export interface LoadOptions {
  /** Applies to files and URLs (the element decodes them); an <img>, bitmap, canvas or ImageData is already decoded. */
  colorManagement?: ColorManagement;
  /**
   * A fetch that receives nothing (no headers, or no body bytes) for this long fails with `fetch-failed`, so a
   * stalled server cannot leave the element busy forever. Milliseconds; default `DEFAULT_FETCH_TIMEOUT_MS`.
   */
  fetchTimeoutMs?: number;
}

/** Seconds of silence after which a fetch is given up (30 s). */
export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;

/**
 * The most pixels an image may have here: each pixel is held several times over on its way (the decoded bitmap,
 * the pixels read for the worker or the GPU, the recoloured image, the canvases), about 30 bytes in all, so 100 MP
 * is ~3 GB. Past it, a page would run out of memory (a 16384×16384 PNG crashed the tab): refused with `too-large`,
 * before decoding wherever the header says the size.
 */
export const MAX_PIXELS = 100_000_000;

function tooLarge(width: number, height: number, what: string): PaletteError {
  const mp = (width * height) / 1e6;
  return new PaletteError(
    'too-large',
    `${what} ${width} × ${height} pixels (${mp.toFixed(0)} MP); images up to ${MAX_PIXELS / 1e6} MP can be read here.`,
  );
}

function isSvg(blob: Blob, head: Uint8Array): boolean {
  if (blob.type === 'image/svg+xml') return true;
  const text = new TextDecoder().decode(head.subarray(0, 512)).trimStart().toLowerCase();
  return text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'));
}

/** The side an SVG without its own size is drawn at (its longer side, the aspect taken from its viewBox). */
const SVG_DEFAULT_SIDE = 1024;

/**
 * Browsers draw SVGs but `createImageBitmap` does not take them: an <img> loads the file, and it is drawn at its
 * intrinsic size (or `SVG_DEFAULT_SIDE` on its longer side when it has none) into a bitmap.
 */
async function rasteriseSvg(blob: Blob, signal?: AbortSignal): Promise<DecodedImage> {
  const url = URL.createObjectURL(blob.type === 'image/svg+xml' ? blob : new Blob([blob], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    try {
      await abortable(img.decode(), signal);
    } catch (cause) {
      if (cause instanceof AbortError) throw cause;
      throw new PaletteError('decode-failed', 'Could not draw the SVG file: it is not a valid SVG image.', { cause });
    }
    let width = img.naturalWidth;
    let height = img.naturalHeight;
    if (!width || !height) {
      const [, , vw = 1, vh = 1] = (/viewBox\s*=\s*["']([^"']+)["']/i.exec(await blob.text())?.[1] ?? '')
        .split(/[\s,]+/)
        .map(Number)
        .filter((v) => Number.isFinite(v));
      const aspect = vw > 0 && vh > 0 ? vw / vh : 1;
      width = Math.max(1, Math.round(aspect >= 1 ? SVG_DEFAULT_SIDE : SVG_DEFAULT_SIDE * aspect));
      height = Math.max(1, Math.round(aspect >= 1 ? SVG_DEFAULT_SIDE / aspect : SVG_DEFAULT_SIDE));
    }
    if (width * height > MAX_PIXELS) throw tooLarge(width, height, 'The SVG is');
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d')!.drawImage(img, 0, 0, width, height);
    const bitmap = await createImageBitmap(canvas);
    return { source: bitmap, width, height, release: () => bitmap.close() };
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Decodes an encoded image (PNG, JPEG, WebP, SVG, ...) off the main thread where the browser can. */
export async function decodeBlob(blob: Blob, signal?: AbortSignal, options: LoadOptions = {}): Promise<DecodedImage> {
  if (blob.size === 0) throw new PaletteError('decode-failed', 'The file is empty.');
  const head = new Uint8Array(await abortable(blob.slice(0, HEADER_BYTES).arrayBuffer(), signal));
  const declared = readDeclaredSize(head);
  if (declared && declared.width * declared.height > MAX_PIXELS) {
    throw tooLarge(declared.width, declared.height, `The ${declared.format.toUpperCase()} declares`);
  }
  if (isSvg(blob, head)) return rasteriseSvg(blob, signal);
  let bitmap: ImageBitmap;
  try {
    const colorSpaceConversion = options.colorManagement === 'none' ? 'none' : 'default';
    bitmap = await abortable(createImageBitmap(blob, { colorSpaceConversion }), signal);
  } catch (cause) {
    if (cause instanceof AbortError) throw cause;
    const what = blob.type ? `the ${blob.type} file` : 'the file';
    throw new PaletteError('decode-failed', `Could not decode ${what} as an image.`, { cause });
  }
  if (signal?.aborted) {
    bitmap.close();
    throw new AbortError();
  }
  // A format whose header was not read (or lied): refused before anything more is allocated for it.
  if (bitmap.width * bitmap.height > MAX_PIXELS) {
    bitmap.close();
    throw tooLarge(bitmap.width, bitmap.height, 'The image has');
  }
  return { source: bitmap, width: bitmap.width, height: bitmap.height, release: () => bitmap.close() };
}

function isCrossOrigin(url: URL): boolean {
  return typeof location !== 'undefined' && url.protocol.startsWith('http') && url.origin !== location.origin;
}

const FETCHABLE = new Set(['http:', 'https:', 'blob:', 'data:']);

/**
 * Whether a same-origin URL that failed to fetch redirects elsewhere: a redirect to another origin without CORS fails
 * exactly like a network error, but a `redirect: 'manual'` request sees the redirect itself.
 */
async function redirects(url: URL, signal?: AbortSignal): Promise<boolean> {
  try {
    const probe = await fetch(url, { signal, redirect: 'manual', credentials: 'same-origin' });
    return probe.type === 'opaqueredirect';
  } catch {
    return false;
  }
}

/**
 * The response body, read with a deadline that restarts on every chunk: a server that stalls before its headers or
 * in the middle of the body fails with `fetch-failed` instead of keeping the element busy.
 */
async function fetchBlob(url: URL, signal: AbortSignal | undefined, timeoutMs: number): Promise<Blob> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  const stalled = () =>
    new PaletteError(
      'fetch-failed',
      `The server stopped sending the image: nothing arrived for ${Math.round(timeoutMs / 100) / 10} s.`,
    );
  try {
    arm();
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal, mode: 'cors', credentials: 'same-origin' });
    } catch (cause) {
      if (signal?.aborted) throw new AbortError();
      if (timedOut) throw stalled();
      // A browser reports a CORS refusal and a network failure the same way; the origin, or a redirect, tells which.
      if (isCrossOrigin(url) || (url.protocol.startsWith('http') && (await redirects(url, signal)))) {
        throw new PaletteError(
          'cross-origin',
          `The image at ${url.href} cannot be read: it comes from another origin whose server does not allow it (CORS).`,
          { cause },
        );
      }
      throw new PaletteError('fetch-failed', `Could not fetch the image (${String(cause)}).`, { cause });
    }
    if (!response.ok) {
      throw new PaletteError('fetch-failed', `Could not fetch the image: the server answered ${response.status}.`);
    }
    const type = response.headers.get('content-type') ?? '';
    if (!response.body) return await response.blob();
    const reader = response.body.getReader();
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    try {
      for (;;) {
        arm();
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value as Uint8Array<ArrayBuffer>);
      }
    } catch (cause) {
      if (signal?.aborted) throw new AbortError();
      if (timedOut) throw stalled();
      throw new PaletteError('fetch-failed', `The download of the image broke off (${String(cause)}).`, { cause });
    }
    return new Blob(chunks, { type: type.split(';')[0]!.trim() });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Fetches and decodes a URL. `fetch` (not an <img>) so the request can be aborted and its failures told apart. */
export async function loadUrl(href: string | URL, signal?: AbortSignal, options: LoadOptions = {}): Promise<DecodedImage> {
  const url = new URL(href, typeof document !== 'undefined' ? document.baseURI : undefined);
  // Refused here rather than by fetch, which would also log a console error (javascript:, file:, about:, ...).
  if (!FETCHABLE.has(url.protocol)) {
    throw new PaletteError('fetch-failed', `Cannot load an image from a ${url.protocol} URL: use http(s), blob: or data:.`);
  }
  const blob = await fetchBlob(url, signal, options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS);
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
  if (input === null || typeof input !== 'object') {
    throw new PaletteError('invalid-input', 'image must be a URL, File, Blob, ImageBitmap, <img>, canvas or ImageData.');
  }
  const { width, height } = input as { width: number; height: number };
  if (!width || !height) throw new PaletteError('decode-failed', 'The image has no pixels (its width or height is 0).');
  if (width * height > MAX_PIXELS) throw tooLarge(width, height, 'The image has');
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

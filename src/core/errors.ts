/**
 * Named error classes. Every error the core throws on purpose is a `PaletteError` with a stable `code`,
 * so callers (and the element's `palette-error` event) can branch on the code rather than on message text.
 */

/** Stable machine-readable error codes. Documented in the README. */
export type PaletteErrorCode =
  | 'invalid-option'
  | 'invalid-input'
  | 'no-opaque-pixels'
  | 'too-large'
  | 'no-webgpu'
  | 'no-adapter'
  | 'gpu-lost'
  | 'gpu-error'
  | 'decode-failed'
  | 'fetch-failed'
  | 'cross-origin'
  | 'worker-failed'
  | 'aborted';

export class PaletteError extends Error {
  override name = 'PaletteError';
  readonly code: PaletteErrorCode;
  constructor(code: PaletteErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** An option is missing, of the wrong type, or out of range (k < 1, seed not an integer in 0..2^32-1, ...). */
export class InvalidOptionError extends PaletteError {
  override name = 'InvalidOptionError';
  constructor(message: string) {
    super('invalid-option', message);
  }
}

/** The points or pixels themselves are unusable (NaN, infinite, wrong length, negative weights, ...). */
export class InvalidInputError extends PaletteError {
  override name = 'InvalidInputError';
  constructor(message: string) {
    super('invalid-input', message);
  }
}

/** Every pixel is below the alpha threshold, so there is nothing to cluster. */
export class NoOpaquePixelsError extends PaletteError {
  override name = 'NoOpaquePixelsError';
  constructor(message = 'The image has no pixel at or above the alpha threshold, so there is nothing to cluster.') {
    super('no-opaque-pixels', message);
  }
}

/** The image does not fit in what the device (or this browser) can hold. */
export class TooLargeError extends PaletteError {
  override name = 'TooLargeError';
  constructor(message: string) {
    super('too-large', message);
  }
}

/** `navigator.gpu` (or the Node `webgpu` provider) is missing. */
export class WebGPUUnavailableError extends PaletteError {
  override name = 'WebGPUUnavailableError';
  constructor(message = 'WebGPU is not available in this environment.') {
    super('no-webgpu', message);
  }
}

/** WebGPU exists but `requestAdapter()` found no adapter. */
export class NoAdapterError extends PaletteError {
  override name = 'NoAdapterError';
  constructor(message = 'WebGPU is available but no GPU adapter was found.') {
    super('no-adapter', message);
  }
}

/** The GPUDevice was lost (driver reset, destroy(), ...) before or during a run. */
export class DeviceLostError extends PaletteError {
  override name = 'DeviceLostError';
  readonly reason: string;
  constructor(message: string, reason = 'unknown') {
    super('gpu-lost', message);
    this.reason = reason;
  }
}

/** A WebGPU validation, out-of-memory or internal error surfaced during a run. */
export class GpuError extends PaletteError {
  override name = 'GpuError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('gpu-error', message, options);
  }
}

/** The run was cancelled through its AbortSignal. */
export class AbortError extends PaletteError {
  override name = 'AbortError';
  constructor(message = 'The run was aborted.') {
    super('aborted', message);
  }
}

/** Throws AbortError if the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}

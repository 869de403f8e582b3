/** Turns WebGPU's error scopes into the engine's typed errors. */
import { GpuError, TooLargeError } from '../errors.js';

/** Opens the scopes `closeScopes` closes: validation inside out-of-memory. */
export function openScopes(device: GPUDevice): void {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
}

/**
 * Closes the scopes `openScopes` opened and returns the error they caught, typed: a validation error as GpuError
 * (a bug: the engine's own commands should always validate), running out of memory as TooLargeError.
 * A lost device rejects the pops; that loss is reported elsewhere (device.lost), so it counts as no error here.
 */
export async function closeScopes(device: GPUDevice, what: string): Promise<GpuError | TooLargeError | null> {
  const [validation, memory] = await Promise.all([
    device.popErrorScope().catch(() => null),
    device.popErrorScope().catch(() => null),
  ]);
  if (validation) return new GpuError(`WebGPU validation error while ${what}: ${validation.message}`, { cause: validation });
  if (memory) return new TooLargeError(`The GPU ran out of memory while ${what}: ${memory.message}`);
  return null;
}

/** Runs `work` inside both scopes; a GPU error caught there wins over whatever `work` threw as a consequence. */
export async function withScopes<T>(device: GPUDevice, what: string, work: () => Promise<T>): Promise<T> {
  openScopes(device);
  let result: T | undefined;
  let failure: unknown;
  let failed = false;
  try {
    result = await work();
  } catch (error) {
    failed = true;
    failure = error;
  }
  const gpuError = await closeScopes(device, what);
  if (gpuError) throw gpuError;
  if (failed) throw failure;
  return result as T;
}

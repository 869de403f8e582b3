/**
 * The GPU for the CLI: Dawn through the optional `webgpu` package, chosen by core's `decideBackend` (the element's and
 * `extractPalette`'s policy): `auto` takes a real adapter only (a fallback or software one such as SwiftShader would
 * be slower than the CPU pool); `gpu` takes whatever adapter there is and says why when there is none.
 */
import { decideBackend } from '../core/backend-policy.js';
import { NoAdapterError, WebGPUUnavailableError } from '../core/errors.js';
import { acquireDevice, type AcquiredDevice } from '../core/gpu/device.js';

/** Dawn's entry point, held for as long as its devices: collected, it takes them down (see the brief). */
let dawn: GPU | undefined;

async function loadDawn(): Promise<GPU> {
  if (dawn) return dawn;
  let module: { create(flags: string[]): GPU; globals: object };
  try {
    const name = 'webgpu';
    module = (await import(name)) as typeof module;
  } catch (cause) {
    throw new WebGPUUnavailableError(
      `The optional 'webgpu' package (Dawn) is not installed (npm install webgpu): ${(cause as Error).message}`,
    );
  }
  Object.assign(globalThis, module.globals);
  dawn = module.create([]);
  return dawn;
}

/** A device for `--backend gpu` (any adapter) or `auto` (a real one, else null: the CPU pool runs). */
export async function cliDevice(backend: 'auto' | 'gpu'): Promise<AcquiredDevice | null> {
  try {
    // One device for every image: ask for the adapter's largest buffers (clamped to what it has), for --sample-size full.
    const acquired = await acquireDevice({ gpu: await loadDawn(), label: 'palette-extractor CLI', requiredBytes: 2 ** 31 });
    if (decideBackend(backend, { software: acquired.info.software, name: acquired.info.text }).kind === 'cpu') {
      acquired.release();
      return null;
    }
    return acquired;
  } catch (error) {
    if (backend === 'auto' && (error instanceof WebGPUUnavailableError || error instanceof NoAdapterError)) return null;
    throw error;
  }
}

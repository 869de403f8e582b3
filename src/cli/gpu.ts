/**
 * The GPU for the CLI: Dawn through the optional `webgpu` package, chosen by core's `decideBackend` (the element's and
 * `extractPalette`'s policy): `auto` takes a real adapter only (a fallback or software one such as SwiftShader would
 * be slower than the CPU pool); `gpu` takes whatever adapter there is and says why when there is none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Folders a Linux dynamic loader searches when the library path and its cache do not name the library. */
const DEFAULT_LIBRARY_DIRS = ['/lib', '/usr/lib', '/lib64', '/usr/lib64', '/usr/local/lib', '/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib/aarch64-linux-gnu'];

/**
 * Whether Dawn can find a Vulkan loader (`libvulkan.so.1`), its only way to a GPU on Linux: on the library path, in
 * the loader's cache or in the default folders. Other systems reach their GPU APIs without one, so they answer yes.
 * Without a loader Dawn would print "Couldn't load Vulkan" before `auto` fell back to the CPU pool.
 */
export function vulkanLoaderFound(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (platform !== 'linux') return true;
  const name = 'libvulkan.so.1';
  const onPath = (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  if ([...onPath, ...DEFAULT_LIBRARY_DIRS].some((dir) => existsSync(join(dir, name)))) return true;
  try {
    return readFileSync('/etc/ld.so.cache').includes(name);
  } catch {
    return false;
  }
}

/** A device for `--backend gpu` (any adapter) or `auto` (a real one, else null: the CPU pool runs). */
export async function cliDevice(backend: 'auto' | 'gpu'): Promise<AcquiredDevice | null> {
  // `auto` on a Linux machine without a Vulkan loader has no GPU to find: Dawn is not loaded (nor its warning printed).
  if (backend === 'auto' && !vulkanLoaderFound()) return null;
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

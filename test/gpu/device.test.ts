/**
 * The device module on Dawn: an adapter (the fallback one where it is the only one) and a device it owns, the named
 * errors for no WebGPU and no adapter, larger limits only when an image needs them, and a device that outlives the
 * `GPU` object it came from.
 */
import { describe, expect, it } from 'vitest';
import { create } from 'webgpu';
import { cpuPixelKMeans } from '../../src/core/exact/index.js';
import { NoAdapterError, WebGPUUnavailableError } from '../../src/core/errors.js';
import { acquireDevice, describeAdapter, isSoftwareAdapter, limitsFor } from '../../src/core/gpu/device.js';
import { GpuKMeans } from '../../src/core/gpu/gpu-kmeans.js';
import { firstDifference } from '../helpers/fuzz.js';
import { randomImage } from '../helpers/images.js';
import { expectNoValidationErrors, nodeGpu, testAdapter } from '../helpers/webgpu.js';

describe('isSoftwareAdapter', () => {
  it('names fallback adapters and software renderers software, and hardware GPUs not', () => {
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'apple', architecture: 'metal-3' })).toBe(false);
    expect(isSoftwareAdapter(undefined)).toBe(false);
  });
});

describe('acquireDevice', () => {
  it('returns a device, its adapter described, and destroys it on release', async () => {
    const acquired = await acquireDevice({ gpu: nodeGpu() });
    const info = describeAdapter(acquired.adapter);
    expect(acquired.info).toEqual(info);
    expect(info.text).not.toBe('');
    expect(info.text.endsWith('(fallback)')).toBe(info.fallback);
    // A fallback adapter is a software one; so is this machine's SwiftShader, and its device says so too (the
    // pipelines read the device's own info to size the per-colour kernels' workgroups).
    expect(info.software).toBe(info.fallback || /swiftshader|llvmpipe/i.test(info.text));
    expect(isSoftwareAdapter(acquired.device.adapterInfo)).toBe(info.software);
    acquired.release();
    const lost = await acquired.lost;
    expect(lost.reason).toBe('destroyed');
  });

  it('keeps working after the GPU object it was given is gone (an inline create([]))', async () => {
    const acquired = await acquireDevice({ gpu: create([]) });
    // Encourage a collection of the unreferenced GPU object where the runtime allows it.
    (globalThis as { gc?: () => void }).gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const engine = new GpuKMeans(acquired.device);
    try {
      const image = randomImage(30, 20, 1);
      await expectNoValidationErrors(acquired.device, async () => {
        expect(firstDifference(await engine.run(image, { k: 3, nInit: 1 }), await cpuPixelKMeans(image, { k: 3, nInit: 1 }))).toBeNull();
      });
    } finally {
      engine.destroy();
      acquired.release();
    }
  });

  it('throws WebGPUUnavailableError where there is no WebGPU at all', async () => {
    // Node has no navigator.gpu: without a `gpu` option there is nothing to ask.
    await expect(acquireDevice()).rejects.toBeInstanceOf(WebGPUUnavailableError);
  });

  it('throws NoAdapterError where WebGPU finds no adapter', async () => {
    // A real Dawn instance restricted to a backend this machine does not have.
    const gpu = create(['backend=d3d12']);
    await expect(acquireDevice({ gpu })).rejects.toBeInstanceOf(NoAdapterError);
  });

  it('asks for larger buffer limits only when an image needs them, never above the adapter', async () => {
    const adapter = await testAdapter();
    expect(limitsFor(adapter, 4 * 1000 * 1000)).toEqual({});
    const big = limitsFor(adapter, 4 * 100_000_000);
    expect(big.maxStorageBufferBindingSize).toBe(Math.min(adapter.limits.maxStorageBufferBindingSize, 4 * 100_000_000));
    expect(big.maxBufferSize).toBe(Math.min(adapter.limits.maxBufferSize, 4 * 100_000_000));
    const acquired = await acquireDevice({ gpu: nodeGpu(), requiredBytes: 4 * 100_000_000 });
    expect(acquired.device.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(big.maxStorageBufferBindingSize!);
    acquired.release();
  });
});

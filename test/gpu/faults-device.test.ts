/**
 * Device faults on the core API, on real Dawn devices: a device destroyed in the middle of a run, a device lost before
 * the engine is made, WebGPU missing entirely, a device with WebGPU's default (smallest) limits. Each ends in a
 * result or a typed error; no promise is left rejected unhandled and no uncaptured WebGPU error escapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuPixelKMeans } from '../../src/core/exact/index.js';
import { DeviceLostError } from '../../src/core/errors.js';
import { describeAdapter } from '../../src/core/gpu/device.js';
import { GpuKMeans } from '../../src/core/gpu/gpu-kmeans.js';
import { planSegments, tilesPerBinding } from '../../src/core/gpu/segments.js';
import { TILE_PIXELS } from '../../src/core/gpu/shader-source.js';
import { extractPalette } from '../../src/core/palette.js';
import type { PaletteResult, ProgressInfo } from '../../src/core/types.js';
import { describeFailure, firstDifference } from '../helpers/fuzz.js';
import { randomImage } from '../helpers/images.js';
import { expectNoValidationErrors, nodeGpu, testAdapter } from '../helpers/webgpu.js';

/** A device of its own for one test (an adapter gives one device, so each gets a fresh adapter). */
/** The test adapter in words, and whether it is a software (fallback) one. */
async function adapterInfo() {
  return describeAdapter(await testAdapter(nodeGpu()));
}

async function freshDevice(label: string): Promise<GPUDevice> {
  const adapter = await testAdapter(nodeGpu());
  const device = await adapter.requestDevice({ label });
  device.addEventListener('uncapturederror', (event) => uncaptured.push((event as GPUUncapturedErrorEvent).error.message));
  return device;
}

const unhandled: unknown[] = [];
const uncaptured: string[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

/** An image and options that take many Lloyd batches: there is a middle to destroy the device in. */
const image = randomImage(64, 48, 2024);
const longRun = { k: 16, seed: 3, nInit: 2, tol: 0 };

describe('a GPU device that fails', () => {
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    // Give late rejections a turn of the event loop to surface before checking.
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled.map(describeFailure), 'unhandled rejections').toEqual([]);
    expect(uncaptured, 'uncaptured WebGPU errors').toEqual([]);
  });

  for (const phase of ['init', 'iterate', 'readback'] as const) {
    it(`rejects a run with DeviceLostError when the device is destroyed at its ${phase} phase`, async () => {
      const device = await freshDevice(`lost at ${phase}`);
      const engine = new GpuKMeans(device);
      const seen: ProgressInfo['phase'][] = [];
      const onProgress = (info: ProgressInfo): void => {
        seen.push(info.phase);
        if (info.phase === phase && seen.filter((p) => p === phase).length === 1) device.destroy();
      };
      const error = await engine.run(image, { ...longRun, onProgress }).then(() => null, (e: unknown) => e);
      expect(seen).toContain(phase);
      expect(error, describeFailure(error)).toBeInstanceOf(DeviceLostError);
      expect((error as DeviceLostError).code).toBe('gpu-lost');
      expect((error as DeviceLostError).reason).toBe('destroyed');
      // The engine knows: the next run is refused at once, with the same typed error, and destroy() is still safe.
      await expect(engine.run(image, longRun)).rejects.toBeInstanceOf(DeviceLostError);
      expect(() => engine.destroy()).not.toThrow();
    });
  }

  it('rejects with DeviceLostError on a device lost before the engine was made', async () => {
    const device = await freshDevice('lost before');
    device.destroy();
    await device.lost;
    const engine = new GpuKMeans(device);
    const error = await engine.run(image, { k: 3, nInit: 1 }).then(() => null, (e: unknown) => e);
    expect(error, describeFailure(error)).toBeInstanceOf(DeviceLostError);
    engine.destroy();
  });

  /** Runs `body` with `navigator.gpu` set to `gpu` (undefined: no WebGPU at all), then restores `navigator`. */
  async function withNavigatorGpu<T>(gpu: GPU | undefined, body: () => Promise<T>): Promise<T> {
    const global = globalThis as { navigator?: unknown };
    const saved = Object.getOwnPropertyDescriptor(global, 'navigator');
    try {
      Object.defineProperty(global, 'navigator', { value: gpu ? { gpu } : {}, configurable: true, writable: true });
      return await body();
    } finally {
      if (saved) Object.defineProperty(global, 'navigator', saved);
      else delete global.navigator;
    }
  }

  /** extractPalette('auto') on a device of its own that is destroyed at the first Lloyd iteration. */
  async function autoLosingDevice(): Promise<{ result: PaletteResult; destroyed: boolean }> {
    const device = await freshDevice('auto, lost mid-run');
    let destroyed = false;
    const onProgress = (info: ProgressInfo): void => {
      if (info.phase === 'iterate' && !destroyed) {
        destroyed = true;
        device.destroy();
      }
    };
    const result = await extractPalette(image, { ...longRun, device, backend: 'auto', onProgress });
    return { result, destroyed };
  }

  it("finishes extractPalette('auto') on a new hardware device, else on the CPU, when the caller's device is lost mid-run, and says so", async () => {
    const cpu = await extractPalette(image, { ...longRun, backend: 'cpu' });
    const { result, destroyed } = await withNavigatorGpu(nodeGpu(), autoLosingDevice);
    expect(destroyed).toBe(true);
    // A software adapter (SwiftShader here) is no GPU for 'auto': the retry goes to the CPU, and the notice says why.
    if ((await adapterInfo()).fallback) {
      expect(result.backend).toBe('cpu');
      expect(result.notice).toMatch(/lost.*software.*CPU/s);
    } else {
      expect(result.backend).toBe('gpu');
      expect(result.notice).toMatch(/lost.*new GPU device/s);
    }
    expect(result.colors).toEqual(cpu.colors);
    expect(result.labels).toEqual(cpu.labels);
    expect(cpu.notice).toBeUndefined();
  });

  it("finishes extractPalette('auto') on the CPU when the device is lost and no new one can be had, and says so", async () => {
    const cpu = await extractPalette(image, { ...longRun, backend: 'cpu' });
    const { result, destroyed } = await withNavigatorGpu(undefined, autoLosingDevice);
    expect(destroyed).toBe(true);
    expect(result.backend).toBe('cpu');
    expect(result.notice).toMatch(/lost.*CPU/s);
    expect(result.colors).toEqual(cpu.colors);
    expect(result.labels).toEqual(cpu.labels);
  });

  it("still rejects extractPalette('gpu') on a device lost mid-run with DeviceLostError (no silent fallback)", async () => {
    const device = await freshDevice('gpu, lost mid-run');
    let destroyed = false;
    const onProgress = (info: ProgressInfo): void => {
      if (info.phase === 'iterate' && !destroyed) {
        destroyed = true;
        device.destroy();
      }
    };
    const error = await extractPalette(image, { ...longRun, device, backend: 'gpu', onProgress }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(destroyed).toBe(true);
    expect(error, describeFailure(error)).toBeInstanceOf(DeviceLostError);
  });

  it("runs the next extractPalette('auto') on a new device after a loss, and on the CPU where WebGPU is missing", async () => {
    const options = { k: 4, seed: 8, nInit: 1 };
    const cpu = await extractPalette(image, { ...options, backend: 'cpu' });
    // No navigator.gpu (Node without WebGPU): the CPU's exact engine, the same palette, and a notice saying why.
    await withNavigatorGpu(undefined, async () => {
      const withoutGpu = await extractPalette(image, { ...options, backend: 'auto' });
      expect(withoutGpu.backend).toBe('cpu');
      expect(withoutGpu.notice).toMatch(/WebGPU/);
      expect(withoutGpu.colors).toEqual(cpu.colors);
      await expect(extractPalette(image, { ...options, backend: 'gpu' })).rejects.toMatchObject({ code: 'no-webgpu' });
    });
    // Dawn as navigator.gpu: extractPalette acquires a device of its own (a new one, the old is gone) and releases it.
    // 'gpu' forces it; 'auto' takes it only where it is hardware, else says why the CPU ran.
    await withNavigatorGpu(nodeGpu(), async () => {
      const auto = await extractPalette(image, { ...options, backend: 'auto' });
      if ((await adapterInfo()).fallback) {
        expect(auto.backend).toBe('cpu');
        expect(auto.notice).toMatch(/software/);
        expect(auto.labels).toEqual(cpu.labels);
      } else {
        expect(auto.backend).toBe('gpu');
        expect(auto.notice).toBeUndefined();
      }
      const onGpu = await extractPalette(image, { ...options, backend: 'gpu' });
      expect(onGpu.backend).toBe('gpu');
      expect(onGpu.notice).toBeUndefined();
      expect(onGpu.colors).toEqual(cpu.colors);
      expect(onGpu.labels).toEqual(cpu.labels);
    });
  });

  it("runs a normal image on a device with WebGPU's default limits, as the CPU does", async () => {
    const device = await freshDevice('default limits');
    try {
      expect(device.limits.maxStorageBufferBindingSize).toBe(128 * 1024 * 1024);
      const engine = new GpuKMeans(device);
      const photo = randomImage(200, 150, 5, { palette: 40 });
      const options = { k: 8, seed: 0, nInit: 2, colorSpace: 'oklab' as const };
      const result = await expectNoValidationErrors(device, () => engine.run(photo, options));
      expect(firstDifference(result, await cpuPixelKMeans(photo, options))).toBeNull();
      engine.destroy();
    } finally {
      device.destroy();
    }
  });

  it('splits an image bigger than one storage binding into segments that give the same bits', async () => {
    const device = await freshDevice('segments');
    try {
      // A binding of the default limits holds 2^25 pixels: too many for SwiftShader here. The plan for such an image
      // is checked as arithmetic; the split itself runs with segments of one tile (the engine's tuning knob).
      const perBinding = tilesPerBinding(device.limits.maxStorageBufferBindingSize);
      const over = perBinding * TILE_PIXELS + 1;
      expect(planSegments(over, perBinding).map((s) => s.pixelCount)).toEqual([perBinding * TILE_PIXELS, 1]);

      const photo = randomImage(151, 97, 6, { palette: 30, alpha: 'half' });
      const options = { k: 6, seed: 1, nInit: 2 };
      const cpu = await cpuPixelKMeans(photo, options);
      for (const tuning of [{ segmentPixels: TILE_PIXELS }, { segmentPixels: TILE_PIXELS, workgroupsPerDimension: 1 }]) {
        const engine = new GpuKMeans(device, tuning);
        const result = await expectNoValidationErrors(device, () => engine.run(photo, options));
        expect(firstDifference(result, cpu), JSON.stringify(tuning)).toBeNull();
        engine.destroy();
      }
    } finally {
      device.destroy();
    }
  });
});

/**
 * Load on one device: 200 runs in a row on one engine keep the live GPU buffers and the JS heap flat, `destroy()` gives
 * every buffer back, and ten engines sharing one device all finish concurrently with the CPU's bits. Live buffers are
 * counted on the real device by wrapping its `createBuffer` and each buffer's `destroy` (counting, not mocking).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuPixelKMeans } from '../../src/core/exact/index.js';
import { GpuError } from '../../src/core/errors.js';
import { GpuKMeans } from '../../src/core/gpu/gpu-kmeans.js';
import type { PixelKMeansOptions } from '../../src/core/types.js';
import { firstDifference } from '../helpers/fuzz.js';
import { randomImage } from '../helpers/images.js';
import { expectNoValidationErrors, nodeGpu, testAdapter } from '../helpers/webgpu.js';

/** Live buffers on a device: created through `createBuffer` and not yet destroyed. */
function countBuffers(device: GPUDevice): { readonly live: number; readonly created: number } {
  const live = new Set<GPUBuffer>();
  let created = 0;
  const createBuffer = device.createBuffer.bind(device);
  device.createBuffer = (descriptor: GPUBufferDescriptor): GPUBuffer => {
    const buffer = createBuffer(descriptor);
    created++;
    live.add(buffer);
    const destroy = buffer.destroy.bind(buffer);
    buffer.destroy = (): undefined => {
      live.delete(buffer);
      return destroy();
    };
    return buffer;
  };
  return {
    get live() {
      return live.size;
    },
    get created() {
      return created;
    },
  };
}

/** `global.gc`, exposed at run time where Vitest did not start Node with --expose-gc; null where that fails. */
function garbageCollector(): (() => void) | null {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
}

async function heapUsed(gc: (() => void) | null): Promise<number> {
  // Let finished promises and Dawn's callbacks drop their references before collecting.
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc?.();
  return process.memoryUsage().heapUsed;
}

describe('many runs on one device', () => {
  let device: GPUDevice;
  let buffers: ReturnType<typeof countBuffers>;
  beforeAll(async () => {
    device = await (await testAdapter(nodeGpu())).requestDevice({ label: 'load' });
    buffers = countBuffers(device);
  });
  afterAll(() => device?.destroy());

  it('keeps live GPU buffers and the JS heap flat over 200 runs, and destroy() gives every buffer back', async () => {
    const baseline = buffers.live;
    const engine = new GpuKMeans(device);
    const images = Array.from({ length: 4 }, (_, i) => randomImage(32 + i, 24, 100 + i, { palette: 12, alpha: i % 2 ? 'half' : 'opaque' }));
    const options = (i: number): PixelKMeansOptions => ({
      k: 1 + (i % 12),
      seed: i,
      nInit: 1,
      colorSpace: i % 3 === 0 ? 'oklab' : 'rgb',
    });
    const gc = garbageCollector();
    const live: number[] = [];
    let heapAfterWarmUp = 0;
    await expectNoValidationErrors(device, async () => {
      for (let i = 0; i < 200; i++) {
        // A new image every 10 runs (re-upload), k, seed and colour space changing on every run.
        const image = images[Math.floor(i / 10) % images.length]!;
        const result = await engine.run(image, options(i));
        if (i % 25 === 0) expect(firstDifference(result, await cpuPixelKMeans(image, options(i))), `run ${i}`).toBeNull();
        live.push(buffers.live);
        if (i === 19) heapAfterWarmUp = await heapUsed(gc);
      }
    });
    const heapAfter = await heapUsed(gc);
    // Buffers: the same number alive after every run once the first ones have set the engine up.
    expect(new Set(live.slice(20)).size, `live buffers per run: ${[...new Set(live)].join(', ')}`).toBe(1);
    expect(engine.bufferCount).toBe(live.at(-1)! - baseline);
    expect(buffers.created).toBeGreaterThan(200); // the labels staging buffer comes and goes with every run
    // Heap: 180 more runs keep at most a few MiB (with gc: noise); without gc, a generous bound.
    const growth = heapAfter - heapAfterWarmUp;
    console.log(`heap after 20 runs ${(heapAfterWarmUp / 2 ** 20).toFixed(1)} MiB, after 200 ${(heapAfter / 2 ** 20).toFixed(1)} MiB (gc ${gc ? 'on' : 'off'}); live buffers ${live.at(-1)}`);
    expect(growth).toBeLessThan((gc ? 4 : 64) * 2 ** 20);

    engine.destroy();
    expect(engine.bufferCount).toBe(0);
    expect(engine.allocatedBytes).toBe(0);
    expect(buffers.live).toBe(baseline);
    await expect(engine.run(images[0]!, { k: 2 })).rejects.toBeInstanceOf(GpuError);
  });

  it('finishes ten engines on one device running concurrently, each with the CPU bits, and frees them all', async () => {
    const baseline = buffers.live;
    const cases = Array.from({ length: 10 }, (_, i) => ({
      image: randomImage(20 + 3 * i, 15 + i, 500 + i, { palette: 5 + i, alpha: i % 3 === 0 ? 'random' : 'opaque' }),
      options: { k: 2 + i, seed: i, nInit: 1 + (i % 2), colorSpace: i % 2 ? 'oklab' : 'rgb' } as PixelKMeansOptions,
    }));
    const engines = cases.map(() => new GpuKMeans(device));
    const results = await expectNoValidationErrors(device, () =>
      Promise.all(cases.map(({ image, options }, i) => engines[i]!.run(image, options))),
    );
    for (let i = 0; i < cases.length; i++) {
      const { image, options } = cases[i]!;
      expect(firstDifference(results[i]!, await cpuPixelKMeans(image, options)), `engine ${i}`).toBeNull();
    }
    for (const engine of engines) engine.destroy();
    expect(buffers.live).toBe(baseline);
  });
});

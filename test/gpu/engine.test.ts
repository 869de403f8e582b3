/**
 * GpuKMeans as a caller keeps it: the image stays on the device across runs, the recolour kernels draw
 * centres[labels], destroy() gives back every buffer, pipelines are cached per device, and runs can be watched and
 * cancelled.
 */
import { describe, expect } from 'vitest';
import { cpuPixelKMeans } from '../../src/core/exact/index.js';
import { AbortError, InvalidInputError } from '../../src/core/errors.js';
import { GpuKMeans } from '../../src/core/gpu/gpu-kmeans.js';
import { pipelinesFor } from '../../src/core/gpu/pipelines.js';
import { kernelSource } from '../../src/core/gpu/shader-source.js';
import type { PixelKMeansResult, ProgressInfo } from '../../src/core/types.js';
import { firstDifference } from '../helpers/fuzz.js';
import { randomImage } from '../helpers/images.js';
import { expectNoValidationErrors, gpuIt, testAdapter, useGpu } from '../helpers/webgpu.js';

const gpu = useGpu();

/** The picture recolouring must give: each used pixel its centre's 8-bit colour, opaque; others transparent black. */
function expectedRecolour(result: PixelKMeansResult): Uint8Array {
  const out = new Uint8Array(4 * result.labels.length);
  result.labels.forEach((label, i) => {
    if (label < 0) return;
    out.set([...result.rgb[label]!, 255], 4 * i);
  });
  return out;
}

async function readBuffer(device: GPUDevice, source: GPUBuffer, bytes: number): Promise<Uint8Array> {
  const staging = device.createBuffer({ label: 'test readback', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(source, 0, staging, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const copy = new Uint8Array(staging.getMappedRange().slice(0));
  staging.destroy();
  return copy;
}

async function readTexture(device: GPUDevice, texture: GPUTexture): Promise<Uint8Array> {
  const rowBytes = 4 * texture.width;
  const paddedRow = Math.ceil(rowBytes / 256) * 256;
  const staging = device.createBuffer({ label: 'test texture readback', size: paddedRow * texture.height, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyTextureToBuffer({ texture }, { buffer: staging, bytesPerRow: paddedRow }, [texture.width, texture.height]);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const padded = new Uint8Array(staging.getMappedRange());
  const out = new Uint8Array(rowBytes * texture.height);
  for (let y = 0; y < texture.height; y++) out.set(padded.subarray(y * paddedRow, y * paddedRow + rowBytes), y * rowBytes);
  staging.destroy();
  return out;
}

describe('the image stays on the device', () => {
  gpuIt('reuses the uploaded image for runs with another k, seed, nInit and colour space', gpu, async ({ device, own }) => {
    const image = randomImage(123, 77, 1, { alpha: 'half' });
    const engine = own(new GpuKMeans(device));
    engine.setImage(image);
    for (const options of [
      { k: 4, nInit: 1 },
      { k: 9, seed: 3, nInit: 2 },
      { k: 5, nInit: 1, colorSpace: 'oklab' as const },
      { k: 6, nInit: 1, alphaThreshold: 0 },
    ]) {
      expect(firstDifference(await engine.run(options), await cpuPixelKMeans(image, options))).toBeNull();
    }
    await engine.run(image, { k: 3, nInit: 1 });
    expect(engine.imageUploads).toBe(1);
  });

  gpuIt('uploads again when given another image', gpu, async ({ device, own }) => {
    const engine = own(new GpuKMeans(device));
    const first = randomImage(40, 30, 2);
    const second = randomImage(31, 41, 3);
    await engine.run(first, { k: 3, nInit: 1 });
    const result = await engine.run(second, { k: 3, nInit: 1 });
    expect(engine.imageUploads).toBe(2);
    expect(firstDifference(result, await cpuPixelKMeans(second, { k: 3, nInit: 1 }))).toBeNull();
  });
});

describe('recolouring', () => {
  gpuIt('writes centres[labels] into an rgba8unorm storage texture', gpu, async ({ device, own }) => {
    const image = randomImage(97, 61, 4, { alpha: 'half' });
    const engine = own(new GpuKMeans(device));
    const result = await engine.run(image, { k: 7, nInit: 1 });
    const texture = own(
      device.createTexture({
        label: 'test recolour target',
        size: [image.width, image.height],
        format: 'rgba8unorm',
        usage: GPUTextureUsage.STORAGE_BINDING | GPUTextureUsage.COPY_SRC,
      }),
    );
    await engine.recolor(texture);
    expect(await readTexture(device, texture)).toEqual(expectedRecolour(result));
  });

  gpuIt('writes centres[labels] into a storage buffer, segment by segment, in OKLab too', gpu, async ({ device, own }) => {
    const image = randomImage(150, 70, 5, { alpha: 'random' });
    const engine = own(new GpuKMeans(device, { segmentPixels: 4096 }));
    const result = await engine.run(image, { k: 5, nInit: 1, colorSpace: 'oklab' });
    const bytes = 4 * image.width * image.height;
    const buffer = own(device.createBuffer({ label: 'test recolour buffer', size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC }));
    await engine.recolor(buffer);
    expect(await readBuffer(device, buffer, bytes)).toEqual(expectedRecolour(result));
  });

  gpuIt('refuses a target of the wrong size, and a recolour before any run', gpu, async ({ device, own }) => {
    const engine = own(new GpuKMeans(device));
    const small = own(device.createBuffer({ label: 'test small buffer', size: 64, usage: GPUBufferUsage.STORAGE }));
    await expect(engine.recolor(small)).rejects.toBeInstanceOf(InvalidInputError);
    await engine.run(randomImage(20, 20, 6), { k: 2, nInit: 1 });
    await expect(engine.recolor(small)).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('resources', () => {
  gpuIt('gives back every buffer it made on destroy()', gpu, async ({ device }) => {
    const live = new Set<GPUBuffer>();
    const create = device.createBuffer;
    // Counting on the real device: each buffer the engine creates is recorded, and forgotten when destroyed.
    device.createBuffer = (descriptor) => {
      const buffer = create.call(device, descriptor);
      live.add(buffer);
      const destroy = buffer.destroy;
      buffer.destroy = () => {
        live.delete(buffer);
        return destroy.call(buffer);
      };
      return buffer;
    };
    try {
      const engine = new GpuKMeans(device, { segmentPixels: 4096 });
      await engine.run(randomImage(100, 90, 7), { k: 4, nInit: 2 });
      await engine.run(randomImage(60, 90, 8), { k: 3, nInit: 1 });
      expect(live.size).toBe(engine.bufferCount);
      expect(engine.allocatedBytes).toBeGreaterThan(0);
      engine.destroy();
      expect(live.size).toBe(0);
      expect(engine.allocatedBytes).toBe(0);
    } finally {
      device.createBuffer = create;
    }
  });

  gpuIt('caches pipelines and layouts per device', gpu, async ({ device }) => {
    const cache = pipelinesFor(device);
    expect(pipelinesFor(device)).toBe(cache);
    expect(await cache.pipeline('assign')).toBe(await cache.pipeline('assign'));
    expect(cache.layout('segmentRead')).toBe(cache.layout('segmentRead'));
    const other = await (await testAdapter()).requestDevice({ label: 'second test device' });
    try {
      await expectNoValidationErrors(other, async () => {
        expect(pipelinesFor(other)).not.toBe(cache);
        await pipelinesFor(other).pipeline('assign');
      });
    } finally {
      other.destroy();
    }
  });

  gpuIt('compiles every kernel without errors or warnings, and builds every pipeline', gpu, async ({ device }) => {
    const kernels = ['positions', 'count', 'compact', 'assign', 'update', 'control', 'lut', 'pixelLabels', 'recolorBuffer', 'recolorTexture'] as const;
    for (const kernel of kernels) {
      const info = await device.createShaderModule({ label: kernel, code: kernelSource(kernel) }).getCompilationInfo();
      expect(info.messages.map((m) => `${kernel}.wgsl:${m.lineNum}: ${m.type}: ${m.message}`)).toEqual([]);
    }
    const cache = pipelinesFor(device);
    const names = ['positions', 'count', 'compact', 'assign', 'assignFinal', 'update', 'control', 'lut', 'pixelLabels', 'recolorBuffer', 'recolorTexture'] as const;
    const pipelines = await Promise.all(names.map((name) => cache.pipeline(name)));
    expect(pipelines.map((p) => p.label)).toEqual(names.map((name) => `palette-extractor ${name} pipeline`));
  });
});

describe('watching and cancelling a run', () => {
  gpuIt('reports progress from init through iterate to readback', gpu, async ({ device, own }) => {
    const engine = own(new GpuKMeans(device));
    const seen: ProgressInfo[] = [];
    await engine.run(randomImage(64, 64, 9), { k: 4, nInit: 2, onProgress: (info) => seen.push(info) });
    const phases = seen.map((s) => s.phase).filter((p, i, all) => p !== all[i - 1]);
    expect(phases).toEqual(['upload', 'init', 'iterate', 'readback']);
    const iterate = seen.filter((s) => s.phase === 'iterate').map((s) => s.fraction);
    expect(iterate).toEqual([...iterate].sort((a, b) => a - b));
    expect(Math.max(...iterate)).toBeLessThanOrEqual(1);
  });

  gpuIt('rejects with AbortError when aborted between batches, then runs normally', gpu, async ({ device, own }) => {
    const engine = own(new GpuKMeans(device, { maxIterationsPerSubmit: 1 }));
    const image = randomImage(80, 60, 10);
    const controller = new AbortController();
    const run = engine.run(image, {
      k: 6,
      nInit: 3,
      signal: controller.signal,
      onProgress: (info) => info.phase === 'iterate' && controller.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(AbortError);
    await expect(engine.run(image, { k: 2, signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(firstDifference(await engine.run(image, { k: 6, nInit: 1 }), await cpuPixelKMeans(image, { k: 6, nInit: 1 }))).toBeNull();
  });

  gpuIt('asks for an image before a run without one', gpu, async ({ device, own }) => {
    const engine = own(new GpuKMeans(device));
    await expect(engine.run({ k: 3 })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

/**
 * The points kernel against the CPU's points: every 8-bit sRGB colour gets the same integer OKLab code on the GPU as
 * from `srgb8ToOklab8` (docs/ARITHMETIC.md, "8-bit OKLab, in integers"), and RGB points and the alpha test match
 * `extractPoints`.
 */
import { describe, expect } from 'vitest';
import { extractPoints } from '../../src/core/exact/index.js';
import { BufferAllocator } from '../../src/core/gpu/allocator.js';
import { GpuImage } from '../../src/core/gpu/gpu-image.js';
import { pipelinesFor } from '../../src/core/gpu/pipelines.js';
import { OKLAB_LINEAR_TABLE, OKLAB_M1Q, OKLAB_M2Q } from '../../src/core/oklab-int.js';
import { dispatchGrid, planSegments, tilesPerBinding } from '../../src/core/gpu/segments.js';
import { packStruct, POINT_VALID_BIT, structLayout } from '../../src/core/gpu/shader-source.js';
import type { PixelImage } from '../../src/core/types.js';
import { randomImage } from '../helpers/images.js';
import { gpuIt, useGpu } from '../helpers/webgpu.js';

const gpu = useGpu();

/** Runs the points kernel over `image` and returns one point word per pixel. */
async function gpuPoints(device: GPUDevice, image: PixelImage, colorSpace: 'rgb' | 'oklab', alphaThreshold: number): Promise<Uint32Array> {
  const allocator = new BufferAllocator(device);
  try {
    const pipelines = pipelinesFor(device);
    const plan = planSegments(image.width * image.height, tilesPerBinding(device.limits.maxStorageBufferBindingSize));
    const gpuImage = new GpuImage(device, allocator, pipelines, image, plan);
    const params = allocator.createWith(
      'test points params',
      packStruct(structLayout('PointsParams'), { alpha_threshold: alphaThreshold, oklab: colorSpace === 'oklab' ? 1 : 0 }),
      GPUBufferUsage.UNIFORM,
    );
    const tables = [OKLAB_LINEAR_TABLE, OKLAB_M1Q, OKLAB_M2Q].map((t) => allocator.createWith('test oklab table', t, GPUBufferUsage.STORAGE));
    const pointsGroup = device.createBindGroup({
      layout: pipelines.layout('pointsRun'),
      entries: [params, ...tables].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const pipeline = await pipelines.pipeline('points');
    const out = new Uint32Array(gpuImage.pixelCount);
    for (const segment of gpuImage.segments) {
      const staging = allocator.create('test points readback', 4 * segment.pixelCount, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, pointsGroup);
      pass.setBindGroup(1, segment.toPoints);
      pass.dispatchWorkgroups(...dispatchGrid(segment.tiles, device.limits.maxComputeWorkgroupsPerDimension));
      pass.end();
      encoder.copyBufferToBuffer(segment.points, 0, staging, 0, 4 * segment.pixelCount);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      out.set(new Uint32Array(staging.getMappedRange()), segment.firstPixel);
      allocator.free(staging);
    }
    return out;
  } finally {
    allocator.freeAll();
  }
}

/** The Morton key of an 8-bit point (points.wgsl): bit 3i + c of the key is bit i of channel c. */
function morton(p0: number, p1: number, p2: number): number {
  let key = 0;
  for (let i = 0; i < 8; i++) key |= (((p0 >> i) & 1) << (3 * i)) | (((p1 >> i) & 1) << (3 * i + 1)) | (((p2 >> i) & 1) << (3 * i + 2));
  return key;
}

/** The CPU's points as GPU point words (Morton key and valid bit), so the two compare in one expect. */
function cpuPointWords(image: PixelImage, colorSpace: 'rgb' | 'oklab', alphaThreshold: number): Uint32Array {
  const { points, pixelIndex, n } = extractPoints(image, colorSpace, alphaThreshold);
  const words = new Uint32Array(image.width * image.height);
  for (let i = 0; i < n; i++) {
    const pixel = pixelIndex ? pixelIndex[i]! : i;
    words[pixel] = (morton(points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!) | (1 << POINT_VALID_BIT)) >>> 0;
  }
  return words;
}

describe('the points kernel', () => {
  gpuIt('gives every 8-bit sRGB colour the CPU\'s integer OKLab code', gpu, async ({ device }) => {
    // All 2^24 colours, one per pixel of a 4096 × 4096 image.
    const side = 4096;
    const data = new Uint8ClampedArray(4 * side * side);
    for (let c = 0; c < side * side; c++) data.set([c >>> 16, (c >>> 8) & 255, c & 255, 255], 4 * c);
    const image = { data, width: side, height: side };
    const onGpu = await gpuPoints(device, image, 'oklab', 0);
    const onCpu = cpuPointWords(image, 'oklab', 0);
    let differ = 0;
    let first = -1;
    for (let c = 0; c < onCpu.length; c++) {
      if (onGpu[c] !== onCpu[c]) {
        if (first < 0) first = c;
        differ++;
      }
    }
    expect({ differ, first }).toEqual({ differ: 0, first: -1 });
  }, 600_000);

  gpuIt('keeps RGB as it is and leaves out pixels under the alpha threshold', gpu, async ({ device }) => {
    const image = randomImage(301, 7, 1, { alpha: 'random' });
    for (const threshold of [0, 1, 128, 255]) {
      expect(await gpuPoints(device, image, 'rgb', threshold)).toEqual(cpuPointWords(image, 'rgb', threshold));
    }
  });
});

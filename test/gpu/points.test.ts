/**
 * The points kernel against the CPU's points: every 8-bit sRGB colour gets the same fixed-point OKLab code on the GPU
 * as from `writeOklabFixed` (docs/ARITHMETIC.md, "OKLab, in integers"), and RGB points and the alpha test match
 * `extractPoints`. Compared as positions (what assign.wgsl reads from a point's words A and B).
 */
import { describe, expect } from 'vitest';
import { extractPoints, writeFixedCoords } from '../../src/core/exact/points.js';
import { FIXED_SHIFT } from '../../src/core/constants.js';
import { BufferAllocator } from '../../src/core/gpu/allocator.js';
import { GpuImage } from '../../src/core/gpu/gpu-image.js';
import { pipelinesFor } from '../../src/core/gpu/pipelines.js';
import { RunState } from '../../src/core/gpu/run-state.js';
import { dispatchGrid, planSegments, tilesPerBinding } from '../../src/core/gpu/segments.js';
import { packStruct, POINT_VALID_BIT, structLayout, TILE_PIXELS } from '../../src/core/gpu/shader-source.js';
import type { PixelImage } from '../../src/core/types.js';
import { randomImage } from '../helpers/images.js';
import { gpuIt, useGpu } from '../helpers/webgpu.js';

const gpu = useGpu();

/** Runs the points kernel over `image`; returns each pixel's position (3 values), or −1s for a left-out pixel. */
async function gpuPoints(device: GPUDevice, image: PixelImage, colorSpace: 'rgb' | 'oklab', alphaThreshold: number): Promise<Int32Array> {
  const allocator = new BufferAllocator(device);
  try {
    const pipelines = pipelinesFor(device);
    const plan = planSegments(image.width * image.height, tilesPerBinding(device.limits.maxStorageBufferBindingSize));
    const gpuImage = new GpuImage(device, allocator, pipelines, image, plan);
    const state = new RunState(device, allocator, pipelines);
    device.queue.writeBuffer(
      state.params,
      0,
      packStruct(structLayout('RunParams'), { k: 1, max_iter: 1, alpha_threshold: alphaThreshold, oklab: colorSpace === 'oklab' ? 1 : 0 }),
    );
    const pipeline = await pipelines.pipeline('points');
    const out = new Int32Array(3 * gpuImage.pixelCount);
    for (const segment of gpuImage.segments) {
      const bytes = 4 * segment.pixelCount;
      const half = 4 * segment.tiles * TILE_PIXELS;
      const staging = allocator.create('test points readback', 2 * bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, state.pointsGroup);
      pass.setBindGroup(1, segment.toPoints);
      pass.dispatchWorkgroups(...dispatchGrid(segment.tiles, device.limits.maxComputeWorkgroupsPerDimension));
      pass.end();
      encoder.copyBufferToBuffer(segment.points, 0, staging, 0, bytes);
      encoder.copyBufferToBuffer(segment.points, half, staging, bytes, bytes);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const words = new Uint32Array(staging.getMappedRange());
      for (let i = 0; i < segment.pixelCount; i++) {
        const a = words[i]!;
        const b = words[segment.pixelCount + i]!;
        const o = 3 * (segment.firstPixel + i);
        if (((a >>> POINT_VALID_BIT) & 1) === 0) out.set([-1, -1, -1], o);
        else if (colorSpace === 'oklab') out.set([a & 0x7fff, (a >>> 15) & 0x7fff, b], o);
        else out.set([(a & 255) << FIXED_SHIFT, ((a >>> 8) & 255) << FIXED_SHIFT, ((a >>> 16) & 255) << FIXED_SHIFT], o);
      }
      allocator.free(staging);
    }
    return out;
  } finally {
    allocator.freeAll();
  }
}

/** The CPU's points as positions, −1s where alpha leaves a pixel out. */
function cpuPositions(image: PixelImage, colorSpace: 'rgb' | 'oklab', alphaThreshold: number): Int32Array {
  const { points, pixelIndex, n } = extractPoints(image, alphaThreshold);
  const out = new Int32Array(3 * image.width * image.height).fill(-1);
  for (let i = 0; i < n; i++) {
    const pixel = pixelIndex ? pixelIndex[i]! : i;
    writeFixedCoords(colorSpace, points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!, out, 3 * pixel);
  }
  return out;
}

describe('the points kernel', () => {
  gpuIt('gives every 8-bit sRGB colour the CPU\'s fixed-point OKLab code', gpu, async ({ device }) => {
    // All 2^24 colours, one per pixel of a 4096 × 4096 image.
    const side = 4096;
    const data = new Uint8ClampedArray(4 * side * side);
    for (let c = 0; c < side * side; c++) data.set([c >>> 16, (c >>> 8) & 255, c & 255, 255], 4 * c);
    const image = { data, width: side, height: side };
    const onGpu = await gpuPoints(device, image, 'oklab', 0);
    const onCpu = cpuPositions(image, 'oklab', 0);
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

  gpuIt('keeps RGB as it is and leaves out pixels under the alpha threshold, in both colour spaces', gpu, async ({ device }) => {
    const image = randomImage(301, 7, 1, { alpha: 'random' });
    for (const space of ['rgb', 'oklab'] as const) {
      for (const threshold of [0, 1, 128, 255]) {
        expect(await gpuPoints(device, image, space, threshold)).toEqual(cpuPositions(image, space, threshold));
      }
    }
  });
});

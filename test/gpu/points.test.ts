/**
 * The colour list on the device against the CPU's: the points, count, compact and positions kernels give every 8-bit
 * sRGB colour the same fixed-point OKLab code as `writeOklabFixed` (docs/ARITHMETIC.md, "OKLab, in integers"), list
 * each colour that occurs once with its count (the CPU's `distinctColors` weights), and leave out the pixels under the
 * alpha threshold. Compared as positions (what assign.wgsl reads).
 */
import { describe, expect } from 'vitest';
import { distinctColors } from '../../src/core/exact/distinct.js';
import { extractPoints, writeFixedCoords } from '../../src/core/exact/points.js';
import { BufferAllocator } from '../../src/core/gpu/allocator.js';
import { ColorTable } from '../../src/core/gpu/color-table.js';
import { GpuImage } from '../../src/core/gpu/gpu-image.js';
import { pipelinesFor } from '../../src/core/gpu/pipelines.js';
import { dispatchGrid, planSegments, tilesPerBinding } from '../../src/core/gpu/segments.js';
import type { ColorSpace, PixelImage } from '../../src/core/types.js';
import { randomImage } from '../helpers/images.js';
import { gpuIt, useGpu } from '../helpers/webgpu.js';

const gpu = useGpu();

interface List {
  n: number;
  /** Colours listed. */
  u: number;
  /** By sRGB colour r | g << 8 | b << 16: its weight (0 if not listed), and its position. */
  weights: Uint32Array;
  positions: Uint16Array;
}

function emptyList(n: number): List {
  return { n, u: 0, weights: new Uint32Array(1 << 24), positions: new Uint16Array(3 << 24) };
}

/** The colours listed on the device for this space and threshold. */
async function gpuList(device: GPUDevice, image: PixelImage, colorSpace: ColorSpace, alphaThreshold: number): Promise<List> {
  const allocator = new BufferAllocator(device);
  try {
    const pipelines = pipelinesFor(device);
    const plan = planSegments(image.width * image.height, tilesPerBinding(device.limits.maxStorageBufferBindingSize));
    const gpuImage = new GpuImage(device, allocator, pipelines, image, plan);
    const table = new ColorTable(device, allocator, pipelines);
    const perDimension = device.limits.maxComputeWorkgroupsPerDimension;
    const dispatch = (pass: GPUComputePassEncoder, tiles: number) => pass.dispatchWorkgroups(...dispatchGrid(tiles, perDimension));
    const read = async (buffer: GPUBuffer, bytes: number) => {
      await buffer.mapAsync(GPUMapMode.READ, 0, bytes);
      const words = new Uint32Array(buffer.getMappedRange(0, bytes).slice(0));
      buffer.unmap();
      return words;
    };
    const traffic = { submissions: 0, roundTrips: 0, bytesRead: 0 };
    const set = await table.load(gpuImage, colorSpace, alphaThreshold, dispatch, perDimension ** 2, traffic, read);
    const bytes = 4 * set.u;
    const staging = allocator.create('test list readback', 4 * bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const encoder = device.createCommandEncoder();
    if (bytes > 0) {
      encoder.copyBufferToBuffer(set.colors, 0, staging, 0, bytes);
      encoder.copyBufferToBuffer(set.weights, 0, staging, bytes, bytes);
      encoder.copyBufferToBuffer(set.positions, 0, staging, 2 * bytes, 2 * bytes);
    }
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const words = new Uint32Array(staging.getMappedRange());
    const list = emptyList(set.n);
    for (let i = 0; i < set.u; i++) {
      const c = words[i]!;
      const a = words[2 * set.u + 2 * i]!;
      // A colour listed twice would count once here: u (the listed colours) would then exceed the distinct ones.
      list.u += list.weights[c] === 0 ? 1 : 0;
      list.weights[c] = words[set.u + i]!;
      list.positions.set([a & 0x7fff, a >>> 15, words[2 * set.u + 2 * i + 1]!], 3 * c);
    }
    expect(list.u, 'each colour listed once').toBe(set.u);
    return list;
  } finally {
    allocator.freeAll();
  }
}

/** The same from the CPU's points and distinct colours. */
function cpuList(image: PixelImage, colorSpace: ColorSpace, alphaThreshold: number): List {
  const points = extractPoints(image, alphaThreshold);
  const distinct = distinctColors(points.points, points.n);
  const list = emptyList(points.n);
  list.u = distinct.u;
  for (let i = 0; i < distinct.u; i++) {
    const [r, g, b] = [distinct.colors[3 * i]!, distinct.colors[3 * i + 1]!, distinct.colors[3 * i + 2]!];
    const c = r | (g << 8) | (b << 16);
    list.weights[c] = distinct.weights[i]!;
    writeFixedCoords(colorSpace, r, g, b, list.positions, 3 * c);
  }
  return list;
}

describe('the colour list', () => {
  gpuIt("gives every 8-bit sRGB colour the CPU's fixed-point OKLab code, each listed once", gpu, async ({ device }) => {
    // All 2^24 colours, one per pixel of a 4096 × 4096 image.
    const side = 4096;
    const data = new Uint8ClampedArray(4 * side * side);
    for (let c = 0; c < side * side; c++) data.set([c & 255, (c >>> 8) & 255, c >>> 16, 255], 4 * c);
    const { n, u, weights, positions } = await gpuList(device, { data, width: side, height: side }, 'oklab', 0);
    expect([n, u]).toEqual([side * side, side * side]);
    const p = [0, 0, 0];
    let differ = 0;
    let first = -1;
    for (let c = 0; c < side * side; c++) {
      writeFixedCoords('oklab', c & 255, (c >>> 8) & 255, c >>> 16, p, 0);
      if (weights[c] !== 1 || positions[3 * c] !== p[0] || positions[3 * c + 1] !== p[1] || positions[3 * c + 2] !== p[2]) {
        if (first < 0) first = c;
        differ++;
      }
    }
    expect({ differ, first }).toEqual({ differ: 0, first: -1 });
  }, 600_000);

  gpuIt('counts each colour as the CPU does and leaves out pixels under the alpha threshold, in both colour spaces', gpu, async ({ device }) => {
    const image = randomImage(301, 7, 1, { alpha: 'random', palette: 40 });
    for (const space of ['rgb', 'oklab'] as const) {
      for (const threshold of [0, 1, 128, 255]) {
        const [got, want] = [await gpuList(device, image, space, threshold), cpuList(image, space, threshold)];
        expect([got.n, got.u], `${space} ${threshold}`).toEqual([want.n, want.u]);
        expect(Buffer.from(got.weights.buffer).equals(Buffer.from(want.weights.buffer)), `weights ${space} ${threshold}`).toBe(true);
        expect(Buffer.from(got.positions.buffer).equals(Buffer.from(want.positions.buffer)), `positions ${space} ${threshold}`).toBe(true);
      }
    }
  });
});

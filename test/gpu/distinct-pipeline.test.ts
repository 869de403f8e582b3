/**
 * The GPU engine's distinct-colour pipeline as a caller sees it: runs iterate on the image's distinct colours (the
 * bits stay the CPU's when the seedings are split over several passes), per-pixel labels stay on the device unless
 * asked for, a palette from another image is applied through the colour table, and the recoloured picture reads back
 * segment by segment with no buffer larger than one storage binding (an 8193 × 8193 picture is larger than that).
 */
import { describe, expect } from 'vitest';
import { cpuPixelKMeans } from '../../src/core/exact/index.js';
import { GpuKMeans } from '../../src/core/gpu/gpu-kmeans.js';
import { GpuRecolor } from '../../src/core/gpu/recolor.js';
import { writeFixedCoords } from '../../src/core/exact/points.js';
import { readRecolored } from '../../src/core/gpu/recolor-readback.js';
import { planSegments, tilesPerBinding } from '../../src/core/gpu/segments.js';
import { TILE_PIXELS } from '../../src/core/gpu/shader-source.js';
import type { PixelKMeansResult } from '../../src/core/types.js';
import { firstDifference } from '../helpers/fuzz.js';
import { randomImage } from '../helpers/images.js';
import { gpuIt, useGpu } from '../helpers/webgpu.js';

const gpu = useGpu();

/** The parts' pixels end to end. */
function joined(parts: readonly { pixels: Uint8ClampedArray }[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p.pixels]));
}

/** Each used pixel its centre's 8-bit colour, opaque; others transparent black. */
function expectedRecolour(result: PixelKMeansResult): Uint8Array {
  const out = new Uint8Array(4 * result.labels.length);
  result.labels.forEach((label, i) => {
    if (label >= 0) out.set([...result.rgb[label]!, 255], 4 * i);
  });
  return out;
}

describe('runs on distinct colours', () => {
  gpuIt('gives the CPU bits when the seedings run in several passes and the best is not in the last', gpu, async ({ device, own }) => {
    const image = randomImage(90, 70, 11, { palette: 50, alpha: 'half' });
    const options = { k: 6, seed: 3, nInit: 5 };
    const cpu = await cpuPixelKMeans(image, options);
    for (const runsPerPass of [1, 2, 5]) {
      const engine = own(new GpuKMeans(device, { runsPerPass }));
      expect(firstDifference(await engine.run(image, options), cpu), `runsPerPass ${runsPerPass}`).toBeNull();
    }
  });

  gpuIt('reads no per-pixel labels back unless asked, with the same palette, counts and recolour', gpu, async ({ device, own }) => {
    const image = randomImage(120, 50, 12, { palette: 40, alpha: 'random' });
    const engine = own(new GpuKMeans(device));
    const withLabels = await engine.run(image, { k: 5, nInit: 2 });
    const before = engine.traffic.bytesRead;
    const without = await engine.run({ k: 5, nInit: 2, labels: false });
    expect(without.labels.length).toBe(0);
    expect(engine.traffic.bytesRead - before).toBeLessThan(4 * image.width * image.height);
    expect({ ...without, labels: null }).toEqual({ ...withLabels, labels: null });
    const parts: { pixels: Uint8ClampedArray }[] = [];
    await readRecolored(engine, (part) => void parts.push(part));
    expect(joined(parts)).toEqual(expectedRecolour(withLabels));
  });

  gpuIt('switches alpha thresholds back and forth with the right labels and recolour (a hashed table is recounted)', gpu, async ({ device, own }) => {
    const image = randomImage(120, 90, 18, { palette: 80, alpha: 'random' });
    const engine = own(new GpuKMeans(device));
    for (const alphaThreshold of [128, 255, 128, 1, 255, 1]) {
      const options = { k: 5, nInit: 2, alphaThreshold };
      const [onGpu, onCpu] = [await engine.run(image, options), await cpuPixelKMeans(image, options)];
      expect(firstDifference(onGpu, onCpu), `threshold ${alphaThreshold}`).toBeNull();
      expect(onGpu.labels).toEqual(onCpu.labels);
      const parts: { pixels: Uint8ClampedArray }[] = [];
      await readRecolored(engine, (part) => void parts.push(part));
      expect(joined(parts), `recolour at threshold ${alphaThreshold}`).toEqual(expectedRecolour(onGpu));
    }
    expect(engine.imageUploads).toBe(1);
  });

  gpuIt("applies another image's palette through the colour table, nearest centre per pixel", gpu, async ({ device, own }) => {
    const sample = randomImage(40, 30, 13, { palette: 20 });
    const full = randomImage(97, 83, 14, { palette: 60, alpha: 'half' });
    const result = await own(new GpuKMeans(device)).run(sample, { k: 4, nInit: 1 });
    const engine = own(new GpuKMeans(device, { segmentPixels: TILE_PIXELS }));
    engine.setImage(full);
    await engine.applyResult(result);
    // The final E-step alone, on the CPU: the exact nearest centre of each used pixel, ties to the lowest index.
    const expected = new Uint8Array(4 * full.width * full.height);
    for (let p = 0; p < full.width * full.height; p++) {
      if (full.data[4 * p + 3]! < 128) continue;
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < 4; j++) {
        let d = 0;
        for (let c = 0; c < 3; c++) d += (128 * full.data[4 * p + c]! - result.centersFixed[3 * j + c]!) ** 2;
        if (d < bestD) [best, bestD] = [j, d];
      }
      expected.set([...result.rgb[best]!, 255], 4 * p);
    }
    const parts: { pixels: Uint8ClampedArray }[] = [];
    await readRecolored(engine, (part) => void parts.push(part));
    expect(parts.length).toBe(engine.segments.length);
    expect(joined(parts)).toEqual(expected);
  });
});

describe('the recolour as an operation of its own', () => {
  gpuIt("draws an image with a palette the CPU found on its sample, each pixel its nearest centre's colour, RGB and OKLab", gpu, async ({ device, own }) => {
    const sample = randomImage(40, 30, 16, { palette: 20 });
    const full = randomImage(97, 83, 17, { palette: 60, alpha: 'half' });
    const recolor = own(new GpuRecolor(device));
    recolor.setImage(full);
    for (const colorSpace of ['rgb', 'oklab'] as const) {
      const result = await cpuPixelKMeans(sample, { k: 5, nInit: 2, colorSpace });
      await recolor.apply(result);
      // The final E-step alone, on the CPU: the exact nearest centre of each used pixel, ties to the lowest index.
      const expected = new Uint8Array(4 * full.width * full.height);
      const p = [0, 0, 0];
      for (let i = 0; i < full.width * full.height; i++) {
        if (full.data[4 * i + 3]! < 128) continue;
        writeFixedCoords(colorSpace, full.data[4 * i]!, full.data[4 * i + 1]!, full.data[4 * i + 2]!, p, 0);
        let best = 0;
        let bestD = Infinity;
        for (let j = 0; j < 5; j++) {
          let d = 0;
          for (let c = 0; c < 3; c++) d += (p[c]! - result.centersFixed[3 * j + c]!) ** 2;
          if (d < bestD) [best, bestD] = [j, d];
        }
        expected.set([...result.rgb[best]!, 255], 4 * i);
      }
      const parts: { pixels: Uint8ClampedArray }[] = [];
      await readRecolored(recolor, (part) => void parts.push(part));
      expect(joined(parts), colorSpace).toEqual(expected);
    }
    expect(recolor.imageUploads).toBe(1);
  });
});

describe('reading the recoloured picture back', () => {
  gpuIt('plans an 8193 × 8193 picture, larger than one binding, in segments that each fit the device limits', gpu, async ({ device }) => {
    const { maxStorageBufferBindingSize, maxBufferSize } = device.limits;
    const pixels = 8193 * 8193;
    expect(4 * pixels).toBeGreaterThan(Math.min(maxStorageBufferBindingSize, maxBufferSize));
    const segments = planSegments(pixels, tilesPerBinding(Math.min(maxStorageBufferBindingSize, maxBufferSize)));
    expect(segments.length).toBeGreaterThan(1);
    for (const s of segments) expect(4 * s.tiles * TILE_PIXELS).toBeLessThanOrEqual(Math.min(maxStorageBufferBindingSize, maxBufferSize));
    expect(segments.reduce((sum, s) => sum + s.pixelCount, 0)).toBe(pixels);
  });

  gpuIt('reads back segment by segment through buffers no larger than a segment', gpu, async ({ device, own }) => {
    // Two and a half tiles: segments of two tiles make two parts.
    const image = randomImage(Math.ceil((5 * TILE_PIXELS) / 2 / 70), 70, 15, { palette: 30, alpha: 'half' });
    const engine = own(new GpuKMeans(device, { segmentPixels: 2 * TILE_PIXELS }));
    const result = await engine.run(image, { k: 5, nInit: 1 });
    const sizes: number[] = [];
    const create = device.createBuffer;
    device.createBuffer = (descriptor) => {
      sizes.push(descriptor.size);
      return create.call(device, descriptor);
    };
    const parts: { firstPixel: number; pixels: Uint8ClampedArray }[] = [];
    try {
      await readRecolored(engine, (part) => void parts.push(part));
    } finally {
      device.createBuffer = create;
    }
    expect(parts.map((p) => p.firstPixel)).toEqual([0, 2 * TILE_PIXELS]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4 * 2 * TILE_PIXELS);
    expect(joined(parts)).toEqual(expectedRecolour(result));
  });
});

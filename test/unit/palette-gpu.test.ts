/**
 * extractPalette's GPU path on Dawn (SwiftShader here): on the caller's device it must give the CPU's palette bit for
 * bit. Small images only: this file runs beside the CPU unit tests. The GPU engine's own suite is in test/gpu/.
 */
import { describe, expect } from 'vitest';
import { extractPalette } from '../../src/core/palette.js';
import type { ExtractPaletteOptions } from '../../src/core/types.js';
import { randomImage } from '../helpers/images.js';
import { gpuIt, useGpu } from '../helpers/webgpu.js';

describe('extractPalette on a GPU device the caller owns', () => {
  const gpu = useGpu();
  const cases: [string, ExtractPaletteOptions][] = [
    ['rgb', { k: 5, seed: 1, nInit: 2 }],
    ['oklab, half transparent', { k: 4, seed: 2, nInit: 2, colorSpace: 'oklab' }],
  ];
  for (const [name, options] of cases) {
    gpuIt(`gives the CPU's palette, labels and centres (${name})`, gpu, async ({ device }) => {
      const image = randomImage(45, 31, 7, { palette: 9, alpha: name.includes('transparent') ? 'half' : 'opaque' });
      const onGpu = await extractPalette(image, { ...options, backend: 'gpu', device });
      const onCpu = await extractPalette(image, { ...options, backend: 'cpu' });
      expect(onGpu.backend).toBe('gpu');
      expect(onGpu.arithmetic).toBe('exact');
      expect(onGpu.adapter).not.toBe('');
      expect(onGpu.colors).toEqual(onCpu.colors);
      expect(onGpu.centers).toEqual(onCpu.centers);
      expect(onGpu.labels).toEqual(onCpu.labels);
      expect(onGpu.iterations).toBe(onCpu.iterations);
      expect(onGpu.inertia).toBe(onCpu.inertia);
      // The device stays the caller's: still usable after the call.
      expect(() => device.createBuffer({ size: 4, usage: GPUBufferUsage.COPY_DST }).destroy()).not.toThrow();
    });
  }

  gpuIt("takes the caller's device under 'auto'", gpu, async ({ device }) => {
    const palette = await extractPalette(randomImage(9, 7, 3), { k: 2, device });
    expect(palette.backend).toBe('gpu');
  });
});

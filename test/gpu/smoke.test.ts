import { describe, expect } from 'vitest';
import { cpuPixelKMeans } from '../../src/core/exact/index.js';
import { GpuKMeans } from '../../src/core/gpu/gpu-kmeans.js';
import { randomImage } from '../helpers/images.js';
import { gpuIt, useGpu } from '../helpers/webgpu.js';

describe('smoke', () => {
  const gpu = useGpu();
  gpuIt('agrees on a small random image', gpu, async ({ device, own }) => {
    const image = randomImage(37, 23, 1, { palette: 12 });
    const engine = own(new GpuKMeans(device));
    const options = { k: 5, seed: 0, nInit: 2 };
    const g = await engine.run(image, options);
    const c = await cpuPixelKMeans(image, options);
    console.log(g.iterations, c.iterations, g.inertiaFixed, c.inertiaFixed, g.centersFixed, c.centersFixed);
    expect(g.centersFixed).toEqual(c.centersFixed);
    expect(g.labels).toEqual(c.labels);
  });
});

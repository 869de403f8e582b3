/**
 * The GPU engine against the exact CPU engine (docs/ARITHMETIC.md): for every case, the same label for every pixel,
 * the same fixed-point centres, iteration count, inertia and convergence. Table-driven; each case names its image
 * and options so that a failure can be replayed. Sizes stay modest: SwiftShader runs the kernels on the CPU.
 */
import { afterAll, describe, expect } from 'vitest';
import { cpuPixelKMeans } from '../../src/core/exact/index.js';
import { ignoreMask, parseIgnore } from '../../src/core/ignore.js';
import { GpuKMeans, type GpuKMeansTuning } from '../../src/core/gpu/gpu-kmeans.js';
import { TILE_PIXELS } from '../../src/core/gpu/shader-source.js';
import type { PixelImage, PixelKMeansOptions } from '../../src/core/types.js';
import { firstDifference } from '../helpers/fuzz.js';
import { loadSample, randomImage } from '../helpers/images.js';
import { gpuIt, useGpu, type GpuContext } from '../helpers/webgpu.js';

interface Case {
  name: string;
  image: () => PixelImage;
  options: PixelKMeansOptions;
  tuning?: GpuKMeansTuning;
}

const solid = (width: number, height: number, rgba: [number, number, number, number]): PixelImage => ({
  data: Uint8ClampedArray.from({ length: 4 * width * height }, (_, i) => rgba[i % 4]!),
  width,
  height,
});

/** A photo cropped small, with the pixels an `ignore` list matches made transparent, as the element does. */
function ignoring(list: string, width = 120, height = 90): PixelImage {
  const photo = loadSample('chelsea.png');
  const data = new Uint8ClampedArray(4 * width * height);
  for (let y = 0; y < height; y++) {
    const from = 4 * ((y + 100) * photo.width + 150);
    data.set(photo.data.subarray(from, from + 4 * width), 4 * y * width);
  }
  const mask = ignoreMask(data, parseIgnore(list));
  mask.forEach((ignored, i) => {
    if (ignored) data[4 * i + 3] = 0;
  });
  return { data, width, height };
}

/** One device for the file: the pipelines compile once (slow on SwiftShader) and every suite reuses them. */
const gpu: GpuContext = useGpu();

/** Runs each case on a GPU engine (one per tuning, reused across cases as a caller would) and on the CPU. */
function agreementSuite(title: string, cases: Case[]): void {
  describe(title, () => {
    const engines = new Map<string, GpuKMeans>();
    const engineFor = (tuning: GpuKMeansTuning = {}): GpuKMeans => {
      const key = JSON.stringify(tuning);
      let engine = engines.get(key);
      if (!engine) engines.set(key, (engine = new GpuKMeans(gpu.device, tuning)));
      return engine;
    };
    afterAll(() => engines.forEach((engine) => engine.destroy()));

    for (const { name, image: make, options, tuning } of cases) {
      gpuIt(`gives the CPU's bits on ${name}`, gpu, async () => {
        const image = make();
        const [onGpu, onCpu] = [await engineFor(tuning).run(image, options), await cpuPixelKMeans(image, options)];
        expect(firstDifference(onGpu, onCpu)).toBeNull();
        expect(onGpu.rgb).toEqual(onCpu.rgb);
      });
    }
  });
}

agreementSuite('agreement on the sample photos', [
  { name: 'chelsea, k 5, seed 0, nInit 2', image: () => loadSample('chelsea.png'), options: { k: 5, seed: 0, nInit: 2 } },
  { name: 'coffee, k 8, seed 42, nInit 1', image: () => loadSample('coffee.png'), options: { k: 8, seed: 42, nInit: 1 } },
  { name: 'rocket in OKLab, k 6', image: () => loadSample('rocket.jpg'), options: { k: 6, nInit: 1, colorSpace: 'oklab' } },
]);

agreementSuite('agreement across image sizes', [
  { name: '1 × 1, k 1', image: () => randomImage(1, 1, 1), options: { k: 1 } },
  { name: '1 × 3, k 3', image: () => randomImage(1, 3, 2), options: { k: 3 } },
  { name: '2 × 2, k 2', image: () => randomImage(2, 2, 3), options: { k: 2, nInit: 2 } },
  { name: '7 × 1, k 4', image: () => randomImage(7, 1, 4), options: { k: 4, nInit: 2 } },
  { name: '13 × 11, k 5', image: () => randomImage(13, 11, 5), options: { k: 5, nInit: 2 } },
  { name: '101 × 3, k 7', image: () => randomImage(101, 3, 6), options: { k: 7, nInit: 2 } },
  // One pixel more than a tile, and odd both ways: the last tile is nearly all padding.
  { name: `${TILE_PIXELS + 1} × 1, k 3`, image: () => randomImage(TILE_PIXELS + 1, 1, 7), options: { k: 3, nInit: 1 } },
  { name: '257 × 255, k 9', image: () => randomImage(257, 255, 8, { palette: 40 }), options: { k: 9, nInit: 1 } },
  { name: '641 × 479, k 4', image: () => randomImage(641, 479, 9, { palette: 24 }), options: { k: 4, nInit: 1 } },
  {
    name: '1449 × 1447 (2.1 MP), k 3, maxIter 4',
    image: () => randomImage(1449, 1447, 10, { palette: 12 }),
    options: { k: 3, nInit: 1, maxIter: 4 },
  },
]);

agreementSuite(
  'agreement for k from 1 to 256',
  [1, 2, 3, 8, 31, 64, 129, 255, 256].map((k) => ({
    name: `a 96 × 80 random image, k ${k}`,
    image: () => randomImage(96, 80, 100 + k),
    options: { k, nInit: 1, maxIter: 30 },
  })),
);

agreementSuite('agreement across seeds', [
  ...[0, 1, 42, 4294967295].map((seed) => ({
    name: `a 120 × 90 image of 30 colours, seed ${seed}, nInit 3`,
    image: () => randomImage(120, 90, 11, { palette: 30 }),
    options: { k: 6, seed, nInit: 3 },
  })),
]);

agreementSuite('agreement on images with few colours', [
  { name: 'three colours, k 8', image: () => randomImage(50, 40, 12, { palette: 3 }), options: { k: 8, nInit: 2 } },
  { name: 'one colour, k 4', image: () => solid(33, 17, [10, 200, 30, 255]), options: { k: 4, nInit: 2 } },
  { name: 'two colours in OKLab, k 5', image: () => randomImage(40, 40, 13, { palette: 2 }), options: { k: 5, colorSpace: 'oklab' } },
]);

agreementSuite('agreement with transparency', [
  { name: 'half transparent, threshold 128', image: () => randomImage(70, 61, 14, { alpha: 'half' }), options: { k: 6, nInit: 2 } },
  { name: 'half transparent, threshold 0 (every pixel)', image: () => randomImage(70, 61, 14, { alpha: 'half' }), options: { k: 6, nInit: 2, alphaThreshold: 0 } },
  { name: 'random alpha, threshold 255', image: () => randomImage(70, 61, 15, { alpha: 'random' }), options: { k: 5, nInit: 2, alphaThreshold: 255 } },
  { name: 'random alpha in OKLab, threshold 200', image: () => randomImage(83, 47, 16, { alpha: 'random' }), options: { k: 7, colorSpace: 'oklab', alphaThreshold: 200 } },
]);

/** Pixels of `colours`, in runs: near colours that shared an 8-bit OKLab code before the codes became fixed point. */
const near = (colours: [number, number, number][]): PixelImage => ({
  data: Uint8ClampedArray.from({ length: 4 * 16 * colours.length }, (_, i) => (i % 4 === 3 ? 255 : colours[Math.floor(i / 64)]![i % 4]!)),
  width: 16,
  height: colours.length,
});

agreementSuite('agreement in OKLab', [
  { name: 'chelsea in OKLab, k 6', image: () => loadSample('chelsea.png'), options: { k: 6, nInit: 1, colorSpace: 'oklab' } },
  {
    name: 'four near colours in OKLab, k 4 (each cluster exactly one colour)',
    image: () => near([[255, 0, 0], [254, 0, 0], [0, 0, 255], [0, 0, 253]]),
    options: { k: 4, nInit: 2, colorSpace: 'oklab' },
  },
  { name: 'a random image in OKLab, k 12', image: () => randomImage(150, 101, 17), options: { k: 12, nInit: 2, colorSpace: 'oklab' } },
]);

agreementSuite('agreement on every stopping rule', [
  { name: 'maxIter 1 (not converged)', image: () => randomImage(90, 70, 18), options: { k: 5, nInit: 2, maxIter: 1 } },
  { name: 'maxIter 2', image: () => randomImage(90, 70, 18), options: { k: 5, nInit: 2, maxIter: 2 } },
  { name: 'tol 0 (strict convergence only)', image: () => randomImage(90, 70, 19, { palette: 50 }), options: { k: 5, nInit: 2, tol: 0 } },
  { name: 'tol 0.5 (stops on the shift)', image: () => randomImage(90, 70, 19, { palette: 50 }), options: { k: 5, nInit: 2, tol: 0.5 } },
]);

agreementSuite('agreement when the work is split', [
  {
    name: 'segments of one tile',
    image: () => randomImage(211, 97, 20, { alpha: 'half' }),
    options: { k: 7, nInit: 2 },
    tuning: { segmentPixels: TILE_PIXELS },
  },
  {
    name: 'segments of three tiles, dispatched two workgroups wide, one iteration a submission',
    image: () => randomImage(211, 197, 21),
    options: { k: 9, nInit: 2, colorSpace: 'oklab' },
    tuning: { segmentPixels: 3 * TILE_PIXELS, workgroupsPerDimension: 2, maxIterationsPerSubmit: 1 },
  },
  {
    name: 'one dispatch of 2D workgroups, three iterations a submission',
    image: () => randomImage(300, 200, 22),
    options: { k: 5, nInit: 2 },
    tuning: { workgroupsPerDimension: 4, maxIterationsPerSubmit: 3 },
  },
]);

// The per-colour kernels' tiles depend on the adapter (COLORS_PER_THREAD: 16 colours a thread on a GPU, 4096 on a
// software one such as this machine's); these run the GPU's tiles, smaller ones and one between, on whatever adapter
// is here.
agreementSuite("agreement with a GPU's colour tiles and smaller ones", [
  { name: 'chelsea with 16 colours a thread, k 5, nInit 3', image: () => loadSample('chelsea.png'), options: { k: 5, nInit: 3 }, tuning: { colorsPerThread: 16 } },
  { name: 'coffee with 256 colours a thread, k 12, nInit 4', image: () => loadSample('coffee.png'), options: { k: 12, nInit: 4 }, tuning: { colorsPerThread: 256 } },
  { name: 'rocket in OKLab with 16 colours a thread, k 9', image: () => loadSample('rocket.jpg'), options: { k: 9, nInit: 2, colorSpace: 'oklab' }, tuning: { colorsPerThread: 16 } },
  { name: 'transparency with 4 colours a thread, k 7', image: () => randomImage(211, 97, 31, { alpha: 'half', palette: 200 }), options: { k: 7, nInit: 2 }, tuning: { colorsPerThread: 4 } },
  { name: 'k 256 with 16 colours a thread', image: () => randomImage(96, 80, 32), options: { k: 256, nInit: 1 }, tuning: { colorsPerThread: 16 } },
  { name: 'seedings in passes of two with 8 colours a thread', image: () => randomImage(150, 90, 33, { palette: 60 }), options: { k: 6, nInit: 5 }, tuning: { colorsPerThread: 8, runsPerPass: 2 } },
]);

agreementSuite('agreement with locked colours', [
  {
    name: 'two locked of k 6, RGB',
    image: () => randomImage(90, 70, 23, { palette: 40 }),
    options: { k: 6, nInit: 2, fixed: ['#c83232', [20, 90, 200]] },
  },
  {
    name: 'three locked of k 5 in OKLab',
    image: () => randomImage(90, 70, 24, { palette: 40 }),
    options: { k: 5, nInit: 2, colorSpace: 'oklab', fixed: ['#000', '#fff', '#3a7d44'] },
  },
  {
    name: 'every colour locked (k 3): labelling only',
    image: () => randomImage(64, 48, 25),
    options: { k: 3, fixed: ['#000', '#808080', '#fff'] },
  },
  {
    name: 'a locked colour that no pixel is nearest to, tol 0',
    image: () => randomImage(64, 48, 26, { palette: 6 }),
    options: { k: 4, nInit: 2, tol: 0, fixed: ['#00ff00'] },
  },
]);

agreementSuite('agreement with ignored colours', [
  { name: 'a photo without its near-white and near-black', image: () => ignoring('white black'), options: { k: 5, nInit: 2 } },
  { name: 'a photo without two listed colours in OKLab', image: () => ignoring('#6b5a4c/8 #c9b8a6/6'), options: { k: 4, nInit: 2, colorSpace: 'oklab' } },
  { name: 'ignored colours and a locked colour', image: () => ignoring('#6b5a4c/8'), options: { k: 5, nInit: 2, fixed: ['#6b5a4c'] } },
]);

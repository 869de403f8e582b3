import { describe, expect, it } from 'vitest';
import { SEED_SAMPLE_MAX } from '../../src/core/constants.js';
import { cpuPixelKMeans } from '../../src/core/exact/cpu.js';
import { distinctColors, spreadDistinctLabels } from '../../src/core/exact/distinct.js';
import { exactLloyd } from '../../src/core/exact/lloyd.js';
import { extractPoints, fixedCoords } from '../../src/core/exact/points.js';
import { prepareExactRun, seedSampleIndices } from '../../src/core/exact/prepare.js';
import { exactWork, pickBestRun, runExactSeeds, runExactSeedSteps, type ExactRunResult } from '../../src/core/exact/runs.js';
import { runSync } from '../../src/core/pace.js';
import type { PixelImage } from '../../src/core/types.js';
import { loadSample } from '../helpers/images.js';
import { MEGAPIXEL_SIZES, photoLikeImage } from '../helpers/large-image.js';

/** Lloyd on every point (weight 1 each) and on the distinct colours weighted by their counts, from the same seeds. */
function bothWays(image: PixelImage, k: number, colorSpace: 'rgb' | 'oklab' = 'rgb') {
  const run = prepareExactRun(image, { k, nInit: 1, colorSpace });
  const every = exactLloyd(fixedCoords(run.points, run.n, colorSpace), undefined, run.initCenters[0]!, k, run.maxIter, run.tolFixed);
  const distinct = distinctColors(run.points, run.n);
  const coords = fixedCoords(distinct.colors, distinct.u, colorSpace);
  const weighted = exactLloyd(coords, distinct.weights, run.initCenters[0]!, k, run.maxIter, run.tolFixed);
  const spread = spreadDistinctLabels(distinct, run.points, run.n, weighted.labels, null, new Int32Array(run.n));
  return { run, every, weighted, spread, distinct };
}

function expectSameRun(r: ReturnType<typeof bothWays>): void {
  expect(r.distinct.u).toBeLessThan(r.run.n);
  expect(r.weighted.centersFixed).toEqual(r.every.centersFixed);
  expect(r.weighted.iterations).toBe(r.every.iterations);
  expect(r.weighted.converged).toBe(r.every.converged);
  expect(r.weighted.inertiaFixed).toBe(r.every.inertiaFixed);
  // Every pixel's label, compared without building 10^7-element arrays for the matcher.
  let differ = 0;
  for (let i = 0; i < r.run.n; i++) if (r.spread[i] !== r.every.labels[i]) differ++;
  expect(differ).toBe(0);
}

describe('exact k-means on distinct colours weighted by their counts', () => {
  it.each([
    { name: 'retina.jpg', k: 16, colorSpace: 'rgb' },
    { name: 'rocket.jpg', k: 5, colorSpace: 'oklab' },
    { name: 'chelsea.png', k: 64, colorSpace: 'rgb' },
  ] as const)('gives every pixel of $name the label Lloyd on every pixel gives ($colorSpace, k=$k)', (c) => {
    expectSameRun(bothWays(loadSample(c.name), c.k, c.colorSpace));
  });

  it('gives the same labels, centres, iterations and inertia on a 4-megapixel photo-like image', () => {
    const [width, height] = MEGAPIXEL_SIZES[4]!;
    const r = bothWays(photoLikeImage(width, height, 7), 16);
    expect(r.run.n).toBeGreaterThan(2 ** 21); // the direct 2^24 table, as at 24 MP
    expectSameRun(r);
  });

  it('runs end to end on a 24-megapixel image, every pixel at its nearest centre', async () => {
    const [width, height] = MEGAPIXEL_SIZES[24]!;
    const image = photoLikeImage(width, height, 3);
    const result = await cpuPixelKMeans(image, { k: 8, nInit: 2 });
    expect(result.labels.length).toBe(width * height);
    expect(result.counts.reduce((a, b) => a + b)).toBe(width * height);
    // Spot-check nearest centres on a stride of pixels (every pixel is checked by the tests above at 4 MP).
    let farther = 0;
    for (let i = 0; i < width * height; i += 997) {
      const d = (j: number): number => {
        let s = 0;
        for (let a = 0; a < 3; a++) s += (image.data[4 * i + a]! * 128 - result.centersFixed[3 * j + a]!) ** 2;
        return s;
      };
      for (let j = 0; j < 8; j++) if (d(j) < d(result.labels[i]!)) farther++;
    }
    expect(farther).toBe(0);
  });
});

describe('seeding on large inputs', () => {
  it('seeds on every point up to SEED_SAMPLE_MAX, and on evenly spaced points in order above', () => {
    expect(seedSampleIndices(SEED_SAMPLE_MAX)).toBeNull();
    const n = 3 * SEED_SAMPLE_MAX + 5;
    const sample = seedSampleIndices(n)!;
    expect(sample.length).toBe(SEED_SAMPLE_MAX);
    expect(sample[0]).toBe(0);
    for (const i of [1, 2, 12345, SEED_SAMPLE_MAX - 1]) expect(sample[i]).toBe(Math.floor((i * n) / SEED_SAMPLE_MAX));
    for (let i = 1; i < sample.length; i++) expect(sample[i]!).toBeGreaterThan(sample[i - 1]!);
  });

  it('picks seed pixels from the sample, as point indices, the same every time', () => {
    const image = photoLikeImage(700, 300, 5);
    const a = prepareExactRun(image, { k: 6, nInit: 3, seed: 4 });
    const b = prepareExactRun(image, { k: 6, nInit: 3, seed: 4 });
    expect(a.initIndices).toEqual(b.initIndices);
    const sample = new Set(seedSampleIndices(a.n));
    const { points } = extractPoints(image, 128);
    a.initIndices.forEach((indices, r) => {
      indices.forEach((p, j) => {
        expect(sample.has(p)).toBe(true);
        for (let c = 0; c < 3; c++) expect(a.initCenters[r]![3 * j + c]).toBe(points[3 * p + c]! * 128);
      });
    });
  });
});

describe('runs split over workers', () => {
  it('gives the single loop result whatever subsets the runs are split into', async () => {
    const image = loadSample('rocket.jpg');
    const options = { k: 7, nInit: 6, seed: 3 };
    const whole = await cpuPixelKMeans(image, options);
    const run = prepareExactRun(image, options);
    const work = exactWork(run);
    const results = [...runExactSeeds(work, [5, 1, 3]), ...runExactSeeds(work, [0, 4, 2])];
    const best = pickBestRun(results);
    expect(best.inertiaFixed).toBe(whole.inertiaFixed);
    expect(best.centersFixed).toEqual(whole.centersFixed);
    expect(best.iterations).toBe(whole.iterations);
    const labels = spreadDistinctLabels(run.distinct, run.points, run.n, best.labels, run.pixelIndex, new Int32Array(run.n));
    expect(labels).toEqual(whole.labels);
  });

  it('spreads labels only for a run that could be preferred to the best so far, the rest of the run unchanged', () => {
    const image = loadSample('rocket.jpg');
    const work = exactWork(prepareExactRun(image, { k: 6, nInit: 4, seed: 1 }));
    const [first, second] = runExactSeeds(work, [0, 1]) as [ExactRunResult, ExactRunResult];
    expect(first.inertiaFixed).not.toBe(second.inertiaFixed);
    const [better, worse] = first.inertiaFixed < second.inertiaFixed ? [first, second] : [second, first];
    const strip = ({ labels: _labels, ...rest }: ExactRunResult) => rest;
    // Measured against the better run: the worse one comes back without labels.
    const skipped = runSync(runExactSeedSteps(work, worse.run, better));
    expect(skipped.labels).toHaveLength(0);
    expect(strip(skipped)).toEqual(strip(worse));
    // Against the worse one, or an equal inertia of a later run, the better run keeps them.
    expect(runSync(runExactSeedSteps(work, better.run, worse)).labels).toEqual(better.labels);
    expect(runSync(runExactSeedSteps(work, better.run, { run: better.run + 1, inertiaFixed: better.inertiaFixed })).labels).toEqual(better.labels);
    expect(runSync(runExactSeedSteps(work, better.run, { run: better.run - 1, inertiaFixed: better.inertiaFixed })).labels).toHaveLength(0);
  });

  it('prefers the earliest run among equal inertias, in any order', () => {
    const tie = (run: number) => ({ run, inertiaFixed: 10n });
    expect(pickBestRun([tie(4), tie(2), { run: 3, inertiaFixed: 11n }, tie(6)]).run).toBe(2);
    expect(pickBestRun([{ run: 5, inertiaFixed: 9n }, tie(0)]).run).toBe(5);
  });
});

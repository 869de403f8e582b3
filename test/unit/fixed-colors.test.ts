import { describe, expect, it } from 'vitest';
import { InvalidInputError, InvalidOptionError } from '../../src/core/errors.js';
import { cpuPixelKMeans } from '../../src/core/exact/cpu.js';
import { fixedCenters, resolveFixedColors } from '../../src/core/exact/fixed-colors.js';
import { colorToFixed } from '../../src/core/exact/points.js';
import { checkExactRunPlan, exactRunPlan } from '../../src/core/exact/plan.js';
import { prepareExactRun } from '../../src/core/exact/prepare.js';
import { extractPalette } from '../../src/core/palette.js';
import { RandomState } from '../../src/core/random.js';
import { greedyKMeansPlusPlus } from '../../src/core/sklearn/kmeans-plusplus.js';
import { kmeans } from '../../src/core/sklearn/kmeans.js';
import { centerPoints } from '../../src/core/sklearn/prepare.js';
import type { ColorSpace, PixelImage, PixelKMeansResult } from '../../src/core/types.js';
import { notebookSample, randomImage } from '../helpers/images.js';

/** A small real photo: the notebook's chelsea sample, cropped to 60 × 60 so the exact engine runs in milliseconds. */
function photo(): PixelImage {
  const full = notebookSample('chelsea.png');
  const w = 60;
  const h = 60;
  const data = new Uint8ClampedArray(4 * w * h);
  for (let y = 0; y < h; y++) data.set(full.data.subarray(4 * (y + 70) * full.width + 4 * 70, 4 * (y + 70) * full.width + 4 * (70 + w)), 4 * y * w);
  return { data, width: w, height: h };
}

/** A pixel's position in fixed point (docs/ARITHMETIC.md). */
function point(image: PixelImage, i: number, space: ColorSpace): number[] {
  const d = image.data;
  return colorToFixed(space, d[4 * i]!, d[4 * i + 1]!, d[4 * i + 2]!);
}

/** Where a locked colour must be: `colorToFixed` of the colour, in the argument order of this file's tables. */
const at = (rgb: readonly [number, number, number], space: ColorSpace) => colorToFixed(space, rgb[0], rgb[1], rgb[2]);

/** For each cluster from `from` on: null when empty, else whether its centre is its members' rounded mean. */
function centresAreMeans(image: PixelImage, result: PixelKMeansResult, from: number): boolean {
  const k = result.counts.length;
  for (let j = from; j < k; j++) {
    const sums = [0, 0, 0];
    let n = 0;
    for (let i = 0; i < result.labels.length; i++) {
      if (result.labels[i] !== j) continue;
      n++;
      point(image, i, result.colorSpace).forEach((v, c) => (sums[c]! += v));
    }
    if (n === 0) continue;
    for (let c = 0; c < 3; c++) {
      if (result.centersFixed[3 * j + c] !== Math.floor((2 * sums[c]! + n) / (2 * n))) return false;
    }
  }
  return true;
}

/** Whether every pixel's label is its nearest centre (ties to the lowest index). */
function labelsAreNearest(image: PixelImage, result: PixelKMeansResult): boolean {
  const c = result.centersFixed;
  const k = c.length / 3;
  for (let i = 0; i < result.labels.length; i++) {
    const p = point(image, i, result.colorSpace);
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      const d = (p[0]! - c[3 * j]!) ** 2 + (p[1]! - c[3 * j + 1]!) ** 2 + (p[2]! - c[3 * j + 2]!) ** 2;
      if (d < bestD) [best, bestD] = [j, d];
    }
    if (result.labels[i] !== best) return false;
  }
  return true;
}

describe('locked colours: options and coordinates', () => {
  it('puts a locked colour where a pixel of that colour is, in RGB and in OKLab', () => {
    expect([...fixedCenters([[170, 187, 204], [1, 2, 3]], 'rgb')]).toEqual([170 * 128, 187 * 128, 204 * 128, 128, 256, 384]);
    expect([...fixedCenters([[170, 187, 204], [1, 2, 3]], 'oklab')]).toEqual([...at([170, 187, 204], 'oklab'), ...at([1, 2, 3], 'oklab')]);
  });

  it('reads hex and [r, g, b] colours and merges duplicates, keeping the first order', () => {
    expect(resolveFixedColors(['#aabbcc', [17, 34, 51], '#ABC', '#123'], 5)).toEqual([
      [170, 187, 204],
      [17, 34, 51],
    ]);
    expect(resolveFixedColors(undefined, 5)).toEqual([]);
  });

  it.each([
    ['more distinct colours than k', ['#000', '#fff', '#f00'], 2],
    ['a colour that is not one', ['#ggg'], 3],
    ['a channel out of range', [[0, 0, 256]], 3],
    ['a fractional channel', [[0, 0.5, 1]], 3],
    ['not a list', '#ffffff', 3],
  ])('refuses %s with InvalidOptionError', (_, fixed, k) => {
    expect(() => resolveFixedColors(fixed, k)).toThrow(InvalidOptionError);
  });

  it('rejects fixed colours on every backend before any work, with a typed error', async () => {
    const image = randomImage(8, 8, 1);
    for (const options of [{ backend: 'cpu' as const }, { backend: 'cpu' as const, arithmetic: 'float64' as const }]) {
      await expect(extractPalette(image, { ...options, k: 2, fixed: ['#000', '#fff', '#f00'] })).rejects.toThrow(InvalidOptionError);
      await expect(extractPalette(image, { ...options, k: 2, fixed: ['nope'] })).rejects.toThrow(InvalidOptionError);
    }
  });
});

describe('k-means++ with fixed centres', () => {
  it('draws the other seeds away from the fixed ones: fixed on one blob, the seed lands in the other', () => {
    // Two tight blobs far apart; a fixed centre on blob A leaves nearly all the potential on blob B.
    const n = 200;
    const pts = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const base = i < n / 2 ? 0.1 : 0.9;
      for (let c = 0; c < 3; c++) pts[3 * i + c] = base + ((i * (c + 3)) % 7) * 1e-3;
    }
    const { X, mean, xSquaredNorms } = centerPoints(pts, n, 3);
    const fixed = Float64Array.from([0.1, 0.1, 0.1], (v, c) => v - mean[c]!);
    for (let seed = 0; seed < 20; seed++) {
      const indices = greedyKMeansPlusPlus(X, n, 3, 2, new RandomState(seed), xSquaredNorms, fixed);
      expect(indices[0]).toBe(-1);
      expect(indices[1]).toBeGreaterThanOrEqual(n / 2);
    }
  });

  it('with no fixed centres chooses exactly the indices of the plain seeding', () => {
    const image = randomImage(30, 30, 7);
    const plain = prepareExactRun(image, { k: 6, seed: 3, nInit: 3 });
    const none = prepareExactRun(image, { k: 6, seed: 3, nInit: 3, fixed: [] });
    expect(none.initIndices).toEqual(plain.initIndices);
    expect(none.initCenters).toEqual(plain.initCenters);
  });

  it('starts every seeding with the locked colours as centres 0 .. m−1', () => {
    const image = randomImage(30, 30, 8);
    const run = prepareExactRun(image, { k: 5, seed: 1, nInit: 4, colorSpace: 'oklab', fixed: ['#ff0000', '#00ff00'] });
    for (const [r, centers] of run.initCenters.entries()) {
      expect([...centers.subarray(0, 6)]).toEqual([...at([255, 0, 0], 'oklab'), ...at([0, 255, 0], 'oklab')]);
      expect([...run.initIndices[r]!.subarray(0, 2)]).toEqual([-1, -1]);
      expect(Math.min(...run.initIndices[r]!.subarray(2))).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('exact k-means with locked colours', () => {
  it.each(['rgb', 'oklab'] as const)(
    'keeps the locked centres where they are and finds the others around them (%s)',
    async (colorSpace) => {
      const image = photo();
      const locked: [number, number, number][] = [[200, 40, 40], [20, 90, 200]];
      const result = await cpuPixelKMeans(image, { k: 5, seed: 0, nInit: 3, colorSpace, fixed: locked, tol: 0 });
      expect([...result.centersFixed.subarray(0, 6)]).toEqual([...at(locked[0]!, colorSpace), ...at(locked[1]!, colorSpace)]);
      expect(result.rgb.slice(0, 2)).toEqual(locked);
      expect(result.fixedCount).toBe(2);
      expect(result.converged).toBe(true);
      // Every pixel is labelled with its nearest centre, and every free centre is its members' mean: a Lloyd fixed
      // point in which only the free centres moved.
      expect(labelsAreNearest(image, result)).toBe(true);
      expect(centresAreMeans(image, result, 2)).toBe(true);
      const free = await cpuPixelKMeans(image, { k: 5, seed: 0, nInit: 3, colorSpace, tol: 0 });
      expect(result.inertiaFixed).toBeGreaterThanOrEqual(free.inertiaFixed);
    },
  );

  it('gives the same bits with an empty lock list as without one', async () => {
    const image = photo();
    const a = await cpuPixelKMeans(image, { k: 4, seed: 2, nInit: 2 });
    const b = await cpuPixelKMeans(image, { k: 4, seed: 2, nInit: 2, fixed: [] });
    expect(b.centersFixed).toEqual(a.centersFixed);
    expect(b.labels).toEqual(a.labels);
    expect(b.inertiaFixed).toBe(a.inertiaFixed);
  });

  it('marks the locked colours in the palette and keeps one with no pixels at 0 %', async () => {
    const image = photo();
    const palette = await extractPalette(image, { backend: 'cpu', k: 3, fixed: ['#00ff00', '#765432'] });
    const green = palette.colors.find((c) => c.hex === '#00ff00');
    expect(green).toMatchObject({ locked: true, count: 0, fraction: 0 });
    expect(palette.colors.find((c) => c.hex === '#765432')?.locked).toBe(true);
    expect(palette.colors.filter((c) => c.locked)).toHaveLength(2);
  });

  it('with every colour locked, runs no seeding and only labels', async () => {
    const image = photo();
    const result = await cpuPixelKMeans(image, { k: 2, fixed: ['#000000', '#ffffff'] });
    expect([...result.centersFixed]).toEqual([0, 0, 0, 255 * 128, 255 * 128, 255 * 128]);
    expect(labelsAreNearest(image, result)).toBe(true);
  });

  it('refuses a prepared run made for other locked colours', () => {
    const image = randomImage(16, 16, 3);
    const plan = exactRunPlan(prepareExactRun(image, { k: 3, fixed: ['#102030'] }));
    expect(() => checkExactRunPlan(plan, { k: 3, fixed: ['#102030'] }, 256)).not.toThrow();
    expect(() => checkExactRunPlan(plan, { k: 3, fixed: ['#102031'] }, 256)).toThrow(InvalidOptionError);
    expect(() => checkExactRunPlan(plan, { k: 3 }, 256)).toThrow(InvalidOptionError);
    const tampered = { ...plan, initCenters: plan.initCenters.map((c) => Uint32Array.from(c).fill(0, 0, 3)) };
    expect(() => checkExactRunPlan(tampered, { k: 3, fixed: ['#102030'] }, 256)).toThrow(InvalidInputError);
  });
});

describe('float64 k-means with fixed centres', () => {
  it('keeps the fixed centres and moves only the others; none fixed is scikit-learn unchanged', () => {
    const image = photo();
    const pts = new Float64Array(3 * image.width * image.height);
    for (let i = 0; i < pts.length / 3; i++) for (let c = 0; c < 3; c++) pts[3 * i + c] = image.data[4 * i + c]! / 255;
    const fixed = [[0.8, 0.2, 0.2], [0.1, 0.3, 0.8]];
    const fit = kmeans(pts, { k: 5, seed: 0, nInit: 3, fixed, tol: 0 });
    for (let j = 0; j < 2; j++) for (let c = 0; c < 3; c++) expect(fit.centers[j]![c]).toBeCloseTo(fixed[j]![c]!, 12);
    // The free centres are their members' means.
    for (let j = 2; j < 5; j++) {
      const sums = [0, 0, 0];
      let n = 0;
      fit.labels.forEach((l, i) => {
        if (l !== j) return;
        n++;
        for (let c = 0; c < 3; c++) sums[c]! += pts[3 * i + c]!;
      });
      if (n > 0) for (let c = 0; c < 3; c++) expect(fit.centers[j]![c]).toBeCloseTo(sums[c]! / n, 9);
    }
    const plain = kmeans(pts, { k: 5, seed: 0, nInit: 3 });
    const none = kmeans(pts, { k: 5, seed: 0, nInit: 3, fixed: [] });
    expect(none.centers).toEqual(plain.centers);
    expect(none.labels).toEqual(plain.labels);
  });

  it('reports the locked colours in a float64 palette, in RGB and OKLab', async () => {
    const image = photo();
    for (const colorSpace of ['rgb', 'oklab'] as const) {
      const palette = await extractPalette(image, {
        backend: 'cpu', arithmetic: 'float64', k: 4, colorSpace, fixed: ['#c83232'],
      });
      expect(palette.colors.find((c) => c.locked)?.hex).toBe('#c83232');
    }
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { FIXED_ONE, MAX_COORD } from '../../src/core/constants.js';
import {
  AbortError,
  InvalidInputError,
  InvalidOptionError,
  NoOpaquePixelsError,
} from '../../src/core/errors.js';
import { cpuPixelKMeans } from '../../src/core/exact/cpu.js';
import { exactLloyd } from '../../src/core/exact/lloyd.js';
import { colorToFixed, extractPoints, fixedCoords } from '../../src/core/exact/points.js';
import { prepareExactRun } from '../../src/core/exact/prepare.js';
import { kmeansPlusPlus } from '../../src/core/sklearn/kmeans.js';
import { scaledTolerance } from '../../src/core/sklearn/prepare.js';
import type { ColorSpace, PixelImage, PixelKMeansResult } from '../../src/core/types.js';
import { loadFixture, loadSample, notebookSample, randomImage, seededRandom, type TestImage } from '../helpers/images.js';

/** The fixed-point position of a pixel's point in `space`, or null when alpha leaves it out. */
function pixelPoint(image: PixelImage, i: number, space: ColorSpace, alphaThreshold = 128): number[] | null {
  const d = image.data;
  if (d[4 * i + 3]! < alphaThreshold) return null;
  return colorToFixed(space, d[4 * i]!, d[4 * i + 1]!, d[4 * i + 2]!);
}

/**
 * Brute force over every pixel and centre: how many pixels have a strictly nearer centre than their label, or a
 * label they should not have (-1 for a used pixel, a cluster for a left-out one), or a tie resolved upwards.
 */
function nearestCentreViolations(image: PixelImage, result: PixelKMeansResult, alphaThreshold = 128): number {
  const c = result.centersFixed;
  const k = c.length / 3;
  let bad = 0;
  for (let i = 0; i < image.width * image.height; i++) {
    const p = pixelPoint(image, i, result.colorSpace, alphaThreshold);
    const label = result.labels[i]!;
    if (p === null) {
      if (label !== -1) bad++;
      continue;
    }
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      let d = 0;
      for (let a = 0; a < 3; a++) d += (p[a]! - c[3 * j + a]!) ** 2;
      if (d < bestD) [best, bestD] = [j, d];
    }
    if (label !== best) bad++;
  }
  return bad;
}

/** Round-half-up means of each cluster's members, in fixed point; null for an empty cluster. */
function memberMeans(image: PixelImage, result: PixelKMeansResult, alphaThreshold = 128): (number[] | null)[] {
  const k = result.counts.length;
  const sums = Array.from({ length: k }, () => [0, 0, 0]);
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < image.width * image.height; i++) {
    const p = pixelPoint(image, i, result.colorSpace, alphaThreshold);
    const j = result.labels[i]!;
    if (p === null || j < 0) continue;
    counts[j]!++;
    for (let a = 0; a < 3; a++) sums[j]![a]! += p[a]!;
  }
  return sums.map((s, j) =>
    counts[j] ? s.map((v) => Math.floor((2 * v + counts[j]!) / (2 * counts[j]!))) : null,
  );
}

describe('the exact CPU engine on the sample photos', () => {
  const cases: { name: 'chelsea.png' | 'coffee.png' | 'rocket.jpg'; colorSpace: ColorSpace; k: number }[] = [
    { name: 'chelsea.png', colorSpace: 'rgb', k: 5 },
    { name: 'coffee.png', colorSpace: 'oklab', k: 8 },
    { name: 'rocket.jpg', colorSpace: 'rgb', k: 16 },
  ];
  const images = new Map<string, TestImage>();
  beforeAll(() => {
    for (const c of cases) images.set(c.name, notebookSample(c.name));
  });

  it.each(cases)('puts every pixel of $name at its nearest centre ($colorSpace, k=$k)', async (c) => {
    const { name, colorSpace, k } = c;
    const image = images.get(name)!;
    const result = await cpuPixelKMeans(image, { k, colorSpace, nInit: 3 });
    expect(nearestCentreViolations(image, result)).toBe(0);
    expect(result.arithmetic).toBe('exact');
    expect(result.pixelsUsed).toBe(image.width * image.height);
    expect(result.counts.reduce((a, b) => a + b)).toBe(result.pixelsUsed);
    for (const v of result.centersFixed) expect(v).toBeLessThanOrEqual(MAX_COORD);
    for (const row of result.centers) for (const v of row) expect(Number.isFinite(v)).toBe(true);
  });

  it.each(cases)('moves each centre of $name to the rounded mean of its members once labels settle', async (c) => {
    const image = images.get(c.name)!;
    // tol = 0: only unchanged labels stop the run, so the last update used the final labels.
    const result = await cpuPixelKMeans(image, { k: c.k, colorSpace: c.colorSpace, nInit: 1, tol: 0 });
    expect(result.converged).toBe(true);
    const means = memberMeans(image, result);
    means.forEach((m, j) => {
      if (m) expect(Array.from(result.centersFixed.subarray(3 * j, 3 * j + 3))).toEqual(m);
    });
  });

  it('gives the same bits every time', async () => {
    const image = images.get('chelsea.png')!;
    const a = await cpuPixelKMeans(image, { k: 6, seed: 3, nInit: 2 });
    const b = await cpuPixelKMeans(image, { k: 6, seed: 3, nInit: 2 });
    expect(b.centersFixed).toEqual(a.centersFixed);
    expect(b.labels).toEqual(a.labels);
    expect(b.inertiaFixed).toBe(a.inertiaFixed);
    expect(b.iterations).toBe(a.iterations);
  });

  it('keeps the run with the lowest inertia of the nInit seedings', async () => {
    const image = images.get('rocket.jpg')!;
    const options = { k: 7, seed: 11, nInit: 6 };
    const run = prepareExactRun(image, options);
    const runs = run.initCenters.map((init) =>
      exactLloyd(fixedCoords(run.points, run.n, run.colorSpace), undefined, init, run.k, run.maxIter, run.tolFixed),
    );
    let best = 0;
    runs.forEach((r, i) => {
      if (r.inertiaFixed < runs[best]!.inertiaFixed) best = i;
    });
    const result = await cpuPixelKMeans(image, options);
    expect(result.inertiaFixed).toBe(runs[best]!.inertiaFixed);
    expect(result.centersFixed).toEqual(runs[best]!.centersFixed);
    expect(result.iterations).toBe(runs[best]!.iterations);
    expect(result.labels).toEqual(runs[best]!.labels);
  });

  it('reports inertia as the fixed-point inertia over (128·255)²', async () => {
    const result = await cpuPixelKMeans(images.get('coffee.png')!, { k: 4, nInit: 1 });
    expect(result.inertia).toBe(Number(result.inertiaFixed) / (128 * 255) ** 2);
    expect(result.centers[0]![0]).toBe(result.centersFixed[0]! / (128 * 255));
  });
});

describe('preparing an exact run', () => {
  it.each(['chelsea-k5-seed0', 'rocket-k8-seed42-ninit1', 'random-1000-k5-seed0'] as const)(
    "seeds from the pixels scikit-learn's k-means++ picks (%s)",
    (name) => {
      const f = loadFixture(name);
      const run = prepareExactRun(f.image, { k: f.params.n_clusters, seed: f.params.random_state, nInit: 2 });
      expect(Array.from(run.initIndices[0]!)).toEqual(f.init.indices);
      // The second seeding continues the same generator, as scikit-learn's n_init loop does.
      const x = Float64Array.from(f.pixels, (v) => v / 255);
      expect(run.initIndices[1]).not.toEqual(run.initIndices[0]);
      const reference = kmeansPlusPlus(x, f.params.n_clusters, f.params.random_state);
      expect(Array.from(run.initIndices[0]!)).toEqual(Array.from(reference.indices));
      run.initIndices[0]!.forEach((index, j) => {
        for (let a = 0; a < 3; a++) expect(run.initCenters[0]![3 * j + a]).toBe(f.pixels[3 * index + a]! * FIXED_ONE);
      });
    },
  );

  it('keeps every pixel of a photo above the alpha threshold as its sRGB colour, in pixel order', () => {
    const image = loadSample('rocket.jpg');
    for (let i = 3; i < image.data.length; i += 40) image.data[i] = 0;
    const { points, pixelIndex, n } = extractPoints(image, 128);
    expect(n).toBe(image.width * image.height - Math.ceil(image.data.length / 40));
    let wrong = 0;
    for (let o = 0; o < n; o++) {
      const p = 4 * pixelIndex![o]!;
      if ([0, 1, 2].some((a) => image.data[p + a] !== points[3 * o + a])) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('computes the same tolFixed in RGB as the 8-bit formula floor(tol · 128² · mean var(p)) over every pixel', () => {
    for (const name of ['coffee-k5-seed0', 'chelsea-k5-seed0', 'random-1000-k5-seed0'] as const) {
      const f = loadFixture(name);
      const run = prepareExactRun(f.image, { k: 5, tol: 1e-4, nInit: 1 });
      const n = f.pixels.length / 3;
      let variance = 0;
      for (let c = 0; c < 3; c++) {
        let s = 0;
        let q = 0;
        for (let i = 0; i < n; i++) {
          s += f.pixels[3 * i + c]!;
          q += f.pixels[3 * i + c]! ** 2;
        }
        variance += (q - (s * s) / n) / n;
      }
      expect(run.tolFixed).toBe(Math.floor(1e-4 * FIXED_ONE * FIXED_ONE * (variance / 3)));
    }
  });

  it("scales tol like scikit-learn's, in squared fixed-point units", () => {
    const f = loadFixture('coffee-k5-seed0');
    const run = prepareExactRun(f.image, { k: 5, tol: 1e-4, nInit: 1 });
    const x = Float64Array.from(f.pixels, (v) => v / 255);
    const sklearnTol = scaledTolerance(x, x.length / 3, 3, 1e-4) * (255 * FIXED_ONE) ** 2;
    expect(Math.abs(run.tolFixed - sklearnTol)).toBeLessThanOrEqual(1);
    expect(Number.isInteger(run.tolFixed)).toBe(true);
  });
});

describe('alpha', () => {
  const image = randomImage(37, 29, 5, { palette: 12, alpha: 'half' });

  it('leaves out the pixels below alphaThreshold, labelled -1, and counts only the rest', async () => {
    const result = await cpuPixelKMeans(image, { k: 4, nInit: 2 });
    const opaque = Array.from({ length: 37 * 29 }, (_, i) => image.data[4 * i + 3]! >= 128);
    expect(result.pixelsUsed).toBe(opaque.filter(Boolean).length);
    opaque.forEach((used, i) => expect(result.labels[i]! >= 0).toBe(used));
    expect(nearestCentreViolations(image, result)).toBe(0);
  });

  it('clusters a half-transparent image exactly as the same opaque pixels packed alone', async () => {
    const kept: number[] = [];
    for (let i = 0; i < 37 * 29; i++) if (image.data[4 * i + 3]! >= 128) kept.push(i);
    const packed = new Uint8ClampedArray(4 * kept.length);
    kept.forEach((p, i) => packed.set(image.data.subarray(4 * p, 4 * p + 4), 4 * i));
    const a = await cpuPixelKMeans(image, { k: 4, nInit: 2 });
    const b = await cpuPixelKMeans({ data: packed, width: kept.length, height: 1 }, { k: 4, nInit: 2 });
    expect(a.centersFixed).toEqual(b.centersFixed);
    expect(a.inertiaFixed).toBe(b.inertiaFixed);
    expect(kept.map((p) => a.labels[p])).toEqual(Array.from(b.labels));
  });

  it('keeps every pixel with alphaThreshold 0 and only opaque ones with 255', async () => {
    const all = await cpuPixelKMeans(image, { k: 3, nInit: 1, alphaThreshold: 0 });
    expect(all.pixelsUsed).toBe(37 * 29);
    const opaque = await cpuPixelKMeans(image, { k: 3, nInit: 1, alphaThreshold: 255 });
    let full = 0;
    for (let i = 3; i < image.data.length; i += 4) if (image.data[i] === 255) full++;
    expect(opaque.pixelsUsed).toBe(full);
    expect(nearestCentreViolations(image, opaque, 255)).toBe(0);
  });

  it('rejects an image with no pixel at the threshold with NoOpaquePixelsError', async () => {
    const clear = randomImage(8, 8, 1);
    for (let i = 3; i < clear.data.length; i += 4) clear.data[i] = 10;
    await expect(cpuPixelKMeans(clear, { k: 2 })).rejects.toThrow(NoOpaquePixelsError);
  });
});

describe('k at the edges', () => {
  it('puts the single centre of k = 1 at the rounded mean of all pixels', async () => {
    const image = notebookSample('coffee.png');
    const result = await cpuPixelKMeans(image, { k: 1, nInit: 1 });
    expect(result.labels.every((l) => l === 0)).toBe(true);
    expect(result.converged).toBe(true);
    expect(Array.from(result.centersFixed)).toEqual(memberMeans(image, result)[0]);
  });

  it('handles k = 256 without NaN, every pixel at its nearest centre', async () => {
    const image = randomImage(48, 40, 8);
    const result = await cpuPixelKMeans(image, { k: 256, nInit: 1 });
    expect(result.centers).toHaveLength(256);
    for (const row of result.centers) for (const v of row) expect(Number.isFinite(v)).toBe(true);
    expect(nearestCentreViolations(image, result)).toBe(0);
    expect(result.counts.reduce((a, b) => a + b)).toBe(48 * 40);
  });

  it.each(['rgb', 'oklab'] as const)(
    'gives every colour there is a cluster of its own when k exceeds the distinct colours (%s)',
    async (colorSpace) => {
      const image = randomImage(30, 20, 4, { palette: 3 });
      const result = await cpuPixelKMeans(image, { k: 6, nInit: 3, colorSpace });
      const colours = new Set<string>();
      for (let i = 0; i < 600; i++) colours.add(String(pixelPoint(image, i, colorSpace)));
      expect(colours.size).toBe(3);
      expect(result.inertiaFixed).toBe(0n);
      const centre = (j: number): string =>
        String(Array.from(result.centersFixed.subarray(3 * j, 3 * j + 3)));
      const used = result.counts.flatMap((count, j) => (count ? [centre(j)] : []));
      expect(new Set(used)).toEqual(colours);
      for (const row of result.centers) for (const v of row) expect(Number.isFinite(v)).toBe(true);
    },
  );

  it('keeps near colours apart in OKLab: k distinct colours give k clusters, each reported as exactly its colour', async () => {
    const random = seededRandom(21);
    for (let trial = 0; trial < 24; trial++) {
      const k = 2 + (trial % 4);
      // k colours within a step or two of a random base colour: many of them shared an 8-bit OKLab code.
      const base = [0, 1, 2].map(() => Math.floor(random() * 254));
      const colours = new Set<string>();
      while (colours.size < k) colours.add(String(base.map((v) => v + Math.floor(random() * 3))));
      const list = [...colours].map((c) => c.split(',').map(Number));
      const image = { data: new Uint8ClampedArray(4 * 12 * k), width: 12, height: k };
      list.forEach((c, j) => {
        for (let x = 0; x < 12; x++) image.data.set([...c, 255], 4 * (12 * j + x));
      });
      const result = await cpuPixelKMeans(image, { k, nInit: 1, colorSpace: 'oklab', seed: trial });
      expect(new Set(result.rgb.map(String))).toEqual(colours);
      expect(result.counts).toEqual(new Array(k).fill(12));
    }
  });

  it('rejects k above 256 or above the number of pixels, and k below 1, with InvalidOptionError', async () => {
    const image = randomImage(20, 20, 1);
    await expect(cpuPixelKMeans(image, { k: 257 })).rejects.toThrow(InvalidOptionError);
    await expect(cpuPixelKMeans(image, { k: 0 })).rejects.toThrow(InvalidOptionError);
    await expect(cpuPixelKMeans(randomImage(3, 3, 1), { k: 10 })).rejects.toThrow(InvalidOptionError);
  });
});

describe('bad input', () => {
  it('rejects malformed images with InvalidInputError and bad pixel options with InvalidOptionError', async () => {
    const good = randomImage(4, 4, 1);
    await expect(cpuPixelKMeans({ ...good, width: 5 }, { k: 2 })).rejects.toThrow(InvalidInputError);
    await expect(cpuPixelKMeans({ ...good, height: 0 }, { k: 2 })).rejects.toThrow(InvalidInputError);
    const notBytes = { data: [1, 2, 3, 4] as never, width: 1, height: 1 };
    await expect(cpuPixelKMeans(notBytes, { k: 1 })).rejects.toThrow(InvalidInputError);
    await expect(cpuPixelKMeans(good, { k: 2, colorSpace: 'hsl' as never })).rejects.toThrow(InvalidOptionError);
    await expect(cpuPixelKMeans(good, { k: 2, alphaThreshold: 256 })).rejects.toThrow(InvalidOptionError);
    await expect(cpuPixelKMeans(good, { k: 2, seed: -1 })).rejects.toThrow(InvalidOptionError);
    await expect(cpuPixelKMeans(good, { k: 2, maxIter: 0 })).rejects.toThrow(InvalidOptionError);
  });

  it('stops with AbortError when its signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(cpuPixelKMeans(randomImage(4, 4, 1), { k: 2, signal: controller.signal })).rejects.toThrow(AbortError);
  });

  it('stops between runs when its signal fires mid-way', async () => {
    const controller = new AbortController();
    const runsStarted: number[] = [];
    const running = cpuPixelKMeans(randomImage(30, 30, 2), {
      k: 3,
      nInit: 5,
      signal: controller.signal,
      onProgress: ({ phase, fraction }) => {
        if (phase !== 'iterate') return;
        runsStarted.push(fraction);
        if (fraction > 0) controller.abort();
      },
    });
    await expect(running).rejects.toThrow(AbortError);
    expect(runsStarted).toEqual([0, 0.2]);
  });
});

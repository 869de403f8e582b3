import { describe, expect, it } from 'vitest';
import { distinctColors } from '../../src/core/exact/distinct.js';
import { extractPoints } from '../../src/core/exact/points.js';
import {
  seedExactRunsSteps,
  seedingRowsSteps,
  seedingSampleColors,
  seedingSampleColorsFromPixelsSteps,
  seedRunsOnRowsSteps,
} from '../../src/core/exact/prepare.js';
import { fixedCenters } from '../../src/core/exact/fixed-colors.js';
import { runSync } from '../../src/core/pace.js';
import { RandomState } from '../../src/core/random.js';
import { greedyKMeansPlusPlus } from '../../src/core/sklearn/kmeans-plusplus.js';
import { greedyKMeansPlusPlusOnRowsSteps, rowBoxes } from '../../src/core/sklearn/kmeans-plusplus-rows.js';
import { describeBothEngines } from '../helpers/engines.js';
import { pairwiseSum, pairwiseSumGather } from '../../src/core/sklearn/numeric.js';
import { rowSquaredNorms } from '../../src/core/sklearn/prepare.js';
import { boxResize, loadSample, randomImage, type TestImage } from '../helpers/images.js';

/** The image with 4 bits per colour channel: a photo's shapes with repeated colours. */
function posterised(image: TestImage): TestImage {
  return { ...image, data: image.data.map((v, i) => (i % 4 === 3 ? v : v & 0xf0)) };
}

/** m points drawn from u random rows (centred-looking values), as row indices and the rows. */
function sharedRows(rng: RandomState, u: number, m: number) {
  const X = Float64Array.from({ length: 3 * u }, () => rng.randomSample() - 0.5);
  const rowOf = Uint32Array.from({ length: m }, () => rng.randint(u));
  const written = new Float64Array(3 * m);
  rowOf.forEach((r, i) => written.set(X.subarray(3 * r, 3 * r + 3), 3 * i));
  return { X, rowOf, written };
}

describe('sums over gathered values', () => {
  it('adds the gathered values with numpy’s pairwise tree, to the bit, at every length', () => {
    const rng = new RandomState(11);
    for (const m of [0, 1, 7, 8, 9, 127, 128, 129, 300, 1000, 4099]) {
      const a = Float64Array.from({ length: 50 }, () => rng.randomSample() * 1e3);
      const index = Uint32Array.from({ length: m }, () => rng.randint(50));
      const written = Float64Array.from(index, (r) => a[r]!);
      expect(pairwiseSumGather(a, index)).toBe(pairwiseSum(written));
    }
  });
});

describeBothEngines('k-means++ on shared rows', () => {

  it('seeds two interleaved seedings of one point set, and one left half-way, as each alone', () => {
    const rng = new RandomState(3);
    const u = 400;
    const { X, rowOf } = sharedRows(rng, u, 5000);
    const norms = rowSquaredNorms(X, u, 3);
    const boxes = rowBoxes(X, u, norms, rowOf);
    const alone = (seed: number) => Array.from(runSync(greedyKMeansPlusPlusOnRowsSteps(X, u, norms, rowOf, 7, new RandomState(seed), boxes)));
    const expected = [alone(1), alone(2)];
    // A seeding abandoned after a few steps gives its memory back (its generator's finally).
    const left = greedyKMeansPlusPlusOnRowsSteps(X, u, norms, rowOf, 7, new RandomState(9), boxes);
    for (let i = 0; i < 5; i++) left.next();
    left.return(new Int32Array(0));
    const a = greedyKMeansPlusPlusOnRowsSteps(X, u, norms, rowOf, 7, new RandomState(1), boxes);
    const b = greedyKMeansPlusPlusOnRowsSteps(X, u, norms, rowOf, 7, new RandomState(2), boxes);
    let ra: IteratorResult<void, Int32Array>;
    let rb: IteratorResult<void, Int32Array>;
    do {
      ra = a.next();
      rb = b.next();
    } while (!ra.done && !rb.done);
    while (!ra.done) ra = a.next();
    while (!rb.done) rb = b.next();
    expect([Array.from(ra.value as Int32Array), Array.from(rb.value as Int32Array)]).toEqual(expected);
    expect([alone(1), alone(2)]).toEqual(expected);
  });

  it.each([
    { k: 1, u: 50 },
    { k: 2, u: 60 },
    { k: 5, u: 90 },
    { k: 8, u: 120 },
    { k: 12, u: 160 },
    { k: 6, u: 4 },
  ])('picks the points k-means++ picks on the rows written out (k=$k, $u rows)', ({ k, u }) => {
    const rng = new RandomState(k);
    const { X, rowOf, written } = sharedRows(rng, u, 3000);
    const norms = rowSquaredNorms(X, X.length / 3, 3);
    for (let seed = 0; seed < 4; seed++) {
      const expected = greedyKMeansPlusPlus(written, rowOf.length, 3, k, new RandomState(seed));
      const got = runSync(greedyKMeansPlusPlusOnRowsSteps(X, X.length / 3, norms, rowOf, k, new RandomState(seed)));
      expect(Array.from(got)).toEqual(Array.from(expected));
    }
  });

  it('picks the same points where boxes prune, candidates tie and distances vanish', () => {
    const rng = new RandomState(5);
    // Rows in a few tight clusters (most boxes far from any candidate), a row repeated at another index (two
    // candidates with one potential), and a run of identical rows (closest distances of 0).
    const clusters = Array.from({ length: 6 }, () => [rng.randomSample() - 0.5, rng.randomSample() - 0.5, rng.randomSample() - 0.5]);
    const u = 1500;
    const X = new Float64Array(3 * u);
    for (let r = 0; r < u; r++) {
      const c = clusters[r % clusters.length]!;
      for (let j = 0; j < 3; j++) X[3 * r + j] = c[j]! + (r < 1400 ? (rng.randomSample() - 0.5) * 1e-3 : 0);
    }
    X.copyWithin(3 * 7, 3 * 3, 3 * 4);
    const rowOf = Uint32Array.from({ length: 12000 }, (_, i) => (i % 3 === 0 ? rng.randint(u) : rng.randint(40)));
    const written = new Float64Array(3 * rowOf.length);
    rowOf.forEach((r, i) => written.set(X.subarray(3 * r, 3 * r + 3), 3 * i));
    const norms = rowSquaredNorms(X, u, 3);
    for (const k of [2, 5, 9, 16]) {
      for (let seed = 0; seed < 3; seed++) {
        const expected = greedyKMeansPlusPlus(written, rowOf.length, 3, k, new RandomState(seed));
        const got = runSync(greedyKMeansPlusPlusOnRowsSteps(X, u, norms, rowOf, k, new RandomState(seed)));
        expect(Array.from(got)).toEqual(Array.from(expected));
      }
    }
  });

  it('picks the same points on a single repeated row', () => {
    const X = Float64Array.of(0.25, -0.5, 0.125);
    const rowOf = new Uint32Array(500);
    const written = Float64Array.from({ length: 1500 }, (_, i) => X[i % 3]!);
    for (const k of [1, 3, 7]) {
      const expected = greedyKMeansPlusPlus(written, 500, 3, k, new RandomState(k));
      const got = runSync(greedyKMeansPlusPlusOnRowsSteps(X, 1, rowSquaredNorms(X, 1, 3), rowOf, k, new RandomState(k)));
      expect(Array.from(got)).toEqual(Array.from(expected));
    }
  });

  it.each([
    { name: 'a 12-colour image', image: randomImage(90, 70, 3, { palette: 12 }), k: 5 },
    { name: 'a posterised photo', image: posterised(boxResize(loadSample('chelsea.png'), 150, 100)), k: 8 },
    { name: 'a 12-colour image seeded on a subsample (90 000 points)', image: randomImage(300, 300, 4, { palette: 12 }), k: 5 },
    { name: 'a photo of nearly all distinct colours', image: boxResize(loadSample('coffee.png'), 160, 120), k: 6 },
    { name: 'a photo past the direct table (2^21 points, no recorded colour per point)', image: boxResize(loadSample('chelsea.png'), 1800, 1200), k: 4 },
  ])('seeds the exact runs of $name from its distinct colours as from every point', ({ image, k }) => {
    const { points, n } = extractPoints(image, 128);
    const distinct = distinctColors(points, n);
    for (const space of ['rgb', 'oklab'] as const) {
      const perPoint = runSync(seedExactRunsSteps(points, n, k, 7, 4, space));
      const perColour = runSync(seedExactRunsSteps(points, n, k, 7, 4, space, undefined, distinct));
      expect(perColour.initIndices.map((i) => Array.from(i))).toEqual(perPoint.initIndices.map((i) => Array.from(i)));
      expect(perColour.initCenters).toEqual(perPoint.initCenters);
    }
  });

  it.each([
    { name: 'one locked colour', fixed: [[200, 30, 40]] as [number, number, number][], k: 5 },
    { name: 'three locked colours', fixed: [[0, 0, 0], [255, 255, 255], [90, 140, 60]] as [number, number, number][], k: 6 },
    { name: 'as many locked colours as centres', fixed: [[10, 20, 30], [40, 50, 60]] as [number, number, number][], k: 2 },
  ])('seeds around $name from the distinct colours as from every point', ({ fixed, k }) => {
    const image = posterised(boxResize(loadSample('chelsea.png'), 150, 100));
    const { points, n } = extractPoints(image, 128);
    const distinct = distinctColors(points, n);
    for (const space of ['rgb', 'oklab'] as const) {
      const locked = fixedCenters(fixed, space);
      const perPoint = runSync(seedExactRunsSteps(points, n, k, 3, 3, space, locked));
      const perColour = runSync(seedExactRunsSteps(points, n, k, 3, 3, space, locked, distinct));
      expect(perColour.initIndices.map((i) => Array.from(i))).toEqual(perPoint.initIndices.map((i) => Array.from(i)));
      expect(perColour.initCenters).toEqual(perPoint.initCenters);
    }
  });

  it('takes the seeding sample from the pixels as from the points, every pixel or under an alpha threshold', () => {
    for (const image of [randomImage(300, 300, 4, { palette: 12 }), randomImage(90, 70, 4, { palette: 30 })]) {
      for (const threshold of [0, 128, 255]) {
        const { points, n } = extractPoints(image, threshold);
        if (n === 0) continue;
        const fromPixels = runSync(seedingSampleColorsFromPixelsSteps(image, threshold, n));
        expect(Array.from(fromPixels)).toEqual(Array.from(seedingSampleColors(points, n)));
      }
    }
    // More points claimed than the pixels hold: the pixels changed since they were counted.
    const small = randomImage(10, 10, 4, { palette: 3 });
    expect(() => runSync(seedingSampleColorsFromPixelsSteps(small, 0, 101))).toThrow(/fewer than the 101 points/);
  });

  it('seeds any subset of the runs from their own generator states, as the runs in order do', () => {
    const image = boxResize(loadSample('coffee.png'), 120, 80);
    const { points, n } = extractPoints(image, 128);
    for (const { k, locked } of [{ k: 5, locked: new Uint32Array(0) }, { k: 7, locked: fixedCenters([[250, 250, 240]], 'rgb') }]) {
      const rows = runSync(seedingRowsSteps(seedingSampleColors(points, n), n, 'rgb'));
      const all = runSync(seedRunsOnRowsSteps(rows, k, 11, 10, locked));
      for (const part of [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9], [9], [3, 4]]) {
        const some = runSync(seedRunsOnRowsSteps(rows, k, 11, 10, locked, part));
        expect(some.initCenters).toEqual(part.map((r) => all.initCenters[r]));
        expect(some.initIndices).toEqual(part.map((r) => all.initIndices[r]));
      }
    }
  });
});

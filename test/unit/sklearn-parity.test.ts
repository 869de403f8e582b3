import { describe, expect, it } from 'vitest';
import { kmeans, kmeansPlusPlus } from '../../src/core/sklearn/kmeans.js';
import { InvalidInputError, InvalidOptionError } from '../../src/core/errors.js';
import { loadSklearnCase, sklearnCaseNames } from '../helpers/fixtures.js';

const names = sklearnCaseNames();

/** Largest |a − b| over two k × d tables. */
function maxAbsDiff(a: number[][], b: number[][]): number {
  let m = 0;
  a.forEach((row, j) => row.forEach((v, f) => (m = Math.max(m, Math.abs(v - b[j]![f]!)))));
  return m;
}

describe('kmeansPlusPlus reproduces scikit-learn kmeans_plusplus', () => {
  it.each(names)('picks the same points as scikit-learn on %s', (name) => {
    const c = loadSklearnCase(name);
    const { indices, centers } = kmeansPlusPlus(c.points, c.params.nClusters, c.params.randomState);
    expect([...indices]).toEqual(c.init.indices);
    expect(centers).toEqual(c.init.centers);
  });
});

describe('kmeans reproduces scikit-learn KMeans(algorithm="lloyd")', () => {
  it.each(names)('gives the labels, centres, inertia and iterations of scikit-learn on %s', (name) => {
    const c = loadSklearnCase(name);
    const { nClusters: k, randomState: seed, nInit, maxIter, tol } = c.params;
    const result = kmeans(c.points, { k, seed, nInit, maxIter, tol });

    expect(result.labels).toHaveLength(c.n);
    let differing = 0;
    for (let i = 0; i < c.n; i++) if (result.labels[i] !== c.result.labels[i]) differing++;
    expect(differing, 'points labelled differently from scikit-learn').toBe(0);
    expect(maxAbsDiff(result.centers, c.result.centers)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(result.inertia - c.result.inertia)).toBeLessThanOrEqual(1e-9 * c.result.inertia);
    expect(result.iterations).toBe(c.result.nIter);
    expect(result.converged).toBe(c.result.nIter < maxIter);
  });

  it('accepts plain arrays and typed arrays alike', () => {
    const c = loadSklearnCase('random-1000-k5-seed0');
    const fromTyped = kmeans(c.points, { k: 5, seed: 0, nInit: 2 });
    const fromArray = kmeans(Array.from(c.points), { k: 5, seed: 0, nInit: 2 });
    expect(fromArray).toEqual(fromTyped);
  });

  it('gives the same answer with unit weights as without weights', () => {
    const c = loadSklearnCase('random-1000-k5-seed0');
    const plain = kmeans(c.points, { k: 5, seed: 0, nInit: 3 });
    const weighted = kmeans(c.points, { k: 5, seed: 0, nInit: 3, weights: new Float64Array(c.n).fill(1) });
    expect(weighted).toEqual(plain);
  });

  it('counts a point of weight 2 as two copies of that point', () => {
    // k-means++ ignores weights in scikit-learn 1.2, so compare Lloyd from the same seeding: the k = 1 centre.
    const points = [0, 0, 0, 1, 1, 1, 4, 4, 4];
    const weighted = kmeans(points, { k: 1, nInit: 1, weights: [1, 1, 2] });
    const copies = kmeans([...points, 4, 4, 4], { k: 1, nInit: 1 });
    expect(weighted.centers[0]![0]).toBeCloseTo(copies.centers[0]![0]!, 12);
    expect(weighted.inertia).toBeCloseTo(copies.inertia, 12);
  });

  it('clusters points of any dimension', () => {
    const points = [0, 0, 10, 10, 0.5, 0.5, 10.5, 10.5];
    const result = kmeans(points, { k: 2, dimensions: 2, nInit: 1 });
    expect(result.labels[0]).toBe(result.labels[2]);
    expect(result.labels[1]).toBe(result.labels[3]);
    expect(result.labels[0]).not.toBe(result.labels[1]);
  });

  it('stops at maxIter and says it did not converge', () => {
    const c = loadSklearnCase('chelsea-k8-seed42-ninit1');
    const result = kmeans(c.points, { k: 8, seed: 42, nInit: 1, maxIter: 3 });
    expect(result.iterations).toBe(3);
    expect(result.converged).toBe(false);
  });

  it('throws AbortError when the signal has fired', () => {
    const c = loadSklearnCase('random-1000-k5-seed0');
    const controller = new AbortController();
    controller.abort();
    expect(() => kmeans(c.points, { k: 5, signal: controller.signal })).toThrow(
      expect.objectContaining({ name: 'AbortError', code: 'aborted' }),
    );
  });
});

describe('points given as rows', () => {
  it('clusters [[r, g, b], ...] rows exactly as the same values given flat', () => {
    const flat = Array.from(loadSklearnCase('random-1000-k5-seed0').points);
    const rows: number[][] = [];
    for (let i = 0; i < flat.length; i += 3) rows.push(flat.slice(i, i + 3));
    const options = { k: 5, seed: 0 };
    const fromRows = kmeans(rows, options);
    const fromFlat = kmeans(flat, options);
    expect(fromRows.centers).toEqual(fromFlat.centers);
    expect(Array.from(fromRows.labels)).toEqual(Array.from(fromFlat.labels));
    expect(kmeansPlusPlus(rows, 5, 0).indices).toEqual(kmeansPlusPlus(flat, 5, 0).indices);
  });

  it('refuses rows of different lengths with InvalidInputError naming the row', () => {
    expect(() => kmeans([[0, 0, 0], [1, 1]], { k: 1 })).toThrow(/row 1/);
    expect(() => kmeans([[0, 0, 0], [1, 1]], { k: 1 })).toThrow(InvalidInputError);
  });

  it('refuses a dimensions option that disagrees with the rows', () => {
    expect(() => kmeans([[0, 0], [1, 1]], { k: 1, dimensions: 3 })).toThrow(InvalidOptionError);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/core/constants.js';
import { InvalidInputError, InvalidOptionError } from '../../src/core/errors.js';
import { kmeans, kmeansPlusPlus } from '../../src/core/sklearn/kmeans.js';
import type { KMeansOptions } from '../../src/core/types.js';
import { resolveKMeansOptions } from '../../src/core/validate.js';

/** Four RGB points in 0..1. */
const points = [0, 0, 0, 1, 1, 1, 0.5, 0.2, 0.1, 0.9, 0.8, 0.7];

type ErrorClass = typeof InvalidOptionError | typeof InvalidInputError;

const badCases: [string, unknown, Partial<KMeansOptions>, ErrorClass, RegExp][] = [
  ['k below 1', points, { k: 0 }, InvalidOptionError, /k must be an integer ≥ 1, got 0/],
  ['a fractional k', points, { k: 2.5 }, InvalidOptionError, /k must be an integer/],
  ['k above the number of points', points, { k: 5 }, InvalidOptionError, /k must be at most the number of points \(4\), got 5/],
  ['a negative seed', points, { k: 2, seed: -1 }, InvalidOptionError, /seed must be an integer in 0\.\.4294967295/],
  ['a seed above 2^32-1', points, { k: 2, seed: 2 ** 32 }, InvalidOptionError, /seed .* got 4294967296/],
  ['a fractional seed', points, { k: 2, seed: 0.5 }, InvalidOptionError, /seed must be an integer/],
  ['nInit of 0', points, { k: 2, nInit: 0 }, InvalidOptionError, /nInit must be an integer ≥ 1, got 0/],
  ['maxIter of 0', points, { k: 2, maxIter: 0 }, InvalidOptionError, /maxIter must be an integer ≥ 1, got 0/],
  ['a negative tol', points, { k: 2, tol: -1e-4 }, InvalidOptionError, /tol must be a finite number ≥ 0/],
  ['an infinite tol', points, { k: 2, tol: Infinity }, InvalidOptionError, /tol must be a finite number/],
  ['dimensions of 0', points, { k: 2, dimensions: 0 }, InvalidOptionError, /dimensions must be an integer ≥ 1/],
  ['a NaN value', [...points.slice(0, 4), NaN, ...points.slice(5)], { k: 2 }, InvalidInputError, /finite.*value 4 \(point 1\) is NaN/],
  ['an infinite value', [Infinity, ...points.slice(1)], { k: 2 }, InvalidInputError, /finite.*value 0 \(point 0\) is Infinity/],
  ['a length that is not a multiple of dimensions', points.slice(0, 11), { k: 2 }, InvalidInputError, /11 values, which is not a multiple of dimensions \(3\)/],
  ['no points', [], { k: 1 }, InvalidInputError, /points is empty/],
  ['points that are not an array', 42, { k: 1 }, InvalidInputError, /points must be an array/],
  ['a negative weight', points, { k: 2, weights: [1, -1, 1, 1] }, InvalidInputError, /weights must not be negative: weight 1 is -1/],
  ['a NaN weight', points, { k: 2, weights: [1, 1, NaN, 1] }, InvalidInputError, /weights must be finite.*weight 2 is NaN/],
  ['weights of the wrong length', points, { k: 2, weights: [1, 1, 1] }, InvalidInputError, /weights has 3 values but there are 4 points/],
  ['weights that are all zero', points, { k: 2, weights: [0, 0, 0, 0] }, InvalidInputError, /weights are all zero/],
];

describe('kmeans rejects bad input with a typed error that names the problem', () => {
  it.each(badCases)('rejects %s', (_, pts, options, errorClass, message) => {
    const run = () => kmeans(pts as number[], { k: 2, ...options } as KMeansOptions);
    expect(run).toThrow(errorClass);
    expect(run).toThrow(message);
  });
});

describe('kmeansPlusPlus validates like kmeans', () => {
  it('rejects k above the number of points', () => {
    expect(() => kmeansPlusPlus(points, 9, 0)).toThrow(InvalidOptionError);
  });

  it('rejects a non-integer seed', () => {
    expect(() => kmeansPlusPlus(points, 2, 1.5)).toThrow(/seed must be an integer/);
  });

  it('rejects NaN points', () => {
    expect(() => kmeansPlusPlus([NaN, 0, 0], 1, 0)).toThrow(InvalidInputError);
  });
});

describe('resolveKMeansOptions', () => {
  it('fills in scikit-learn defaults', () => {
    const resolved = resolveKMeansOptions({ k: 3 }, 10);
    expect(resolved).toEqual({
      k: 3, seed: DEFAULTS.seed, nInit: DEFAULTS.nInit, maxIter: DEFAULTS.maxIter, tol: DEFAULTS.tol,
      weights: undefined, signal: undefined,
    });
  });

  it('defaults k when it is left out', () => {
    expect(resolveKMeansOptions({}, 10).k).toBe(DEFAULTS.k);
  });

  it('accepts the largest seed, 2^32-1', () => {
    expect(resolveKMeansOptions({ k: 1, seed: 2 ** 32 - 1 }, 1).seed).toBe(2 ** 32 - 1);
  });

  it('accepts tol 0 and returns weights as float64', () => {
    const resolved = resolveKMeansOptions({ k: 1, tol: 0, weights: [1, 0] }, 2);
    expect(resolved.tol).toBe(0);
    expect(resolved.weights).toEqual(new Float64Array([1, 0]));
  });
});

import { describe, expect, it } from 'vitest';
import { RandomState } from '../../src/core/random.js';
import { argpartition, largestIndices } from '../../src/core/sklearn/argpartition.js';
import { isSameClustering } from '../../src/core/sklearn/kmeans.js';
import { pairwiseSum } from '../../src/core/sklearn/numeric.js';

/** Tie-heavy arrays: small integers, as empty-cluster distances are when points repeat. */
function tieHeavy(rng: RandomState, n: number): Float64Array {
  const spread = 1 + rng.randint(6);
  return Float64Array.from({ length: n }, () => rng.randint(spread));
}

describe('argpartition (numpy introselect)', () => {
  it('puts the kth smallest value at kth, smaller ones before and larger ones after', () => {
    const rng = new RandomState(5);
    for (let trial = 0; trial < 200; trial++) {
      const values = tieHeavy(rng, 1 + rng.randint(300));
      const kth = rng.randint(values.length);
      const order = argpartition(values, kth);
      const sorted = Float64Array.from(values).sort();
      expect(values[order[kth]!]).toBe(sorted[kth]);
      for (let i = 0; i < kth; i++) expect(values[order[i]!]).toBeLessThanOrEqual(values[order[kth]!]!);
      for (let i = kth + 1; i < values.length; i++) expect(values[order[i]!]).toBeGreaterThanOrEqual(values[order[kth]!]!);
      expect([...order].sort((a, b) => a - b)).toEqual([...values.keys()]);
    }
  });

  it('returns the indices of the largest values (in partition order, not sorted)', () => {
    const rng = new RandomState(6);
    const values = Float64Array.from({ length: 500 }, () => rng.randomSample());
    const top = largestIndices(values, 4);
    const expected = [...values.keys()].sort((a, b) => values[b]! - values[a]!).slice(0, 4);
    expect([...top].sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
  });
});

describe('pairwiseSum', () => {
  it('sums exactly representable values exactly, across the block and recursion boundaries', () => {
    for (const n of [0, 1, 7, 8, 9, 127, 128, 129, 1000, 40_000]) {
      const values = Float64Array.from({ length: n }, (_, i) => i % 17);
      let expected = 0;
      for (const v of values) expected += v;
      expect(pairwiseSum(values)).toBe(expected);
    }
  });
});

describe('isSameClustering', () => {
  it('recognises the same partition under renamed clusters', () => {
    expect(isSameClustering(Int32Array.of(0, 0, 1, 2), Int32Array.of(2, 2, 0, 1), 3)).toBe(true);
  });

  it('tells different partitions apart', () => {
    expect(isSameClustering(Int32Array.of(0, 0, 1, 2), Int32Array.of(1, 0, 0, 2), 3)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { RandomState } from '../../src/core/random.js';
import { loadRandomStateCases } from '../helpers/fixtures.js';

const cases = loadRandomStateCases();

describe('RandomState (numpy legacy MT19937)', () => {
  it.each(cases.filter((c) => c.random_sample).map((c) => [c.seed, c] as const))(
    'draws the same random_sample values as numpy for seed %i',
    (seed, c) => {
      const rng = new RandomState(seed);
      for (const expected of c.random_sample!) expect(rng.randomSample()).toBe(expected);
    },
  );

  it.each(cases.filter((c) => c.randint_high !== undefined).map((c) => [c.randint_high!, c.seed, c] as const))(
    'draws the same randint(%i) values as numpy for seed %i',
    (high, seed, c) => {
      const rng = new RandomState(seed);
      for (const expected of c.draws!) expect(rng.randint(high)).toBe(expected);
    },
  );

  it.each(cases.filter((c) => c.sequence).map((c) => [c.seed, c] as const))(
    'interleaves randint and uniform as k-means++ does, for seed %i',
    (seed, c) => {
      // The fixtures' sequence is "randint(40000), uniform(size=3), randint(40000)".
      const rng = new RandomState(seed);
      const got = [rng.randint(40000), ...rng.uniform(3), rng.randint(40000)];
      expect(got).toEqual(c.values);
    },
  );

  it('draws nothing for randint(1), as numpy does when the range is empty', () => {
    const a = new RandomState(7);
    const b = new RandomState(7);
    expect(a.randint(1)).toBe(0);
    expect(a.randomSample()).toBe(b.randomSample());
  });

  it('gives uniform(n) the same doubles as n random_sample calls', () => {
    const a = new RandomState(3);
    const b = new RandomState(3);
    const u = a.uniform(700);
    for (let i = 0; i < 700; i++) expect(u[i]).toBe(b.randomSample());
  });

  it.each([-1, 1.5, 2 ** 32, Number.NaN])('rejects the seed %s', (seed) => {
    expect(() => new RandomState(seed)).toThrow(RangeError);
  });
});

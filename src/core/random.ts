/**
 * A generator that draws the same numbers as `numpy.random.RandomState(seed)` (numpy's legacy MT19937), so that
 * k-means++ seeded here picks the same points as scikit-learn's with the same `random_state`.
 */

const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

export class RandomState {
  private readonly mt = new Uint32Array(N);
  private index = N;

  /** `seed`: an integer 0..2^32-1, seeded with MT19937's `init_genrand`, as numpy does for an integer seed. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`RandomState seed must be an integer in 0..2^32-1, got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1];
      mt[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
  }

  /** The next raw 32-bit output (MT19937 `genrand_int32`). */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits (`random_sample()`). */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `uniform(size=n)` with the default bounds 0 and 1: n doubles in [0, 1). */
  uniform(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.randomSample();
    return out;
  }

  /**
   * `randint(high)`: an integer in [0, high), by numpy's legacy masked rejection: draw 32-bit outputs, keep the
   * low bits under the smallest all-ones mask covering `high - 1`, until one is ≤ `high - 1`. `high = 1` draws nothing.
   */
  randint(high: number): number {
    if (!Number.isInteger(high) || high < 1 || high > 0x100000000) {
      throw new RangeError(`randint high must be an integer in 1..2^32, got ${high}`);
    }
    const rng = high - 1;
    if (rng === 0) return 0;
    let mask = rng;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const v = (this.nextUint32() & mask) >>> 0;
      if (v <= rng) return v;
    }
  }

  /** Regenerates the 624 words of state (MT19937's twist). */
  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    for (; kk < N - M; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      const y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M - N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.index = 0;
  }
}

/**
 * exp(x) as fdlibm computes it (`e_exp.c`, Sun Microsystems 1993; V8's `Math.exp` is a port of the same code), in
 * IEEE double arithmetic only, so that it gives the same bits in every JavaScript engine: `Math.exp` is left to each
 * engine, which may round differently in the last place (JavaScriptCore uses the system's libm). The resampler's
 * Gaussian weights come from here, so a sample, and so a palette, is the same in every browser and in Node.
 */

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.4426950408889634074;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.45133219101941108420e2;
const TWO_M1000 = 9.33263618503218878990e-302;

const word = new Float64Array(1);
const halves = new Uint32Array(word.buffer);
// The high word's index: the platform's byte order (little-endian everywhere this runs, but said, not assumed).
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

function highWord(x: number): number {
  word[0] = x;
  return halves[HI]!;
}

/** `y` × 2^k by adding k to its exponent, as fdlibm does (y is in [0.5, 2) here, so no over- or underflow). */
function scaleByPowerOfTwo(y: number, k: number): number {
  word[0] = y;
  halves[HI] = (halves[HI]! + (k << 20)) >>> 0;
  return word[0];
}

export function fdlibmExp(x: number): number {
  const hx = highWord(x);
  const negative = hx >>> 31 === 1;
  const ahx = hx & 0x7fffffff;
  if (ahx >= 0x40862e42) {
    if (Number.isNaN(x)) return x + x;
    if (x === Infinity) return x;
    if (x === -Infinity) return 0;
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (ahx > 0x3fd62e42) {
    // |x| > 0.5 ln2: reduce to x − k ln2.
    if (ahx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = Math.trunc(INV_LN2 * x + (negative ? -0.5 : 0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (ahx < 0x3e300000) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) return scaleByPowerOfTwo(y, k);
  return scaleByPowerOfTwo(y, k + 1000) * TWO_M1000;
}

/**
 * The fixed-point OKLab code of docs/ARITHMETIC.md ("OKLab, in integers"), computed with integers only so that this
 * file and the WGSL conversion give the same code for every 8-bit sRGB colour. The code is in the engine's fixed-point
 * units (128 per 1/255 of L, a or b: the units RGB points have), fine enough that no two of the 2^24 sRGB colours share
 * a code, so a palette can always keep two colours apart. Float OKLab (`color.ts`) is what the code approximates; the
 * tests bound the difference.
 *
 * The GPU gets `OKLAB_LINEAR_TABLE`, `OKLAB_M1Q` and `OKLAB_M2Q` from here (uploaded or injected), never copies.
 */
import { FIXED_ONE, FIXED_SHIFT } from './constants.js';
import { OKLAB_M1, OKLAB_M2, oklabToSrgb8, srgbToLinear, type Lab, type Rgb8 } from './color.js';

/** `lin[v] = round(65535 · srgbToLinear(v / 255))`: 16-bit linear light of each 8-bit sRGB value. */
export const OKLAB_LINEAR_TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let v = 0; v < 256; v++) t[v] = Math.round(65535 * srgbToLinear(v / 255));
  return t;
})();

/**
 * `round(16384 · M1)`, row-major 3×3. Rounding makes two rows sum to 16385, so LMS reaches `16385 · 65535`,
 * just over 2^30 but still with `floor(cbrt(lms)) ≤ 1024` and far inside u32.
 */
export const OKLAB_M1Q: Int32Array = Int32Array.from(OKLAB_M1.flat(), (v) => Math.round(16384 * v));

/** `round(2048 · M2)`, row-major 3×3. With cube roots in units of 2^18, Lab comes out in units of 2^29. */
export const OKLAB_M2Q: Int32Array = Int32Array.from(OKLAB_M2.flat(), (v) => Math.round(2048 * v));

/** Fractional bits of the integer cube root. */
export const CBRT_FRACTION_BITS = 8;
/** Bits the Lab sum is shifted right before scaling (2^29 → 2^19 per unit). */
export const LAB_SHIFT = 10;
/**
 * Bits of the final scale: `(t · 255 + 2^11) >> 12` rounds `255 · 128 · t / 2^19` half up, so the code has
 * FIXED_SHIFT fractional bits of an 8-bit unit.
 */
export const CODE_SHIFT = 19 - FIXED_SHIFT;
/** Added to the a and b codes so that 0 sits mid-range: 128 8-bit units, in fixed point. */
export const AB_OFFSET = 128 * FIXED_ONE;
/** Largest value of any code axis (`L = 1` gives 255 · 128; a and b stay within 6,000 .. 26,000). */
const CODE_MAX = 255 * FIXED_ONE;

/**
 * `floor(cbrt(x)) · 256` plus one integer Newton step, for `0 ≤ x ≤ 2^30`: the cube root with 8 fractional bits
 * (`2^18` stands for `cbrt(2^30)`). `Math.cbrt` only gives the starting guess; the integer corrections make the
 * result exact whatever the platform's `cbrt` rounding.
 */
export function cbrtFixed(x: number): number {
  let r = Math.floor(Math.cbrt(x));
  while (r > 0 && r * r * r > x) r--;
  while ((r + 1) * (r + 1) * (r + 1) <= x) r++;
  const denominator = Math.max(1, 3 * r * r);
  return r * 256 + Math.floor((256 * (x - r * r * r)) / denominator);
}

function toCode(t: number, offset: number): number {
  const v = ((t * 255 + (1 << (CODE_SHIFT - 1))) >> CODE_SHIFT) + offset;
  return v < 0 ? 0 : v > CODE_MAX ? CODE_MAX : v;
}

/**
 * Writes the fixed-point OKLab code of one 8-bit sRGB colour to `out[o..o+2]`: `P0 ≈ 128·255·L`,
 * `P1 ≈ 128·(255·a + 128)`, `P2 ≈ 128·(255·b + 128)`. Every intermediate is an integer below 2^53 (and below 2^32
 * where the GPU holds it).
 */
export function writeOklabFixed(r: number, g: number, b: number, out: { [index: number]: number }, o: number): void {
  const lr = OKLAB_LINEAR_TABLE[r]!;
  const lg = OKLAB_LINEAR_TABLE[g]!;
  const lb = OKLAB_LINEAR_TABLE[b]!;
  const m1 = OKLAB_M1Q;
  const m2 = OKLAB_M2Q;
  const ql = cbrtFixed(m1[0]! * lr + m1[1]! * lg + m1[2]! * lb);
  const qm = cbrtFixed(m1[3]! * lr + m1[4]! * lg + m1[5]! * lb);
  const qs = cbrtFixed(m1[6]! * lr + m1[7]! * lg + m1[8]! * lb);
  // |Lab| < 2^31 for every sRGB colour, so `>>` (an i32 arithmetic shift, as in WGSL) is exact here.
  const t0 = (m2[0]! * ql + m2[1]! * qm + m2[2]! * qs) >> LAB_SHIFT;
  const t1 = (m2[3]! * ql + m2[4]! * qm + m2[5]! * qs) >> LAB_SHIFT;
  const t2 = (m2[6]! * ql + m2[7]! * qm + m2[8]! * qs) >> LAB_SHIFT;
  out[o] = toCode(t0, 0);
  out[o + 1] = toCode(t1, AB_OFFSET);
  out[o + 2] = toCode(t2, AB_OFFSET);
}

/** The fixed-point OKLab code of one 8-bit sRGB colour (the point the engine clusters for it). */
export function srgb8ToOklabFixed(r: number, g: number, b: number): [number, number, number] {
  const out: number[] = [0, 0, 0];
  writeOklabFixed(r, g, b, out, 0);
  return out as [number, number, number];
}

/** OKLab `[L, a, b]` of a point in fixed point (a code, or a centre, which may lie between codes). */
export function fixedToOklab(c0: number, c1: number, c2: number): Lab {
  return [c0 / (FIXED_ONE * 255), (c1 - AB_OFFSET) / (FIXED_ONE * 255), (c2 - AB_OFFSET) / (FIXED_ONE * 255)];
}

/**
 * A fixed-point OKLab centre as 8-bit sRGB: the colour whose code it is, when it is one (so a cluster of a single
 * colour reports that colour, whatever the rounding of the float inverse), else the float64 inverse, rounded and
 * clamped. Codes are one-to-one, and a code's colour is always within one step of the float inverse of the code.
 */
export function fixedOklabToSrgb8(c0: number, c1: number, c2: number): Rgb8 {
  const [L, a, b] = fixedToOklab(c0, c1, c2);
  const near = oklabToSrgb8(L, a, b);
  const code: number[] = [0, 0, 0];
  for (let dr = -1; dr <= 1; dr++) {
    for (let dg = -1; dg <= 1; dg++) {
      for (let db = -1; db <= 1; db++) {
        const r = near[0] + dr, g = near[1] + dg, bl = near[2] + db;
        if (r < 0 || g < 0 || bl < 0 || r > 255 || g > 255 || bl > 255) continue;
        writeOklabFixed(r, g, bl, code, 0);
        if (code[0] === c0 && code[1] === c1 && code[2] === c2) return [r, g, bl];
      }
    }
  }
  return near;
}

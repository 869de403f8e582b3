import { describe, expect, it } from 'vitest';
import { srgb8ToOklab } from '../../src/core/color.js';
import {
  OKLAB_LINEAR_TABLE,
  OKLAB_M1Q,
  OKLAB_M2Q,
  cbrtFixed,
  oklab8ToOklab,
  srgb8ToOklab8,
  writeOklab8,
} from '../../src/core/oklab-int.js';
import { seededRandom } from '../helpers/images.js';

/**
 * The integer code against float OKLab, in 8-bit units (255 per unit of L, a, b). Rounding to an integer code alone
 * costs up to 0.5; the integer pipeline (16-bit linear light, 14-bit matrix, 8-bit cube-root fraction, 11-bit second
 * matrix) adds a few hundredths. Measured over all 2^24 colours: 0.5432 (L), 0.5295 (a), 0.5326 (b).
 */
const CODE_BOUND = 0.55;

function codeError(r: number, g: number, b: number): number[] {
  const code = srgb8ToOklab8(r, g, b);
  const [L, a, bb] = srgb8ToOklab(r, g, b);
  return [Math.abs(code[0] - 255 * L), Math.abs(code[1] - (255 * a + 128)), Math.abs(code[2] - (255 * bb + 128))];
}

describe('integer OKLab', () => {
  it('takes its integer constants from the float matrices, as ARITHMETIC.md defines them', () => {
    expect(OKLAB_LINEAR_TABLE[0]).toBe(0);
    expect(OKLAB_LINEAR_TABLE[255]).toBe(65535);
    for (let v = 1; v < 256; v++) expect(OKLAB_LINEAR_TABLE[v]!).toBeGreaterThan(OKLAB_LINEAR_TABLE[v - 1]!);
    for (let row = 0; row < 3; row++) {
      const sum = OKLAB_M1Q[3 * row]! + OKLAB_M1Q[3 * row + 1]! + OKLAB_M1Q[3 * row + 2]!;
      expect(Math.abs(sum - 16384)).toBeLessThanOrEqual(1);
    }
    // L's row of M2 sums to 1, a's and b's to 0: grey has a = b = 0.
    expect(OKLAB_M2Q[0]! + OKLAB_M2Q[1]! + OKLAB_M2Q[2]!).toBe(2048);
  });

  it('computes cube roots with 8 fractional bits, exact on cubes and within 9/256 elsewhere', () => {
    // The smallest non-zero LMS an 8-bit colour reaches is lin[1] times the smallest M1q entry; below it the one
    // Newton step is coarse, but no colour goes there. 9 units of 2^-18 is under 4e-5 of OKLab's L.
    const smallest = OKLAB_LINEAR_TABLE[1]! * Math.min(...OKLAB_M1Q);
    const largest = 16385 * 65535;
    const random = seededRandom(3);
    const cases = [smallest, smallest + 1, 2 ** 30, largest];
    for (let i = 0; i < 20_000; i++) cases.push(smallest + Math.floor(random() * (largest - smallest)));
    for (const x of cases) {
      const q = cbrtFixed(x);
      expect(Number.isInteger(q)).toBe(true);
      expect(Math.abs(q - 256 * Math.cbrt(x))).toBeLessThanOrEqual(9);
    }
    for (let r = 0; r <= 1024; r++) expect(cbrtFixed(r * r * r)).toBe(256 * r);
  });

  it(`matches float OKLab within ${CODE_BOUND} of an 8-bit unit on 2^18 random colours`, () => {
    const random = seededRandom(2024);
    const worst = [0, 0, 0];
    for (let i = 0; i < 1 << 18; i++) {
      const e = codeError(Math.floor(random() * 256), Math.floor(random() * 256), Math.floor(random() * 256));
      for (let c = 0; c < 3; c++) worst[c] = Math.max(worst[c]!, e[c]!);
    }
    for (const w of worst) expect(w).toBeLessThanOrEqual(CODE_BOUND);
  });

  it('matches float OKLab within the bound on every grey and on the cube edges', () => {
    for (let v = 0; v < 256; v++) {
      const colours: [number, number, number][] = [
        [v, v, v],
        [v, 0, 0],
        [0, v, 0],
        [0, 0, v],
        [255, v, 0],
        [0, 255, v],
        [v, 0, 255],
      ];
      for (const rgb of colours) {
        for (const e of codeError(...rgb)) expect(e).toBeLessThanOrEqual(CODE_BOUND);
      }
    }
  });

  it('maps black to L = 0 and white to L = 255, and every grey to a = b = 128', () => {
    expect(srgb8ToOklab8(0, 0, 0)).toEqual([0, 128, 128]);
    expect(srgb8ToOklab8(255, 255, 255)).toEqual([255, 128, 128]);
    for (let v = 0; v < 256; v++) expect(srgb8ToOklab8(v, v, v).slice(1)).toEqual([128, 128]);
  });

  it('never decreases L as any one channel grows', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 3000; i++) {
      const rgb = [Math.floor(random() * 256), Math.floor(random() * 256), Math.floor(random() * 256)];
      const channel = i % 3;
      let last = -1;
      for (let v = 0; v < 256; v += 5) {
        rgb[channel] = v;
        const L = srgb8ToOklab8(rgb[0]!, rgb[1]!, rgb[2]!)[0];
        expect(L).toBeGreaterThanOrEqual(last);
        last = L;
      }
    }
  });

  it('writes codes in 0..255 at the offset it is given', () => {
    const out = new Uint8Array(9).fill(7);
    writeOklab8(255, 0, 0, out, 3);
    expect([...out.subarray(0, 3)]).toEqual([7, 7, 7]);
    expect([...out.subarray(6)]).toEqual([7, 7, 7]);
    expect([...out.subarray(3, 6)]).toEqual(srgb8ToOklab8(255, 0, 0));
  });

  it('decodes a code back to the OKLab it stands for', () => {
    const [L, a, b] = oklab8ToOklab(...srgb8ToOklab8(255, 0, 0));
    const [fL, fa, fb] = srgb8ToOklab(255, 0, 0);
    expect(Math.abs(L - fL)).toBeLessThanOrEqual(CODE_BOUND / 255);
    expect(Math.abs(a - fa)).toBeLessThanOrEqual(CODE_BOUND / 255);
    expect(Math.abs(b - fb)).toBeLessThanOrEqual(CODE_BOUND / 255);
  });
});

import { describe, expect, it } from 'vitest';
import { srgb8ToOklab } from '../../src/core/color.js';
import {
  OKLAB_LINEAR_TABLE,
  OKLAB_M1Q,
  OKLAB_M2Q,
  cbrtFixed,
  fixedOklabToSrgb8,
  fixedToOklab,
  srgb8ToOklabFixed,
  writeOklabFixed,
} from '../../src/core/oklab-int.js';
import { seededRandom } from '../helpers/images.js';

/**
 * The integer code against float OKLab, in fixed-point units (255 · 128 per unit of L, a, b). Rounding to an integer
 * code alone costs up to 0.5; the integer pipeline (16-bit linear light, 14-bit matrix, 8-bit cube-root fraction, 11-bit
 * second matrix) adds a few units. Measured over a third of the 2^24 colours: 6.49 (L), 5.72 (a), 5.00 (b).
 */
const CODE_BOUND = 7;

function codeError(r: number, g: number, b: number): number[] {
  const code = srgb8ToOklabFixed(r, g, b);
  const [L, a, bb] = srgb8ToOklab(r, g, b);
  const unit = 255 * 128;
  return [Math.abs(code[0] - unit * L), Math.abs(code[1] - (unit * a + 16384)), Math.abs(code[2] - (unit * bb + 16384))];
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

  it('maps black to L = 0 and white to L = 255 · 128, and every grey within one unit of a = b = 0 (128 · 128)', () => {
    // One unit is 1/32640 of OKLab: the rounded matrices (two rows of M1q sum to 16385) leave white at a = −1 unit.
    expect(srgb8ToOklabFixed(0, 0, 0)).toEqual([0, 16384, 16384]);
    expect(srgb8ToOklabFixed(255, 255, 255)[0]).toBe(32640);
    for (let v = 0; v < 256; v++) {
      for (const axis of srgb8ToOklabFixed(v, v, v).slice(1)) expect(Math.abs(axis - 16384)).toBeLessThanOrEqual(1);
      expect(fixedOklabToSrgb8(...srgb8ToOklabFixed(v, v, v))).toEqual([v, v, v]);
    }
  });

  it('never decreases L as any one channel grows', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 3000; i++) {
      const rgb = [Math.floor(random() * 256), Math.floor(random() * 256), Math.floor(random() * 256)];
      const channel = i % 3;
      let last = -1;
      for (let v = 0; v < 256; v += 5) {
        rgb[channel] = v;
        const L = srgb8ToOklabFixed(rgb[0]!, rgb[1]!, rgb[2]!)[0];
        expect(L).toBeGreaterThanOrEqual(last);
        last = L;
      }
    }
  });

  it('writes codes within 0 .. 255 · 128 at the offset it is given', () => {
    const out = new Uint16Array(9).fill(7);
    writeOklabFixed(255, 0, 0, out, 3);
    expect([...out.subarray(0, 3)]).toEqual([7, 7, 7]);
    expect([...out.subarray(6)]).toEqual([7, 7, 7]);
    expect([...out.subarray(3, 6)]).toEqual(srgb8ToOklabFixed(255, 0, 0));
    for (const v of out) expect(v).toBeLessThanOrEqual(255 * 128);
  });

  it('decodes a code back to the OKLab it stands for', () => {
    const [L, a, b] = fixedToOklab(...srgb8ToOklabFixed(255, 0, 0));
    const [fL, fa, fb] = srgb8ToOklab(255, 0, 0);
    expect(Math.abs(L - fL)).toBeLessThanOrEqual(CODE_BOUND / (255 * 128));
    expect(Math.abs(a - fa)).toBeLessThanOrEqual(CODE_BOUND / (255 * 128));
    expect(Math.abs(b - fb)).toBeLessThanOrEqual(CODE_BOUND / (255 * 128));
  });

  it('gives each of the 2^24 sRGB colours its own code, and decodes every code to its colour', () => {
    // Codes as one number each (three 15-bit axes), sorted: no two neighbours may be equal.
    const keys = new Float64Array(1 << 24);
    const code = new Uint16Array(3);
    let wrong = 0;
    for (let rgb = 0; rgb < 1 << 24; rgb++) {
      const r = rgb >> 16, g = (rgb >> 8) & 255, b = rgb & 255;
      writeOklabFixed(r, g, b, code, 0);
      keys[rgb] = (code[0]! * 32768 + code[1]!) * 32768 + code[2]!;
      // Decoding is the costly part: check it on a spread-out eighth of the colours.
      if ((rgb & 7) === (r & 7)) {
        const back = fixedOklabToSrgb8(code[0]!, code[1]!, code[2]!);
        if (back[0] !== r || back[1] !== g || back[2] !== b) wrong++;
      }
    }
    keys.sort();
    let shared = 0;
    for (let i = 1; i < keys.length; i++) if (keys[i] === keys[i - 1]) shared++;
    expect(shared).toBe(0);
    expect(wrong).toBe(0);
  });

  it('tells #ff0000 and #fe0000 apart, which the 8-bit code could not', () => {
    expect(srgb8ToOklabFixed(255, 0, 0)).not.toEqual(srgb8ToOklabFixed(254, 0, 0));
    expect(fixedOklabToSrgb8(...srgb8ToOklabFixed(254, 0, 0))).toEqual([254, 0, 0]);
  });
});

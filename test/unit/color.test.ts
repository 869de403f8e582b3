import { describe, expect, it } from 'vitest';
import {
  hexToRgb,
  linearSrgbToOklab,
  linearToSrgb,
  oklabToLinearSrgb,
  oklabToSrgb8,
  rgbToHex,
  srgb8ToOklab,
  srgbToLinear,
} from '../../src/core/color.js';
import { InvalidInputError } from '../../src/core/errors.js';
import { seededRandom } from '../helpers/images.js';

describe('hex colours', () => {
  it.each([
    [[0, 0, 0], '#000000'],
    [[255, 255, 255], '#ffffff'],
    [[1, 35, 171], '#0123ab'],
  ] as const)('writes %j as %s, lower case and zero-padded, and reads it back', (rgb, hex) => {
    expect(rgbToHex(rgb)).toBe(hex);
    expect(hexToRgb(hex)).toEqual(rgb);
  });

  it('reads short and upper-case hex', () => {
    expect(hexToRgb('#FA0')).toEqual([255, 170, 0]);
    expect(hexToRgb('0123AB')).toEqual([1, 35, 171]);
  });

  it('rejects what is not a hex colour with InvalidInputError', () => {
    for (const bad of ['', '#12', '#12345g', 'red', '#1234567']) expect(() => hexToRgb(bad)).toThrow(InvalidInputError);
  });
});

describe('the sRGB transfer function', () => {
  it('round-trips every 8-bit value', () => {
    for (let v = 0; v < 256; v++) expect(Math.round(255 * linearToSrgb(srgbToLinear(v / 255)))).toBe(v);
  });

  it('meets itself where the linear segment hands over to the power curve', () => {
    expect(srgbToLinear(0.04045)).toBeCloseTo(((0.04045 + 0.055) / 1.055) ** 2.4, 6);
  });
});

describe('float OKLab', () => {
  it('puts white at L = 1 and every grey on the a = b = 0 axis', () => {
    expect(srgb8ToOklab(255, 255, 255)[0]).toBeCloseTo(1, 6);
    for (let v = 0; v < 256; v += 15) {
      const [, a, b] = srgb8ToOklab(v, v, v);
      expect(Math.abs(a)).toBeLessThan(1e-6);
      expect(Math.abs(b)).toBeLessThan(1e-6);
    }
  });

  it('inverts to the same linear sRGB within 1e-6 (the published inverse matrices have 10 decimals)', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const rgb = [random(), random(), random()] as const;
      const back = oklabToLinearSrgb(...linearSrgbToOklab(...rgb));
      for (let c = 0; c < 3; c++) expect(Math.abs(back[c]! - rgb[c])).toBeLessThan(1e-6);
    }
  });

  it('brings every 8-bit colour of a sampled cube back to itself', () => {
    for (let r = 0; r < 256; r += 17)
      for (let g = 0; g < 256; g += 17)
        for (let b = 0; b < 256; b += 17) expect(oklabToSrgb8(...srgb8ToOklab(r, g, b))).toEqual([r, g, b]);
  });

  it('clamps out-of-gamut OKLab into the sRGB cube instead of returning NaN', () => {
    const outOfGamut: [number, number, number][] = [
      [1.2, 0.4, -0.4],
      [-0.1, -0.4, 0.4],
      [0.5, 0.5, 0.5],
    ];
    for (const lab of outOfGamut) {
      for (const v of oklabToSrgb8(...lab)) {
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(255);
      }
    }
  });
});

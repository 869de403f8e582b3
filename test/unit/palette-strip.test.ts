import { describe, expect, it } from 'vitest';
import { hexToRgb } from '../../src/core/color.js';
import { contrastRatio } from '../../src/core/contrast.js';
import { InvalidOptionError } from '../../src/core/errors.js';
import type { PaletteColor } from '../../src/core/types.js';
import { labelWidth, paletteStripLayout, stripWidths } from '../../src/controllers/palette-strip.js';
import { seededRandom } from '../helpers/images.js';

const color = (hex: string, fraction: number): PaletteColor => ({ hex, rgb: hexToRgb(hex), count: 0, fraction });

describe('strip widths', () => {
  it('add up to the width, round each share up or down and give every colour at least a pixel', () => {
    const random = seededRandom(21);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random() * 12);
      const raw = Array.from({ length: n }, () => (random() < 0.2 ? random() * 1e-4 : random()));
      const sum = raw.reduce((s, v) => s + v, 0);
      const fractions = raw.map((v) => v / sum);
      const total = n + Math.floor(random() * 1000);
      const widths = stripWidths(fractions, total);
      expect(widths.reduce((s, w) => s + w, 0)).toBe(total);
      const share = fractions.map((f) => f * total);
      const lifted = share.filter((x) => x < 1).length;
      let lost = 0;
      widths.forEach((w, i) => {
        expect(Number.isInteger(w)).toBe(true);
        expect(w).toBeGreaterThanOrEqual(1);
        // Never more than its share rounded up (or the one pixel every colour gets) …
        expect(w).toBeLessThanOrEqual(Math.max(1, Math.ceil(share[i]!)));
        lost += Math.max(0, Math.floor(share[i]!) - w);
      });
      // … and never less than its share rounded down, but for the pixels given to colours under one.
      expect(lost).toBeLessThanOrEqual(lifted);
    }
  });

  it('shares the width equally when no colour has a share', () => {
    expect(stripWidths([0, 0, 0, 0], 100)).toEqual([25, 25, 25, 25]);
  });

  it('gives the odd pixels to the largest remainders', () => {
    // 100 / 3 is 33.33 each: the one pixel left over goes to the first of the equal remainders.
    expect(stripWidths([1, 1, 1], 100)).toEqual([34, 33, 33]);
    // 51.5, 30.9, 20.6: the two pixels left go to .9 and .6.
    expect(stripWidths([0.5, 0.3, 0.2], 103)).toEqual([51, 31, 21]);
    // 0.05 of a pixel still shows, at the widest's expense.
    expect(stripWidths([0.9995, 0.0005], 100)).toEqual([99, 1]);
  });
});

describe('strip layout', () => {
  const colors = [color('#102030', 0.5), color('#f0e0d0', 0.3), color('#c0392b', 0.2)];

  it('lays swatches edge to edge across the strip, full height', () => {
    const layout = paletteStripLayout(colors, { width: 500, height: 80 });
    let x = 0;
    for (const s of layout.swatches) {
      expect([s.x, s.y, s.height]).toEqual([x, 0, 80]);
      x += s.width;
    }
    expect(x).toBe(500);
    expect(layout.swatches.map((s) => s.color)).toEqual(colors);
  });

  it('centres each hex label on its swatch, inside it, in a colour that reads on it', () => {
    const layout = paletteStripLayout(colors, { width: 900, height: 100, fontSize: 16 });
    for (const s of layout.swatches) {
      expect(s.label).toBeDefined();
      expect(s.label!.text).toBe(s.color.hex);
      expect(s.label!.x).toBeCloseTo(s.x + s.width / 2, 9);
      expect(s.label!.y).toBeGreaterThan(16);
      expect(s.label!.y).toBeLessThan(100);
      expect(contrastRatio(hexToRgb(s.label!.color), s.color.rgb)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('labels only swatches at least a label wide, and none in a strip too low for text', () => {
    const width = 300;
    const layout = paletteStripLayout(colors, { width, fontSize: 14 });
    for (const s of layout.swatches) expect(Boolean(s.label)).toBe(s.width >= labelWidth(14));
    expect(layout.swatches.some((s) => s.label) && layout.swatches.some((s) => !s.label)).toBe(true);
    expect(paletteStripLayout(colors, { height: 20 }).swatches.every((s) => !s.label)).toBe(true);
  });

  it('rejects sizes that are not whole pixels, or too narrow for a pixel per colour, with InvalidOptionError', () => {
    for (const options of [{ width: 2 }, { width: 10.5 }, { height: 0 }, { fontSize: -1 }, { width: Number.NaN }]) {
      expect(() => paletteStripLayout(colors, options)).toThrow(InvalidOptionError);
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  bestTextColor,
  contrastRatio,
  formatRatio,
  paletteTextColors,
  relativeLuminance,
  wcagLevel,
} from '../../src/core/contrast.js';
import { hexToRgb } from '../../src/core/color.js';
import { seededRandom } from '../helpers/images.js';

const rgb = hexToRgb;

describe('relative luminance', () => {
  it('is 0 for black, 1 for white and the sRGB primaries weigh 0.2126, 0.7152 and 0.0722', () => {
    expect(relativeLuminance([0, 0, 0])).toBe(0);
    expect(relativeLuminance([255, 255, 255])).toBeCloseTo(1, 12);
    expect(relativeLuminance([255, 0, 0])).toBeCloseTo(0.2126, 12);
    expect(relativeLuminance([0, 255, 0])).toBeCloseTo(0.7152, 12);
    expect(relativeLuminance([0, 0, 255])).toBeCloseTo(0.0722, 12);
  });

  it('grows with every channel', () => {
    for (let v = 1; v < 256; v++) expect(relativeLuminance([v, v, v])).toBeGreaterThan(relativeLuminance([v - 1, v - 1, v - 1]));
  });
});

describe('contrast ratio', () => {
  // Reference pairs: the WCAG definition's extremes and the ratios WebAIM's checker and Chrome DevTools report.
  it.each([
    ['#000000', '#ffffff', 21, 21],
    ['#ffffff', '#ffffff', 1, 1],
    ['#777777', '#ffffff', 4.47, 4.49],
    ['#767676', '#ffffff', 4.54, 4.55],
    ['#595959', '#ffffff', 7.0, 7.01],
    ['#ff0000', '#ffffff', 3.99, 4.0],
    ['#0000ff', '#ffffff', 8.59, 8.6],
  ])('puts %s on %s between %f and %f', (a, b, low, high) => {
    const ratio = contrastRatio(rgb(a), rgb(b));
    expect(ratio).toBeGreaterThanOrEqual(low);
    expect(ratio).toBeLessThanOrEqual(high);
  });

  it('is symmetric and never below 1', () => {
    const random = seededRandom(3);
    const byte = () => Math.floor(random() * 256);
    for (let i = 0; i < 200; i++) {
      const a: [number, number, number] = [byte(), byte(), byte()];
      const b: [number, number, number] = [byte(), byte(), byte()];
      expect(contrastRatio(a, b)).toBe(contrastRatio(b, a));
      expect(contrastRatio(a, b)).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('WCAG levels and how a ratio is written', () => {
  it.each([
    [21, 'AAA'],
    [7, 'AAA'],
    [6.99, 'AA'],
    [4.5, 'AA'],
    [4.499, 'AA large'],
    [3, 'AA large'],
    [2.99, 'fail'],
    [1, 'fail'],
  ] as const)('rates %f as %s', (ratio, level) => {
    expect(wcagLevel(ratio)).toBe(level);
  });

  it('never rounds a failing ratio up to a passing one when writing it', () => {
    expect(formatRatio(4.4999)).toBe('4.49:1');
    expect(formatRatio(21)).toBe('21.00:1');
    // WebAIM's checker writes #777 on white as 4.47:1 (the ratio is 4.478).
    expect(formatRatio(contrastRatio(rgb('#777777'), rgb('#ffffff')))).toBe('4.47:1');
  });
});

describe('the text colour for a swatch', () => {
  it('puts black on light colours and white on dark ones when there is no palette', () => {
    expect(bestTextColor(rgb('#ffff00'))).toMatchObject({ hex: '#000000', source: 'black', level: 'AAA' });
    expect(bestTextColor(rgb('#000080'))).toMatchObject({ hex: '#ffffff', source: 'white', level: 'AAA' });
  });

  it('picks whichever of black and white contrasts more, with its ratio', () => {
    const random = seededRandom(11);
    const byte = () => Math.floor(random() * 256);
    for (let i = 0; i < 300; i++) {
      const bg: [number, number, number] = [byte(), byte(), byte()];
      const best = bestTextColor(bg);
      const onBlack = contrastRatio(bg, [0, 0, 0]);
      const onWhite = contrastRatio(bg, [255, 255, 255]);
      expect(best.ratio).toBe(Math.max(onBlack, onWhite));
      expect(best.level).toBe(wcagLevel(best.ratio));
      // One of black or white always reaches at least 4.58:1 (the worst case is a mid grey).
      expect(best.ratio).toBeGreaterThan(4.5);
    }
  });

  it("uses the palette's own darkest colour when it reaches the same level as black", () => {
    const palette = [rgb('#f4ecd8'), rgb('#3b2a1e'), rgb('#c08552')].map((c) => ({ rgb: c }));
    const onCream = bestTextColor(rgb('#f4ecd8'), palette);
    expect(onCream).toMatchObject({ hex: '#3b2a1e', source: 'palette' });
    expect(onCream.level).toBe(wcagLevel(contrastRatio(rgb('#f4ecd8'), [0, 0, 0])));
    expect(onCream.ratio).toBeCloseTo(contrastRatio(rgb('#f4ecd8'), rgb('#3b2a1e')), 12);
    // On the dark brown the palette's lightest, cream, reads as well as white does.
    expect(bestTextColor(rgb('#3b2a1e'), palette)).toMatchObject({ hex: '#f4ecd8', source: 'palette' });
  });

  it('keeps black or white when the palette colour would drop a level', () => {
    // On tan, black reaches AAA but the palette's darkest (a mid brown) only AA large at best.
    const palette = [rgb('#d2b48c'), rgb('#8b5a2b')].map((c) => ({ rgb: c }));
    const onTan = bestTextColor(rgb('#d2b48c'), palette);
    expect(onTan.source).toBe('black');
    expect(wcagLevel(contrastRatio(rgb('#d2b48c'), rgb('#8b5a2b')))).not.toBe(onTan.level);
  });

  it('gives every swatch of a palette its own text colour', () => {
    const colors = ['#ffffff', '#000000', '#808080', '#1e90ff'].map((h) => ({ rgb: rgb(h) }));
    const text = paletteTextColors(colors);
    expect(text).toHaveLength(4);
    expect(text[0]!.hex).toBe('#000000');
    expect(text[1]!.hex).toBe('#ffffff');
    for (const [i, t] of text.entries()) expect(t.ratio).toBeCloseTo(contrastRatio(colors[i]!.rgb, t.rgb), 12);
  });
});

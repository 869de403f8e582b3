import { describe, expect, it } from 'vitest';
import { sortPalette, PALETTE_SORTS } from '../../src/core/palette-sort.js';
import { colorName, GREY_CHROMA, paletteNames } from '../../src/core/color-names.js';
import { rgbToOklch } from '../../src/core/color-format.js';
import { hexToRgb, srgb8ToOklab } from '../../src/core/color.js';
import { seededRandom } from '../helpers/images.js';

interface Swatch {
  hex: string;
  rgb: [number, number, number];
  fraction: number;
}

const swatch = (hex: string, fraction: number): Swatch => ({ hex, rgb: hexToRgb(hex), fraction });

function randomPalette(seed: number, n: number): Swatch[] {
  const random = seededRandom(seed);
  const byte = () => Math.floor(random() * 256);
  return Array.from({ length: n }, () => {
    const rgb: [number, number, number] = [byte(), byte(), byte()];
    // A few greys among them, and repeated shares so that ties occur.
    if (random() < 0.2) rgb[1] = rgb[2] = rgb[0];
    return { hex: '', rgb, fraction: Math.floor(random() * 4) / 10 };
  });
}

describe('sorting a palette', () => {
  it.each(PALETTE_SORTS)('by %s returns a new array with the same colours and leaves the input alone', (by) => {
    const colors = randomPalette(1, 12);
    const before = [...colors];
    const sorted = sortPalette(colors, by);
    expect(sorted).not.toBe(colors);
    expect(colors).toEqual(before);
    expect(new Set(sorted)).toEqual(new Set(colors));
  });

  it('by share (the default) puts the largest share first and keeps the input order among equal shares', () => {
    const colors = randomPalette(2, 20);
    const sorted = sortPalette(colors);
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1]!, sorted[i]!];
      expect(a.fraction).toBeGreaterThanOrEqual(b.fraction);
      if (a.fraction === b.fraction) expect(colors.indexOf(a)).toBeLessThan(colors.indexOf(b));
    }
  });

  it('by lightness orders by OKLab L, darkest first', () => {
    const sorted = sortPalette(randomPalette(3, 20), 'lightness');
    const L = sorted.map((c) => srgb8ToOklab(...c.rgb)[0]);
    for (let i = 1; i < L.length; i++) expect(L[i]).toBeGreaterThanOrEqual(L[i - 1]!);
  });

  it('by hue goes round the OKLCh wheel and puts greys at the end, darkest first', () => {
    const sorted = sortPalette(randomPalette(4, 30), 'hue');
    const lch = sorted.map((c) => rgbToOklch(c.rgb));
    const firstGrey = lch.findIndex(([, C]) => C < GREY_CHROMA);
    expect(firstGrey).toBeGreaterThan(0);
    const chromatic = lch.slice(0, firstGrey);
    const greys = lch.slice(firstGrey);
    expect(greys.every(([, C]) => C < GREY_CHROMA)).toBe(true);
    for (let i = 1; i < chromatic.length; i++) expect(chromatic[i]![2]).toBeGreaterThanOrEqual(chromatic[i - 1]![2]);
    for (let i = 1; i < greys.length; i++) expect(greys[i]![0]).toBeGreaterThanOrEqual(greys[i - 1]![0]);
  });

  it('by hue puts a rainbow in rainbow order', () => {
    const rainbow = ['#ff0000', '#ff8000', '#ffff00', '#00c000', '#00c0c0', '#0000ff', '#8000ff'];
    const shuffled = [3, 0, 6, 2, 5, 1, 4].map((i) => swatch(rainbow[i]!, 0.1));
    const extra = [swatch('#ffffff', 0.2), swatch('#000000', 0.1), swatch('#808080', 0.3)];
    const sorted = sortPalette([...extra, ...shuffled], 'hue').map((c) => c.hex);
    expect(sorted).toEqual([...rainbow, '#000000', '#808080', '#ffffff']);
  });
});

describe('colour names', () => {
  it.each([
    ['#ff0000', 'red'],
    ['#8b0000', 'red'],
    ['#ffa500', 'orange'],
    ['#8b4513', 'brown'],
    ['#ffff00', 'yellow'],
    ['#008000', 'green'],
    ['#00ffff', 'cyan'],
    ['#0000ff', 'blue'],
    ['#1e90ff', 'blue'],
    ['#8a2be2', 'violet'],
    ['#ff00ff', 'magenta'],
    ['#ff69b4', 'pink'],
    ['#ffffff', 'white'],
    ['#f4ecd8', 'white'],
    ['#fffacd', 'yellow'],
    ['#000000', 'black'],
    ['#808080', 'gray'],
    ['#8a8580', 'gray'],
  ])('calls %s %s', (hex, name) => {
    expect(colorName(hexToRgb(hex))).toBe(name);
  });

  it('numbers palette colours, or names them by hue, uniquely and as CSS identifiers', () => {
    const colors = ['#ff0000', '#0000ff', '#ee1111', '#808080', '#dd2222'].map((h) => ({ rgb: hexToRgb(h) }));
    expect(paletteNames(colors)).toEqual(['palette-1', 'palette-2', 'palette-3', 'palette-4', 'palette-5']);
    expect(paletteNames(colors, 'index', 'brand')[0]).toBe('brand-1');
    const byHue = paletteNames(colors, 'hue');
    expect(byHue).toEqual(['red', 'blue', 'red-2', 'gray', 'red-3']);
    const random = randomPalette(9, 40);
    const names = paletteNames(random, 'hue');
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9-]*$/);
  });
});

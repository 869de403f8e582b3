import { describe, expect, it } from 'vitest';
import { COLOR_VALUE_FORMATS, formatColor, rgbToHsl, rgbToOklch } from '../../src/core/color-format.js';
import { hexToRgb, oklabToSrgb8 } from '../../src/core/color.js';
import { seededRandom } from '../helpers/images.js';

type Rgb = [number, number, number];

/** Reads a CSS Color 4 function back into numbers: `rgb(1 2 3)` → { name: 'rgb', args: ['1', '2', '3'] }. */
function parseFunction(text: string): { name: string; args: string[] } {
  const m = /^([a-z]+)\(([^()]*)\)$/.exec(text);
  if (!m) throw new Error(`not a CSS colour function: ${text}`);
  const args = m[2]!.trim().split(/\s+/);
  for (const a of args) if (!/^-?\d+(\.\d+)?%?$/.test(a)) throw new Error(`not a CSS number: ${a} in ${text}`);
  return { name: m[1]!, args };
}

const percent = (s: string) => {
  if (!s.endsWith('%')) throw new Error(`expected a percentage: ${s}`);
  return Number(s.slice(0, -1)) / 100;
};

function hslToRgb(h: number, s: number, l: number): Rgb {
  // CSS Color 4's hslToRgb.
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const a = s * Math.min(l, 1 - l);
    return l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)].map((v) => Math.round(v * 255)) as Rgb;
}

function readBack(text: string): Rgb {
  if (text.startsWith('#')) return hexToRgb(text);
  const { name, args } = parseFunction(text);
  if (args.length !== 3) throw new Error(`expected three values: ${text}`);
  if (name === 'rgb') return args.map(Number) as Rgb;
  if (name === 'hsl') return hslToRgb(Number(args[0]), percent(args[1]!), percent(args[2]!));
  if (name === 'oklch') {
    const L = percent(args[0]!);
    const C = Number(args[1]);
    const h = (Number(args[2]) * Math.PI) / 180;
    return oklabToSrgb8(L, C * Math.cos(h), C * Math.sin(h));
  }
  throw new Error(`unexpected function ${name}`);
}

function sample(): Rgb[] {
  const random = seededRandom(5);
  const byte = () => Math.floor(random() * 256);
  const colors: Rgb[] = [
    [0, 0, 0],
    [255, 255, 255],
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
    [255, 255, 0],
    [1, 0, 0],
    [254, 255, 255],
    [128, 128, 128],
  ];
  for (let i = 0; i < 5000; i++) colors.push([byte(), byte(), byte()]);
  return colors;
}

describe('colour values as CSS strings', () => {
  it.each(COLOR_VALUE_FORMATS)('writes %s that reads back to the same 8-bit colour', (format) => {
    const misread = sample().filter((rgb) => readBack(formatColor(rgb, format)).join() !== rgb.join());
    expect(misread.map((rgb) => `${formatColor(rgb, format)} for ${rgb}`)).toEqual([]);
  });

  it('uses CSS Color 4 space-separated syntax with percentages where CSS asks for them', () => {
    const rgb: Rgb = [146, 108, 78];
    expect(parseFunction(formatColor(rgb, 'rgb')).args.map(Number)).toEqual(rgb);
    const hsl = parseFunction(formatColor(rgb, 'hsl')).args;
    expect(hsl[0]!.endsWith('%')).toBe(false);
    expect(hsl.slice(1).every((a) => a.endsWith('%'))).toBe(true);
    const oklch = parseFunction(formatColor(rgb, 'oklch')).args;
    expect(oklch[0]!.endsWith('%')).toBe(true);
    expect(oklch.slice(1).some((a) => a.endsWith('%'))).toBe(false);
    expect(formatColor(rgb, 'hex')).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('rounds: no more than one decimal in hsl and no more than two in oklch lightness and hue', () => {
    for (const rgb of sample().slice(0, 500)) {
      const hsl = parseFunction(formatColor(rgb, 'hsl')).args;
      for (const a of hsl) expect(a).toMatch(/^\d+(\.\d)?%?$/);
      const [L, C, h] = parseFunction(formatColor(rgb, 'oklch')).args;
      expect(L).toMatch(/^\d+(\.\d{1,2})?%$/);
      expect(C).toMatch(/^\d+(\.\d{1,5})?$/);
      expect(h).toMatch(/^\d+(\.\d{1,2})?$/);
      expect(Number(h)).toBeLessThan(360);
    }
  });

  it('gives greys zero chroma and zero hue in oklch, and zero saturation in hsl', () => {
    for (let v = 0; v < 256; v += 17) {
      const [, C, h] = parseFunction(formatColor([v, v, v], 'oklch')).args;
      expect([C, h]).toEqual(['0', '0']);
      expect(parseFunction(formatColor([v, v, v], 'hsl')).args.slice(0, 2)).toEqual(['0', '0%']);
    }
  });

  it('agrees with known values: pure red is hsl(0 100% 50%) and about oklch(62.8% 0.2577 29.23)', () => {
    expect(rgbToHsl([255, 0, 0])).toEqual([0, 1, 0.5]);
    const [L, C, h] = rgbToOklch([255, 0, 0]);
    expect(L).toBeCloseTo(0.628, 3);
    expect(C).toBeCloseTo(0.2577, 3);
    expect(h).toBeCloseTo(29.23, 1);
  });
});

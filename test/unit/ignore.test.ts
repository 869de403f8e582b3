import { describe, expect, it } from 'vitest';
import { hexToRgb, srgb8ToOklab } from '../../src/core/color.js';
import { InvalidOptionError } from '../../src/core/errors.js';
import {
  DEFAULT_IGNORE_TOLERANCE,
  IGNORE_PRESETS,
  formatIgnore,
  ignoreBitmap,
  ignoreMask,
  ignoreMatcher,
  maskIgnoredSteps,
  parseIgnore,
  type IgnoreEntry,
} from '../../src/core/ignore.js';
import { randomImage, seededRandom } from '../helpers/images.js';
import { runSync } from '../../src/core/pace.js';

type Rgb = [number, number, number];

/** ΔE in OKLab × 100, straight from the definition. */
function deltaE(a: Rgb, b: readonly [number, number, number]): number {
  const p = srgb8ToOklab(...a);
  const q = srgb8ToOklab(b[0], b[1], b[2]);
  return 100 * Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

describe('reading an ignore list', () => {
  it('reads presets, colours and tolerances, separated by spaces or commas, in any case', () => {
    const list = parseIgnore('White, BLACK transparent #00FF00  #123456/5,#abc/0.5');
    expect(list.map((e) => e.kind)).toEqual(['color', 'color', 'transparent', 'color', 'color', 'color']);
    const colors = list.filter((e): e is Extract<IgnoreEntry, { kind: 'color' }> => e.kind === 'color');
    expect(colors.map((c) => [c.hex, c.tolerance, c.preset])).toEqual([
      ['#ffffff', IGNORE_PRESETS['near-white'].tolerance, 'near-white'],
      ['#000000', IGNORE_PRESETS['near-black'].tolerance, 'near-black'],
      ['#00ff00', DEFAULT_IGNORE_TOLERANCE, undefined],
      ['#123456', 5, undefined],
      ['#aabbcc', 0.5, undefined],
    ]);
  });

  it('takes near-white and near-black as the presets’ full names, with a tolerance of their own when given', () => {
    expect(parseIgnore('near-white near-black/12')).toEqual([
      { kind: 'color', rgb: [255, 255, 255], hex: '#ffffff', tolerance: IGNORE_PRESETS['near-white'].tolerance, preset: 'near-white' },
      { kind: 'color', rgb: [0, 0, 0], hex: '#000000', tolerance: 12, preset: 'near-black' },
    ]);
  });

  it('reads empty text as an empty list', () => {
    expect(parseIgnore('')).toEqual([]);
    expect(parseIgnore('  ')).toEqual([]);
  });

  it.each([
    ['red', /"red" is not a colour or a preset/],
    ['#12345', /"#12345"/],
    ['00ff00', /"00ff00"/],
    ['#00ff00/abc', /not a number/],
    ['#00ff00/-1', /not a number/],
    ['#00ff00/101', /above 100/],
    ['#00ff00/3/4', /more than one/],
    ['transparent/2', /takes no tolerance/],
  ])('rejects %j with an InvalidOptionError that names the entry', (text, why) => {
    expect(() => parseIgnore(text)).toThrow(InvalidOptionError);
    expect(() => parseIgnore(text)).toThrow(why);
  });

  it('writes a list back as text that reads to the same list', () => {
    for (const text of ['white black transparent #00ff00 #123456/5', 'near-white/2 #abc/0.5', '']) {
      const list = parseIgnore(text);
      expect(parseIgnore(formatIgnore(list))).toEqual(list);
    }
    expect(formatIgnore(parseIgnore('WHITE #00FF00/3'))).toBe('near-white #00ff00');
  });
});

describe('which pixels an ignore list matches', () => {
  it('matches exactly the colours within each entry’s ΔE, as the definition computes it', () => {
    const list = parseIgnore('#00ff00 #123456/8 near-white near-black #926c4e/0.7');
    const colors = list.filter((e): e is Extract<IgnoreEntry, { kind: 'color' }> => e.kind === 'color');
    const ignored = ignoreMatcher(list);
    const expected = (c: Rgb) => colors.some((e) => deltaE(c, e.rgb) <= e.tolerance);
    // Every colour in a box around each entry (where the boundary is), plus random colours from the whole cube.
    const random = seededRandom(17);
    const samples: Rgb[] = [];
    for (const { rgb } of colors) {
      for (let i = 0; i < 6000; i++) {
        const near = rgb.map((v) => Math.min(255, Math.max(0, v + Math.floor(random() * 41) - 20))) as Rgb;
        samples.push(near);
      }
    }
    for (let i = 0; i < 20000; i++) samples.push([0, 0, 0].map(() => Math.floor(random() * 256)) as Rgb);
    let matched = 0;
    const wrong: string[] = [];
    for (const c of samples) {
      const want = expected(c);
      if (ignored(c[0], c[1], c[2], 255) !== want) wrong.push(`${c} should ${want ? '' : 'not '}match`);
      if (want) matched++;
    }
    expect(wrong).toEqual([]);
    // The sample crossed boundaries: both outcomes occurred plenty.
    expect(matched).toBeGreaterThan(1000);
    expect(samples.length - matched).toBeGreaterThan(1000);
  });

  it('takes a white backdrop and its JPEG noise as near-white, but not a light grey', () => {
    const ignored = ignoreMatcher(parseIgnore('white'));
    for (const hex of ['#ffffff', '#fdfdfd', '#f5f5f5', '#f0f0f0', '#fcfaf7']) expect(ignored(...hexToRgb(hex), 255), hex).toBe(true);
    // The documented edge: greys from #efefef up.
    expect([ignored(0xef, 0xef, 0xef, 255), ignored(0xee, 0xee, 0xee, 255)]).toEqual([true, false]);
    for (const hex of ['#e0e0e0', '#ffff00', '#000000']) expect(ignored(...hexToRgb(hex), 255), hex).toBe(false);
  });

  it('takes near-blacks up to about #151515 as near-black, but not a dark grey or a navy', () => {
    const ignored = ignoreMatcher(parseIgnore('black'));
    for (const hex of ['#000000', '#0a0a0a', '#141414', '#100808']) expect(ignored(...hexToRgb(hex), 255), hex).toBe(true);
    expect([ignored(0x15, 0x15, 0x15, 255), ignored(0x16, 0x16, 0x16, 255)]).toEqual([true, false]);
    for (const hex of ['#303030', '#000080', '#ffffff']) expect(ignored(...hexToRgb(hex), 255), hex).toBe(false);
  });

  it('ignores pixels below the alpha threshold only when transparent is listed', () => {
    const withTransparent = ignoreMatcher(parseIgnore('transparent'));
    expect(withTransparent(10, 20, 30, 127)).toBe(true);
    expect(withTransparent(10, 20, 30, 128)).toBe(false);
    expect(ignoreMatcher(parseIgnore('transparent'), { alphaThreshold: 10 })(10, 20, 30, 127)).toBe(false);
    expect(ignoreMatcher(parseIgnore('#0a141e'))(10, 20, 30, 0)).toBe(true);
    expect(ignoreMatcher(parseIgnore('#ffffff'))(10, 20, 30, 0)).toBe(false);
  });

  it('ignores nothing with an empty list, and builds no bitmap for a list without colours', () => {
    const ignored = ignoreMatcher([]);
    expect(ignored(255, 255, 255, 255) || ignored(0, 0, 0, 0)).toBe(false);
    expect(ignoreBitmap([])).toBeNull();
    expect(ignoreBitmap(parseIgnore('transparent'))).toBeNull();
  });

  it('sets one bit per 24-bit colour, (r << 16 | g << 8 | b), that the GPU can read as it is', () => {
    const bits = ignoreBitmap(parseIgnore('#00ff00/0'))!;
    expect(bits.length * 32).toBe(2 ** 24);
    const set: number[] = [];
    bits.forEach((word, i) => {
      for (let bit = 0; bit < 32; bit++) if ((word >>> bit) & 1) set.push(i * 32 + bit);
    });
    expect(set).toEqual([0x00ff00]);
  });

  it('marks each pixel of RGBA data', () => {
    const data = new Uint8ClampedArray([255, 255, 255, 255, 200, 30, 30, 255, 0, 0, 0, 0, 0, 255, 0, 255]);
    expect(Array.from(ignoreMask(data, parseIgnore('white transparent #00ff00')))).toEqual([1, 0, 1, 1]);
  });
});

describe('maskIgnoredSteps (the worker side of the ignore option)', () => {
  it('makes exactly the pixels ignoreMask marks transparent, and leaves every other byte alone', () => {
    const image = randomImage(64, 48, 31, { alpha: 'random' });
    // Some pixels near white and near a listed colour, so that the list matches more than noise.
    for (let i = 0; i < 64 * 48; i += 7) image.data.set(i % 2 ? [252, 253, 251] : [18, 52, 86], 4 * i);
    const list = parseIgnore('white #123456/4 transparent');
    const expected = ignoreMask(image.data, list, { alphaThreshold: 128 });
    const data = new Uint8ClampedArray(image.data);
    runSync(maskIgnoredSteps(data, list, { alphaThreshold: 128 }));
    let masked = 0;
    for (let i = 0; i < expected.length; i++) {
      expect(data[4 * i + 3]).toBe(expected[i] ? 0 : image.data[4 * i + 3]);
      expect([...data.subarray(4 * i, 4 * i + 3)]).toEqual([...image.data.subarray(4 * i, 4 * i + 3)]);
      masked += expected[i]!;
    }
    expect(masked).toBeGreaterThan(64 * 48 / 7);
  });
});

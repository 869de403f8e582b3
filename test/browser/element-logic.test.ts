/**
 * The element's pure parts, in Node: how attributes become options (clamped or `invalid-option`), what a sample
 * size means, the export formats, and the CPU recolour agreeing with the exact engine's own labels.
 */
import { describe, expect, it } from 'vitest';
import { cpuPixelKMeans } from '../../src/core/exact/cpu.js';
import { InvalidOptionError } from '../../src/core/errors.js';
import type { ColorSpace, PaletteColor } from '../../src/core/types.js';
import { engineOptions, OPTION_DEFAULTS, resolveOptions, type RawOptions } from '../../src/controllers/options.js';
import { agreement, matchClusters } from '../../src/controllers/compare.js';
import { cssCustomProperties, gimpPalette, hexList, paletteJson } from '../../src/controllers/export-formats.js';
import { parseSampleSize, sampleDimensions } from '../../src/image/sample-size.js';
import { recolorFromLabels, recolorNearest } from '../../src/worker/recolor.js';
import { floatCentersToFixed } from '../../src/core/exact/points.js';
import { fixedCentersToRgb8 } from '../../src/core/exact/result.js';

const raw = (over: Partial<RawOptions>): RawOptions => ({ ...OPTION_DEFAULTS, ...over });

describe('attributes to options', () => {
  it.each([
    [{ colors: 0 }, 'k', 1],
    [{ colors: -1 }, 'k', 1],
    [{ colors: 100000 }, 'k', 256],
    [{ nInit: 0 }, 'nInit', 1],
    [{ maxIterations: 1e9 }, 'maxIter', 10_000],
    [{ seed: -5 }, 'seed', 0],
    [{ seed: 2 ** 40 }, 'seed', 2 ** 32 - 1],
  ] as const)('clamps %o to %s = %d', (over, key, value) => {
    expect(resolveOptions(raw(over))[key]).toBe(value);
  });

  it.each([
    [{ colors: Number('abc') }, /colors must be a number/],
    [{ seed: 1.5 }, /seed must be a whole number/],
    [{ backend: 'quantum' }, /backend must be one of auto, gpu, cpu/],
    [{ colorSpace: 'cmyk' }, /color-space/],
    [{ arithmetic: 'float32' }, /arithmetic/],
    [{ sampleSize: 'big' }, /sample-size/],
    [{ colorManagement: 'adobe' }, /color-management must be one of srgb, none/],
    [{ locked: '#12 #abcdef' }, /locked must list #rrggbb colours/],
    [{ locked: '#000 #fff #f00', colors: 2 }, /locked holds 3 colours but colors is 2/],
  ] as const)('reports %o as invalid-option', (over, message) => {
    expect(() => resolveOptions(raw(over as Partial<RawOptions>))).toThrow(InvalidOptionError);
    expect(() => resolveOptions(raw(over as Partial<RawOptions>))).toThrow(message);
  });

  it('resolves the engines\' options once, the alpha threshold included, for every engine to take unchanged', () => {
    const resolved = resolveOptions(raw({ colors: 7, seed: 3, nInit: 4, colorSpace: 'oklab', locked: '#fff' }));
    expect(engineOptions(resolved)).toEqual({
      k: 7, seed: 3, nInit: 4, maxIter: 300, colorSpace: 'oklab', arithmetic: 'exact', alphaThreshold: 128, fixed: [[255, 255, 255]],
    });
    expect(engineOptions(resolveOptions(raw({})))).not.toHaveProperty('fixed');
  });

  it('accepts keywords in any case and with spaces', () => {
    expect(resolveOptions(raw({ backend: ' GPU ', colorSpace: 'OKLab' }))).toMatchObject({ backend: 'gpu', colorSpace: 'oklab' });
  });

  it('reads locked colours as the engines\' fixed colours: spaces or commas, #rgb or #rrggbb, duplicates merged', () => {
    expect(resolveOptions(raw({})).fixed).toEqual([]);
    expect(resolveOptions(raw({ locked: ' #AABBCC, #123 #aabbcc ' })).fixed).toEqual([[170, 187, 204], [17, 34, 51]]);
    // Three names of two colours fit two clusters.
    expect(resolveOptions(raw({ locked: '#fff #ffffff #000', colors: 2 })).fixed).toHaveLength(2);
  });

  it('decodes as displayed (srgb) unless color-management says none', () => {
    expect(resolveOptions(raw({})).colorManagement).toBe('srgb');
    expect(resolveOptions(raw({ colorManagement: 'None' })).colorManagement).toBe('none');
  });
});

describe('sample sizes', () => {
  it.each([
    ['200', 451, 300, 200, 133],
    ['200', 300, 451, 133, 200],
    ['200', 120, 80, 120, 80],
    ['200x200', 451, 300, 200, 200],
    ['64×32', 451, 300, 64, 32],
    ['full', 451, 300, 451, 300],
    ['99999', 451, 300, 451, 300],
  ])('"%s" of %d×%d samples %d×%d', (text, w, h, sw, sh) => {
    expect(sampleDimensions(parseSampleSize(text), w, h)).toEqual({ width: sw, height: sh });
  });
});

describe('export formats', () => {
  const colors: PaletteColor[] = [
    { hex: '#926c4e', rgb: [146, 108, 78], count: 60, fraction: 0.6 },
    { hex: '#0e1f35', rgb: [14, 31, 53], count: 40, fraction: 0.4 },
  ];

  it('writes a GIMP palette that GIMP reads: header, then "R G B<TAB>name" rows', () => {
    const text = gimpPalette(colors, 'cat\nphoto');
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 4)).toEqual(['GIMP Palette', 'Name: cat photo', 'Columns: 0', '#']);
    expect(lines[4]).toMatch(/^146 108  78\t#926c4e 60\.0%$/);
    expect(lines[5]).toMatch(/^ 14  31  53\t#0e1f35 40\.0%$/);
  });

  it('writes hex lists, CSS custom properties and JSON, largest share first', () => {
    expect(hexList(colors)).toBe('#926c4e\n#0e1f35');
    expect(cssCustomProperties(colors)).toBe(':root {\n  --palette-1: #926c4e;\n  --palette-2: #0e1f35;\n}');
    expect(JSON.parse(paletteJson(colors))).toEqual(colors);
  });
});

describe('the CPU recolour', () => {
  function randomImage(width: number, height: number, seed: number): ImageData {
    const data = new Uint8ClampedArray(4 * width * height);
    let x = seed;
    for (let i = 0; i < data.length; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      data[i] = i % 4 === 3 ? (x >>> 24 < 20 ? 0 : 255) : (x >>> 24) & 0xf0;
    }
    return { data, width, height, colorSpace: 'srgb' } as ImageData;
  }

  it.each(['rgb', 'oklab'] as ColorSpace[])(
    'gives every pixel the colour of the cluster the exact engine labelled it with (%s)',
    async (colorSpace) => {
      const image = randomImage(61, 37, 7);
      const result = await cpuPixelKMeans(image, { k: 6, seed: 3, nInit: 2, colorSpace });
      const fixed = floatCentersToFixed(result.centers, colorSpace);
      expect([...fixed]).toEqual([...result.centersFixed]);
      const rgb = fixedCentersToRgb8(fixed, colorSpace);
      expect(rgb).toEqual(result.rgb);
      const nearest = recolorNearest(image.data, fixed, rgb, colorSpace, 128);
      expect(nearest).toEqual(recolorFromLabels(image.data, result.labels, rgb));
    },
  );
});

describe('comparing two clusterings', () => {
  it('pairs clusters by nearest centre, one to one, ties to the lowest index', () => {
    expect([...matchClusters([[0], [0], [10]], [[10], [0], [0]])]).toEqual([1, 2, 0]);
  });

  it('reports full agreement for identical results', async () => {
    const data = new Uint8ClampedArray(4 * 64).map((_, i) => (i % 4 === 3 ? 255 : (i * 37) % 256));
    const r = await cpuPixelKMeans({ data, width: 8, height: 8 }, { k: 3, seed: 0 });
    const palette = { ...r, colors: [], backend: 'cpu' as const, adapter: '' };
    expect(agreement(palette, palette)).toEqual({ labelAgreement: 1, maxCenterDelta: 0, inertiaDelta: 0 });
  });
});

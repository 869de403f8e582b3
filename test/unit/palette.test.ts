import { describe, expect, it } from 'vitest';
import { rgbToHex, unitRgbToHex } from '../../src/core/color.js';
import { InvalidOptionError, NoOpaquePixelsError, WebGPUUnavailableError } from '../../src/core/errors.js';
import { cpuPixelKMeans } from '../../src/core/exact/cpu.js';
import { srgb8ToOklabFixed } from '../../src/core/oklab-int.js';
import { extractPalette, paletteColors } from '../../src/core/palette.js';
import type { PaletteResult } from '../../src/core/types.js';
import { loadFixture, randomImage, type FixtureName } from '../helpers/images.js';

function expectWellFormed(palette: PaletteResult): void {
  const total = palette.colors.reduce((sum, c) => sum + c.count, 0);
  expect(total).toBe(palette.pixelsUsed);
  expect(palette.colors.reduce((sum, c) => sum + c.fraction, 0)).toBeCloseTo(1, 12);
  for (let i = 1; i < palette.colors.length; i++) {
    expect(palette.colors[i]!.count).toBeLessThanOrEqual(palette.colors[i - 1]!.count);
  }
  expect(new Set(palette.colors.map((c) => c.hex)).size).toBe(palette.colors.length);
  for (const c of palette.colors) {
    expect(c.hex).toMatch(/^#[0-9a-f]{6}$/);
    expect(rgbToHex(c.rgb)).toBe(c.hex);
    expect(c.fraction).toBe(c.count / palette.pixelsUsed);
  }
}

describe('paletteColors', () => {
  it('orders entries by share, largest first, equal shares in cluster order, and leaves empty clusters out', () => {
    const colors = paletteColors(
      [
        [1, 1, 1],
        [2, 2, 2],
        [3, 3, 3],
        [4, 4, 4],
      ],
      [5, 0, 9, 5],
      19,
    );
    expect(colors.map((c) => c.hex)).toEqual(['#030303', '#010101', '#040404']);
    expect(colors.map((c) => c.count)).toEqual([9, 5, 5]);
    expect(colors[0]!.fraction).toBe(9 / 19);
  });

  it('merges clusters that round to the same 8-bit colour into one entry with their pixels added', () => {
    const colors = paletteColors(
      [
        [9, 9, 9],
        [200, 0, 0],
        [9, 9, 9],
      ],
      [3, 4, 2],
      9,
    );
    expect(colors).toEqual([
      { hex: '#090909', rgb: [9, 9, 9], count: 5, fraction: 5 / 9 },
      { hex: '#c80000', rgb: [200, 0, 0], count: 4, fraction: 4 / 9 },
    ]);
  });
});

describe('extractPalette on the CPU', () => {
  it('reports the exact engine’s clusters as palette entries', async () => {
    const image = loadFixture('coffee-k5-seed0').image;
    const palette = await extractPalette(image, { k: 5, backend: 'cpu', nInit: 3 });
    const engine = await cpuPixelKMeans(image, { k: 5, nInit: 3 });
    expectWellFormed(palette);
    expect(palette.backend).toBe('cpu');
    expect(palette.arithmetic).toBe('exact');
    expect(palette.adapter).toMatch(/CPU/);
    expect(palette.centers).toEqual(engine.centers);
    expect(palette.labels).toEqual(engine.labels);
    expect(palette.colors).toEqual(paletteColors(engine.rgb, engine.counts, engine.pixelsUsed));
  });

  it.each(['chelsea-k5-seed0', 'coffee-k5-seed0', 'rocket-k5-seed0'] as FixtureName[])(
    "gives the notebook's palette with arithmetic float64 (%s)",
    async (name) => {
      const f = loadFixture(name);
      const palette = await extractPalette(f.image, { k: 5, seed: 0, backend: 'cpu', arithmetic: 'float64' });
      expectWellFormed(palette);
      expect(palette.arithmetic).toBe('float64');
      expect(palette.iterations).toBe(f.result.n_iter);
      expect(palette.labels).toEqual(Int32Array.from(f.result.labels));
      const notebookHex = f.result.centers.map(unitRgbToHex);
      expect(new Set(palette.colors.map((c) => c.hex))).toEqual(new Set(notebookHex));
      // And the default exact arithmetic shows the same five colours.
      const exact = await extractPalette(f.image, { k: 5, seed: 0, backend: 'cpu' });
      expect(exact.colors.map((c) => c.hex)).toEqual(palette.colors.map((c) => c.hex));
    },
  );

  it('clusters float OKLab with arithmetic float64 and lands near the exact OKLab palette', async () => {
    const image = loadFixture('rocket-k5-seed0').image;
    const float = await extractPalette(image, { k: 5, colorSpace: 'oklab', backend: 'cpu', arithmetic: 'float64' });
    const exact = await extractPalette(image, { k: 5, colorSpace: 'oklab', backend: 'cpu' });
    expectWellFormed(float);
    expect(float.colorSpace).toBe('oklab');
    for (const [L, a, b] of float.centers) {
      expect(L).toBeGreaterThanOrEqual(0);
      expect(L).toBeLessThanOrEqual(1);
      expect(Math.abs(a!)).toBeLessThan(0.5);
      expect(Math.abs(b!)).toBeLessThan(0.5);
    }
    // k-means++ sees different numbers (integer codes vs float OKLab), so clusters may come in another order: compare
    // the palettes, not labels. Every exact colour has a float colour within a few 1/255 steps of OKLab (measured on the
    // k5 fixtures: at most 2.24 with 8-bit codes).
    for (const e of exact.colors) {
      const code = srgb8ToOklabFixed(...e.rgb);
      const nearest = Math.min(
        ...float.colors.map((f) => Math.hypot(...srgb8ToOklabFixed(...f.rgb).map((v, i) => v - code[i]!))),
      );
      expect(nearest / 128).toBeLessThan(4);
    }
  });

  it('counts only the pixels at or above the alpha threshold, and labels the rest -1', async () => {
    const image = randomImage(41, 23, 3, { palette: 6, alpha: 'half' });
    for (const arithmetic of ['exact', 'float64'] as const) {
      const palette = await extractPalette(image, { k: 3, backend: 'cpu', arithmetic, nInit: 2 });
      expectWellFormed(palette);
      for (let i = 0; i < 41 * 23; i++) expect(palette.labels[i]! >= 0).toBe(image.data[4 * i + 3]! >= 128);
    }
    const clear = randomImage(5, 5, 1, { alpha: 'half' });
    for (let i = 3; i < clear.data.length; i += 4) clear.data[i] = 0;
    const float64 = { k: 2, backend: 'cpu', arithmetic: 'float64' } as const;
    await expect(extractPalette(clear, float64)).rejects.toThrow(NoOpaquePixelsError);
  });

  it('shows each colour once when k exceeds the colours in the image', async () => {
    const image = randomImage(20, 20, 9, { palette: 3 });
    const distinct = new Set<string>();
    for (let i = 0; i < 400; i++) {
      distinct.add(rgbToHex([image.data[4 * i]!, image.data[4 * i + 1]!, image.data[4 * i + 2]!]));
    }
    for (const arithmetic of ['exact', 'float64'] as const) {
      const palette = await extractPalette(image, { k: 8, backend: 'cpu', arithmetic });
      expectWellFormed(palette);
      expect(new Set(palette.colors.map((c) => c.hex))).toEqual(distinct);
    }
  });
});

describe('choosing a backend', () => {
  const image = randomImage(16, 16, 2, { palette: 4 });

  it("falls back to the CPU's exact engine under 'auto' where there is no WebGPU", async () => {
    expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
    const auto = await extractPalette(image, { k: 3 });
    const cpu = await extractPalette(image, { k: 3, backend: 'cpu' });
    expect(auto.backend).toBe('cpu');
    // The same result, plus a notice saying why the CPU ran.
    const { notice, ...result } = auto;
    expect(notice).toMatch(/WebGPU/);
    expect(result).toEqual(cpu);
  });

  it("rejects 'gpu' without WebGPU with WebGPUUnavailableError", async () => {
    await expect(extractPalette(image, { k: 3, backend: 'gpu' })).rejects.toThrow(WebGPUUnavailableError);
  });

  it('rejects float64 on the GPU, and unknown backends or arithmetic, with InvalidOptionError', async () => {
    const float64OnGpu = { k: 3, backend: 'gpu', arithmetic: 'float64' } as const;
    await expect(extractPalette(image, float64OnGpu)).rejects.toThrow(InvalidOptionError);
    await expect(extractPalette(image, { k: 3, backend: 'tpu' as never })).rejects.toThrow(InvalidOptionError);
    await expect(extractPalette(image, { k: 3, arithmetic: 'float32' as never })).rejects.toThrow(InvalidOptionError);
  });
});

/**
 * Honest output: an image with at least k distinct colours gets k swatches. Exact k-means can in principle end with an
 * empty cluster (it keeps its centre: docs/ARITHMETIC.md) or two centres on one 8-bit colour, and the palette would
 * then show fewer; these are the cases most likely to do so (colours one step apart, exactly k colours), which must not.
 */
import { describe, expect, it } from 'vitest';
import { extractPalette } from '../../src/core/palette.js';
import type { PixelImage } from '../../src/core/types.js';
import { randomImage } from '../helpers/images.js';

/** 64 pixels of 16 near-identical colours: 8 greys one step apart from `base`, each also with blue one step up. */
function nearGreys(base: number): PixelImage {
  const data = new Uint8ClampedArray(4 * 64);
  for (let i = 0; i < 64; i++) data.set([base + (i % 8), base + (i % 8), base + (i % 8) + ((i >> 3) % 2), 255], 4 * i);
  return { data, width: 64, height: 1 };
}

describe('exactly k colours when the image has at least k', () => {
  const cases: [string, PixelImage, number][] = [
    ...[0, 120, 240].flatMap((base) => [8, 16].map((k): [string, PixelImage, number] => [`16 near-greys from ${base}, k ${k}`, nearGreys(base), k])),
    ...[4, 16, 64].map((k): [string, PixelImage, number] => [`an image of exactly ${k} random colours, k ${k}`, randomImage(80, 80, k, { palette: k }), k]),
  ];
  for (const colorSpace of ['rgb', 'oklab'] as const) {
    it.each(cases)(`gives k swatches on %s (${colorSpace}, exact)`, async (_, image, k) => {
      const palette = await extractPalette(image, { backend: 'cpu', k, nInit: 2, colorSpace });
      expect(palette.colors).toHaveLength(k);
      expect(palette.colors.every((c) => c.count > 0)).toBe(true);
    });
  }
});

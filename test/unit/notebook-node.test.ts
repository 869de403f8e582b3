/**
 * The notebook in Node, from the image file to the five hex colours: decode, `resizeImage` (scikit-image's resize),
 * `toPixelImage`, `extractPalette` in float64. PNG with pngjs (lossless, so any decoder gives the notebook's bytes);
 * both photos with sharp, where it is installed (`ignoreIcc: true` reads the stored values as imageio does; jpeg-js's
 * IDCT differs from libjpeg's by up to 3 per channel on rocket.jpg, so it is not used for the JPEG).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { extractPalette } from '../../src/core/palette.js';
import { resizeImage, toPixelImage, type ByteImage } from '../../src/core/resample.js';
import { loadNotebookCase, notebookColors } from '../helpers/notebook.js';

const sample = (name: string) => fileURLToPath(new URL(`../../public/samples/${name}`, import.meta.url));

async function notebookPalette(image: ByteImage) {
  const pixels = toPixelImage(resizeImage(image, 200, 200));
  const palette = await extractPalette(pixels, { k: 5, seed: 0, backend: 'cpu', arithmetic: 'float64' });
  return { colors: palette.colors.map(({ hex, count }) => ({ hex, count })), iterations: palette.iterations };
}

interface Sharp {
  (file: string, options: { ignoreIcc: boolean }): {
    removeAlpha(): { raw(): { toBuffer(o: { resolveWithObject: true }): Promise<{ data: Buffer; info: { width: number; height: number; channels: number } }> } };
  };
}

/** sharp, where it is installed (it is the Node decoder the README names; a devDependency is not required here). */
const sharp: Sharp | null = await (async () => {
  const name = 'sharp';
  try {
    return ((await import(name)) as { default: Sharp }).default;
  } catch {
    return null;
  }
})();

describe('the notebook in Node, from the file', () => {
  it("gives chelsea.png, decoded by pngjs, the notebook's hex colours, counts and iterations", async () => {
    const png = PNG.sync.read(readFileSync(sample('chelsea.png')));
    const fixture = loadNotebookCase('chelsea-200x200');
    expect(await notebookPalette({ data: png.data, width: png.width, height: png.height })).toEqual({
      colors: notebookColors(fixture),
      iterations: fixture.palette!.nIter,
    });
  });

  it.skipIf(!sharp).each([
    ['chelsea.png', 'chelsea-200x200'],
    ['rocket.jpg', 'rocket-200x200'],
  ])("gives %s, decoded by sharp without colour management, the notebook's palette", async (file, name) => {
    const { data, info } = await sharp!(sample(file), { ignoreIcc: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const fixture = loadNotebookCase(name);
    expect(await notebookPalette({ data, width: info.width, height: info.height, channels: info.channels })).toEqual({
      colors: notebookColors(fixture),
      iterations: fixture.palette!.nIter,
    });
  });
});

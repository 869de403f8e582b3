/**
 * Real images for tests: the sample photos decoded to RGBA, the notebook's 200 × 200 box resize, the scikit-learn
 * fixtures as images, and seeded random images (so a failing case can be replayed from its seed).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { PixelImage } from '../../src/core/types.js';

export interface TestImage extends PixelImage {
  data: Uint8ClampedArray;
}

const root = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

export type SampleName = 'chelsea.png' | 'coffee.png' | 'rocket.jpg' | 'retina.jpg';

/** Decodes one of `public/samples/` to RGBA. */
export function loadSample(name: SampleName): TestImage {
  const bytes = readFileSync(root(`public/samples/${name}`));
  if (name.endsWith('.png')) {
    const png = PNG.sync.read(bytes);
    return { data: new Uint8ClampedArray(png.data), width: png.width, height: png.height };
  }
  const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  return { data: new Uint8ClampedArray(decoded.data), width: decoded.width, height: decoded.height };
}

/**
 * Area-averaging resize (a box filter, as PIL's `Image.BOX`): each output pixel is the coverage-weighted mean of the
 * source pixels under it, rounded. Alpha is averaged like the colours.
 */
export function boxResize(image: PixelImage, width: number, height: number): TestImage {
  const out = new Uint8ClampedArray(4 * width * height);
  const sx = image.width / width;
  const sy = image.height / height;
  const acc = new Float64Array(4);
  for (let y = 0; y < height; y++) {
    const y0 = y * sy;
    const y1 = y0 + sy;
    for (let x = 0; x < width; x++) {
      const x0 = x * sx;
      const x1 = x0 + sx;
      acc.fill(0);
      let area = 0;
      for (let v = Math.floor(y0); v < Math.min(image.height, Math.ceil(y1)); v++) {
        const wy = Math.min(y1, v + 1) - Math.max(y0, v);
        for (let u = Math.floor(x0); u < Math.min(image.width, Math.ceil(x1)); u++) {
          const w = wy * (Math.min(x1, u + 1) - Math.max(x0, u));
          const s = 4 * (v * image.width + u);
          for (let c = 0; c < 4; c++) acc[c]! += w * image.data[s + c]!;
          area += w;
        }
      }
      for (let c = 0; c < 4; c++) out[4 * (y * width + x) + c] = Math.round(acc[c]! / area);
    }
  }
  return { data: out, width, height };
}

/** The notebook's step: the photo resized to 200 × 200. */
export function notebookSample(name: SampleName): TestImage {
  return boxResize(loadSample(name), 200, 200);
}

export type FixtureName =
  | 'chelsea-k5-seed0'
  | 'chelsea-k8-seed42-ninit1'
  | 'coffee-k5-seed0'
  | 'coffee-k8-seed42-ninit1'
  | 'few-colors-k3-seed1'
  | 'k-exceeds-distinct-k5-seed0'
  | 'random-1000-k5-seed0'
  | 'rocket-k5-seed0'
  | 'rocket-k8-seed42-ninit1';

export interface SklearnFixture {
  name: string;
  /** count × 3 RGB bytes. */
  pixels: Uint8Array;
  /** The pixels as an opaque image: 200 × 200 for the photos, otherwise one row. */
  image: TestImage;
  params: { n_clusters: number; random_state: number; n_init: number; max_iter: number; tol: number };
  init: { centers: number[][]; indices: number[] };
  result: { centers: number[][]; labels: Uint8Array; inertia: number; n_iter: number };
}

/** Reads one scikit-learn fixture (test/fixtures/sklearn/README.md). */
export function loadFixture(name: FixtureName): SklearnFixture {
  const json = JSON.parse(readFileSync(root(`test/fixtures/sklearn/${name}.json`), 'utf8'));
  const pixels = new Uint8Array(Buffer.from(json.pixels.base64, 'base64'));
  const count: number = json.pixels.count;
  const side = Math.sqrt(count);
  const [width, height] = Number.isInteger(side) && count >= 10_000 ? [side, side] : [count, 1];
  const data = new Uint8ClampedArray(4 * count);
  for (let i = 0; i < count; i++) {
    data[4 * i] = pixels[3 * i]!;
    data[4 * i + 1] = pixels[3 * i + 1]!;
    data[4 * i + 2] = pixels[3 * i + 2]!;
    data[4 * i + 3] = 255;
  }
  return {
    name: json.name,
    pixels,
    image: { data, width, height },
    params: json.params,
    init: json.init,
    result: {
      centers: json.result.centers,
      labels: new Uint8Array(Buffer.from(json.result.labels_uint8_base64, 'base64')),
      inertia: json.result.inertia,
      n_iter: json.result.n_iter,
    },
  };
}

/** mulberry32: a small, fast, seedable 32-bit generator for test data. Returns a function giving floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomImageOptions {
  /** Draw colours from this many random colours (default: every pixel its own random colour). */
  palette?: number;
  /** 'opaque' (default), 'half' (alpha cycling 0, 127, 128, 255: half below the default threshold), 'random'. */
  alpha?: 'opaque' | 'half' | 'random';
}

/** A seeded random RGBA image. */
export function randomImage(width: number, height: number, seed: number, options: RandomImageOptions = {}): TestImage {
  const random = seededRandom(seed);
  const byte = (): number => Math.floor(random() * 256);
  const palette = options.palette
    ? Array.from({ length: options.palette }, () => [byte(), byte(), byte()] as const)
    : null;
  const data = new Uint8ClampedArray(4 * width * height);
  const halfAlphas = [0, 127, 128, 255];
  for (let i = 0; i < width * height; i++) {
    const colour = palette ? palette[Math.floor(random() * palette.length)]! : [byte(), byte(), byte()];
    data[4 * i] = colour[0]!;
    data[4 * i + 1] = colour[1]!;
    data[4 * i + 2] = colour[2]!;
    data[4 * i + 3] =
      options.alpha === 'half' ? halfAlphas[i % 4]! : options.alpha === 'random' ? byte() : 255;
  }
  return { data, width, height };
}

/**
 * Seeded fuzz cases for GPU/CPU agreement: every case (image and options) is a pure function of one 32-bit seed, so a
 * failing case replays from its seed alone (`FUZZ_CASE=<seed>`). The mix leans on the shapes and images where an
 * engine is most likely to slip: one-pixel and one-row images, widths that are not a multiple of anything, k above
 * the number of distinct colours, heavy duplication, transparency at and around the threshold, both colour spaces.
 */
import { expect } from 'vitest';
import { PaletteError } from '../../src/core/errors.js';
import type { PaletteResult, PixelImage, PixelKMeansOptions, PixelKMeansResult } from '../../src/core/types.js';
import { seededRandom, type TestImage } from './images.js';

export interface FuzzCase {
  seed: number;
  image: TestImage;
  options: PixelKMeansOptions & { k: number };
  /** One line for people: shape, content, alpha and options. */
  description: string;
}

type Random = () => number;
type Content = 'single' | 'few' | 'gradient' | 'noise' | 'banded' | 'greys';
type Alpha = 'opaque' | 'checker' | 'random' | 'binary';

const intIn = (random: Random, lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** The seed of case `index` of the default suite: spread out, so neighbouring cases share nothing. */
export function fuzzSeed(index: number): number {
  return (Math.imul(index + 1, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;
}

/** The seeds to run: `FUZZ_CASE` (one seed, or several separated by commas) or `FUZZ_CASES` cases (default `count`). */
export function fuzzSeeds(count: number, env: NodeJS.ProcessEnv = process.env): number[] {
  if (env.FUZZ_CASE) return env.FUZZ_CASE.split(',').map((s) => Number(s.trim()) >>> 0);
  const n = env.FUZZ_CASES ? Math.max(1, Number.parseInt(env.FUZZ_CASES, 10)) : count;
  return Array.from({ length: n }, (_, i) => fuzzSeed(i));
}

function shape(random: Random): [number, number, string] {
  const roll = random();
  if (roll < 0.06) return [1, 1, '1×1'];
  if (roll < 0.14) return [intIn(random, 2, 300), 1, '1×N'];
  if (roll < 0.22) return [1, intIn(random, 2, 300), 'N×1'];
  if (roll < 0.28) {
    // A few larger images, up to 256 × 256: several assign tiles, the multi-workgroup paths.
    const w = intIn(random, 100, 256);
    return [w, intIn(random, 100, 256), 'large'];
  }
  if (roll < 0.45) {
    const long = intIn(random, 16, 96);
    const short = intIn(random, 2, 8);
    return random() < 0.5 ? [long, short, 'wide'] : [short, long, 'tall'];
  }
  // Mostly small and odd-sized.
  return [2 * intIn(random, 1, 32) - 1, intIn(random, 1, 64), 'small'];
}

function colourMaker(random: Random, content: Content, width: number, height: number): (x: number, y: number) => number[] {
  const byte = (): number => intIn(random, 0, 255);
  switch (content) {
    case 'single': {
      const c = [byte(), byte(), byte()];
      return () => c;
    }
    case 'few': {
      const palette = Array.from({ length: intIn(random, 2, 6) }, () => [byte(), byte(), byte()]);
      return () => pick(random, palette);
    }
    case 'gradient': {
      const from = [byte(), byte(), byte()];
      const to = [byte(), byte(), byte()];
      const span = Math.max(1, width + height - 2);
      return (x, y) => from.map((f, i) => Math.round(f + ((to[i]! - f) * (x + y)) / span));
    }
    case 'banded': {
      // Noise quantised to a few levels per channel: many repeats, some near-ties.
      const levels = intIn(random, 2, 4);
      const step = 255 / (levels - 1);
      return () => [0, 1, 2].map(() => Math.round(intIn(random, 0, levels - 1) * step));
    }
    case 'greys':
      return () => {
        const v = byte();
        return [v, v, v];
      };
    case 'noise':
      return () => [byte(), byte(), byte()];
  }
}

function alphaMaker(random: Random, alpha: Alpha): (x: number, y: number) => number {
  switch (alpha) {
    case 'opaque':
      return () => 255;
    case 'checker': {
      // A half-transparent checkerboard of cells, with values on both sides of the default threshold.
      const cell = intIn(random, 1, 4);
      const [low, high] = pick(random, [[0, 255], [127, 128], [0, 200], [1, 254]] as const);
      return (x, y) => ((Math.floor(x / cell) + Math.floor(y / cell)) % 2 === 0 ? high : low);
    }
    case 'binary':
      return () => (random() < 0.3 ? 0 : 255);
    case 'random':
      return () => intIn(random, 0, 255);
  }
}

/** The case for `seed`. */
export function fuzzCase(seed: number): FuzzCase {
  const random = seededRandom(seed);
  const [width, height, shapeName] = shape(random);
  const content = pick<Content>(random, ['single', 'few', 'few', 'gradient', 'noise', 'noise', 'banded', 'greys']);
  const alpha = pick<Alpha>(random, ['opaque', 'opaque', 'checker', 'random', 'binary']);
  const colour = colourMaker(random, content, width, height);
  const alphaAt = alphaMaker(random, alpha);
  const data = new Uint8ClampedArray(4 * width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 4 * (y * width + x);
      data.set(colour(x, y), o);
      data[o + 3] = alphaAt(x, y);
    }
  }
  const pixels = width * height;
  const alphaThreshold = alpha === 'opaque' ? pick(random, [0, 128, 255]) : pick(random, [0, 1, 128, 128, 255, intIn(random, 0, 255)]);
  let used = 0;
  for (let i = 0; i < pixels; i++) if (data[4 * i + 3]! >= alphaThreshold) used++;
  // k: mostly small; sometimes anything up to 256 (above the distinct colours, even above the points: then both
  // engines must refuse it the same way). Large images keep k small: SwiftShader runs them on the CPU.
  const kCap = shapeName === 'large' ? 12 : 256;
  const kRoll = random();
  const k =
    kRoll < 0.6 ? intIn(random, 1, Math.min(8, kCap))
    : kRoll < 0.85 ? intIn(random, 1, Math.min(kCap, Math.max(1, used)))
    : kRoll < 0.95 ? Math.min(kCap, Math.max(1, used)) // exactly the number of points
    : intIn(random, 1, kCap);
  const options: FuzzCase['options'] = {
    k,
    seed: intIn(random, 0, 0xffffffff),
    nInit: intIn(random, 1, 3),
    colorSpace: random() < 0.5 ? 'rgb' : 'oklab',
    alphaThreshold,
  };
  const iterRoll = random();
  if (iterRoll < 0.15) options.maxIter = intIn(random, 1, 4); // stops before convergence
  else if (shapeName === 'large') options.maxIter = 40;
  const tolRoll = random();
  if (tolRoll < 0.2) options.tol = 0;
  else if (tolRoll < 0.3) options.tol = 1e-2;
  const description =
    `${width}×${height} (${shapeName}) ${content}, alpha ${alpha} ≥ ${alphaThreshold} (${used} points), ` +
    `k ${k}, seed ${options.seed}, nInit ${options.nInit}, ${options.colorSpace}` +
    (options.maxIter !== undefined ? `, maxIter ${options.maxIter}` : '') +
    (options.tol !== undefined ? `, tol ${options.tol}` : '');
  return { seed, image: { data, width, height }, options, description };
}

/** The first field where two exact results differ, described in one line, or null when they agree bit for bit. */
export function firstDifference(gpu: PixelKMeansResult, cpu: PixelKMeansResult): string | null {
  const scalar = ['iterations', 'converged', 'pixelsUsed', 'inertiaFixed', 'colorSpace', 'arithmetic'] as const;
  for (const key of scalar) {
    if (gpu[key] !== cpu[key]) return `${key}: GPU ${String(gpu[key])}, CPU ${String(cpu[key])}`;
  }
  if (gpu.centersFixed.length !== cpu.centersFixed.length) {
    return `centersFixed length: GPU ${gpu.centersFixed.length}, CPU ${cpu.centersFixed.length}`;
  }
  for (let i = 0; i < cpu.centersFixed.length; i++) {
    if (gpu.centersFixed[i] !== cpu.centersFixed[i]) {
      return `centersFixed[${i}] (centre ${Math.floor(i / 3)}): GPU ${gpu.centersFixed[i]}, CPU ${cpu.centersFixed[i]}`;
    }
  }
  if (gpu.labels.length !== cpu.labels.length) return `labels length: GPU ${gpu.labels.length}, CPU ${cpu.labels.length}`;
  let mismatches = 0;
  let first = -1;
  for (let i = 0; i < cpu.labels.length; i++) {
    if (gpu.labels[i] !== cpu.labels[i]) {
      mismatches++;
      if (first < 0) first = i;
    }
  }
  if (mismatches > 0) {
    return `labels: ${mismatches} differ, first at pixel ${first}: GPU ${gpu.labels[first]}, CPU ${cpu.labels[first]}`;
  }
  if (gpu.counts.join() !== cpu.counts.join()) return `counts: GPU ${gpu.counts.join()}, CPU ${cpu.counts.join()}`;
  return null;
}

/** A rejection in one line: the class and code of a PaletteError, or what else was thrown. */
export function describeFailure(error: unknown): string {
  if (error instanceof PaletteError) return `${error.name}(${error.code})`;
  return `untyped ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

/** The command that replays one case. */
export function replayCommand(seed: number, file = 'test/gpu/fuzz-agreement.test.ts'): string {
  return `SKIP_BUILD=1 FUZZ_CASE=${seed} npm test -- --project gpu ${file}`;
}

// ---- Hostile input: the tables the CPU (test/unit/bad-input.test.ts) and GPU (test/gpu/faults-input.test.ts) share.

/** An opaque image of one colour. */
export function solidImage(width: number, height: number, rgb: readonly [number, number, number]): TestImage {
  const data = new Uint8ClampedArray(4 * width * height);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], 4 * i);
  return { data, width, height };
}

/** An image whose every pixel has alpha 0 (its colours vary, so alphaThreshold 0 has something to cluster). */
export function transparentImage(width: number, height: number): TestImage {
  const data = new Uint8ClampedArray(4 * width * height);
  for (let i = 0; i < width * height; i++) data.set([(37 * i) & 255, (91 * i) & 255, (13 * i) & 255, 0], 4 * i);
  return { data, width, height };
}

/** An opaque image cycling through `colours` fixed, well-separated colours. */
export function fewColourImage(width: number, height: number, colours: number): TestImage {
  const palette = [[230, 20, 20], [20, 200, 40], [30, 40, 220], [250, 250, 250], [0, 0, 0], [240, 200, 0]];
  const data = new Uint8ClampedArray(4 * width * height);
  for (let i = 0; i < width * height; i++) data.set([...palette[i % colours]!, 255], 4 * i);
  return { data, width, height };
}

/** Images no engine can take: each must be refused with InvalidInputError. */
export function badImages(): { name: string; image: PixelImage }[] {
  const px = (n: number): Uint8ClampedArray => new Uint8ClampedArray(4 * n).fill(255);
  return [
    { name: 'data shorter than width × height × 4', image: { data: px(11), width: 4, height: 3 } },
    { name: 'data longer than width × height × 4', image: { data: px(13), width: 4, height: 3 } },
    { name: 'data of 3 bytes a pixel (RGB, not RGBA)', image: { data: new Uint8ClampedArray(36), width: 4, height: 3 } },
    { name: 'width 0', image: { data: px(0), width: 0, height: 3 } },
    { name: 'a negative height', image: { data: px(4), width: 4, height: -1 } },
    { name: 'a fractional width', image: { data: px(6), width: 1.5, height: 4 } },
    { name: 'width NaN', image: { data: px(4), width: NaN, height: 1 } },
    { name: 'a width given as a string', image: { data: px(4), width: '2' as unknown as number, height: 2 } },
    { name: 'data as a plain array', image: { data: [...px(4)] as unknown as Uint8Array, width: 2, height: 2 } },
    { name: 'data as a Float32Array', image: { data: new Float32Array(16) as unknown as Uint8Array, width: 2, height: 2 } },
    { name: 'no data', image: { data: undefined as unknown as Uint8Array, width: 2, height: 2 } },
  ];
}

/** Options out of range or of the wrong type: each must be refused with InvalidOptionError. */
export function badOptions(): { name: string; options: PixelKMeansOptions }[] {
  const bad = (name: string, options: Record<string, unknown>) => ({ name, options: options as unknown as PixelKMeansOptions });
  return [
    bad('k NaN', { k: NaN }),
    bad('k -1', { k: -1 }),
    bad('k 0', { k: 0 }),
    bad('k 1.5', { k: 1.5 }),
    bad('k 100000', { k: 100000 }),
    bad('k Infinity', { k: Infinity }),
    bad("k '3' (a string)", { k: '3' }),
    bad('seed 1.5', { k: 2, seed: 1.5 }),
    bad('seed -1', { k: 2, seed: -1 }),
    bad('seed 2^32', { k: 2, seed: 2 ** 32 }),
    bad('seed NaN', { k: 2, seed: NaN }),
    bad('nInit 0', { k: 2, nInit: 0 }),
    bad('maxIter 0', { k: 2, maxIter: 0 }),
    bad('maxIter 2.5', { k: 2, maxIter: 2.5 }),
    bad('tol -1', { k: 2, tol: -1 }),
    bad('tol NaN', { k: 2, tol: NaN }),
    bad('alphaThreshold 300', { k: 2, alphaThreshold: 300 }),
    bad('alphaThreshold -1', { k: 2, alphaThreshold: -1 }),
    bad('alphaThreshold 0.5', { k: 2, alphaThreshold: 0.5 }),
    bad("colorSpace 'hsv'", { k: 2, colorSpace: 'hsv' }),
  ];
}

/** A palette that shows the colours an image has: each hex once, counts and fractions adding up, no NaN anywhere. */
export function expectCleanPalette(palette: PaletteResult, image: PixelImage, distinct: number): void {
  const hexes = palette.colors.map((c) => c.hex);
  expect(new Set(hexes).size, `duplicate swatches in ${hexes.join(' ')}`).toBe(hexes.length);
  expect(hexes.length).toBeGreaterThanOrEqual(1);
  expect(hexes.length).toBeLessThanOrEqual(distinct);
  for (const c of palette.colors) {
    expect(c.hex).toMatch(/^#[0-9a-f]{6}$/i);
    expect(c.rgb.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
    expect(Number.isFinite(c.fraction) && c.fraction > 0).toBe(true);
  }
  expect(palette.colors.reduce((a, c) => a + c.count, 0)).toBe(palette.pixelsUsed);
  expect(palette.colors.reduce((a, c) => a + c.fraction, 0)).toBeCloseTo(1, 12);
  expect(palette.pixelsUsed).toBeLessThanOrEqual(image.width * image.height);
  expect(palette.centers.flat().every(Number.isFinite), 'a centre is not finite').toBe(true);
  expect(Number.isFinite(palette.inertia)).toBe(true);
}

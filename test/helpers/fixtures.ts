/** Loads the scikit-learn reference cases in test/fixtures/sklearn/ (see its README) with their arrays decoded. */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

export const SKLEARN_FIXTURES = resolve(import.meta.dirname, '../fixtures/sklearn');

export interface SklearnCase {
  name: string;
  /** Number of points. */
  n: number;
  /** The raw 8-bit RGB values, n × 3. */
  pixels: Uint8Array;
  /** `pixels / 255` as float64: the points scikit-learn clustered. */
  points: Float64Array;
  params: { nClusters: number; randomState: number; nInit: number; maxIter: number; tol: number };
  init: { centers: number[][]; indices: number[] };
  result: { centers: number[][]; labels: Uint8Array; inertia: number; nIter: number };
}

interface RawCase {
  name: string;
  pixels: { count: number; base64: string };
  params: { n_clusters: number; random_state: number; n_init: number; max_iter: number; tol: number };
  init: { centers: number[][]; indices: number[] };
  result: { centers: number[][]; labels_uint8_base64: string; inertia: number; n_iter: number };
}

function decode(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

/** Names of every k-means case (every fixture but the generator draws), sorted. */
export function sklearnCaseNames(): string[] {
  return readdirSync(SKLEARN_FIXTURES)
    .filter((f) => f.endsWith('.json') && f !== 'numpy-randomstate.json')
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

export function loadSklearnCase(name: string): SklearnCase {
  const raw = JSON.parse(readFileSync(resolve(SKLEARN_FIXTURES, `${name}.json`), 'utf8')) as RawCase;
  const pixels = decode(raw.pixels.base64);
  const n = raw.pixels.count;
  if (pixels.length !== n * 3) throw new Error(`${name}: expected ${n * 3} bytes of pixels, got ${pixels.length}`);
  const points = new Float64Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) points[i] = pixels[i] / 255;
  return {
    name: raw.name,
    n,
    pixels,
    points,
    params: {
      nClusters: raw.params.n_clusters,
      randomState: raw.params.random_state,
      nInit: raw.params.n_init,
      maxIter: raw.params.max_iter,
      tol: raw.params.tol,
    },
    init: raw.init,
    result: {
      centers: raw.result.centers,
      labels: decode(raw.result.labels_uint8_base64),
      inertia: raw.result.inertia,
      nIter: raw.result.n_iter,
    },
  };
}

export interface RandomStateCase {
  seed: number;
  random_sample?: number[];
  randint_high?: number;
  draws?: number[];
  sequence?: string;
  values?: number[];
}

export function loadRandomStateCases(): RandomStateCase[] {
  const raw = JSON.parse(readFileSync(resolve(SKLEARN_FIXTURES, 'numpy-randomstate.json'), 'utf8')) as {
    cases: RandomStateCase[];
  };
  return raw.cases;
}

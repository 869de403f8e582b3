import { afterAll, describe, expect, it } from 'vitest';
import { FIXED_ONE } from '../../src/core/constants.js';
import { buildPointGrid, exactLloyd, exactLloydOnGridSteps } from '../../src/core/exact/lloyd.js';
import { runSync } from '../../src/core/pace.js';
import { describeBothEngines } from '../helpers/engines.js';
import { setWasmKernels } from '../../src/core/wasm/kernels.js';
import { distinctColors, distinctIndex } from '../../src/core/exact/distinct.js';
import { fixedCoords, toleranceFixed } from '../../src/core/exact/points.js';
import type { ColorSpace } from '../../src/core/types.js';
import { loadFixture, randomImage, seededRandom } from '../helpers/images.js';

/**
 * docs/ARITHMETIC.md's loop written as plainly as possible, in BigInt: the oracle `exactLloyd` must match bit for bit.
 */
function literalExactLloyd(points: Uint16Array, init: Uint32Array, k: number, maxIter: number, tolFixed: number) {
  const n = points.length / 3;
  let c = Array.from(init, BigInt);
  const P = Array.from(points, BigInt);
  const dist = (i: number, j: number): bigint => {
    let d = 0n;
    for (let a = 0; a < 3; a++) d += (P[3 * i + a]! - c[3 * j + a]!) ** 2n;
    return d;
  };
  const assign = (): number[] =>
    Array.from({ length: n }, (_, i) => {
      let best = 0;
      for (let j = 1; j < k; j++) if (dist(i, j) < dist(i, best)) best = j;
      return best;
    });
  let labels: number[] = [];
  let labelsOld: number[] | null = null;
  let strict = false;
  let stopped = false;
  let i = 0;
  for (; i < maxIter; i++) {
    labels = assign();
    const next = c.slice();
    for (let j = 0; j < k; j++) {
      let count = 0n;
      const S = [0n, 0n, 0n];
      labels.forEach((l, p) => {
        if (l !== j) return;
        count++;
        for (let a = 0; a < 3; a++) S[a]! += P[3 * p + a]!;
      });
      if (count === 0n) continue;
      for (let a = 0; a < 3; a++) next[3 * j + a] = (2n * S[a]! + count) / (2n * count);
    }
    let shift = 0n;
    for (let a = 0; a < 3 * k; a++) shift += (next[a]! - c[a]!) ** 2n;
    c = next;
    if (i > 0 && labelsOld !== null && labels.every((l, p) => l === labelsOld![p])) {
      strict = true;
      stopped = true;
      break;
    }
    if (shift <= BigInt(tolFixed)) {
      stopped = true;
      break;
    }
    labelsOld = labels;
  }
  if (!strict) labels = assign();
  let inertia = 0n;
  labels.forEach((l, p) => (inertia += dist(p, l)));
  return { centers: c.map(Number), labels, inertia, iterations: stopped ? i + 1 : maxIter, converged: stopped };
}

/** k points of the set as centres, drawn with a seeded generator. */
function pickCenters(points: Uint16Array, k: number, seed: number): Uint32Array {
  const random = seededRandom(seed);
  const n = points.length / 3;
  const centers = new Uint32Array(3 * k);
  for (let j = 0; j < k; j++) {
    const i = Math.floor(random() * n);
    for (let a = 0; a < 3; a++) centers[3 * j + a] = points[3 * i + a]!;
  }
  return centers;
}

/** The fixed-point coordinates of n × 3 sRGB bytes. */
function coords(bytes: Uint8Array, space: ColorSpace = 'rgb'): Uint16Array {
  return fixedCoords(bytes, bytes.length / 3, space);
}

/** `toleranceFixed` of every point (weight 1). */
function tolOf(points: Uint16Array, tol: number): number {
  return toleranceFixed(points, new Float64Array(points.length / 3).fill(1), tol);
}

function rgbPoints(image: { data: ArrayLike<number>; width: number; height: number }): Uint8Array {
  const n = image.width * image.height;
  const points = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) for (let a = 0; a < 3; a++) points[3 * i + a] = image.data[4 * i + a]!;
  return points;
}

describeBothEngines('exactLloyd', () => {

  it.each([
    { width: 23, height: 17, k: 4, seed: 1, palette: 0, tol: 1e-4, space: 'rgb' },
    { width: 31, height: 9, k: 7, seed: 2, palette: 5, tol: 1e-4, space: 'rgb' },
    { width: 12, height: 12, k: 3, seed: 3, palette: 0, tol: 0, space: 'rgb' },
    { width: 40, height: 5, k: 9, seed: 4, palette: 0, tol: 1e-2, space: 'rgb' },
    { width: 23, height: 17, k: 4, seed: 5, palette: 0, tol: 1e-4, space: 'oklab' },
    { width: 31, height: 9, k: 7, seed: 6, palette: 5, tol: 0, space: 'oklab' },
  ] as const)('computes the bits of the literal ARITHMETIC.md loop ($width×$height, $space, k=$k, tol=$tol)', (c) => {
    const points = coords(rgbPoints(randomImage(c.width, c.height, c.seed, c.palette ? { palette: c.palette } : {})), c.space);
    const init = pickCenters(points, c.k, c.seed);
    const tolFixed = tolOf(points, c.tol);
    for (const maxIter of [1, 2, 300]) {
      const fast = exactLloyd(points, undefined, init, c.k, maxIter, tolFixed);
      const slow = literalExactLloyd(points, init, c.k, maxIter, tolFixed);
      expect(Array.from(fast.centersFixed)).toEqual(slow.centers);
      expect(Array.from(fast.labels)).toEqual(slow.labels);
      expect(fast.inertiaFixed).toBe(slow.inertia);
      expect(fast.iterations).toBe(slow.iterations);
      expect(fast.converged).toBe(slow.converged);
    }
  });

  it('gives the same bits on distinct colours weighted by their counts as on every pixel', () => {
    for (const name of ['chelsea-k8-seed42-ninit1', 'few-colors-k3-seed1'] as const) {
      const f = loadFixture(name);
      const n = f.pixels.length / 3;
      const k = f.params.n_clusters;
      const points = coords(f.pixels);
      const init = pickCenters(points, k, 9);
      const tolFixed = tolOf(points, f.params.tol);
      const all = exactLloyd(points, undefined, init, k, 300, tolFixed);
      const d = distinctColors(f.pixels, n);
      expect(d.u).toBeLessThan(n);
      expect(toleranceFixed(coords(d.colors), d.weights, f.params.tol)).toBe(tolFixed);
      const weighted = exactLloyd(coords(d.colors), d.weights, init, k, 300, tolFixed);
      expect(weighted.centersFixed).toEqual(all.centersFixed);
      expect(weighted.inertiaFixed).toBe(all.inertiaFixed);
      expect(weighted.iterations).toBe(all.iterations);
      expect(Array.from({ length: n }, (_, i) => weighted.labels[distinctIndex(d, f.pixels, i)])).toEqual(
        Array.from(all.labels),
      );
      expect(Array.from(weighted.counts).reduce((a, b) => a + b)).toBe(n);
    }
  });

  it('keeps an empty cluster where it is instead of moving it', () => {
    // Two colours, three centres: the third starts far from both and never gets a point.
    const points = coords(new Uint8Array([0, 0, 0, 0, 0, 0, 10, 10, 10]));
    const init = Uint32Array.from([0, 0, 0, 10, 10, 10, 255, 255, 255], (v) => v * FIXED_ONE);
    const run = exactLloyd(points, undefined, init, 3, 300, 0);
    expect(Array.from(run.centersFixed.subarray(6))).toEqual([255, 255, 255].map((v) => v * FIXED_ONE));
    expect(run.counts[2]).toBe(0);
    expect(run.inertiaFixed).toBe(0n);
  });

  it('stops strictly on the second iteration when the seeds are already the means', () => {
    const points = coords(new Uint8Array([1, 2, 3, 1, 2, 3, 200, 100, 0]));
    const init = Uint32Array.from([1, 2, 3, 200, 100, 0], (v) => v * FIXED_ONE);
    // With tol < 0 only unchanged labels can stop the run: iteration 0 compares against nothing, iteration 1 stops.
    const run = exactLloyd(points, undefined, init, 2, 300, -1);
    expect(run.iterations).toBe(2);
    expect(run.converged).toBe(true);
  });

  it('rounds each centre to the nearest fixed-point value, halves up', () => {
    // Means 0.5/128 apart from a representable value: (0 + 1) / 2 = 0.5 → 64 exactly; (0 + 0 + 1) / 3 = 42.67 → 43.
    const points = coords(new Uint8Array([0, 0, 0, 1, 1, 1]));
    expect(Array.from(exactLloyd(points, undefined, new Uint32Array(3), 1, 5, 0).centersFixed)).toEqual([64, 64, 64]);
    const three = coords(new Uint8Array([0, 0, 0, 0, 0, 0, 1, 1, 1]));
    expect(Array.from(exactLloyd(three, undefined, new Uint32Array(3), 1, 5, 0).centersFixed)).toEqual([43, 43, 43]);
  });

  it('reports maxIter iterations and no convergence when it runs out', () => {
    const f = loadFixture('chelsea-k8-seed42-ninit1');
    const n = f.pixels.length / 3;
    const points = coords(f.pixels);
    const init = pickCenters(points, 8, 5);
    const full = exactLloyd(points, undefined, init, 8, 300, 0);
    expect(full.converged).toBe(true);
    expect(full.iterations).toBeGreaterThan(3);
    const cut = exactLloyd(points, undefined, init, 8, full.iterations - 2, 0);
    expect(cut.iterations).toBe(full.iterations - 2);
    expect(cut.converged).toBe(false);
    // The final E-step labels against the final centres even when the run was cut short.
    let farther = 0;
    for (let i = 0; i < n; i++) {
      const d = (j: number): number => {
        let s = 0;
        for (let a = 0; a < 3; a++) s += (f.pixels[3 * i + a]! * FIXED_ONE - cut.centersFixed[3 * j + a]!) ** 2;
        return s;
      };
      for (let j = 0; j < 8; j++) if (d(j) < d(cut.labels[i]!)) farther++;
    }
    expect(farther).toBe(0);
    expect(cut.inertiaFixed).toBeGreaterThanOrEqual(full.inertiaFixed);
  });
});

describe('exactLloyd with the WebAssembly kernels and without', () => {
  afterAll(() => setWasmKernels(true));

  /** Every field of the outcomes of runs from `inits` on `grid`, with the kernels on or off. */
  function outcomes(grid: ReturnType<typeof buildPointGrid>, inits: Uint32Array[], k: number, tolFixed: number, fixedCount: number, wasm: boolean) {
    setWasmKernels(wasm);
    return inits.map((init) => {
      const r = runSync(exactLloydOnGridSteps(grid, init, k, 300, tolFixed, fixedCount));
      return { ...r, centersFixed: Array.from(r.centersFixed), labels: Array.from(r.labels), counts: Array.from(r.counts) };
    });
  }

  it.each([
    { k: 5, fixedCount: 0, space: 'rgb' },
    { k: 16, fixedCount: 0, space: 'rgb' },
    { k: 8, fixedCount: 3, space: 'oklab' },
  ] as const)("give the same runs on a photo's distinct colours (k=$k, $fixedCount locked, $space)", ({ k, fixedCount, space }) => {
    const f = loadFixture('chelsea-k8-seed42-ninit1');
    const d = distinctColors(f.pixels, f.pixels.length / 3);
    const points = coords(d.colors, space);
    const grid = buildPointGrid(points, d.weights);
    const inits = [1, 2, 3].map((seed) => pickCenters(points, k, seed));
    const tolFixed = toleranceFixed(points, d.weights, 1e-4);
    const js = outcomes(grid, inits, k, tolFixed, fixedCount, false);
    expect(outcomes(grid, inits, k, tolFixed, fixedCount, true)).toEqual(js);
    expect(js[0]!.iterations).toBeGreaterThan(2);
  });

  it('runs interleaved on one grid, and after a run left half-way, as each alone', () => {
    setWasmKernels(true);
    const f = loadFixture('chelsea-k8-seed42-ninit1');
    const points = coords(f.pixels);
    const grid = buildPointGrid(points, new Float64Array(points.length / 3).fill(1));
    const inits = [4, 5].map((seed) => pickCenters(points, 6, seed));
    const alone = outcomes(grid, inits, 6, 0, 0, true);
    const left = exactLloydOnGridSteps(grid, pickCenters(points, 6, 9), 6, 300, 0, 0);
    for (let i = 0; i < 4; i++) left.next();
    left.return(undefined as never);
    const [a, b] = inits.map((init) => exactLloydOnGridSteps(grid, init, 6, 300, 0, 0));
    let ra: IteratorResult<void, unknown>;
    let rb: IteratorResult<void, unknown>;
    do {
      ra = a!.next();
      rb = b!.next();
    } while (!ra.done && !rb.done);
    while (!ra.done) ra = a!.next();
    while (!rb.done) rb = b!.next();
    const flat = (r: unknown) => {
      const o = r as { centersFixed: Uint32Array; labels: Int32Array; counts: Float64Array };
      return { ...o, centersFixed: Array.from(o.centersFixed), labels: Array.from(o.labels), counts: Array.from(o.counts) };
    };
    expect([flat(ra.value), flat(rb.value)]).toEqual(alone);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without types.
import { compileKernels, moduleSource } from '../../scripts/build-wasm.mjs';
import { RandomState } from '../../src/core/random.js';
import { pairwiseSumGather } from '../../src/core/sklearn/numeric.js';
import { acquireKernels, releaseKernels, setKernelMemoryLimit, setWasmKernels, wasmKernelsAvailable } from '../../src/core/wasm/kernels.js';
import { resizeToPixels } from '../../src/core/resample.js';
import { extractPalette } from '../../src/core/palette.js';
import { randomImage } from '../helpers/images.js';

describe('the WebAssembly kernels', () => {
  it('are committed as wasm/ compiles them (run `npm run build:wasm` after editing wasm/)', async () => {
    const bytes: Uint8Array = await compileKernels();
    const committed = readFileSync(new URL('../../src/core/wasm/module.ts', import.meta.url), 'utf8');
    expect(committed).toBe(moduleSource(bytes));
  });

  it('load in Node, and give way to the JavaScript versions when turned off', () => {
    expect(wasmKernelsAvailable()).toBe(true);
    setWasmKernels(false);
    try {
      expect(wasmKernelsAvailable()).toBe(false);
      expect(acquireKernels()).toBeNull();
    } finally {
      setWasmKernels(true);
    }
  });

  it("add gathered values with numpy's pairwise tree, as pairwiseSumGather does, at every length", () => {
    const rng = new RandomState(4);
    const kernels = acquireKernels()!;
    try {
      for (const m of [0, 1, 7, 8, 9, 127, 128, 129, 300, 1000, 4099]) {
        kernels.reset();
        const a = Float64Array.from({ length: 50 }, () => rng.randomSample() * 1e3);
        const index = Uint32Array.from({ length: m }, () => rng.randint(50));
        const at = { a: kernels.alloc(8 * 50), index: kernels.alloc(4 * m) };
        kernels.f64(at.a, 50).set(a);
        kernels.u32(at.index, m).set(index);
        expect(kernels.exports.pairwiseSumGather(at.a, at.index, 0, m)).toBe(pairwiseSumGather(a, index));
      }
    } finally {
      releaseKernels(kernels);
    }
  });

  it('give way to the JavaScript versions, with the same results, where their memory runs out', async () => {
    const image = randomImage(240, 160, 3, { palette: 40 });
    const run = async () => {
      const sample = resizeToPixels(image, 120, 80);
      const palette = await extractPalette(sample, { k: 6, nInit: 3, seed: 2, backend: 'cpu' });
      return { sample: Array.from(sample.float), palette };
    };
    const full = await run();
    // Limits from nothing to more than all: each in turn leaves room for some of the data (the rows, the grid, the
    // resample's window) but not for what a work adds to it (a seeding's or a run's own memory), wherever it falls.
    const limits = Array.from({ length: 40 }, (_, i) => Math.round(4096 * 1.18 ** i));
    expect(limits.at(-1)).toBeGreaterThan(2_000_000);
    for (const limit of limits) {
      setKernelMemoryLimit(limit);
      try {
        expect(await run()).toEqual(full);
      } finally {
        setKernelMemoryLimit(null);
      }
    }
    expect(await run()).toEqual(full);
  });

  it('give each piece of work its own memory, reused once given back', () => {
    const a = acquireKernels()!;
    const b = acquireKernels()!;
    expect(a).not.toBe(b);
    const at = a.alloc(100_000);
    a.f64(at, 4).set([1, 2, 3, 4]);
    expect(b.memory).not.toBe(a.memory);
    releaseKernels(a);
    releaseKernels(b);
    const again = acquireKernels()!;
    expect([a, b]).toContain(again);
    expect(again.alloc(8)).toBe(0);
    releaseKernels(again);
  });
});

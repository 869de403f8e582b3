import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without types.
import { compileKernels, moduleSource } from '../../scripts/build-wasm.mjs';
import { RandomState } from '../../src/core/random.js';
import { pairwiseSumGather } from '../../src/core/sklearn/numeric.js';
import { acquireKernels, releaseKernels, setWasmKernels, wasmKernelsAvailable } from '../../src/core/wasm/kernels.js';

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

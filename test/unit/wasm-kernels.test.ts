import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without types.
import { compileKernels, moduleSource } from '../../scripts/build-wasm.mjs';
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

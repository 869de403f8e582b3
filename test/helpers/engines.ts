import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setWasmKernels, wasmKernelsAvailable } from '../../src/core/wasm/kernels.js';

/**
 * `describe(name, body)` twice: with the WebAssembly kernels, and in JavaScript alone (the fallback where a page
 * refuses WebAssembly). Each run first checks that it runs the engine it names.
 */
export function describeBothEngines(name: string, body: () => void): void {
  describe.each([
    { engine: 'with the WebAssembly kernels', wasm: true },
    { engine: 'in JavaScript alone', wasm: false },
  ])(`${name}, $engine`, ({ wasm }) => {
    beforeAll(() => setWasmKernels(wasm));
    afterAll(() => setWasmKernels(true));

    it(wasm ? 'runs the WebAssembly kernels in Node' : 'runs without them', () => {
      expect(wasmKernelsAvailable()).toBe(wasm);
    });

    body();
  });
}

/**
 * WebGPU in Node for the GPU tests: Dawn (the `webgpu` package; SwiftShader where the machine has no GPU, through
 * the environment scripts/test.mjs sets). `useGpu()` gives a test file one adapter and device and destroys them after
 * the file; `gpuIt` runs a test inside a `validation` error scope that must stay empty and destroys what the test
 * registered with `own()`.
 */
import { create, globals } from 'webgpu';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeAdapter, type AdapterDescription } from '../../src/core/gpu/device.js';

Object.assign(globalThis, globals);

export interface GpuContext {
  gpu: GPU;
  adapter: GPUAdapter;
  device: GPUDevice;
  info: AdapterDescription;
}

/** Dawn's entry point (one per process is enough). */
let entry: GPU | undefined;
export function nodeGpu(): GPU {
  entry ??= create([]);
  return entry;
}

/** The adapter a test uses: the default one, or the fallback (software) one where there is no other. */
export async function testAdapter(gpu = nodeGpu()): Promise<GPUAdapter> {
  const adapter = (await gpu.requestAdapter()) ?? (await gpu.requestAdapter({ forceFallbackAdapter: true }));
  if (!adapter) throw new Error('Dawn found no adapter: run the GPU tests through scripts/test.mjs (it sets VK_ICD_FILENAMES).');
  return adapter;
}

/** One device for the test file, made before its tests and destroyed after them. */
export function useGpu(limits: Record<string, number> = {}): GpuContext {
  const context = {} as GpuContext;
  beforeAll(async () => {
    context.gpu = nodeGpu();
    context.adapter = await testAdapter(context.gpu);
    context.device = await context.adapter.requestDevice({ label: 'test device', requiredLimits: limits });
    context.info = describeAdapter(context.adapter);
  });
  afterAll(() => {
    context.device?.destroy();
  });
  return context;
}

export interface GpuTestScope {
  device: GPUDevice;
  /** Registers something to destroy when the test ends, pass or fail; returns it. */
  own<T extends { destroy(): unknown }>(thing: T): T;
}

/** Runs `body` inside a validation error scope and fails if the scope caught anything. */
export async function expectNoValidationErrors<T>(device: GPUDevice, body: () => Promise<T>): Promise<T> {
  device.pushErrorScope('validation');
  let result: T;
  try {
    result = await body();
  } finally {
    const error = await device.popErrorScope();
    expect(error?.message ?? null, 'WebGPU validation error').toBeNull();
  }
  return result;
}

/** `it`, on the file's device, inside an empty-must-stay validation scope, destroying what the test owns. */
export function gpuIt(
  name: string,
  context: GpuContext,
  body: (scope: GpuTestScope) => Promise<void>,
  timeout?: number,
): void {
  it(
    name,
    async () => {
      const owned: { destroy(): unknown }[] = [];
      const scope: GpuTestScope = {
        device: context.device,
        own: (thing) => {
          owned.push(thing);
          return thing;
        },
      };
      try {
        await expectNoValidationErrors(context.device, () => body(scope));
      } finally {
        for (const thing of owned.reverse()) thing.destroy();
      }
    },
    timeout,
  );
}

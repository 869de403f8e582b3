/**
 * The one policy that picks the engine for a `backend` option, which `extractPalette`, the element and the command
 * line all follow (each words its notice for its own readers):
 * - `cpu`: the CPU;
 * - `gpu`: the GPU, whatever adapter there is (a software one too), unless there is none or the image does not fit;
 * - `auto`: a hardware GPU. A software (fallback) adapter such as SwiftShader or WARP counts as none: it gives the
 *   same bits as the CPU engine, many times slower.
 * An image the device cannot hold goes to the CPU under `auto` and `gpu` alike. Both engines give the same bits, so
 * the policy changes the speed, never the palette.
 */

/** What is known of the GPU when the choice is made; null where there is no WebGPU or no adapter. */
export interface GpuCandidate {
  /** A software (fallback) adapter (`isSoftwareAdapter`). */
  software: boolean;
  /** The adapter, in words (for the reason). */
  name: string;
  /** Whether the device can hold the image; left out, it can. */
  fits?: boolean;
}

export type BackendDecision =
  | { kind: 'gpu' }
  | {
      kind: 'cpu';
      /** Why not the GPU: asked for the CPU, no GPU, only a software one (under `auto`), or the image too large. */
      reason: 'asked' | 'no-gpu' | 'software' | 'too-large';
    };

export function decideBackend(asked: 'auto' | 'gpu' | 'cpu', gpu: GpuCandidate | null): BackendDecision {
  if (asked === 'cpu') return { kind: 'cpu', reason: 'asked' };
  if (!gpu) return { kind: 'cpu', reason: 'no-gpu' };
  if (asked === 'auto' && gpu.software) return { kind: 'cpu', reason: 'software' };
  if (gpu.fits === false) return { kind: 'cpu', reason: 'too-large' };
  return { kind: 'gpu' };
}

/** The adapter's name without the " (fallback)" some implementations add. */
export function adapterName(name: string): string {
  return name.replace(/\s*\(fallback\)$/, '');
}

/**
 * The recoloured image read back to the host, one storage segment at a time, for a page that cannot show a WebGPU
 * canvas (a software adapter) or an image past the device's largest texture. No buffer is larger than one segment
 * (at most one storage binding), so an image of any size the engine holds reads back without exceeding
 * `maxStorageBufferBindingSize` or `maxBufferSize` (an 8193 × 8193 picture is 268,500,996 bytes: more than either
 * default).
 */
import { GpuError } from '../errors.js';
import { yieldToEventLoop } from '../pace.js';
import type { GpuImageEngine } from './image-engine.js';

/** Bytes copied out of the mapping between yields to the event loop (1 M pixels). */
const COPY_SLICE_BYTES = 4 << 20;

export interface RecoloredPart {
  /** Index of the part's first pixel in the image (row-major). */
  firstPixel: number;
  /** RGBA bytes of `pixels.length / 4` pixels from `firstPixel` on. */
  pixels: Uint8ClampedArray<ArrayBuffer>;
}

/**
 * Recolours the engine's image with its current palette and hands each segment's pixels to `draw` (awaited, so a caller
 * can yield between parts). The pixels are a copy: they stay valid after the call.
 */
export async function readRecolored(engine: GpuImageEngine, draw: (part: RecoloredPart) => void | Promise<void>): Promise<void> {
  const { device } = engine;
  const segments = engine.segments;
  if (segments.length === 0) throw new GpuError('readRecolored() needs an engine with an image.');
  const largest = 4 * Math.max(...segments.map((s) => s.pixelCount));
  const output = device.createBuffer({
    label: 'palette-extractor recoloured segment',
    size: largest,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
  });
  const staging = device.createBuffer({
    label: 'palette-extractor recoloured segment readback',
    size: largest,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  try {
    for (let s = 0; s < segments.length; s++) {
      const { firstPixel, pixelCount } = segments[s]!;
      const bytes = 4 * pixelCount;
      await engine.recolor(output, { segment: s });
      const encoder = device.createCommandEncoder({ label: 'palette-extractor recoloured segment copy' });
      encoder.copyBufferToBuffer(output, 0, staging, 0, bytes);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ, 0, bytes);
      // Copied out in slices, yielding between them: one copy of a 24 MP segment holds a page's thread ~0.1 s.
      const pixels = new Uint8ClampedArray(bytes);
      const mapped = new Uint8ClampedArray(staging.getMappedRange(0, bytes));
      for (let at = 0; at < bytes; at += COPY_SLICE_BYTES) {
        if (at > 0) await yieldToEventLoop();
        pixels.set(mapped.subarray(at, Math.min(bytes, at + COPY_SLICE_BYTES)), at);
      }
      staging.unmap();
      await draw({ firstPixel, pixels });
    }
  } finally {
    output.destroy();
    staging.destroy();
  }
}

/**
 * An image resident on the device: its RGBA words, cut into segments (`planSegments`) that each fit one binding.
 * Nothing else is kept per pixel: the per-pixel kernels compute a pixel's colour key from its word (lib/pixel-key.wgsl)
 * and find its label through the colour table (lut.wgsl).
 */
import type { PixelImage } from '../types.js';
import type { BufferAllocator } from './allocator.js';
import type { EnginePipelines } from './pipelines.js';
import { packStruct, structLayout, TILE_PIXELS } from './shader-source.js';
import type { SegmentPlan } from './segments.js';

export interface GpuSegment extends SegmentPlan {
  /** SegmentParams (uniform). */
  params: GPUBuffer;
  /** RGBA8 words, one per pixel, padded to whole tiles (the padding stays zero). */
  pixels: GPUBuffer;
  /** Group 1 of the count and texture recolour kernels (pixels in). */
  read: GPUBindGroup;
}

export class GpuImage {
  readonly width: number;
  readonly height: number;
  readonly pixelCount: number;
  readonly segments: readonly GpuSegment[];

  constructor(
    device: GPUDevice,
    allocator: BufferAllocator,
    pipelines: EnginePipelines,
    image: PixelImage,
    plan: readonly SegmentPlan[],
  ) {
    this.width = image.width;
    this.height = image.height;
    this.pixelCount = image.width * image.height;
    const layout = structLayout('SegmentParams');
    const { STORAGE, UNIFORM, COPY_DST } = GPUBufferUsage;
    this.segments = plan.map((plan, s) => {
      const padded = plan.tiles * TILE_PIXELS;
      const params = allocator.createWith(
        `segment ${s} params`,
        packStruct(layout, { pixel_count: plan.pixelCount, first_pixel: plan.firstPixel, tiles: plan.tiles, width: this.width }),
        UNIFORM,
      );
      const pixels = allocator.create(`segment ${s} pixels`, 4 * padded, STORAGE | COPY_DST);
      // writeBuffer copies from the caller's memory now: later changes to `image.data` do not reach the device.
      device.queue.writeBuffer(pixels, 0, image.data.buffer, image.data.byteOffset + 4 * plan.firstPixel, 4 * plan.pixelCount);
      const read = device.createBindGroup({
        label: `palette-extractor segment ${s} read`,
        layout: pipelines.layout('segmentRead'),
        entries: [params, pixels].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      return { ...plan, params, pixels, read };
    });
  }
}

/**
 * An image resident on the device: its RGBA words and the points derived from them (for one colour space and alpha
 * threshold at a time), cut into segments (`planSegments`) that each fit one binding. Labels are not per pixel: a
 * pixel finds its label through its point's colour code (lut.wgsl).
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
  /** Point words (points.wgsl), one per pixel of the padded segment. */
  points: GPUBuffer;
  /** Group 1 of the points kernel (pixels in, points out). */
  toPoints: GPUBindGroup;
  /** Group 1 of the count and texture recolour kernels (points in). */
  read: GPUBindGroup;
}

export class GpuImage {
  readonly width: number;
  readonly height: number;
  readonly pixelCount: number;
  readonly segments: readonly GpuSegment[];
  /** The colour space and threshold the points were last computed for; null before the first computation. */
  pointsKey: string | null = null;

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
    const { STORAGE, UNIFORM, COPY_DST, COPY_SRC } = GPUBufferUsage;
    this.segments = plan.map((plan, s) => {
      const padded = plan.tiles * TILE_PIXELS;
      const params = allocator.createWith(
        `segment ${s} params`,
        packStruct(layout, { pixel_count: plan.pixelCount, first_pixel: plan.firstPixel, tiles: plan.tiles, width: this.width }),
        UNIFORM,
      );
      const pixels = allocator.create(`segment ${s} pixels`, 4 * padded, STORAGE | COPY_DST);
      // COPY_SRC: the tests read the points back to check the OKLab kernel against the CPU's.
      const points = allocator.create(`segment ${s} points`, 4 * padded, STORAGE | COPY_SRC);
      // writeBuffer copies from the caller's memory now: later changes to `image.data` do not reach the device.
      device.queue.writeBuffer(pixels, 0, image.data.buffer, image.data.byteOffset + 4 * plan.firstPixel, 4 * plan.pixelCount);
      const group = (name: string, layoutName: 'segmentWrite' | 'segmentRead', buffers: GPUBuffer[]) =>
        device.createBindGroup({
          label: `palette-extractor segment ${s} ${name}`,
          layout: pipelines.layout(layoutName),
          entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
        });
      return {
        ...plan,
        params,
        pixels,
        points,
        toPoints: group('to points', 'segmentWrite', [params, pixels, points]),
        read: group('read', 'segmentRead', [params, points]),
      };
    });
  }
}

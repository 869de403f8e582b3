/**
 * The per-pixel GPU operations after a run, one function each, on pipelines cached per device: every pixel finds
 * its label through its point's colour code in the table lut.wgsl fills (pixel → code → label → palette), so no
 * per-pixel label array is kept or read back unless a caller asks for labels.
 * - `encodeLut`: a run's labels of the distinct colours → the colour table.
 * - `recolorSegments`: each pixel its centre's colour, into a texture or a buffer (one segment, or all).
 * - `readPixelLabels`: each pixel's label as an i32 (-1 when left out), read back segment by segment.
 */
import type { BufferAllocator } from './allocator.js';
import type { ColorSet, GpuTraffic, TableSlots } from './color-table.js';
import type { GpuImage, GpuSegment } from './gpu-image.js';
import type { EnginePipelines } from './pipelines.js';
import { packStruct, structLayout } from './shader-source.js';

export type Dispatch = (pass: GPUComputePassEncoder, tiles: number) => void;

function bindGroup(device: GPUDevice, pipelines: EnginePipelines, layout: Parameters<EnginePipelines['layout']>[0], entries: GPUBindingResource[]): GPUBindGroup {
  return device.createBindGroup({
    label: `palette-extractor ${layout} group`,
    layout: pipelines.layout(layout),
    entries: entries.map((resource, binding) => ({ binding, resource })),
  });
}

/** Encodes the table fill from the labels of run slot `slot` (u32 words from `slot · labelWords`). */
export function encodeLut(
  device: GPUDevice,
  encoder: GPUCommandEncoder,
  pipeline: GPUComputePipeline,
  pipelines: EnginePipelines,
  params: GPUBuffer,
  set: ColorSet,
  labels: GPUBuffer,
  labelBase: number,
  slots: TableSlots,
  dispatch: Dispatch,
): void {
  device.queue.writeBuffer(params, 0, packStruct(structLayout('LutParams'), { label_base: labelBase, tiles: set.tiles, colors: set.u }));
  const pass = encoder.beginComputePass({ label: 'palette-extractor label table pass' });
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup(device, pipelines, 'lut', [{ buffer: params }, { buffer: set.colors }, { buffer: set.weights }, { buffer: labels }, { buffer: slots.table }, { buffer: slots.keys }, { buffer: slots.params }]));
  dispatch(pass, set.tiles);
  pass.end();
}

/** Each centre as RGBA8 with r in the low byte (unpack4x8unorm's and ImageData's order), alpha 255. */
export function paletteWords(rgb: readonly (readonly number[])[]): Uint32Array<ArrayBuffer> {
  return Uint32Array.from(rgb, ([r, g, b]) => (r! | (g! << 8) | (b! << 16) | (255 << 24)) >>> 0);
}

export type RecolorTarget =
  | { kind: 'texture'; texture: GPUTexture }
  /** A buffer holding the image's pixels from `firstPixel` (the whole image: 0). */
  | { kind: 'buffer'; buffer: GPUBuffer; firstPixel: number };

/** Encodes the recolour of `segments` into `target`. `palette` holds the centres' colours (paletteWords). */
export function encodeRecolor(
  device: GPUDevice,
  encoder: GPUCommandEncoder,
  pipeline: GPUComputePipeline,
  pipelines: EnginePipelines,
  palette: GPUBuffer,
  slots: TableSlots,
  segments: readonly GpuSegment[],
  target: RecolorTarget,
  dispatch: Dispatch,
): void {
  const pass = encoder.beginComputePass({ label: 'palette-extractor recolour pass' });
  pass.setPipeline(pipeline);
  if (target.kind === 'texture') {
    const view = target.texture.createView({ label: 'palette-extractor recolour target' });
    pass.setBindGroup(0, bindGroup(device, pipelines, 'paletteTexture', [{ buffer: palette }, { buffer: slots.table }, view, { buffer: slots.keys }, { buffer: slots.params }]));
    for (const segment of segments) {
      pass.setBindGroup(1, segment.read);
      dispatch(pass, segment.tiles);
    }
  } else {
    pass.setBindGroup(0, bindGroup(device, pipelines, 'palette', [{ buffer: palette }, { buffer: slots.table }, { buffer: slots.keys }, { buffer: slots.params }]));
    for (const segment of segments) {
      const out = { buffer: target.buffer, offset: 4 * (segment.firstPixel - target.firstPixel), size: 4 * segment.pixelCount };
      pass.setBindGroup(1, bindGroup(device, pipelines, 'segmentWrite', [{ buffer: segment.params }, { buffer: segment.pixels }, out]));
      dispatch(pass, segment.tiles);
    }
  }
  pass.end();
}

/** Every pixel's label (-1 where left out), one segment at a time through a buffer no larger than a segment's. */
export async function readPixelLabels(
  device: GPUDevice,
  allocator: BufferAllocator,
  pipeline: GPUComputePipeline,
  pipelines: EnginePipelines,
  slots: TableSlots,
  image: GpuImage,
  dispatch: Dispatch,
  map: (buffer: GPUBuffer, bytes: number) => Promise<void>,
  traffic: GpuTraffic,
): Promise<Int32Array> {
  const labels = new Int32Array(image.pixelCount);
  const largest = 4 * Math.max(...image.segments.map((s) => s.pixelCount));
  const { STORAGE, COPY_SRC, MAP_READ, COPY_DST } = GPUBufferUsage;
  const out = allocator.create('pixel labels', largest, STORAGE | COPY_SRC);
  const staging = allocator.create('pixel labels readback', largest, MAP_READ | COPY_DST);
  try {
    const lut = bindGroup(device, pipelines, 'lutRead', [{ buffer: slots.table }, { buffer: slots.keys }, { buffer: slots.params }]);
    for (const segment of image.segments) {
      const bytes = 4 * segment.pixelCount;
      const encoder = device.createCommandEncoder({ label: 'palette-extractor pixel labels' });
      const pass = encoder.beginComputePass({ label: 'palette-extractor pixel labels pass' });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, lut);
      pass.setBindGroup(1, bindGroup(device, pipelines, 'segmentWrite', [{ buffer: segment.params }, { buffer: segment.pixels }, { buffer: out, size: Math.ceil(bytes / 4) * 4 }]));
      dispatch(pass, segment.tiles);
      pass.end();
      encoder.copyBufferToBuffer(out, 0, staging, 0, bytes);
      device.queue.submit([encoder.finish()]);
      traffic.submissions++;
      await map(staging, bytes);
      labels.set(new Int32Array(staging.getMappedRange(0, bytes)), segment.firstPixel);
      staging.unmap();
      traffic.roundTrips++;
      traffic.bytesRead += bytes;
    }
  } finally {
    allocator.free(out);
    allocator.free(staging);
  }
  return labels;
}

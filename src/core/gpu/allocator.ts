/** Buffers an engine creates, labelled and tracked, so that it can free exactly what it made and say how much. */
export class BufferAllocator {
  readonly #device: GPUDevice;
  readonly #buffers = new Set<GPUBuffer>();

  constructor(device: GPUDevice) {
    this.#device = device;
  }

  create(label: string, size: number, usage: GPUBufferUsageFlags): GPUBuffer {
    // Sizes are rounded to 4 bytes: writeBuffer and copies move whole words.
    const buffer = this.#device.createBuffer({ label: `palette-extractor ${label}`, size: Math.ceil(size / 4) * 4, usage });
    this.#buffers.add(buffer);
    return buffer;
  }

  /** A buffer created with `data` in it (size rounded up to 4 bytes, the tail zero). */
  createWith(label: string, data: ArrayBufferView, usage: GPUBufferUsageFlags): GPUBuffer {
    const buffer = this.create(label, data.byteLength, usage | GPUBufferUsage.COPY_DST);
    this.#device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  free(buffer: GPUBuffer): void {
    if (this.#buffers.delete(buffer)) buffer.destroy();
  }

  freeAll(): void {
    for (const buffer of this.#buffers) buffer.destroy();
    this.#buffers.clear();
  }

  /** Bytes held by the live buffers. */
  get bytes(): number {
    let total = 0;
    for (const buffer of this.#buffers) total += buffer.size;
    return total;
  }

  get count(): number {
    return this.#buffers.size;
  }
}

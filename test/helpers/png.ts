/**
 * Real PNG files of one colour at any size, encoded by streaming rows through zlib (a 16384×16384 PNG is a few
 * hundred kilobytes and never sits in memory as pixels).
 */
import { crc32, createDeflate } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** A valid RGBA PNG of `width × height` pixels, all `rgba`. */
export async function solidPng(width: number, height: number, rgba: [number, number, number, number]): Promise<Buffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, adaptive filtering, not interlaced
  // Filter "Sub": the first pixel as it is, every other byte 0 (the same as its left neighbour).
  const row = Buffer.alloc(1 + 4 * width);
  row[0] = 1;
  row.set(rgba, 1);
  const deflate = createDeflate({ level: 6 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((ok, fail) => {
    deflate.on('end', ok);
    deflate.on('error', fail);
  });
  for (let y = 0; y < height; y++) {
    if (!deflate.write(row)) await new Promise((ok) => deflate.once('drain', ok));
  }
  deflate.end();
  await done;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', Buffer.concat(parts)), chunk('IEND', Buffer.alloc(0))]);
}

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { decodedBytes, readDeclaredSize } from '../../src/image/header.js';

const samples = resolve(import.meta.dirname, '../../public/samples');

describe('readDeclaredSize', () => {
  it.each([
    ['chelsea.png', 'png', 451, 300],
    ['coffee.png', 'png', 600, 400],
    ['rocket.jpg', 'jpeg', 640, 427],
    ['retina.jpg', 'jpeg', 1411, 1411],
  ])('reads the size %s declares as its decoder sees it', (file, format, width, height) => {
    const bytes = new Uint8Array(readFileSync(resolve(samples, file)));
    expect(readDeclaredSize(bytes)).toEqual({ format, width, height });
  });

  it('reads a PNG and a JPEG encoded here at odd sizes', () => {
    const png = new PNG({ width: 37, height: 5 });
    png.data.fill(200);
    expect(readDeclaredSize(new Uint8Array(PNG.sync.write(png)))).toEqual({ format: 'png', width: 37, height: 5 });
    const data = Buffer.alloc(4 * 13 * 71, 128);
    const jpg = jpeg.encode({ data, width: 13, height: 71 }, 80).data;
    expect(readDeclaredSize(new Uint8Array(jpg))).toEqual({ format: 'jpeg', width: 13, height: 71 });
  });

  it('reads GIF and WebP headers', () => {
    const gif = new Uint8Array([...'GIF89a'].map((c) => c.charCodeAt(0)).concat([0x30, 0x75, 0x10, 0x27]));
    expect(readDeclaredSize(gif)).toEqual({ format: 'gif', width: 30000, height: 10000 });
    const vp8x = new Uint8Array(30);
    vp8x.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0);
    vp8x.set([...'WEBPVP8X'].map((c) => c.charCodeAt(0)), 8);
    vp8x.set([0x2f, 0x75, 0x00, 0x0f, 0x27, 0x00], 24); // 30000 − 1, 10000 − 1, little-endian 24-bit
    expect(readDeclaredSize(vp8x)).toEqual({ format: 'webp', width: 30000, height: 10000 });
  });

  it('returns null for bytes that are not a known image', () => {
    expect(readDeclaredSize(new TextEncoder().encode('not an image at all, just text'))).toBeNull();
    expect(readDeclaredSize(new Uint8Array([0xff, 0xd8, 0xff]))).toBeNull();
    expect(readDeclaredSize(new Uint8Array())).toBeNull();
  });
});

const bytes = (...parts: (number[] | string | Uint8Array)[]): Uint8Array =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : [...p])));
const le16 = (v: number) => [v & 255, v >> 8];
const le32 = (v: number) => [v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255];
const be32 = (v: number) => le32(v).reverse();

/** GIF blocks, by the GIF89a specification. */
const gif = {
  /** Header and logical screen descriptor, with a global colour table of 2^(bits) entries when bits > 0. */
  screen: (width: number, height: number, bits = 0) =>
    bytes('GIF89a', le16(width), le16(height), [bits ? 0x80 | (bits - 1) : 0, 0, 0], new Array(bits ? 3 * 2 ** bits : 0).fill(7)),
  /** A graphic control extension and a NETSCAPE looping extension: blocks to skip. */
  extensions: () =>
    bytes([0x21, 0xf9, 4, 0, 10, 0, 0, 0], [0x21, 0xff, 11], 'NETSCAPE2.0', [3, 1, 0, 0, 0]),
  /** An image descriptor, an optional local colour table, and LZW data in sub-blocks (filler bytes, not decodable). */
  frame: (left: number, top: number, width: number, height: number, localBits = 0, dataBytes = 300) => {
    const data: number[] = [2];
    for (let rest = dataBytes; rest > 0; rest -= 255) data.push(Math.min(255, rest), ...new Array(Math.min(255, rest)).fill(0x2c));
    data.push(0);
    const packed = localBits ? 0x80 | (localBits - 1) : 0;
    return bytes([0x2c], le16(left), le16(top), le16(width), le16(height), [packed], new Array(localBits ? 3 * 2 ** localBits : 0).fill(0x2c), data);
  },
  trailer: () => bytes([0x3b]),
};

describe('readDeclaredSize on GIF frames', () => {
  it.each([
    ['a 1×1 screen with a 20000×20000 frame', [gif.screen(1, 1), gif.frame(0, 0, 20000, 20000)], 20000, 20000],
    ['a frame with a local colour table, after extensions', [gif.screen(1, 1, 8), gif.extensions(), gif.frame(0, 0, 20000, 300, 8)], 20000, 300],
    ['a frame placed far outside a small screen', [gif.screen(10, 10), gif.frame(30000, 5, 10, 10)], 30010, 15],
    ['a large second frame after a small first one', [gif.screen(4, 4, 2), gif.frame(0, 0, 4, 4, 0, 900), gif.extensions(), gif.frame(0, 0, 5000, 6000, 1)], 5000, 6000],
    ['frames inside a larger screen', [gif.screen(640, 480, 4), gif.frame(10, 10, 20, 20), gif.frame(0, 0, 640, 480)], 640, 480],
  ])('sizes %s by the largest of the screen and every frame', (_, parts, width, height) => {
    const file = bytes(...parts, gif.trailer());
    expect(readDeclaredSize(file)).toEqual({ format: 'gif', width, height });
  });

  it('keeps the sizes read so far when the bytes end inside a frame', () => {
    const file = bytes(gif.screen(2, 2), gif.frame(0, 0, 9000, 8000, 0, 5000));
    expect(readDeclaredSize(file.subarray(0, 500))).toEqual({ format: 'gif', width: 9000, height: 8000 });
    expect(readDeclaredSize(file.subarray(0, 20))).toEqual({ format: 'gif', width: 2, height: 2 });
  });
});

/** A BMP file header (14 bytes) and a DIB header of `size` bytes (only the fields read here filled in). */
function bmpFile(dibSize: number, width: number, height: number): Uint8Array {
  const dib =
    dibSize === 12
      ? [...le32(12), ...le16(width), ...le16(height), ...le16(1), ...le16(24)]
      : [...le32(dibSize), ...le32(width), ...le32(height), ...le16(1), ...le16(8), ...new Array(dibSize - 16).fill(0)];
  return bytes('BM', le32(14 + dib.length), le32(0), le32(14 + dib.length), dib);
}

describe('readDeclaredSize on BMP and ICO', () => {
  it.each([
    ['BITMAPINFOHEADER', 40, 20000, 20000, 20000],
    ['BITMAPINFOHEADER, top-down (negative height)', 40, 300, -200, 200],
    ['BITMAPV4HEADER', 108, 1234, 567, 567],
    ['BITMAPV5HEADER', 124, 16384, 16384, 16384],
    ['the OS/2 core header (16-bit sizes)', 12, 640, 480, 480],
    ['the OS/2 2.x header', 64, 9000, 7000, 7000],
  ])('reads %s', (_, dib, width, height, expectedHeight) => {
    expect(readDeclaredSize(bmpFile(dib, width, height))).toEqual({ format: 'bmp', width, height: expectedHeight });
  });

  it('reads an ICO by the largest size its entries declare, a PNG entry by its own header', () => {
    const png = new PNG({ width: 3000, height: 20 });
    const pngEntry = new Uint8Array(PNG.sync.write(png, { deflateLevel: 1 })).subarray(0, 40);
    const bmpEntry = bmpFile(40, 32, 64).subarray(14); // an ICO's BMP: no file header, height doubled (AND mask)
    const dir = (w: number, h: number, size: number, offset: number) => [w, h, 0, 0, ...le16(1), ...le16(32), ...le32(size), ...le32(offset)];
    const offset = 6 + 2 * 16;
    const file = bytes(le16(0), le16(1), le16(2), dir(32, 32, bmpEntry.length, offset), dir(0, 0, pngEntry.length, offset + bmpEntry.length), bmpEntry, pngEntry);
    expect(readDeclaredSize(file)).toEqual({ format: 'ico', width: 3000, height: 32 });
  });
});

/** An ISO-BMFF box: size, type, content. */
const box = (type: string, ...content: (number[] | Uint8Array)[]) => {
  const body = bytes(...content);
  return bytes(be32(8 + body.length), type, body);
};
const fullBox = (type: string, ...content: (number[] | Uint8Array)[]) => box(type, [0, 0, 0, 0], ...content);

describe('readDeclaredSize on AVIF', () => {
  it('reads the largest image spatial extents of an AVIF', () => {
    const ispe = (w: number, h: number) => fullBox('ispe', be32(w), be32(h));
    const file = bytes(
      box('ftyp', bytes('avif'), be32(0), bytes('avifmif1miaf')),
      fullBox('meta', fullBox('hdlr', new Array(20).fill(0)), box('iprp', box('ipco', ispe(512, 512), box('pixi', [0, 0, 0, 0, 3, 8, 8, 8]), ispe(24000, 18000)))),
      box('mdat', new Array(64).fill(0x69)),
    );
    expect(readDeclaredSize(file)).toEqual({ format: 'avif', width: 24000, height: 18000 });
  });

  it('returns null for an ISO-BMFF file that is not an image (an MP4)', () => {
    expect(readDeclaredSize(bytes(box('ftyp', bytes('isom'), be32(0), bytes('isomavc1')), box('moov')))).toBeNull();
  });
});

describe('decodedBytes', () => {
  it('counts four bytes a pixel', () => {
    expect(decodedBytes({ width: 20000, height: 20000 })).toBe(1.6e9);
    expect(decodedBytes({ width: 1, height: 1 })).toBe(4);
  });
});

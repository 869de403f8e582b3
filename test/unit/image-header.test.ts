import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { readDeclaredSize } from '../../src/image/header.js';

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

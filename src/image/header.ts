/**
 * The size an encoded image declares in its header, read before decoding: a 30000 × 30000 PNG is a few hundred bytes
 * that would ask the decoder for 3.6 GB, so it is refused with `too-large` up front instead of failing (or worse)
 * inside the browser's decoder. PNG, JPEG, GIF and WebP; anything else is left to the decoder.
 */

/** Chromium's limit on a canvas's area (2^28 pixels): past it, an image could not be drawn to read its pixels. */
export const MAX_IMAGE_PIXELS = 2 ** 28;

/** Bytes read from the start of a file: enough for the JPEG frame header after a large EXIF block. */
export const HEADER_BYTES = 256 * 1024;

export interface DeclaredSize {
  format: 'png' | 'jpeg' | 'gif' | 'webp';
  width: number;
  height: number;
}

const be16 = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const le16 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const be32 = (b: Uint8Array, i: number) => be16(b, i) * 65536 + be16(b, i + 2);
const le24 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const ascii = (b: Uint8Array, i: number, n: number) => String.fromCharCode(...b.subarray(i, i + n));

function png(b: Uint8Array): DeclaredSize | null {
  if (b.length < 24 || be32(b, 0) !== 0x89504e47 || ascii(b, 12, 4) !== 'IHDR') return null;
  return { format: 'png', width: be32(b, 16), height: be32(b, 20) };
}

function jpeg(b: Uint8Array): DeclaredSize | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { format: 'jpeg', height: be16(b, i + 5), width: be16(b, i + 7) };
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image, or scan data before any frame header
    i += 2 + be16(b, i + 2);
  }
  return null;
}

function gif(b: Uint8Array): DeclaredSize | null {
  if (b.length < 10 || ascii(b, 0, 4) !== 'GIF8') return null;
  return { format: 'gif', width: le16(b, 6), height: le16(b, 8) };
}

function webp(b: Uint8Array): DeclaredSize | null {
  if (b.length < 30 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X') return { format: 'webp', width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
  if (chunk === 'VP8 ') return { format: 'webp', width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  return null;
}

/** The declared size of a PNG, JPEG, GIF or WebP from its first bytes, or null for another or unreadable format. */
export function readDeclaredSize(bytes: Uint8Array): DeclaredSize | null {
  return png(bytes) ?? jpeg(bytes) ?? gif(bytes) ?? webp(bytes);
}

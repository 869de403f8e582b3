/**
 * The size an encoded image declares in its header, read before decoding: a 30000 × 30000 PNG is a few hundred bytes
 * that would ask the decoder for 3.6 GB, so it is refused with `too-large` up front instead of failing (or worse)
 * inside the browser's decoder. PNG, JPEG, GIF (screen and every frame in the bytes read), WebP, BMP, ICO/CUR and
 * AVIF/HEIF; anything else is left to the decoder.
 */

/** Chromium's limit on a canvas's area (2^28 pixels): past it, an image could not be drawn to read its pixels. */
export const MAX_IMAGE_PIXELS = 2 ** 28;

/** Bytes read from the start of a file: enough for the JPEG frame header after a large EXIF block. */
export const HEADER_BYTES = 256 * 1024;

export interface DeclaredSize {
  format: 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'ico' | 'avif' | 'heif';
  width: number;
  height: number;
}

/** Bytes a decoder needs for the pixels of an image of this size (RGBA, 4 bytes a pixel), before any copy. */
export function decodedBytes(size: { width: number; height: number }): number {
  return 4 * size.width * size.height;
}

const be16 = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const le16 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const be32 = (b: Uint8Array, i: number) => be16(b, i) * 65536 + be16(b, i + 2);
const le24 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const le32 = (b: Uint8Array, i: number) => le16(b, i) + le16(b, i + 2) * 65536;
const sle32 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
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

/**
 * A GIF's size: its logical screen, grown to hold every frame found in the bytes. A frame may lie outside the screen
 * (a 1 × 1 screen can carry a 20000 × 20000 frame), and decoders allocate for the frame, so the frames are read too:
 * the blocks are walked (extensions and image data skipped sub-block by sub-block) until the trailer or the bytes end.
 */
function gif(b: Uint8Array): DeclaredSize | null {
  if (b.length < 10 || ascii(b, 0, 4) !== 'GIF8') return null;
  let width = le16(b, 6);
  let height = le16(b, 8);
  const colourTable = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
  /** The index after the sub-blocks starting at i (each a length byte and that many bytes, ended by a 0). */
  const skipSubBlocks = (i: number): number => {
    while (i < b.length && b[i] !== 0) i += 1 + b[i]!;
    return i + 1;
  };
  let i = 13 + (b.length > 10 ? colourTable(b[10]!) : 0);
  while (i < b.length) {
    const block = b[i]!;
    if (block === 0x21) i = skipSubBlocks(i + 2); // extension: introducer, label, sub-blocks
    else if (block === 0x2c && i + 10 <= b.length) {
      width = Math.max(width, le16(b, i + 1) + le16(b, i + 5));
      height = Math.max(height, le16(b, i + 3) + le16(b, i + 7));
      // Descriptor (10 bytes), local colour table, LZW minimum code size (1 byte), image data sub-blocks.
      i = skipSubBlocks(i + 10 + colourTable(b[i + 9]!) + 1);
    } else break; // the trailer (0x3b), a truncated descriptor, or bytes that are not a block
  }
  return { format: 'gif', width, height };
}

/**
 * A BMP's size from its DIB header: the OS/2 core header (12 bytes, 16-bit sizes) or BITMAPINFOHEADER and its
 * successors (32-bit signed sizes; a negative height means rows stored top-down). `at` is where the DIB header starts:
 * 14 in a .bmp file, 0 inside an ICO.
 */
function dibSize(b: Uint8Array, at: number): { width: number; height: number } | null {
  if (b.length < at + 12) return null;
  const size = le32(b, at);
  if (size === 12) return { width: le16(b, at + 4), height: le16(b, at + 6) };
  if (size < 16) return null;
  return { width: Math.abs(sle32(b, at + 4)), height: Math.abs(sle32(b, at + 8)) };
}

function bmp(b: Uint8Array): DeclaredSize | null {
  if (b.length < 26 || ascii(b, 0, 2) !== 'BM') return null;
  const size = dibSize(b, 14);
  return size && { format: 'bmp', ...size };
}

/**
 * An ICO or CUR: the largest of its entries. Each entry is a PNG or a headerless BMP whose own header says its size
 * (the directory's one-byte sizes cannot say more than 256, and a PNG entry may declare far more); an entry whose
 * data lies past the bytes read counts at its directory size. A BMP entry's height covers its AND mask too: halved.
 */
function ico(b: Uint8Array): DeclaredSize | null {
  if (b.length < 6 || le16(b, 0) !== 0 || (le16(b, 2) !== 1 && le16(b, 2) !== 2)) return null;
  const count = le16(b, 4);
  if (count === 0 || b.length < 6 + 16 * count) return null;
  let width = 0;
  let height = 0;
  for (let e = 0; e < count; e++) {
    const entry = 6 + 16 * e;
    if (b[entry + 3] !== 0) return null; // the reserved byte of a directory entry
    let w = b[entry]! || 256;
    let h = b[entry + 1]! || 256;
    const offset = le32(b, entry + 12);
    const inner = png(b.subarray(offset)) ?? dibSize(b, offset);
    if (inner) {
      w = inner.width;
      h = 'format' in inner ? inner.height : Math.ceil(inner.height / 2);
    }
    width = Math.max(width, w);
    height = Math.max(height, h);
  }
  return { format: 'ico', width, height };
}

/** The boxes of an ISO-BMFF stretch `from .. to`: type and where each box's content starts and ends. */
function* boxes(b: Uint8Array, from: number, to: number): Generator<{ type: string; start: number; end: number }> {
  let i = from;
  while (i + 8 <= to) {
    let size = be32(b, i);
    let header = 8;
    if (size === 1) {
      if (i + 16 > to) return;
      size = be32(b, i + 8) * 2 ** 32 + be32(b, i + 12);
      header = 16;
    } else if (size === 0) size = to - i; // to the end
    if (size < header) return;
    yield { type: ascii(b, i + 4, 4), start: i + header, end: Math.min(i + size, to) };
    i += size;
  }
}

/**
 * AVIF (and HEIF): the largest `ispe` (image spatial extents) property of `meta/iprp/ipco`, which every image item
 * must have: the primary image, its alpha plane, and each tile of a grid, whose output size is at least the largest
 * of them.
 */
function avif(b: Uint8Array): DeclaredSize | null {
  if (b.length < 16 || ascii(b, 4, 4) !== 'ftyp') return null;
  const ftypEnd = Math.min(be32(b, 0), b.length);
  const brands = [ascii(b, 8, 4)];
  for (let i = 16; i + 4 <= ftypEnd; i += 4) brands.push(ascii(b, i, 4));
  const format = brands.some((x) => x === 'avif' || x === 'avis') ? 'avif' : brands.some((x) => ['heic', 'heix', 'mif1', 'msf1'].includes(x)) ? 'heif' : null;
  if (format === null) return null;
  let width = 0;
  let height = 0;
  const child = (parent: { start: number; end: number }, type: string, skip = 0) =>
    [...boxes(b, parent.start + skip, parent.end)].filter((box) => box.type === type);
  for (const meta of child({ start: 0, end: b.length }, 'meta')) {
    for (const iprp of child(meta, 'iprp', 4)) {
      for (const ipco of child(iprp, 'ipco')) {
        for (const ispe of child(ipco, 'ispe')) {
          if (ispe.start + 12 > ispe.end) continue;
          width = Math.max(width, be32(b, ispe.start + 4));
          height = Math.max(height, be32(b, ispe.start + 8));
        }
      }
    }
  }
  return width > 0 && height > 0 ? { format, width, height } : null;
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

/**
 * The declared size of a PNG, JPEG, GIF, WebP, BMP, ICO/CUR or AVIF/HEIF from its first bytes (`HEADER_BYTES` of
 * them), or null for another or unreadable format.
 */
export function readDeclaredSize(bytes: Uint8Array): DeclaredSize | null {
  return png(bytes) ?? jpeg(bytes) ?? gif(bytes) ?? webp(bytes) ?? bmp(bytes) ?? avif(bytes) ?? ico(bytes);
}

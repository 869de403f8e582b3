/**
 * Adobe Swatch Exchange (`.ase`), read by Photoshop, Illustrator, InDesign, Affinity and Procreate. Layout, big-endian
 * throughout: 'ASEF', version 1.0 (two uint16), a uint32 block count, then blocks. A colour block is type 0x0001, a
 * uint32 length of what follows, the name as a uint16 count of UTF-16 code units (with the NUL) and the UTF-16BE
 * name ending in NUL, the model as four ASCII bytes ('RGB '), three float32 channels 0..1, and a uint16 colour type
 * (0 global, 1 spot, 2 normal). Colours are written ungrouped: every reader takes that.
 */
import { InvalidOptionError } from '../core/errors.js';

export interface AseSwatch {
  name: string;
  rgb: readonly [number, number, number];
}

const COLOR_BLOCK = 0x0001;
const NORMAL = 2;

export function encodeAse(swatches: readonly AseSwatch[]): Uint8Array {
  const names = swatches.map(({ name }) => {
    if (name.length > 0xfffe) throw new InvalidOptionError('An .ase colour name is at most 65,534 UTF-16 units.');
    return name;
  });
  // Per block: type 2 + length 4 + name count 2 + name (n + 1) × 2 + model 4 + RGB 12 + colour type 2.
  const blockBody = (name: string) => 2 + (name.length + 1) * 2 + 4 + 12 + 2;
  const total = 12 + names.reduce((s, n) => s + 6 + blockBody(n), 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  let at = 0;
  const u16 = (v: number) => (view.setUint16(at, v), (at += 2));
  const ascii = (s: string) => {
    for (let i = 0; i < s.length; i++) bytes[at++] = s.charCodeAt(i);
  };
  ascii('ASEF');
  u16(1);
  u16(0);
  view.setUint32(at, swatches.length);
  at += 4;
  swatches.forEach(({ rgb }, i) => {
    const name = names[i]!;
    u16(COLOR_BLOCK);
    view.setUint32(at, blockBody(name));
    at += 4;
    u16(name.length + 1);
    for (let c = 0; c < name.length; c++) u16(name.charCodeAt(c));
    u16(0);
    ascii('RGB ');
    for (const v of rgb) {
      view.setFloat32(at, v / 255);
      at += 4;
    }
    u16(NORMAL);
  });
  return bytes;
}

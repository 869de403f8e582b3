/**
 * A strict reader of Adobe Swatch Exchange files for tests: checks the signature, the version, that every block's
 * stated length is exactly what its content takes, and that the header's block count is the number of blocks.
 */
export interface AseColor {
  name: string;
  model: 'RGB' | 'CMYK' | 'LAB' | 'Gray';
  values: number[];
  type: 'global' | 'spot' | 'normal';
}

export interface AseFile {
  version: [number, number];
  blocks: number;
  colors: AseColor[];
  groups: string[];
}

const CHANNELS = { 'RGB ': 3, CMYK: 4, 'LAB ': 3, Gray: 1 } as const;
const TYPES = ['global', 'spot', 'normal'] as const;

export function readAse(bytes: Uint8Array): AseFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = (at: number, n: number) => String.fromCharCode(...bytes.subarray(at, at + n));
  if (ascii(0, 4) !== 'ASEF') throw new Error('no ASEF signature');
  const version: [number, number] = [view.getUint16(4), view.getUint16(6)];
  const count = view.getUint32(8);
  const colors: AseColor[] = [];
  const groups: string[] = [];
  let at = 12;
  let blocks = 0;
  const readName = (): string => {
    const units = view.getUint16(at);
    at += 2;
    if (units === 0) throw new Error('a name needs at least its NUL');
    let name = '';
    for (let i = 0; i < units - 1; i++) name += String.fromCharCode(view.getUint16(at + 2 * i));
    if (view.getUint16(at + 2 * (units - 1)) !== 0) throw new Error(`name ${JSON.stringify(name)} not NUL-terminated`);
    at += 2 * units;
    return name;
  };
  while (at < bytes.length) {
    const type = view.getUint16(at);
    const length = view.getUint32(at + 2);
    at += 6;
    const end = at + length;
    if (end > bytes.length) throw new Error(`block ${blocks} runs past the end`);
    if (type === 0x0001) {
      const name = readName();
      const model = ascii(at, 4) as keyof typeof CHANNELS;
      at += 4;
      const n = CHANNELS[model];
      if (!n) throw new Error(`unknown colour model ${JSON.stringify(model)}`);
      const values = Array.from({ length: n }, (_, i) => view.getFloat32(at + 4 * i));
      at += 4 * n;
      const colorType = TYPES[view.getUint16(at)];
      at += 2;
      if (!colorType) throw new Error('unknown colour type');
      colors.push({ name, model: model.trim() as AseColor['model'], values, type: colorType });
    } else if (type === 0xc001) {
      groups.push(readName());
    } else if (type !== 0xc002) {
      throw new Error(`unknown block type 0x${type.toString(16)}`);
    }
    if (at !== end) throw new Error(`block ${blocks} states ${length} bytes but holds ${length + at - end}`);
    blocks++;
  }
  if (blocks !== count) throw new Error(`the header counts ${count} blocks, the file has ${blocks}`);
  return { version, blocks, colors, groups };
}

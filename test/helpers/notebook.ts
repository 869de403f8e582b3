/**
 * The notebook's resize fixtures (test/fixtures/notebook, see its README): scikit-image 0.19.3's `resize` output
 * for two photos and two odd-sized cases, and the notebook's palette for the photos.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A copy of ../shared/fixtures/notebook (its README says how they were made). */
export const NOTEBOOK_FIXTURES = resolve(import.meta.dirname, '../fixtures/notebook');

export const NOTEBOOK_CASES = ['random-5x4-up-9x13', 'random-37x23-7x11', 'chelsea-200x200', 'rocket-200x200'] as const;

export interface NotebookCase {
  name: string;
  /** The RGB bytes as imageio reads them. */
  input: { rgb: Uint8Array; width: number; height: number };
  /** `resize`'s float64 RGB output. */
  output: { rgb: Float64Array; width: number; height: number };
  /** The notebook's palette: hex in scikit-learn's cluster order, pixels per cluster, `n_iter_`. */
  palette?: { hex: string[]; counts: number[]; nIter: number };
}

interface RawCase {
  input: { height: number; width: number; rgb_uint8_base64: string };
  output: { height: number; width: number; rgb_float64_le_base64: string };
  notebook_palette?: { hex: string[]; counts: number[]; n_iter: number };
}

export function loadNotebookCase(name: string): NotebookCase {
  const raw = JSON.parse(readFileSync(resolve(NOTEBOOK_FIXTURES, `${name}.json`), 'utf8')) as RawCase;
  const bytes = Buffer.from(raw.output.rgb_float64_le_base64, 'base64');
  const rgb = new Float64Array(bytes.length / 8);
  for (let i = 0; i < rgb.length; i++) rgb[i] = bytes.readDoubleLE(8 * i);
  const c: NotebookCase = {
    name,
    input: {
      rgb: new Uint8Array(Buffer.from(raw.input.rgb_uint8_base64, 'base64')),
      width: raw.input.width,
      height: raw.input.height,
    },
    output: { rgb, width: raw.output.width, height: raw.output.height },
  };
  if (raw.notebook_palette) {
    const { hex, counts, n_iter } = raw.notebook_palette;
    c.palette = { hex, counts, nIter: n_iter };
  }
  return c;
}

/** RGB bytes → RGBA bytes, opaque. */
export function rgbToRgba(rgb: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray((rgb.length / 3) * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    out[j] = rgb[i]!;
    out[j + 1] = rgb[i + 1]!;
    out[j + 2] = rgb[i + 2]!;
    out[j + 3] = 255;
  }
  return out;
}

/** The notebook's palette as the element reports it: largest cluster first. */
export function notebookColors(c: NotebookCase): { hex: string; count: number }[] {
  const p = c.palette!;
  return p.hex.map((hex, j) => ({ hex, count: p.counts[j]! })).sort((a, b) => b.count - a.count);
}

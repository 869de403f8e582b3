/**
 * Exports as files for download: every format as a Blob with its MIME type, and the PNG strip, drawn on a canvas from
 * the same layout as the SVG. The only file of the exports that needs a DOM (or an OffscreenCanvas in a worker).
 */
import type { PaletteColor } from '../core/types.js';
import {
  EXPORT_FORMATS,
  exportPalette,
  type ExportFormat,
  type ExportOptions,
} from './export-formats.js';
import { paletteStripLayout, type StripLayout, type StripOptions } from './palette-strip.js';

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

const FONT = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

/** Paints a strip layout at the context's origin, in its pixels. */
export function drawPaletteStrip(context: Context2D, layout: StripLayout): void {
  context.font = `${layout.fontSize}px ${FONT}`;
  context.textAlign = 'center';
  context.textBaseline = 'alphabetic';
  for (const { x, y, width, height, color, label } of layout.swatches) {
    context.fillStyle = color.hex;
    context.fillRect(x, y, width, height);
    if (label) {
      context.fillStyle = label.color;
      context.fillText(label.text, label.x, label.y);
    }
  }
}

/** The palette as a PNG strip, drawn on an OffscreenCanvas where there is one (workers too), else on a canvas. */
export async function paletteStripPng(colors: readonly PaletteColor[], options: StripOptions = {}): Promise<Blob> {
  const layout = paletteStripLayout(colors, options);
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(layout.width, layout.height);
    drawPaletteStrip(canvas.getContext('2d')!, layout);
    return canvas.convertToBlob({ type: 'image/png' });
  }
  const canvas = document.createElement('canvas');
  canvas.width = layout.width;
  canvas.height = layout.height;
  drawPaletteStrip(canvas.getContext('2d')!, layout);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The canvas gave no PNG.'))), 'image/png'),
  );
}

/** Any export as a Blob of its MIME type, ready for a download (`exportFileName` gives its name). */
export async function exportPaletteBlob(
  colors: readonly PaletteColor[],
  format: ExportFormat,
  options: ExportOptions = {},
): Promise<Blob> {
  if (format === 'png') return paletteStripPng(colors, options.strip);
  const data = exportPalette(colors, format, options);
  // A copy keeps the Blob's part an ArrayBuffer-backed view whatever buffer type the bytes came in.
  return new Blob([typeof data === 'string' ? data : new Uint8Array(data)], { type: EXPORT_FORMATS[format].mime });
}

/** Offers a Blob as a file download. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * scikit-image 0.19.3's `resize`, written the plain way, as the notebook runs it: the whole image to float, the
 * Gaussian along axis 0 over every pixel, then along axis 1 over every pixel (`correlate1d`'s symmetric branch,
 * mirror mode), then the zoom (scipy's aligned-centre linear interpolation, its order of additions), then `clip` to
 * the whole input's range (colours together, a fourth channel apart). No shortcut of the core's: it filters pixels
 * the zoom never reads, keeps alpha even when it is one value, and scans every pixel for the range. The core's
 * resampler must give these bits exactly.
 */
import { gaussianKernel, type ByteImage, type FloatImage } from '../../src/core/resample.js';

function mirrorIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n - 2;
  const m = ((i % period) + period) % period;
  return m >= n ? period - m : m;
}

/** scipy's `map_coordinate` for mode `mirror`. */
function mirrorCoordinate(c: number, n: number): number {
  if (n === 1) return 0;
  const sz2 = 2 * n - 2;
  if (c < 0) {
    c = sz2 * Math.trunc(-c / sz2) + c;
    return c <= 1 - n ? c + sz2 : -c;
  }
  if (c > n - 1) {
    c -= sz2 * Math.trunc(c / sz2);
    return c >= n ? sz2 - c : c;
  }
  return c;
}

/** Filters `values` (h × w × channels) along one axis with `kernel`, every pixel. */
function correlate(values: Float64Array, h: number, w: number, channels: number, axis: 0 | 1, kernel: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  const radius = (kernel.length - 1) / 2;
  const n = axis === 0 ? h : w;
  const at = (y: number, x: number, ch: number) => values[(y * w + x) * channels + ch]!;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let ch = 0; ch < channels; ch++) {
        const i = axis === 0 ? y : x;
        const read = (j: number) => (axis === 0 ? at(mirrorIndex(j, n), x, ch) : at(y, mirrorIndex(j, n), ch));
        let v = read(i) * kernel[radius]!;
        for (let d = radius; d >= 1; d--) v += (read(i - d) + read(i + d)) * kernel[radius - d]!;
        out[(y * w + x) * channels + ch] = v;
      }
    }
  }
  return out;
}

export function referenceResize(image: ByteImage, width: number, height: number): FloatImage {
  const channels = image.channels ?? 4;
  const { width: w, height: h } = image;
  const scale = 1 / 255;
  let values: Float64Array = Float64Array.from(image.data, (b) => b * scale);
  const fy = h / height;
  const fx = w / width;
  if (height < h || width < w) {
    const sy = Math.max(0, (fy - 1) / 2);
    const sx = Math.max(0, (fx - 1) / 2);
    if (sy > 1e-15) values = correlate(values, h, w, channels, 0, gaussianKernel(sy));
    if (sx > 1e-15) values = correlate(values, h, w, channels, 1, gaussianKernel(sx));
  }
  const taps = (k: number, factor: number, n: number) => {
    const c = mirrorCoordinate((k + 0.5) * factor - 0.5, n);
    const start = Math.floor(c);
    const w0 = 1 - (c - start);
    return { i0: mirrorIndex(start, n), i1: mirrorIndex(start + 1, n), w0, w1: 1 - w0 };
  };
  // The range per group: colours (the first three channels) together, each further channel apart.
  const group = (ch: number) => Math.max(0, ch - 2);
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (let i = 0; i < image.data.length; i++) {
    const g = group(i % channels);
    const v = image.data[i]! * scale;
    lo[g] = Math.min(lo[g]!, v);
    hi[g] = Math.max(hi[g]!, v);
  }
  const out = new Float64Array(width * height * channels);
  for (let oy = 0; oy < height; oy++) {
    const ty = taps(oy, fy, h);
    for (let ox = 0; ox < width; ox++) {
      const tx = taps(ox, fx, w);
      for (let ch = 0; ch < channels; ch++) {
        const v = (y: number, x: number) => values[(y * w + x) * channels + ch]!;
        let t = 0;
        t += v(ty.i0, tx.i0) * ty.w0 * tx.w0;
        t += v(ty.i0, tx.i1) * ty.w0 * tx.w1;
        t += v(ty.i1, tx.i0) * ty.w1 * tx.w0;
        t += v(ty.i1, tx.i1) * ty.w1 * tx.w1;
        const g = group(ch);
        out[(oy * width + ox) * channels + ch] = Math.min(hi[g]!, Math.max(lo[g]!, t));
      }
    }
  }
  return { data: out, width, height, channels };
}

/**
 * Resample section: the core resampler (scikit-image's `resize`, `src/core/resample.ts`) making the element's sample,
 * from a 24 MP photo-sized image and from a sample photo, beside SciPy doing the same resize (the notebook's way:
 * `gaussian_filter` over the whole image, then `zoom`) when Python has it, and, on the small photo, beside the same
 * resize done plainly in TypeScript over the whole image (`test/helpers/resample-reference.ts`, the tests' oracle: same
 * output bits; at 24 MP it would take minutes). The resampler before issue 11 took 1.17 s (24 MP → 200×200) here;
 * docs/PERFORMANCE.md keeps that table.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PNG } from 'pngjs';
import { resizeImage, type ByteImage, type FloatImage } from '../src/core/resample.js';
import { referenceResize } from '../test/helpers/resample-reference.js';
import { sampleDimensions } from '../src/image/sample-size.js';
import { kernelsNote, median, time, type BenchReport, type BenchRow } from './report.js';

/** A deterministic 6000 × 4000 RGBA image: smooth regions and noise (the resampler's cost does not depend on content). */
function photoSized(width: number, height: number, alpha: 'opaque' | 'varying'): ByteImage {
  const data = new Uint8ClampedArray(width * height * 4);
  let state = 0x9e3779b1;
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 4) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      const noise = ((state >>> 0) & 15) - 8;
      data[o] = (x * 255) / width + noise;
      data[o + 1] = (y * 255) / height + noise;
      data[o + 2] = 128 + noise * 4;
      data[o + 3] = alpha === 'opaque' ? 255 : 128 + (x & 127);
    }
  }
  return { data, width, height };
}

const SCIPY_SNIPPET = `
import sys, time, numpy as np, scipy, scipy.ndimage as ndi
h, w, oh, ow, repeats = map(int, sys.argv[1:6])
img = np.frombuffer(sys.stdin.buffer.read(), dtype=np.uint8).reshape(h, w, 4)[:, :, :3]
times = []
for _ in range(repeats):
    t = time.perf_counter()
    x = img * (1 / 255)
    f = np.array([h / oh, w / ow, 1.0])
    s = np.maximum(0, (f - 1) / 2)
    out = ndi.zoom(ndi.gaussian_filter(x, s, mode='mirror', truncate=4.0), 1 / f, order=1, mode='mirror', grid_mode=True)
    np.clip(out, x.min(), x.max(), out=out)
    times.append((time.perf_counter() - t) * 1000)
print(sorted(times)[len(times) // 2], scipy.__version__)
`;

function scipyRow(name: string, image: ByteImage, width: number, height: number, repeats: number): BenchRow {
  const r = spawnSync('python3', ['-c', SCIPY_SNIPPET, String(image.height), String(image.width), String(height), String(width), String(repeats)], {
    input: image.data,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) return { name, note: `skipped: ${r.stderr.trim().split('\n').at(-1) ?? 'python3 with scipy not found'}` };
  const [ms, version] = r.stdout.trim().split(' ');
  return { name, ms: Number(ms), note: `SciPy ${version}: the whole image filtered` };
}

export async function resampleSection(report: BenchReport, root: string): Promise<void> {
  const repeats = report.flags.quick ? 3 : 7;
  const rows: BenchRow[] = [];
  type Resize = (image: ByteImage, width: number, height: number) => FloatImage;
  const measure = async (name: string, image: ByteImage, width: number, height: number, resize: Resize = resizeImage) => {
    // CPU time beside the wall time: on a machine shared with other jobs, the wall time also counts their share.
    const cpu: number[] = [];
    const samples = await time(() => {
      const before = process.cpuUsage();
      resize(image, width, height);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
    }, repeats);
    const extra = { from: `${image.width}×${image.height}`, to: `${width}×${height}`, 'cpu ms': Math.round(median(cpu.slice(-repeats))) };
    rows.push({ name, ms: median(samples), samples, extra });
  };

  const big = photoSized(6000, 4000, 'opaque');
  const fit = sampleDimensions({ kind: 'fit', size: 200 }, big.width, big.height);
  const varying = photoSized(6000, 4000, 'varying');
  await measure('24 MP → 200×200 (the notebook)', big, 200, 200);
  await measure('24 MP → fit 200 (the default)', big, fit.width, fit.height);
  await measure('24 MP with varying alpha → 200×200', varying, 200, 200);
  rows.push(scipyRow('24 MP → 200×200, SciPy', big, 200, 200, 1));

  const png = PNG.sync.read(readFileSync(resolve(root, 'public/samples/chelsea.png')));
  const chelsea = { data: png.data, width: png.width, height: png.height };
  await measure('chelsea 451×300 → 200×200', chelsea, 200, 200);
  await measure('chelsea → 200×200, plain whole-image resize (the tests\' oracle)', chelsea, 200, 200, referenceResize);
  rows.push(scipyRow('chelsea → 200×200, SciPy', chelsea, 200, 200, repeats));

  report.add({
    name: 'resample: scikit-image resize (Gaussian, mirror, linear), float64',
    backend: `CPU, single thread, Node, ${kernelsNote()} (the element runs the same code in its CPU worker, in slices)`,
    rows,
  });
}

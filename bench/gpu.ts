/**
 * GPU section (`npm run bench -- --node`): the WGSL engine on Dawn in Node (SwiftShader where the machine has no GPU,
 * the real GPU elsewhere), against the exact CPU engine in the same run. For 0.04, 1, 4, 12 and 24 megapixels
 * (`--quick`: the first two) at k = 5, 16 and 64: time per Lloyd iteration, time to convergence (one seeding),
 * pixels per second, the CPU/GPU time ratio, and whether the two results agreed bit for bit. The adapter is named on
 * the table.
 *
 * The images are a sample photo tiled to size, so colour statistics are a photo's at every size.
 */
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { resolve } from 'node:path';
import { PNG } from 'pngjs';
import type { BenchReport, BenchRow } from './report.js';

// The engine imports its shaders as `*.wgsl?raw` (a Vite convention); teach Node's loader the same, before the
// engine is imported, so the bench measures the sources rather than a build.
register(
  `data:text/javascript,${encodeURIComponent(`
    import { readFile } from 'node:fs/promises';
    export async function resolve(specifier, context, next) {
      if (!specifier.endsWith('.wgsl?raw')) return next(specifier, context);
      return { url: new URL(specifier, context.parentURL).href, shortCircuit: true };
    }
    export async function load(url, context, next) {
      if (!url.endsWith('.wgsl?raw')) return next(url, context);
      const text = await readFile(new URL(url.slice(0, -4)), 'utf8');
      return { format: 'module', source: 'export default ' + JSON.stringify(text), shortCircuit: true };
    }
  `)}`,
);

const MEGAPIXELS = [0.04, 1, 4, 12, 24];
const QUICK_MEGAPIXELS = [0.04, 1];
const KS = [5, 16, 64];
/** Extra iterations timed beyond the first, for the per-iteration figure. */
const TIMED_ITERATIONS = 4;

/** `width × height` pixels of `photo`, tiled. */
function tile(photo: { data: Uint8Array; width: number; height: number }, width: number, height: number) {
  const data = new Uint8ClampedArray(4 * width * height);
  for (let y = 0; y < height; y++) {
    const row = (y % photo.height) * photo.width;
    for (let x = 0; x < width; x++) {
      const s = 4 * (row + (x % photo.width));
      data.set(photo.data.subarray(s, s + 4), 4 * (y * width + x));
    }
  }
  return { data, width, height };
}

function sizeFor(megapixels: number): [number, number] {
  // 3:2 images, as cameras give; 0.04 MP is the notebook's 200 × 200.
  if (megapixels < 0.1) return [200, 200];
  const height = Math.round(Math.sqrt((megapixels * 1e6 * 2) / 3));
  return [Math.round((megapixels * 1e6) / height), height];
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

export async function gpuSection(report: BenchReport, root: string): Promise<void> {
  if (!report.flags.node) {
    report.add({ name: 'gpu', backend: 'not run', rows: [{ name: 'GPU rows', note: 'run with --node (Dawn in Node)' }] });
    return;
  }
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const core = await import('../src/core/index.js');
  const { GpuKMeans, acquireDevice, cpuPixelKMeans } = core;
  const sizes = report.flags.quick ? QUICK_MEGAPIXELS : MEGAPIXELS;
  const largest = Math.max(...sizes.map((mp) => sizeFor(mp)[0] * sizeFor(mp)[1]));
  const acquired = await acquireDevice({ gpu: create([]), requiredBytes: 4 * largest, label: 'bench device' });
  const png = PNG.sync.read(readFileSync(resolve(root, 'public/samples/chelsea.png')));
  const photo = { data: new Uint8Array(png.data), width: png.width, height: png.height };
  const rows: BenchRow[] = [];
  try {
    for (const megapixels of sizes) {
      const [width, height] = sizeFor(megapixels);
      const image = tile(photo, width, height);
      const engine = new GpuKMeans(acquired.device);
      try {
        engine.setImage(image);
        for (const k of KS) {
          const one = { k, seed: 0, nInit: 1, maxIter: 1, tol: 0 };
          await engine.run(one); // compiles the pipelines and computes the points: not part of any figure
          const [, first] = await timed(() => engine.run(one));
          const [more, longer] = await timed(() => engine.run({ ...one, maxIter: 1 + TIMED_ITERATIONS }));
          const perIteration = (longer - first) / Math.max(1, more.iterations - 1);
          const options = { k, seed: 0, nInit: 1 };
          const [onGpu, gpuMs] = await timed(() => engine.run(options));
          const [onCpu, cpuMs] = await timed(() => cpuPixelKMeans(image, options));
          const agreed =
            onGpu.iterations === onCpu.iterations &&
            onGpu.inertiaFixed === onCpu.inertiaFixed &&
            onGpu.centersFixed.every((c, i) => c === onCpu.centersFixed[i]) &&
            onGpu.labels.every((l, i) => l === onCpu.labels[i]);
          const row: BenchRow = {
            name: `${megapixels} MP (${width}×${height}) k=${k}`,
            ms: gpuMs,
            extra: {
              'ms/iter': perIteration.toFixed(1),
              iterations: onGpu.iterations,
              'Mpx/s': ((width * height) / perIteration / 1e3).toFixed(1),
              'cpu ms': cpuMs.toFixed(0),
              'cpu/gpu': (cpuMs / gpuMs).toFixed(2),
              agreed: agreed ? 'yes' : 'NO',
            },
            note: 'median ms: GPU to convergence, one seeding (CPU k-means++ and readback included)',
          };
          rows.push(row);
          console.log(`  ${row.name}: ${gpuMs.toFixed(0)} ms, ${perIteration.toFixed(1)} ms/iter, agreed ${row.extra!.agreed}`);
        }
      } finally {
        engine.destroy();
      }
    }
  } finally {
    acquired.release();
  }
  report.add({ name: 'gpu', backend: `WebGPU on Dawn in Node: ${acquired.info.text} (${acquired.info.description})`, rows });
}

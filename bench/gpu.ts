/**
 * GPU section (`npm run bench:gpu`, or `npm run bench -- --only gpu --node`): the WGSL engine on Dawn in Node
 * (SwiftShader where the machine has no GPU, the real GPU elsewhere), with the exact CPU engine on the same image in
 * the same run, so the rows compare. Imports nothing from the browser section (no Puppeteer), so it also runs from
 * the kit `scripts/gpu-kit.mjs` builds.
 *
 * Images: `photoLikeImage` (test/helpers/large-image.ts, the `large` section's images: ~1.7 M distinct colours at
 * 24 MP). Default 24 MP; `--mp 1,6` picks sizes, `--k 16` and `--ninit 1` the other axes, `--quick` is 1 MP, k = 16
 * only. For each size, k ∈ {16, 64} and nInit ∈ {1, 10}:
 * - `first run`: a fresh engine, the image uploaded, counted and listed, planned, iterated, then recoloured;
 * - `new k`: the same engine and image, another k (k + 1): the interactive re-run (colour list kept);
 * each split into phases (count & compact, plan & seeding, iterations, labels table, recolour), with submissions,
 * round trips and bytes read back per run; then the CPU path on the same image and options (`cpuPixelKMeans`, then
 * the full-size recolour the element's CPU worker does, `recolorNearest`), and whether the two agreed bit for bit
 * (centres, counts, inertia, iterations). Two ratios: `gpu/cpu`, the palette and the full-size recolour on each path
 * (the same work on both sides), and `run gpu/cpu`, the k-means alone (`run only` against `cpu ms`).
 */
import { register } from 'node:module';
import type { BenchReport, BenchRow } from './report.js';

// The engine imports its shaders as `*.wgsl?raw` (a Vite convention); teach Node's loader the same, before the
// engine is imported, so the bench measures the sources rather than a build. (A bundled bench has them inlined.)
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

const KS = [16, 64];
const N_INITS = [1, 10];

/** A comma-separated list after `flag`, else `fallback`. */
function list(argv: readonly string[], flag: string, fallback: number[]): number[] {
  const at = argv.indexOf(flag);
  return at >= 0 ? argv[at + 1]!.split(',').map(Number) : fallback;
}

function dimensions(megapixels: number): [number, number] {
  const height = Math.round(Math.sqrt((megapixels * 1e6 * 2) / 3));
  return [Math.round((megapixels * 1e6) / height), height];
}

const ms = (v: number) => v.toFixed(0);

export async function gpuSection(report: BenchReport, _root: string, argv: readonly string[] = process.argv): Promise<void> {
  if (!report.flags.node) {
    report.add({ name: 'gpu', backend: 'not run', rows: [{ name: 'GPU rows', note: 'run with --node (Dawn in Node), or npm run bench:gpu' }] });
    return;
  }
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const { GpuKMeans } = await import('../src/core/gpu/gpu-kmeans.js');
  const { acquireDevice } = await import('../src/core/gpu/device.js');
  const { cpuPixelKMeans } = await import('../src/core/exact/cpu.js');
  const { fixedCentersToRgb8 } = await import('../src/core/exact/result.js');
  const { recolorNearest } = await import('../src/worker/recolor.js');
  const { DEFAULTS } = await import('../src/core/constants.js');
  const { photoLikeImage } = await import('../test/helpers/large-image.js');
  const quick = report.flags.quick;
  const megapixels = list(argv, '--mp', quick ? [1] : [24]);
  const ks = list(argv, '--k', quick ? [16] : KS);
  const nInits = list(argv, '--ninit', N_INITS);
  const acquired = await acquireDevice({ gpu: create([]), label: 'bench device' });
  const { device } = acquired;
  const rows: BenchRow[] = [];
  const log = (row: BenchRow) => {
    rows.push(row);
    console.log(`  ${row.name}: ${row.ms?.toFixed(0)} ms ${JSON.stringify(row.extra ?? {})}`);
  };
  try {
    for (const mp of megapixels) {
      const [width, height] = dimensions(mp);
      const image = photoLikeImage(width, height, 1);
      const texture = device.createTexture({
        label: 'bench recolour target',
        size: [width, height],
        format: 'rgba8unorm',
        usage: GPUTextureUsage.STORAGE_BINDING,
      });
      // Pipelines compiled once, before any figure.
      const warm = new GpuKMeans(device);
      await warm.run(photoLikeImage(64, 64, 2), { k: 2, nInit: 1, labels: false });
      await warm.recolor(device.createTexture({ size: [64, 64], format: 'rgba8unorm', usage: GPUTextureUsage.STORAGE_BINDING }));
      warm.destroy();
      for (const k of ks) {
        for (const nInit of nInits) {
          const engine = new GpuKMeans(device);
          try {
            for (const [label, options] of [
              ['first run', { k, nInit, seed: 0 }],
              ['new k', { k: k + 1, nInit, seed: 0 }],
            ] as const) {
              const before = engine.traffic;
              const start = performance.now();
              const onGpu = await engine.run(image, { ...options, labels: false });
              const runMs = performance.now() - start;
              const t = performance.now();
              await engine.recolor(texture);
              await device.queue.onSubmittedWorkDone();
              const recolorMs = performance.now() - t;
              const total = performance.now() - start;
              const after = engine.traffic;
              const phases = engine.lastPhases;
              const c = performance.now();
              const onCpu = await cpuPixelKMeans(image, options);
              const cpuMs = performance.now() - c;
              const r = performance.now();
              const rgb = fixedCentersToRgb8(onCpu.centersFixed, onCpu.colorSpace);
              recolorNearest(image.data, onCpu.centersFixed, rgb, onCpu.colorSpace, DEFAULTS.alphaThreshold);
              const cpuRecolorMs = performance.now() - r;
              const agreed =
                onGpu.iterations === onCpu.iterations &&
                onGpu.inertiaFixed === onCpu.inertiaFixed &&
                onGpu.centersFixed.every((v, i) => v === onCpu.centersFixed[i]) &&
                onGpu.counts.every((v, i) => v === onCpu.counts[i]);
              log({
                name: `${mp} MP (${width}×${height}) k=${options.k} nInit=${nInit}: ${label}`,
                ms: total,
                extra: {
                  'count+compact': ms(phases.countMs),
                  'plan+seed': ms(phases.planMs),
                  iterations: ms(phases.iterateMs),
                  'label table': ms(phases.labelsMs),
                  recolour: ms(recolorMs),
                  'run only': ms(runMs),
                  iters: onGpu.iterations,
                  submissions: after.submissions - before.submissions + 1,
                  'round trips': after.roundTrips - before.roundTrips,
                  'bytes read': after.bytesRead - before.bytesRead,
                  'cpu ms': ms(cpuMs),
                  'cpu recolour': ms(cpuRecolorMs),
                  'gpu/cpu': (total / (cpuMs + cpuRecolorMs)).toFixed(1),
                  'run gpu/cpu': (runMs / cpuMs).toFixed(1),
                  agreed: agreed ? 'yes' : 'NO',
                },
                note: label === 'first run' ? 'upload included; recolour into a texture' : 'image and colour list kept; recolour into a texture',
              });
            }
          } finally {
            engine.destroy();
          }
        }
      }
      texture.destroy();
    }
  } finally {
    acquired.release();
  }
  const info = acquired.info;
  report.add({ name: 'gpu', backend: `WebGPU on Dawn in Node: ${info.text} (${info.description || 'no description'})`, rows });
}

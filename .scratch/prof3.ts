import { register } from 'node:module';
register(`data:text/javascript,${encodeURIComponent(`
    import { readFile } from 'node:fs/promises';
    export async function resolve(specifier, context, next) {
      if (!specifier.endsWith('.wgsl?raw')) return next(specifier, context);
      return { url: new URL(specifier, context.parentURL).href, shortCircuit: true };
    }
    export async function load(url, context, next) {
      if (!url.endsWith('.wgsl?raw')) return next(url, context);
      const text = await readFile(new URL(url.slice(0, -4)), 'utf8');
      return { format: 'module', source: 'export default ' + JSON.stringify(text), shortCircuit: true };
    }`)}`);
const { create, globals } = await import('webgpu');
Object.assign(globalThis, globals);
const { GpuKMeans } = await import('../src/core/gpu/gpu-kmeans.js');
const { cpuPixelKMeans } = await import('../src/core/exact/index.js');
const { photoLikeImage, MEGAPIXEL_SIZES } = await import('../test/helpers/large-image.js');
const gpu = create([]);
const adapter = (await gpu.requestAdapter())!;
const device = await adapter.requestDevice();
const [mp, k, nInit] = process.argv.slice(2).map(Number);
const [w, h] = MEGAPIXEL_SIZES[mp!]!;
const image = photoLikeImage(w, h, 1);
const engine = new GpuKMeans(device);
let t = performance.now();
await engine.run(image, { k: 4, nInit: 1, maxIter: 1, labels: false });
console.log('warm (upload, compile, count)', (performance.now() - t).toFixed(0), JSON.stringify(engine.lastPhases, (_, v) => typeof v === 'number' ? Math.round(v) : v));
for (const maxIter of [1, 5]) {
  t = performance.now();
  const r = await engine.run({ k, nInit, maxIter, labels: false });
  console.log('maxIter', maxIter, (performance.now() - t).toFixed(0), r.iterations, JSON.stringify(engine.lastPhases, (_, v) => typeof v === 'number' ? Math.round(v) : v));
}
t = performance.now();
const g = await engine.run({ k, nInit, labels: false });
console.log('gpu full', (performance.now() - t).toFixed(0), 'iters', g.iterations, JSON.stringify(engine.lastPhases, (_, v) => typeof v === 'number' ? Math.round(v) : v), JSON.stringify(engine.traffic));
t = performance.now();
const c = await cpuPixelKMeans(image, { k, nInit });
console.log('cpu', (performance.now() - t).toFixed(0), c.iterations, c.inertiaFixed === g.inertiaFixed);
engine.destroy();
device.destroy();

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
const { randomImage } = await import('../test/helpers/images.js');
const gpu = create([]);
const adapter = (await gpu.requestAdapter())!;
const device = await adapter.requestDevice();
const [w, h, nInit] = process.argv.slice(2).map(Number);
for (const batch of [1, 4, 32]) {
  const engine = new GpuKMeans(device, { maxIterationsPerSubmit: batch });
  const image = randomImage(w!, h!, 1, { palette: 2000 });
  await engine.run(image, { k: 4, nInit: 1, maxIter: 2 });
  const t = performance.now();
  const r = await engine.run(image, { k: 4, nInit, labels: false });
  console.log(batch, w, h, (performance.now() - t).toFixed(0), 'ms iters', r.iterations, JSON.stringify(engine.lastPhases, (_, v) => typeof v === 'number' ? Math.round(v) : v), JSON.stringify(engine.traffic));
  engine.destroy();
}
const t = performance.now();
const c = await cpuPixelKMeans(randomImage(w!, h!, 1, { palette: 2000 }), { k: 4, nInit });
console.log('cpu', (performance.now() - t).toFixed(0), c.iterations);
device.destroy();

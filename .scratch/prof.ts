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
const { randomImage } = await import('../test/helpers/images.js');
const gpu = create([]);
const adapter = (await gpu.requestAdapter())!;
const device = await adapter.requestDevice();
const engine = new GpuKMeans(device);
for (const [w, h] of [[96, 80], [96, 80], [300, 200], [1000, 1000]]) {
  const image = randomImage(w, h, 1);
  for (const k of [4, 4]) {
    const t = performance.now();
    await engine.run(image, { k, nInit: 3, labels: true });
    console.log(w, h, k, (performance.now() - t).toFixed(0), 'ms', JSON.stringify(engine.lastPhases, (_, v) => typeof v === 'number' ? Math.round(v) : v), JSON.stringify(engine.traffic));
  }
}
engine.destroy();
device.destroy();

// Runs the GPU engine and the exact CPU engine on the same images in the page and reports, per case, the first
// difference (null when every label, centre bit, iteration count and the inertia agree). Exposed as
// `window.engineAgreement(cases)` for test/browser/engine-agreement.test.ts.
import { GpuKMeans, acquireDevice, cpuPixelKMeans } from '/dist/core/index.js';

/** A sample photo from public/samples/, decoded to RGBA without colour conversion. */
async function sample(name) {
  const blob = await (await fetch(`/public/samples/${name}`)).blob();
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** A seeded random image (mulberry32), with every other pixel's alpha 0/127/128/255 when `half` is set. */
function randomImage(width, height, seed, half = false) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const data = new Uint8ClampedArray(4 * width * height);
  for (let i = 0; i < width * height; i++) {
    data[4 * i] = next() * 256;
    data[4 * i + 1] = next() * 256;
    data[4 * i + 2] = next() * 256;
    data[4 * i + 3] = half ? [0, 127, 128, 255][i % 4] : 255;
  }
  return { data, width, height };
}

function firstDifference(gpu, cpu) {
  for (const key of ['iterations', 'converged', 'pixelsUsed', 'inertiaFixed', 'colorSpace']) {
    if (gpu[key] !== cpu[key]) return `${key}: GPU ${gpu[key]}, CPU ${cpu[key]}`;
  }
  if (gpu.centersFixed.join() !== cpu.centersFixed.join()) return `centersFixed: GPU ${gpu.centersFixed}, CPU ${cpu.centersFixed}`;
  const at = gpu.labels.findIndex((label, i) => label !== cpu.labels[i]);
  return at >= 0 ? `label of pixel ${at}: GPU ${gpu.labels[at]}, CPU ${cpu.labels[at]}` : null;
}

/**
 * Recolours into an rgba8unorm storage texture (what a WebGPU canvas shows, with no trip through JS) and checks it
 * against centres[labels]. (Headless Chromium on SwiftShader destroys the device when a WebGPU canvas is configured,
 * so the texture is read back here instead of through a canvas.)
 */
async function checkRecolour(engine, result, image) {
  const { device } = engine;
  const texture = device.createTexture({
    label: 'page recolour target',
    size: [image.width, image.height],
    format: 'rgba8unorm',
    usage: GPUTextureUsage.STORAGE_BINDING | GPUTextureUsage.COPY_SRC,
  });
  await engine.recolor(texture);
  const row = Math.ceil((4 * image.width) / 256) * 256;
  const staging = device.createBuffer({ size: row * image.height, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const encoder = device.createCommandEncoder();
  encoder.copyTextureToBuffer({ texture }, { buffer: staging, bytesPerRow: row }, [image.width, image.height]);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const shown = new Uint8Array(staging.getMappedRange());
  let difference = null;
  for (let i = 0; i < result.labels.length && difference === null; i++) {
    const at = Math.floor(i / image.width) * row + 4 * (i % image.width);
    const label = result.labels[i];
    const want = label < 0 ? [0, 0, 0, 0] : [...result.rgb[label], 255];
    if (want.some((v, c) => shown[at + c] !== v)) difference = `pixel ${i} shows ${shown.slice(at, at + 4)}, want ${want}`;
  }
  staging.destroy();
  texture.destroy();
  return difference;
}

const images = {
  'chelsea.png': () => sample('chelsea.png'),
  'coffee.png': () => sample('coffee.png'),
  'random 257 × 131': () => randomImage(257, 131, 7),
  'random 1 × 1': () => randomImage(1, 1, 3),
  'half-transparent 99 × 77': () => randomImage(99, 77, 5, true),
};

window.engineAgreement = async (cases) => {
  const acquired = await acquireDevice();
  const engine = new GpuKMeans(acquired.device);
  try {
    const report = [];
    for (const { image: name, options, recolour } of cases) {
      const image = await images[name]();
      const gpu = await engine.run(image, options);
      const cpu = await cpuPixelKMeans(image, options);
      report.push({
        name: `${name} ${JSON.stringify(options)}`,
        difference: firstDifference(gpu, cpu),
        recolour: recolour ? await checkRecolour(engine, gpu, image) : null,
        iterations: gpu.iterations,
        pixelsUsed: gpu.pixelsUsed,
      });
    }
    return { adapter: acquired.info.text, report };
  } finally {
    engine.destroy();
    acquired.release();
  }
};
window.engineAgreementReady = true;

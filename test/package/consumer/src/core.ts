// A page that uses the engine only: no element, so no lit in its bundle.
import {
  AbortError,
  extractPalette,
  extractPaletteInWorker,
  GpuKMeans,
  NoAdapterError,
  type PaletteResult,
} from 'palette-extractor/core';

const canvas = document.querySelector('canvas')!;
const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);

async function run(device?: GPUDevice): Promise<PaletteResult> {
  if (device) new GpuKMeans(device).destroy();
  try {
    return await extractPalette(pixels, { k: 5, seed: 0, backend: 'gpu' });
  } catch (error) {
    if (error instanceof NoAdapterError) return extractPalette(pixels, { k: 5, seed: 0, backend: 'cpu' });
    throw error;
  }
}
run().then((result) => console.log(result.colors.map((c) => c.hex)));

// The same without blocking the page, cancellable.
const controller = new AbortController();
extractPaletteInWorker(pixels, { k: 5, signal: controller.signal, onProgress: (p) => console.log(p.phase, p.fraction) })
  .then((result: PaletteResult) => console.log(result.inertia))
  .catch((error: unknown) => {
    if (!(error instanceof AbortError)) throw error;
  });

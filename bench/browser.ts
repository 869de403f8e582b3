/**
 * Browser section (`npm run bench -- --only browser`): the element in headless Chromium through Puppeteer, on a
 * 24-megapixel image made in the page (test/pages/large.html) and encoded there as a JPEG:
 * - decode (createImageBitmap of the JPEG) and upload (24 MP of RGBA written to a GPU buffer, until the GPU is done);
 * - the first run on the image (decode, sample, upload, cluster, full-size recolour) per backend and sample;
 * - the interactive loop: a new k on the loaded image, from setting `colors` to `palette-change`, on the GPU and
 *   the CPU (two workers), with `sample-size="full"` and the default sample, with the longest main-thread task seen.
 * Uses the built package (run `npm run build` first). On a software adapter (SwiftShader) the GPU rows with every
 * pixel use nInit = 1 (one seeding takes tens of seconds there); the others use the element's default, 10.
 */
import type { Browser, Page } from 'puppeteer';
import { launchBrowser } from '../test/helpers/browser.js';
import { openLargePage } from '../test/helpers/large-page.js';
import { startStaticServer } from '../test/helpers/static-server.js';
// @ts-expect-error: a plain .mjs script without types.
import { findChromium } from '../scripts/env.mjs';
import { median, type BenchReport, type BenchRow } from './report.js';

const WIDTH = 6000;
const HEIGHT = 4000;

interface LoopResult {
  firstMs: number;
  loopMs: number[];
  longestTaskMs: number;
  iterations: number[];
  backend: string;
  adapter: string;
  decodeMs: number;
  /** The sample's time (the core resampler on the page, in slices), `timings.downscaleMs` of the first run. */
  sampleMs: number;
}

/** In the page: the 24 MP JPEG, its decode time, and a raw GPU upload time. */
async function prepareImage(page: Page): Promise<{ decodeMs: number; uploadMs: number | null; jpegBytes: number; adapter: string }> {
  return page.evaluate(async (width, height) => {
    const w = window as unknown as { makeImage(w: number, h: number): ImageData; jpeg: Blob };
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d')!.putImageData(w.makeImage(width, height), 0, 0);
    w.jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
    const t0 = performance.now();
    const bitmap = await createImageBitmap(w.jpeg);
    const decodeMs = performance.now() - t0;
    bitmap.close();
    let uploadMs: number | null = null;
    let adapterText = 'no WebGPU';
    const adapter = await navigator.gpu?.requestAdapter();
    if (adapter) {
      const info = adapter.info;
      adapterText = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown';
      if ((info as { isFallbackAdapter?: boolean }).isFallbackAdapter) adapterText += ' (fallback)';
      const device = await adapter.requestDevice();
      const pixels = new Uint8Array(4 * width * height);
      const buffer = device.createBuffer({ size: pixels.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      await device.queue.onSubmittedWorkDone();
      const t1 = performance.now();
      device.queue.writeBuffer(buffer, 0, pixels);
      await device.queue.onSubmittedWorkDone();
      uploadMs = performance.now() - t1;
      buffer.destroy();
      device.destroy();
    }
    return { decodeMs, uploadMs, jpegBytes: w.jpeg.size, adapter: adapterText };
  }, WIDTH, HEIGHT);
}

/** In the page: load the JPEG into a fresh element, then change k `changes` times, timing each. */
async function interactiveLoop(page: Page, backend: string, sampleSize: string, nInit: number, changes: number): Promise<LoopResult> {
  return page.evaluate(
    async (backend, sampleSize, nInit, changes) => {
      const w = window as unknown as { jpeg: Blob };
      document.querySelector('#large')?.remove();
      const el = document.createElement('palette-extractor');
      el.id = 'large';
      document.body.append(el);
      const next = () =>
        new Promise<{ k: number; iterations: number; backend: string; adapter: string; timings: { decodeMs: number; downscaleMs: number } }>(
          (ok, fail) => {
            el.addEventListener('palette-change', (e) => ok((e as CustomEvent).detail), { once: true });
            el.addEventListener('palette-error', (e) => fail(new Error(JSON.stringify((e as CustomEvent).detail))), {
              once: true,
            });
          },
        );
      let t = performance.now();
      const loaded = next();
      Object.assign(el, { backend, sampleSize, nInit, colors: 4, image: new File([w.jpeg], 'big.jpg', { type: 'image/jpeg' }) });
      const first = await loaded;
      const firstMs = performance.now() - t;
      const tasks: number[] = [];
      const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
      observer.observe({ type: 'longtask' });
      const loopMs: number[] = [];
      const iterations: number[] = [];
      for (let i = 0; i < changes; i++) {
        const done = next();
        t = performance.now();
        el.colors = 5 + i;
        const detail = await done;
        loopMs.push(performance.now() - t);
        iterations.push(detail.iterations);
      }
      await new Promise((ok) => setTimeout(ok, 100));
      observer.disconnect();
      return {
        firstMs,
        loopMs,
        longestTaskMs: Math.max(0, ...tasks),
        iterations,
        backend: first.backend,
        adapter: first.adapter,
        decodeMs: first.timings.decodeMs,
        sampleMs: first.timings.downscaleMs,
      };
    },
    backend,
    sampleSize,
    nInit,
    changes,
  );
}

export async function browserSection(report: BenchReport): Promise<void> {
  process.env.PUPPETEER_EXECUTABLE_PATH ??= (await findChromium()) ?? undefined;
  if (!process.env.PUPPETEER_EXECUTABLE_PATH) {
    report.add({ name: 'browser', backend: 'no Chromium', rows: [{ name: 'all', note: 'skipped: no Chromium found' }] });
    return;
  }
  const server = await startStaticServer();
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const { page } = await openLargePage(browser, server.url);
    // tsx compiles this file keeping function names, through a `__name` helper the page does not have.
    await page.evaluate('globalThis.__name = (f) => f');
    const prepared = await prepareImage(page);
    const software = /fallback|swiftshader/i.test(prepared.adapter);
    const changes = report.flags.quick ? 2 : 3;
    const rows: BenchRow[] = [
      { name: '24 MP JPEG decode (createImageBitmap)', ms: prepared.decodeMs, extra: { 'JPEG MB': (prepared.jpegBytes / 1e6).toFixed(1) } },
      prepared.uploadMs === null
        ? { name: '24 MP RGBA upload to a GPU buffer', note: 'skipped: no WebGPU' }
        : { name: '24 MP RGBA upload to a GPU buffer (96 MB, writeBuffer until done)', ms: prepared.uploadMs },
    ];
    for (const backend of report.flags.backend ? [report.flags.backend] : ['gpu', 'cpu']) {
      for (const sampleSize of ['200', 'full']) {
        const nInit = backend === 'gpu' && sampleSize === 'full' && software ? 1 : 10;
        const label = `24 MP, sample ${sampleSize === 'full' ? 'full' : 'default (200)'}, ${backend.toUpperCase()}, nInit=${nInit}`;
        try {
          const r = await interactiveLoop(page, backend, sampleSize, nInit, changes);
          rows.push({ name: `${label}: first run (decode, sample, upload, k=4)`, ms: r.firstMs, extra: { 'decode ms': r.decodeMs.toFixed(0), 'sample ms': r.sampleMs.toFixed(0) } });
          rows.push({
            name: `${label}: interactive, new k (5${changes > 1 ? `..${4 + changes}` : ''})`,
            ms: median(r.loopMs),
            samples: r.loopMs,
            extra: { iterations: r.iterations.join('/'), 'longest task ms': r.longestTaskMs.toFixed(0), ran: r.adapter },
          });
        } catch (error) {
          rows.push({ name: label, note: `failed: ${String(error).slice(0, 120)}` });
        }
      }
    }
    report.add({ name: 'browser', backend: `headless Chromium, WebGPU adapter: ${prepared.adapter}`, rows });
  } finally {
    await browser?.close();
    await server.close();
  }
}

/**
 * The element on the built demo page, in headless Chromium with WebGPU (SwiftShader here): what a person sees and
 * the events a page scripts against.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, ElementHandle, Page } from 'puppeteer';
import { resolve } from 'node:path';
import { launchBrowser, watchPageErrors } from '../helpers/browser.js';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import type { PaletteCompareDetail, PaletteDetail } from '../../src/events/details.js';

const SAMPLES = resolve(import.meta.dirname, '../../public/samples');

/** Resolves with the next palette-change detail of `#main`. Call before triggering the change. */
async function nextPalette(page: Page, trigger: () => Promise<unknown>): Promise<PaletteDetail> {
  await page.evaluate(() => {
    const el = document.querySelector('#main')!;
    (window as unknown as { next: Promise<unknown> }).next = new Promise((ok, fail) => {
      el.addEventListener('palette-change', (e) => ok((e as CustomEvent).detail), { once: true });
      el.addEventListener('palette-error', (e) => fail(new Error(JSON.stringify((e as CustomEvent).detail))), {
        once: true,
      });
    });
  });
  await trigger();
  return page.evaluate(() => (window as unknown as { next: Promise<PaletteDetail> }).next);
}

async function openDemo(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${inject('baseUrl')}/dist-demo/`);
  await page.waitForFunction(() => document.querySelector<PaletteExtractor>('#main')?.palette, { timeout: 120_000 });
  return { page, errors };
}

describe('<palette-extractor> on the demo page, WebGPU on', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page, errors } = await openDemo(browser));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the default sample photo with its palette, largest share first', async () => {
    const shown = await page.evaluate(() => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      const root = el.shadowRoot!;
      return {
        palette: el.palette!,
        swatches: [...root.querySelectorAll('[part~=swatch] .hex')].map((s) => s.textContent),
        canvases: [...root.querySelectorAll('canvas')].map((c) => [c.getAttribute('part'), c.width, c.height]),
      };
    });
    const { colors } = shown.palette;
    expect(colors).toHaveLength(5);
    expect(shown.swatches).toEqual(colors.map((c) => c.hex));
    for (const c of colors) expect(c.hex).toMatch(/^#[0-9a-f]{6}$/);
    const fractions = colors.map((c) => c.fraction);
    expect([...fractions].sort((a, b) => b - a)).toEqual(fractions);
    expect(fractions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // The original and the recoloured image, both at the photo's own size.
    expect(shown.canvases).toEqual([
      ['original', 451, 300],
      ['recolored', 451, 300],
    ]);
    expect(errors).toEqual([]);
  });

  it('uses the GPU under backend="auto" only where it is hardware, and under backend="gpu" always', async () => {
    const result = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      const auto = el.palette!;
      await el.updateComplete;
      const notice = el.shadowRoot!.querySelector('[part~=notice]')?.textContent ?? '';
      const adapter = await navigator.gpu.requestAdapter();
      const fallback = !!(adapter?.info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined)?.isFallbackAdapter;
      const backend = el.backend;
      el.backend = 'gpu';
      const gpu = await el.extract();
      el.backend = backend;
      await el.extract();
      return { auto, notice, fallback, gpu };
    });
    // A software adapter (SwiftShader) gives the same bits as the CPU workers, many times slower: auto uses the CPU.
    expect(result.auto.backend).toBe(result.fallback ? 'cpu' : 'gpu');
    if (result.fallback) expect(result.notice).toMatch(/software.*CPU/);
    expect(result.gpu.backend).toBe('gpu');
    expect(result.gpu.arithmetic).toBe('exact');
    expect(result.gpu.adapter.length).toBeGreaterThan(0);
    expect(result.gpu.colors).toEqual(result.auto.colors);
  });

  it('carries the documented detail in palette-change', async () => {
    const detail = await page.evaluate(() => document.querySelector<PaletteExtractor>('#main')!.palette!);
    expect(Object.keys(detail)).toEqual(
      expect.arrayContaining([
        'colors', 'backend', 'adapter', 'k', 'seed', 'iterations', 'inertia',
        'width', 'height', 'sampleWidth', 'sampleHeight', 'timings',
      ]),
    );
    expect(detail).toMatchObject({ k: 5, seed: 0, width: 451, height: 300, sampleWidth: 200, sampleHeight: 133 });
    expect(Object.keys(detail.colors[0]!).sort()).toEqual(['count', 'fraction', 'hex', 'rgb']);
    expect(detail.colors.reduce((n, c) => n + c.count, 0)).toBe(200 * 133);
    for (const key of ['decodeMs', 'downscaleMs', 'clusterMs', 'recolorMs', 'totalMs'] as const) {
      expect(detail.timings[key]).toBeGreaterThanOrEqual(0);
    }
    expect(detail.iterations).toBeGreaterThan(0);
    expect(detail.inertia).toBeGreaterThan(0);
  });

  it('opens the file picker from the keyboard', async () => {
    // Enter on the focused drop zone clicks the hidden file input, which is what opens the browser's picker
    // (taking a file from it is the next test's).
    await page.evaluate(() => {
      const root = document.querySelector('#main')!.shadowRoot!;
      const input = root.querySelector<HTMLInputElement>('input[type=file]')!;
      (window as unknown as { picked: Promise<boolean> }).picked = new Promise((ok) =>
        input.addEventListener('click', (e) => (e.preventDefault(), ok(true)), { once: true }),
      );
      root.querySelector<HTMLElement>('[part~=dropzone]')!.focus();
    });
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (window as unknown as { picked: Promise<boolean> }).picked)).toBe(true);
  });

  it('re-runs when colors changes and fires exactly one palette-change', async () => {
    const result = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      const seen: number[] = [];
      const count = (e: Event) => seen.push((e as CustomEvent<PaletteDetail>).detail.colors.length);
      el.addEventListener('palette-change', count);
      el.setAttribute('colors', '3');
      const resolved = await el.extract();
      el.removeEventListener('palette-change', count);
      return { seen, resolved: resolved.k, property: el.colors };
    });
    expect(result).toEqual({ seen: [3], resolved: 3, property: 3 });
  });

  it('drops the outdated result when options change again before a run ends', async () => {
    const result = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      const seen: number[] = [];
      const count = (e: Event) => seen.push((e as CustomEvent<PaletteDetail>).detail.k);
      el.addEventListener('palette-change', count);
      for (const k of [6, 7, 4]) {
        el.colors = k;
        await el.updateComplete;
      }
      await el.extract();
      el.removeEventListener('palette-change', count);
      return seen;
    });
    expect(result).toEqual([4]);
  });

  it('reports an attribute that is not a number as invalid-option and keeps the palette shown', async () => {
    const result = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      const before = el.palette!.colors.map((c) => c.hex);
      const error = new Promise<{ code: string; message: string }>((ok) =>
        el.addEventListener('palette-error', (e) => ok((e as CustomEvent).detail), { once: true }),
      );
      el.setAttribute('colors', 'abc');
      const detail = await error;
      await el.updateComplete;
      const shown = [...el.shadowRoot!.querySelectorAll('[part~=swatch] .hex')].map((s) => s.textContent);
      const alert = el.shadowRoot!.querySelector('[part~=error]')?.textContent;
      el.setAttribute('colors', '5');
      await el.extract();
      return { detail, before, shown, alert };
    });
    expect(result.detail.code).toBe('invalid-option');
    expect(result.detail.message).toMatch(/colors/);
    expect(result.shown).toEqual(result.before);
    expect(result.alert).toContain(result.detail.message);
  });

  it('clamps numbers out of range', async () => {
    const palette = await nextPalette(page, () =>
      page.evaluate(() => document.querySelector('#main')!.setAttribute('colors', '0')),
    );
    expect(palette.k).toBe(1);
    expect(palette.colors).toHaveLength(1);
    await nextPalette(page, () => page.evaluate(() => document.querySelector('#main')!.setAttribute('colors', '5')));
  });

  it('takes a file chosen through the file input', async () => {
    const input = (await page.evaluateHandle(() =>
      document.querySelector('#main')!.shadowRoot!.querySelector('input[type=file]'),
    )) as ElementHandle<HTMLInputElement>;
    const palette = await nextPalette(page, () => input.uploadFile(resolve(SAMPLES, 'coffee.png')));
    expect([palette.width, palette.height]).toEqual([600, 400]);
    expect(palette.colors).toHaveLength(5);
  });

  it('takes a file dropped on it', async () => {
    const palette = await nextPalette(page, () =>
      page.evaluate(async () => {
        const blob = await (await fetch('samples/rocket.jpg')).blob();
        const data = new DataTransfer();
        data.items.add(new File([blob], 'rocket.jpg', { type: 'image/jpeg' }));
        const zone = document.querySelector('#main')!.shadowRoot!.querySelector('[part~=dropzone]')!;
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }),
    );
    expect([palette.width, palette.height]).toEqual([640, 427]);
  });

  it('takes a pasted image', async () => {
    const palette = await nextPalette(page, () =>
      page.evaluate(async () => {
        const blob = await (await fetch('samples/coffee.png')).blob();
        const data = new DataTransfer();
        data.items.add(new File([blob], 'pasted.png', { type: 'image/png' }));
        const zone = document.querySelector('#main')!.shadowRoot!.querySelector('[part~=dropzone]')!;
        zone.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, composed: true }));
      }),
    );
    expect([palette.width, palette.height]).toEqual([600, 400]);
  });

  it('shows a progress bar and marks the preview busy while it works', async () => {
    const seen = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      el.seed = 1;
      await el.updateComplete;
      const root = el.shadowRoot!;
      const during = {
        bar: root.querySelector('[part~=progress]')?.getAttribute('role') ?? null,
        busy: root.querySelector('[part~=preview]')?.getAttribute('aria-busy') ?? null,
      };
      await el.extract();
      await el.updateComplete;
      const after = {
        bar: root.querySelector('[part~=progress]')?.getAttribute('role') ?? null,
        busy: root.querySelector('[part~=preview]')?.getAttribute('aria-busy') ?? null,
      };
      return { during, after };
    });
    expect(seen).toEqual({ during: { bar: 'progressbar', busy: 'true' }, after: { bar: null, busy: 'false' } });
  });

  it('copies a swatch hex with the keyboard', async () => {
    const browserContext = browser.defaultBrowserContext();
    await browserContext.overridePermissions(new URL(page.url()).origin, ['clipboard-read', 'clipboard-write']);
    const first = await page.evaluate(() => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=swatch]')!.focus();
      return el.palette!.colors[0]!.hex;
    });
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('#main')!.shadowRoot!.querySelector('[aria-live]')!.textContent!.includes('Copied'),
    );
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);
  });

  it('with compare, fires palette-compare with full agreement on RGB', async () => {
    const compare = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      const next = new Promise<PaletteCompareDetail>((ok) =>
        el.addEventListener('palette-compare', (e) => ok((e as CustomEvent).detail), { once: true }),
      );
      el.compare = true;
      const detail = await next;
      await el.updateComplete;
      const shown = !!el.shadowRoot!.querySelector('[part~=compare]');
      el.compare = false;
      await el.extract();
      return { detail, shown };
    });
    const { gpu, cpu, labelAgreement, maxCenterDelta, inertiaDelta } = compare.detail;
    expect(compare.shown).toBe(true);
    expect([gpu.backend, cpu.backend]).toEqual(['gpu', 'cpu']);
    expect([gpu.arithmetic, cpu.arithmetic]).toEqual(['exact', 'exact']);
    expect(labelAgreement).toBe(1);
    expect(maxCenterDelta).toBe(0);
    expect(inertiaDelta).toBe(0);
    expect(gpu.iterations).toBe(cpu.iterations);
    expect(cpu.colors).toEqual(gpu.colors);
  });

  it('draws the same full-size recoloured image on the GPU as on the CPU, in palette colours only', async () => {
    const result = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      const recolored = () => {
        const canvas = el.shadowRoot!.querySelector<HTMLCanvasElement>('canvas[part~=recolored]')!;
        const copy = new OffscreenCanvas(canvas.width, canvas.height).getContext('2d')!;
        copy.drawImage(canvas, 0, 0);
        return { pixels: copy.getImageData(0, 0, canvas.width, canvas.height).data, width: canvas.width };
      };
      el.src = 'samples/chelsea.png';
      el.backend = 'gpu';
      const gpu = await el.extract();
      const onGpu = recolored();
      el.backend = 'cpu';
      const cpu = await el.extract();
      const onCpu = recolored();
      const palette = new Set(gpu.colors.map((c) => c.hex));
      let differ = 0;
      let outside = 0;
      for (let i = 0; i < onGpu.pixels.length; i += 4) {
        if (onGpu.pixels.slice(i, i + 4).join() !== onCpu.pixels.slice(i, i + 4).join()) differ++;
        const hex = '#' + [...onGpu.pixels.slice(i, i + 3)].map((v) => v.toString(16).padStart(2, '0')).join('');
        if (!palette.has(hex)) outside++;
      }
      el.backend = 'auto';
      await el.extract();
      return { backends: [gpu.backend, cpu.backend], width: onGpu.width, pixels: onGpu.pixels.length / 4, differ, outside };
    });
    expect(result.backends).toEqual(['gpu', 'cpu']);
    expect(result).toMatchObject({ width: 451, pixels: 451 * 300, differ: 0, outside: 0 });
  });

  it('runs on the CPU when asked to', async () => {
    const palette = await nextPalette(page, () =>
      page.evaluate(() => document.querySelector('#main')!.setAttribute('backend', 'cpu')),
    );
    expect(palette.backend).toBe('cpu');
    expect(errors).toEqual([]);
  });
});

describe('<palette-extractor> in a browser without WebGPU', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: false });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('computes the palette on the CPU and says why', async () => {
    const { page, errors } = await openDemo(browser);
    const shown = await page.evaluate(() => {
      const el = document.querySelector<PaletteExtractor>('#main')!;
      return {
        palette: el.palette!,
        notice: el.shadowRoot!.querySelector('[part~=notice]')?.textContent ?? '',
        swatches: el.shadowRoot!.querySelectorAll('[part~=swatch]').length,
      };
    });
    expect(shown.palette.backend).toBe('cpu');
    expect(shown.palette.colors).toHaveLength(5);
    expect(shown.swatches).toBe(5);
    expect(shown.notice).toMatch(/WebGPU/);
    expect(errors).toEqual([]);
  });
});

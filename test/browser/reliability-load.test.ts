/**
 * Load on the element in Chromium with WebGPU (SwiftShader here): 200 runs in a row, an element removed, ten elements
 * at once, 100 rapid attribute changes. Live GPU buffers are counted by wrapping the page's real device
 * (test/pages/reliability-probe.js); the JS heap is measured through the DevTools protocol after garbage collection.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'puppeteer';
import type { PaletteDetail } from '../../src/events/details.js';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import { launchBrowser } from '../helpers/browser.js';
import { heapAfterGc, openProbedPage, probeFindings, type Settled } from '../helpers/reliability.js';

type Probe = { liveBuffers(): number; requestDeviceCalls: number };
declare const __probe: Probe;
declare function nextOutcome(el: Element, ms?: number): Promise<Settled>;
declare function seededImage(width: number, height: number, seed: number, colours?: number): ImageData;

describe('<palette-extractor> under load', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = () => openProbedPage(browser, `${inject('baseUrl')}/test/pages/reliability.html`);

  it('keeps live GPU buffers and the JS heap flat over 200 runs on one element', async () => {
    const { page, problems } = await open();
    const cdp = await page.createCDPSession();
    /** Runs `count` palettes in a row on `#el` (made on the first call), k 2..9 and the seed changing every run. */
    const runs = (from: number, count: number) =>
      page.evaluate(
        async (from, count) => {
          let el = document.querySelector<PaletteExtractor>('#el');
          if (!el) {
            el = document.createElement('palette-extractor');
            el.id = 'el';
            el.setAttribute('backend', 'gpu');
            el.setAttribute('n-init', '1');
            document.body.append(el);
            el.image = seededImage(24, 16, 1, 12);
          }
          const buffers: number[] = [];
          const backends = new Set<string>();
          for (let i = from; i < from + count; i++) {
            const next = nextOutcome(el);
            el.colors = 2 + (i % 8);
            el.seed = i;
            const outcome = await next;
            if (outcome.type !== 'palette-change') throw new Error(`run ${i}: ${JSON.stringify(outcome.detail)}`);
            backends.add(outcome.detail.backend);
            buffers.push(__probe.liveBuffers());
          }
          return { buffers, backends: [...backends] };
        },
        from,
        count,
      );
    const warm = await runs(0, 20);
    const heapBefore = await heapAfterGc(cdp);
    const load = await runs(20, 180);
    const heapAfter = await heapAfterGc(cdp);
    expect([...warm.backends, ...load.backends]).toEqual(['gpu', 'gpu']);
    // Flat: every run after the warm-up ends with the same live buffers as the warm-up's last.
    expect(new Set(load.buffers)).toEqual(new Set([warm.buffers.at(-1)]));
    expect(heapAfter - heapBefore, `heap ${heapBefore} → ${heapAfter} bytes`).toBeLessThan(1024 * 1024);
    expect(await probeFindings(page)).toEqual({ rejections: [], violations: [] });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('gives back every GPU buffer of an element removed from the page', async () => {
    const { page, problems } = await open();
    const result = await page.evaluate(async () => {
      const baseline = __probe.liveBuffers();
      const el = document.createElement('palette-extractor');
      el.setAttribute('backend', 'gpu');
      el.setAttribute('sample-size', 'full');
      document.body.append(el);
      const next = nextOutcome(el);
      el.image = seededImage(300, 200, 2, 20);
      const outcome = await next;
      const whileShown = __probe.liveBuffers();
      el.remove();
      const deadline = performance.now() + 10_000;
      while (__probe.liveBuffers() !== baseline && performance.now() < deadline) {
        await new Promise((ok) => setTimeout(ok, 20));
      }
      return { baseline, whileShown, afterRemove: __probe.liveBuffers(), backend: (outcome.detail as PaletteDetail).backend };
    });
    expect(result.backend).toBe('gpu');
    expect(result.whileShown).toBeGreaterThan(result.baseline);
    expect(result.afterRemove).toBe(result.baseline);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('runs ten elements on one page on one shared device, and all finish', async () => {
    const { page, problems } = await open();
    const result = await page.evaluate(async () => {
      const outcomes = Array.from({ length: 10 }, (_, i) => {
        const el = document.createElement('palette-extractor');
        el.setAttribute('backend', 'gpu');
        el.setAttribute('colors', String(2 + i));
        el.setAttribute('n-init', '2');
        document.body.append(el);
        const next = nextOutcome(el);
        el.image = seededImage(40, 30, 10 + i, 16);
        return next;
      });
      const settled = await Promise.all(outcomes);
      return {
        settled: settled.map((s) => (s.type === 'palette-change' ? `${s.detail.backend} k=${s.detail.k}` : s.type)),
        devices: __probe.requestDeviceCalls,
      };
    });
    expect(result.settled).toEqual(Array.from({ length: 10 }, (_, i) => `gpu k=${2 + i}`));
    expect(result.devices).toBe(1);
    expect(await probeFindings(page)).toEqual({ rejections: [], violations: [] });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fires exactly one palette-change, for the last values, after 100 rapid attribute changes', async () => {
    const { page, problems } = await open();
    const result = await page.evaluate(async () => {
      const el = document.createElement('palette-extractor');
      el.setAttribute('backend', 'gpu');
      el.setAttribute('n-init', '2');
      el.setAttribute('colors', '5');
      document.body.append(el);
      const first = nextOutcome(el);
      el.image = seededImage(64, 48, 3, 30);
      await first;
      const seen: Settled[] = [];
      el.addEventListener('palette-change', (e) => seen.push({ type: 'palette-change', detail: (e as Event & { detail: PaletteDetail }).detail }));
      el.addEventListener('palette-error', (e) => seen.push({ type: 'palette-error', detail: (e as Event & { detail: never }).detail }));
      const last = { colors: 5, seed: 0, space: 'rgb' };
      for (let i = 0; i < 100; i++) {
        // One attribute per change, each its own update: every change starts a run that the next one aborts.
        if (i % 3 === 0) el.setAttribute('colors', String((last.colors = 2 + ((i * 7) % 11))));
        else if (i % 3 === 1) el.setAttribute('seed', String((last.seed = (i * 31) % 17)));
        else el.setAttribute('color-space', (last.space = last.space === 'rgb' ? 'oklab' : 'rgb'));
        await el.updateComplete;
        if (i % 10 === 9) await new Promise((ok) => setTimeout(ok, 0));
      }
      // Let the last run finish, then wait a little more for any straggler.
      const deadline = performance.now() + 60_000;
      while (!seen.length && performance.now() < deadline) await new Promise((ok) => setTimeout(ok, 20));
      await new Promise((ok) => setTimeout(ok, 500));
      return { seen, last };
    });
    expect(result.seen).toHaveLength(1);
    expect(result.seen[0]!.type).toBe('palette-change');
    const detail = result.seen[0]!.detail as PaletteDetail;
    expect({ colors: detail.k, seed: detail.seed, space: detail.colorSpace }).toEqual(result.last);
    expect(await probeFindings(page)).toEqual({ rejections: [], violations: [] });
    expect(problems).toEqual([]);
    await page.close();
  });
});

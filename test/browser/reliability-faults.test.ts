/**
 * Faults in the page, on the real GPU (WebGPU on SwiftShader here) and real Workers: the device destroyed while a run
 * is in flight, a device with WebGPU's smallest limits, a Worker that cannot start. test/pages/reliability-probe.js
 * wraps the page's real adapter and Worker to capture or break them. Every case ends in a palette or a
 * `palette-error`, never a hang, an unhandled rejection or a console error. (WebGPU missing entirely is
 * element-basics' "in a browser without WebGPU".)
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'puppeteer';
import { launchBrowser } from '../helpers/browser.js';
import { openProbedPage, probeFindings, type ProbeOptions, type Settled } from '../helpers/reliability.js';

type Probe = { devices: GPUDevice[]; requestDeviceCalls: number };
declare const __probe: Probe;
declare function nextOutcome(el: Element, ms?: number): Promise<Settled>;

describe('<palette-extractor> under GPU and Worker faults', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const open = (options: ProbeOptions = {}) =>
    openProbedPage(browser, `${inject('baseUrl')}/test/pages/reliability.html`, options);

  it('finishes a run whose device is destroyed mid-run on the CPU with a notice, and the next run is on a new GPU device', async () => {
    const { page, problems } = await open();
    const result = await page.evaluate(async () => {
      const el = document.createElement('palette-extractor');
      el.setAttribute('backend', 'gpu');
      el.setAttribute('colors', '6');
      el.setAttribute('n-init', '3');
      document.body.append(el);
      const first = nextOutcome(el);
      el.src = '/public/samples/chelsea.png';
      await first;
      // Destroy the shared device at the first Lloyd iteration of the next run.
      let destroyedAt = '';
      el.addEventListener('palette-progress', (e) => {
        const { phase } = (e as Event & { detail: { phase: string } }).detail;
        if (phase === 'iterate' && !destroyedAt) {
          destroyedAt = phase;
          __probe.devices.at(-1)!.destroy();
        }
      });
      const lost = nextOutcome(el);
      el.setAttribute('colors', '5');
      const duringLoss = await lost;
      await el.updateComplete;
      const notice = el.shadowRoot!.querySelector('[part~=notice]')?.textContent ?? '';
      const swatches = el.shadowRoot!.querySelectorAll('[part~=swatch]').length;
      const next = nextOutcome(el);
      el.setAttribute('seed', '1');
      const after = await next;
      await el.updateComplete;
      const noticeAfter = el.shadowRoot!.querySelector('[part~=notice]')?.textContent ?? '';
      // The same options on the new device give the CPU fallback's palette: the engines agree bit for bit.
      const again = nextOutcome(el);
      el.setAttribute('seed', '0');
      const gpuAgain = await again;
      return { destroyedAt, duringLoss, notice, swatches, after, noticeAfter, gpuAgain, devices: __probe.requestDeviceCalls };
    });
    expect(result.destroyedAt).toBe('iterate');
    expect(result.duringLoss.type).toBe('palette-change');
    if (result.duringLoss.type !== 'palette-change' || result.after.type !== 'palette-change') return;
    expect(result.duringLoss.detail.backend).toBe('cpu');
    expect(result.duringLoss.detail.k).toBe(5);
    expect(result.swatches).toBe(result.duringLoss.detail.colors.length);
    expect(result.notice).toMatch(/GPU.*lost.*CPU/is);
    expect(result.after.detail.backend).toBe('gpu');
    expect(result.noticeAfter).toBe('');
    expect(result.devices).toBe(2);
    expect(result.gpuAgain.type === 'palette-change' && result.gpuAgain.detail.backend).toBe('gpu');
    expect(result.gpuAgain.type === 'palette-change' && result.gpuAgain.detail.colors).toEqual(
      result.duringLoss.detail.colors,
    );
    expect(await probeFindings(page)).toEqual({ rejections: [], violations: [] });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("runs on a device with WebGPU's smallest limits, the sample and the full-size recolour, as the CPU does", async () => {
    const { page, problems } = await open({ minLimits: true });
    const result = await page.evaluate(async () => {
      const el = document.createElement('palette-extractor');
      el.setAttribute('backend', 'gpu');
      el.setAttribute('colors', '4');
      el.setAttribute('n-init', '2');
      document.body.append(el);
      const gpu = nextOutcome(el);
      el.src = '/public/samples/coffee.png';
      const onGpu = await gpu;
      const limits = __probe.devices.map((d) => [d.limits.maxStorageBufferBindingSize, d.limits.maxBufferSize]);
      const cpu = nextOutcome(el);
      el.backend = 'cpu';
      return { onGpu, onCpu: await cpu, limits };
    });
    expect(result.limits).toEqual([[128 * 1024 * 1024, 256 * 1024 * 1024]]);
    expect(result.onGpu.type === 'palette-change' && result.onGpu.detail.backend).toBe('gpu');
    expect(result.onGpu.type === 'palette-change' && result.onGpu.detail.width).toBe(600);
    expect(result.onCpu.type === 'palette-change' && result.onCpu.detail.colors).toEqual(
      result.onGpu.type === 'palette-change' && result.onGpu.detail.colors,
    );
    expect(await probeFindings(page)).toEqual({ rejections: [], violations: [] });
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each([
    ['a Worker constructor that throws', { noWorker: true }],
    ['a Worker whose script fails to load', { brokenWorker: true }],
  ])('reports %s as worker-failed on the CPU backend, and the GPU still runs', async (_what, options) => {
    const { page, problems } = await open(options);
    const result = await page.evaluate(async () => {
      const el = document.createElement('palette-extractor');
      el.setAttribute('colors', '3');
      el.setAttribute('backend', 'cpu');
      document.body.append(el);
      const failed = nextOutcome(el, 30_000);
      el.src = '/public/samples/chelsea.png';
      const onCpu = await failed;
      await el.updateComplete;
      const alert = el.shadowRoot!.querySelector('[part~=error]')?.textContent ?? '';
      const gpu = nextOutcome(el, 60_000);
      el.backend = 'gpu';
      const onGpu = await gpu;
      // Twice: a worker that failed once is not left half-started.
      const again = nextOutcome(el, 30_000);
      el.backend = 'cpu';
      return { onCpu, alert, onGpu, again: await again };
    });
    expect(result.onCpu).toMatchObject({ type: 'palette-error', detail: { code: 'worker-failed' } });
    expect(result.alert).toMatch(/worker/i);
    expect(result.onGpu.type === 'palette-change' && result.onGpu.detail.backend).toBe('gpu');
    expect(result.again).toMatchObject({ type: 'palette-error', detail: { code: 'worker-failed' } });
    expect(await probeFindings(page)).toEqual({ rejections: [], violations: [] });
    // The browser's own report of the missing worker script is the fault we made, not the element's.
    expect(problems.filter((p) => !p.url.includes('reliability-no-such-worker'))).toEqual([]);
    await page.close();
  });
});

/**
 * The element on someone else's page: under a strict Content-Security-Policy (`default-src 'self'`: no inline
 * script or style, no eval, workers only from the page's origin), with user-supplied text (file names, URLs) that
 * carries markup, and with every request the page makes logged. In Chromium with WebGPU (SwiftShader here).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, HTTPRequest, Page } from 'puppeteer';
import type { PaletteDetail, PaletteErrorDetail } from '../../src/events/details.js';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import { launchBrowser } from '../helpers/browser.js';
import { openProbedPage, probeFindings, type Settled } from '../helpers/reliability.js';

declare function nextOutcome(el: Element, ms?: number): Promise<Settled>;

const cspPage = (policy: string) => `${inject('baseUrl')}/test/pages/csp.html?csp=${encodeURIComponent(policy)}`;

/** Waits for `#el`'s first palette (or error) after the page loaded. */
function firstOutcome(page: Page): Promise<Settled> {
  return page.evaluate(async () => {
    const el = document.querySelector<PaletteExtractor>('#el')!;
    if (el.palette) return { type: 'palette-change' as const, detail: el.palette };
    return nextOutcome(el);
  });
}

/** Sets `backend` on `#el` and resolves with the outcome. */
function withBackend(page: Page, backend: string): Promise<Settled> {
  return page.evaluate(async (backend) => {
    const el = document.querySelector<PaletteExtractor>('#el')!;
    const next = nextOutcome(el, 60_000);
    el.setAttribute('backend', backend);
    return next;
  }, backend);
}

describe('<palette-extractor> and a strict Content-Security-Policy', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("works under default-src 'self' on the GPU and in its CPU worker, with no violation and no request elsewhere", async () => {
    const requests: string[] = [];
    const { page, problems } = await openProbedPage(browser, cspPage("default-src 'self'"), {}, (page) =>
      page.on('request', (r: HTTPRequest) => requests.push(r.url())),
    );
    const onGpu = await firstOutcome(page);
    const onCpu = await withBackend(page, 'cpu');
    expect(onGpu.type === 'palette-change' && onGpu.detail.backend).toBe('gpu');
    expect(onCpu.type === 'palette-change' && onCpu.detail.backend).toBe('cpu');
    expect((onCpu.detail as PaletteDetail).colors).toEqual((onGpu.detail as PaletteDetail).colors);
    expect(await probeFindings(page)).toEqual({ rejections: [], violations: [] });
    // The browser's own favicon probe (the page has no icon: a data: one would break the policy) is not the element's.
    const browserOwn = (url: string) => new URL(url).pathname === '/favicon.ico';
    expect(problems.filter((p) => !browserOwn(p.url))).toEqual([]);
    // Only the page's own assets and the src it gave: the page, the bundle, its worker, the image.
    const origin = new URL(inject('baseUrl')).origin;
    const paths = requests
      .filter((url) => !browserOwn(url))
      .map((url) => (url.startsWith(origin) ? new URL(url).pathname : url));
    expect(paths.filter((p) => !/^\/dist\/assets\/cpu-worker-[\w-]+\.js$/.test(p)).sort()).toEqual(
      ['/dist/palette-extractor.bundled.js', '/public/samples/chelsea.png', '/test/pages/csp.html'].sort(),
    );
    // One worker script (the CPU path may start more than one worker from it).
    expect(new Set(paths.filter((p) => p.startsWith('/dist/assets/'))).size).toBe(1);
    await page.close();
  });

  it("reports worker-failed, without hanging, where worker-src 'none' forbids the CPU worker", async () => {
    const { page, problems } = await openProbedPage(browser, cspPage("default-src 'self'; worker-src 'none'"));
    expect((await firstOutcome(page)).type).toBe('palette-change');
    const onCpu = await withBackend(page, 'cpu');
    expect(onCpu).toMatchObject({ type: 'palette-error', detail: { code: 'worker-failed' } });
    const { rejections, violations } = await probeFindings(page);
    expect(rejections).toEqual([]);
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.filter((v) => !v.startsWith('worker-src'))).toEqual([]);
    // The browser reports the refused worker itself; nothing else may be logged.
    expect(problems.filter((p) => !/worker/i.test(p.text))).toEqual([]);
    await page.close();
  });
});

describe('<palette-extractor> given user text with markup', () => {
  let browser: Browser;
  let page: Page;
  let problems: { text: string; url: string }[];
  const requests: string[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
    // No CSP here: an injected handler would run, so its absence is the escaping's doing.
    ({ page, problems } = await openProbedPage(browser, `${inject('baseUrl')}/test/pages/reliability.html`));
    page.on('request', (r: HTTPRequest) => requests.push(r.url()));
    await page.evaluate(() => {
      const el = document.createElement('palette-extractor');
      el.id = 'el';
      el.setAttribute('colors', '3');
      document.body.append(el);
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const MARKUP = `<img src=x onerror="window.__pwned='file'"><script>window.__pwned='script'</script>`;

  /** Sets the input, resolves with the outcome, what the element shows, and whether anything injected ran. */
  function give(set: 'not-an-image' | 'image' | 'src' | 'javascript-src') {
    return page.evaluate(
      async (set, markup) => {
        const el = document.querySelector<PaletteExtractor>('#el')!;
        const next = nextOutcome(el);
        if (set === 'not-an-image') {
          // Dropped, as a person would: the element names the file in its error.
          const dataTransfer = new DataTransfer();
          dataTransfer.items.add(new File(['hello'], `${markup}.txt`, { type: 'text/plain' }));
          const target = el.shadowRoot!.querySelector('.layout')!;
          target.dispatchEvent(new DragEvent('drop', { dataTransfer, bubbles: true, composed: true, cancelable: true }));
        }
        else if (set === 'image') {
          const canvas = new OffscreenCanvas(8, 8);
          canvas.getContext('2d')!.fillRect(0, 0, 4, 8);
          el.image = new File([await canvas.convertToBlob()], `${markup}.png`, { type: 'image/png' });
        } else if (set === 'src') el.src = `/public/samples/${markup}.png`;
        else el.src = "javascript:window.__pwned='src'";
        const outcome = await next;
        await el.updateComplete;
        await new Promise((ok) => setTimeout(ok, 200)); // an onerror handler would have fired by now
        const root = el.shadowRoot!;
        return {
          outcome,
          alert: root.querySelector('[part~=error]')?.textContent ?? '',
          injected: root.querySelectorAll('img, script, iframe, object, embed').length +
            document.querySelectorAll('img, script:not([src]):not([type=importmap])').length,
          pwned: (window as unknown as { __pwned?: string }).__pwned ?? null,
        };
      },
      set,
      MARKUP,
    );
  }

  it('shows a dropped file name with markup as text in its error, and runs none of it', async () => {
    const shown = await give('not-an-image');
    expect(shown.outcome).toMatchObject({ type: 'palette-error', detail: { code: 'decode-failed' } });
    expect(shown.alert).toContain(MARKUP);
    expect(shown).toMatchObject({ injected: 0, pwned: null });
  });

  it('takes an image whose file name has markup, and runs none of it', async () => {
    const shown = await give('image');
    expect(shown.outcome.type).toBe('palette-change');
    expect(shown).toMatchObject({ injected: 0, pwned: null });
  });

  it.each([
    ['a src with markup', 'src' as const, 'fetch-failed'],
    ['a javascript: src', 'javascript-src' as const, 'fetch-failed'],
  ])('refuses %s as %s, and runs none of it', async (_what, set, code) => {
    const shown = await give(set);
    expect(shown.outcome.type).toBe('palette-error');
    expect((shown.outcome.detail as PaletteErrorDetail).code).toBe(code);
    expect(shown.alert).toBe((shown.outcome.detail as PaletteErrorDetail).message);
    expect(shown).toMatchObject({ injected: 0, pwned: null });
  });

  it('requested nothing the markup named, and logged nothing but the 404 it was given', async () => {
    const origin = new URL(inject('baseUrl')).origin;
    const paths = requests.map((url) => (url.startsWith(origin) ? decodeURIComponent(new URL(url).pathname) : url));
    // The element's own worker script may start during these runs (it prepares GPU runs too); anything else,
    // and above all anything the markup names (x, a script), must not be requested.
    const ownAssets = /^\/dist\/assets\/cpu-worker-[\w-]+\.js$/;
    expect(paths.filter((p) => !p.startsWith('/public/samples/<img') && !ownAssets.test(p))).toEqual([]);
    expect(await probeFindings(page)).toEqual({ rejections: [], violations: [] });
    expect(problems.filter((p) => !/404/.test(p.text))).toEqual([]);
  });
});

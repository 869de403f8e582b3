/**
 * The request model (docs/RELIABILITY.md), in Chromium with WebGPU (SwiftShader here): whatever happens meanwhile,
 * the latest request ends in exactly one `palette-change` or `palette-error`, and every `extract()` settles. Each case
 * below was seen to hang, crash or answer wrongly before the request model: options changed during the first load,
 * detached `extract()`, stalled servers, huge images, wide images, `image` then `src` in one task, empty attributes,
 * a cross-origin redirect, SVGs, fifty elements, and `auto` on a software adapter.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import type { PaletteDetail, PaletteErrorDetail } from '../../src/events/details.js';
import { launchBrowser } from '../helpers/browser.js';
import { solidPng } from '../helpers/png.js';
import { openProbedPage, probeFindings, type PageProblem, type Settled } from '../helpers/reliability.js';

declare function seededImage(width: number, height: number, seed: number, colours?: number): ImageData;
declare const __probe: { workers: { started: number; live: number } };

/** In the page: every terminal event of `el` from now until `quietMs` after the first one (or `timeoutMs`). */
const OUTCOMES_HELPER = `
window.outcomesAfter = (el, action, quietMs = 400, timeoutMs = 60000) => new Promise((resolve) => {
  const seen = [];
  let quiet;
  const finish = () => {
    el.removeEventListener('palette-change', onChange);
    el.removeEventListener('palette-error', onError);
    clearTimeout(quiet);
    clearTimeout(timeout);
    resolve(seen);
  };
  const record = (type) => (event) => {
    seen.push({ type, detail: event.detail });
    clearTimeout(quiet);
    quiet = setTimeout(finish, quietMs);
  };
  const onChange = record('palette-change');
  const onError = record('palette-error');
  el.addEventListener('palette-change', onChange);
  el.addEventListener('palette-error', onError);
  const timeout = setTimeout(finish, timeoutMs);
  Promise.resolve().then(action);
});
window.toFile = (base64, name, type) =>
  new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type });
`;
declare function outcomesAfter(el: Element, action: () => unknown, quietMs?: number, timeoutMs?: number): Promise<Settled[]>;
declare function toFile(base64: string, name: string, type: string): File;

const SAMPLE = '/public/samples/chelsea.png';
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

describe('<palette-extractor> ends every request', () => {
  let browser: Browser;
  let page: Page;
  let problems: PageProblem[];
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page, problems } = await openProbedPage(browser, `${inject('baseUrl')}/test/pages/reliability.html`));
    await page.evaluate(OUTCOMES_HELPER);
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe.each(['cpu', 'gpu'])('on backend %s', (backend) => {
    it.each([
      ['colors', '3', 0],
      ['colors', '3', 30],
      ['seed', '7', 0],
      ['seed', '7', 120],
      ['backend', backend === 'cpu' ? 'gpu' : 'cpu', 0],
      ['backend', backend === 'cpu' ? 'gpu' : 'cpu', 60],
    ])('ends in one palette-change for the new value when %s becomes %s %i ms after the element is added', async (name, value, delay) => {
      const outcomes = await page.evaluate(
        async (backend, name, value, delay, src) => {
          document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
          const el = document.createElement('palette-extractor') as PaletteExtractor;
          el.setAttribute('backend', backend);
          el.setAttribute('n-init', '1');
          el.src = `${src}?${Math.random()}`;
          return outcomesAfter(el, async () => {
            document.body.append(el);
            await new Promise((ok) => setTimeout(ok, delay));
            el.setAttribute(name, value);
          });
        },
        backend,
        name,
        value,
        delay,
        SAMPLE,
      );
      expect(outcomes.map((o) => o.type)).toEqual(['palette-change']);
      const detail = outcomes[0]!.detail as PaletteDetail;
      if (name === 'colors') expect(detail.k).toBe(3);
      if (name === 'seed') expect(detail.seed).toBe(7);
      if (name === 'backend') expect(detail.backend).toBe(value);
    });

    it('ends in one palette-change when colors changes 5 ms after a File is given', async () => {
      const png = (await solidPng(64, 48, [200, 40, 90, 255])).toString('base64');
      const outcomes = await page.evaluate(
        async (backend, png) => {
          document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
          const el = document.createElement('palette-extractor') as PaletteExtractor;
          el.setAttribute('backend', backend);
          document.body.append(el);
          return outcomesAfter(el, async () => {
            el.image = toFile(png, 'solid.png', 'image/png');
            await new Promise((ok) => setTimeout(ok, 5));
            el.colors = 2;
          });
        },
        backend,
        png,
      );
      expect(outcomes.map((o) => o.type)).toEqual(['palette-change']);
      expect((outcomes[0]!.detail as PaletteDetail).k).toBe(2);
      expect((outcomes[0]!.detail as PaletteDetail).colors.map((c) => c.hex)).toEqual(['#c8285a']);
    });
  });

  it('settles extract() on an element that was never on the page, and keeps no worker once it has', async () => {
    const result = await page.evaluate(async (src) => {
      document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
      await new Promise((ok) => setTimeout(ok, 50));
      const before = __probe.workers.live;
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      el.backend = 'cpu';
      el.colors = 4;
      el.src = src;
      const palette = await Promise.race([
        el.extract(),
        new Promise<never>((_, fail) => setTimeout(() => fail(new Error('extract() did not settle in 60 s')), 60_000)),
      ]);
      return { k: palette.k, colors: palette.colors.length, before, after: __probe.workers.live };
    }, SAMPLE);
    expect(result.k).toBe(4);
    expect(result.colors).toBe(4);
    expect(result.after).toBe(result.before);
  });

  it('rejects a pending extract() with invalid-input when src is removed, and with aborted when the element is removed', async () => {
    const result = await page.evaluate(async (src) => {
      const settle = (p: Promise<unknown>) =>
        Promise.race([
          p.then(
            () => 'resolved',
            (e: { code?: string }) => e.code ?? String(e),
          ),
          new Promise((ok) => setTimeout(() => ok('pending after 30 s'), 30_000)),
        ]);
      document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      el.backend = 'cpu';
      el.src = `${src}?${Math.random()}`;
      document.body.append(el);
      await el.updateComplete; // src is reflected to its attribute
      const first = el.extract();
      el.removeAttribute('src');
      const removedSrc = await settle(first);
      el.src = `${src}?${Math.random()}`;
      const second = el.extract();
      await new Promise((ok) => setTimeout(ok, 5));
      el.remove();
      const removedElement = await settle(second);
      return { removedSrc, removedElement };
    }, SAMPLE);
    expect(result).toEqual({ removedSrc: 'invalid-input', removedElement: 'aborted' });
  });

  it.each(['headers', 'body'])('fails with fetch-failed when the server stalls before its %s end, after fetch-timeout', async (where) => {
    const outcomes = await page.evaluate(async (where) => {
      document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      el.fetchTimeout = 500;
      document.body.append(el);
      return outcomesAfter(el, () => (el.src = `/__stall/${where}`));
    }, where);
    expect(outcomes.map((o) => o.type)).toEqual(['palette-error']);
    const detail = outcomes[0]!.detail as PaletteErrorDetail;
    expect(detail.code).toBe('fetch-failed');
    expect(detail.message).toMatch(/stopped sending.*0\.5 s/);
  });

  it('shows a Cancel button while a load hangs; pressing it ends the request with aborted and the element is idle', async () => {
    const result = await page.evaluate(async () => {
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
      document.body.append(el);
      const outcomes = outcomesAfter(el, () => (el.src = '/__stall/headers'));
      await new Promise((ok) => setTimeout(ok, 300));
      const button = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="cancel"]');
      const visible = !!button && button.getBoundingClientRect().width > 0;
      button?.click();
      const seen = await outcomes;
      await el.updateComplete;
      return {
        visible,
        seen,
        busyAfter: !!el.shadowRoot!.querySelector('[part~="progress"]'),
        alert: el.shadowRoot!.querySelector('[part~="error"]')?.textContent ?? '',
      };
    });
    expect(result.visible).toBe(true);
    expect(result.seen.map((o) => [o.type, (o.detail as PaletteErrorDetail).code])).toEqual([['palette-error', 'aborted']]);
    expect(result.busyAfter).toBe(false);
    expect(result.alert).toMatch(/Cancelled/);
  });

  it('refuses a 16384×16384 PNG with too-large before decoding it, on both backends', async () => {
    const png = (await solidPng(16384, 16384, [10, 120, 200, 255])).toString('base64');
    for (const backend of ['gpu', 'cpu']) {
      const outcomes = await page.evaluate(
        async (png, backend) => {
          document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
          const el = document.createElement('palette-extractor') as PaletteExtractor;
          el.backend = backend as 'gpu';
          document.body.append(el);
          return outcomesAfter(el, () => (el.image = toFile(png, 'huge.png', 'image/png')));
        },
        png,
        backend,
      );
      expect(outcomes.map((o) => [o.type, (o.detail as PaletteErrorDetail).code])).toEqual([['palette-error', 'too-large']]);
      expect((outcomes[0]!.detail as PaletteErrorDetail).message).toMatch(/16384 × 16384.*268 MP.*100 MP/);
    }
  });

  it('computes an image over 64 MP asked for on the GPU on the CPU instead, with a notice for people and no GPU error', async () => {
    const result = await page.evaluate(async () => {
      document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      el.backend = 'gpu';
      el.nInit = 1;
      el.colors = 2;
      document.body.append(el);
      // 8193 × 8193: its pixels (268,500,996 bytes) pass WebGPU's default 256 MiB buffer and binding limits.
      const big = new ImageData(8193, 8193);
      const words = new Uint32Array(big.data.buffer);
      words.fill(0xff3c8cdc, 0, words.length >> 1);
      words.fill(0xff285014, words.length >> 1);
      const [outcome] = await outcomesAfter(el, () => (el.image = big), 400, 240_000);
      await el.updateComplete;
      return { outcome, notice: el.shadowRoot!.querySelector('[part~=notice]')?.textContent ?? '' };
    });
    expect(result.outcome!.type, JSON.stringify(result.outcome)).toBe('palette-change');
    const detail = result.outcome!.detail as PaletteDetail;
    expect(detail.backend).toBe('cpu');
    expect(detail.colors.map((c) => c.hex).sort()).toEqual(['#145028', '#dc8c3c']);
    expect(result.notice).toMatch(/8193×8193 image is larger than the GPU can hold.*CPU/);
    expect(result.notice).not.toMatch(/Invalid|Buffer|\n/);
  });

  it.each([
    [1, 100_000],
    [100_000, 1],
  ])('clusters a %i×%i PNG in full and by sample, and shows its previews', async (width, height) => {
    const png = (await solidPng(width, height, [30, 160, 90, 255])).toString('base64');
    for (const sampleSize of ['full', '200']) {
      const result = await page.evaluate(
        async (png, sampleSize) => {
          document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
          const el = document.createElement('palette-extractor') as PaletteExtractor;
          el.backend = 'cpu';
          el.sampleSize = sampleSize;
          document.body.append(el);
          const [outcome] = await outcomesAfter(el, () => (el.image = toFile(png, 'line.png', 'image/png')));
          await el.updateComplete;
          const painted = (part: string) => {
            const canvas = el.shadowRoot!.querySelector<HTMLCanvasElement>(`[part~="${part}"]`);
            if (!canvas) return 'missing';
            const probe = new OffscreenCanvas(1, 1).getContext('2d')!;
            probe.drawImage(canvas, Math.floor(canvas.width / 2), Math.floor(canvas.height / 2), 1, 1, 0, 0, 1, 1);
            return Array.from(probe.getImageData(0, 0, 1, 1).data).join(',');
          };
          return { outcome, original: painted('original'), recolored: painted('recolored') };
        },
        png,
        sampleSize,
      );
      expect(result.outcome!.type, JSON.stringify(result.outcome)).toBe('palette-change');
      expect((result.outcome!.detail as PaletteDetail).colors.map((c) => c.hex)).toEqual(['#1ea05a']);
      expect(result.original).toBe('30,160,90,255');
      expect(result.recolored).toBe('30,160,90,255');
    }
  });

  it.each(['cpu', 'gpu'])(
    'keeps #ff0000 and #fe0000 apart in OKLab at k=2 on backend %s: each colour of the palette is one of them, exactly',
    async (backend) => {
      const result = await page.evaluate(async (backend) => {
        document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
        const el = document.createElement('palette-extractor') as PaletteExtractor;
        el.backend = backend as 'cpu' | 'gpu';
        el.colorSpace = 'oklab';
        el.colors = 2;
        document.body.append(el);
        // Two near reds and a few near greys: every pair of these shared an 8-bit OKLab code.
        const pairs = [
          [[255, 0, 0], [254, 0, 0]],
          [[255, 255, 255], [254, 255, 255]],
          [[0, 0, 255], [0, 0, 254]],
        ];
        const found: string[][] = [];
        for (const [a, b] of pairs) {
          const image = new ImageData(8, 8);
          for (let i = 0; i < 64; i++) image.data.set([...(i < 40 ? a! : b!), 255], 4 * i);
          const [outcome] = await outcomesAfter(el, () => (el.image = image));
          found.push(
            outcome?.type === 'palette-change'
              ? (outcome.detail as PaletteDetail).colors.map((c) => `${c.hex} ${c.count}`)
              : [JSON.stringify(outcome)],
          );
        }
        return found;
      }, backend);
      expect(result).toEqual([
        ['#ff0000 40', '#fe0000 24'],
        ['#ffffff 40', '#feffff 24'],
        ['#0000ff 40', '#0000fe 24'],
      ]);
    },
  );

  it('shows src when src is set after image in the same task, and image when image is set after src', async () => {
    const result = await page.evaluate(async (src) => {
      document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      el.backend = 'cpu';
      document.body.append(el);
      const tiny = seededImage(8, 8, 3, 2);
      const fromSrc = await outcomesAfter(el, () => {
        el.image = tiny;
        el.src = src;
      });
      const fromImage = await outcomesAfter(el, () => {
        el.src = src;
        el.image = tiny;
      });
      return [fromSrc, fromImage].map((o) => o.map((x) => `${x.type} ${(x.detail as PaletteDetail).width}`));
    }, SAMPLE);
    expect(result).toEqual([['palette-change 451'], ['palette-change 8']]);
  });

  it('reads an empty or removed colors attribute as the default, and quotes what was written when it is not a number', async () => {
    const result = await page.evaluate(async (src) => {
      document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      el.backend = 'cpu';
      el.setAttribute('n-init', '1');
      el.setAttribute('colors', '3');
      el.src = src;
      const first = await outcomesAfter(el, () => document.body.append(el));
      const empty = await outcomesAfter(el, () => el.setAttribute('colors', ''));
      await outcomesAfter(el, () => el.setAttribute('colors', '3'));
      const removed = await outcomesAfter(el, () => el.removeAttribute('colors'));
      const words = await outcomesAfter(el, () => el.setAttribute('colors', 'abc'));
      const kOf = (o: { detail: unknown }[]) => (o[0]!.detail as { k?: number; message?: string }).k ?? (o[0]!.detail as { message: string }).message;
      return [first, empty, removed, words].map(kOf);
    }, SAMPLE);
    expect(result.slice(0, 3)).toEqual([3, 5, 5]);
    expect(result[3]).toMatch(/colors must be a number \(got "abc"\)/);
  });

  it('reports cross-origin, not fetch-failed, for a redirect to another origin that does not allow CORS', async () => {
    const outcomes = await page.evaluate(async (src) => {
      document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      document.body.append(el);
      return outcomesAfter(el, () => (el.src = `/__redirect-cross-origin?to=${encodeURIComponent(src)}`));
    }, SAMPLE);
    expect(outcomes.map((o) => [o.type, (o.detail as PaletteErrorDetail).code])).toEqual([['palette-error', 'cross-origin']]);
  });

  it.each(['src', 'file'])('rasterises an SVG given as %s and finds its colours', async (how) => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="60" height="60" fill="#ff0000"/>' +
      '<rect x="60" width="60" height="60" fill="#0000ff"/></svg>';
    const outcomes = await page.evaluate(
      async (svg, how) => {
        document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
        const el = document.createElement('palette-extractor') as PaletteExtractor;
        el.backend = 'cpu';
        el.colors = 2;
        document.body.append(el);
        const file = new File([svg], 'logo.svg', { type: 'image/svg+xml' });
        return outcomesAfter(el, () => {
          if (how === 'src') el.src = URL.createObjectURL(file);
          else el.image = file;
        });
      },
      svg,
      how,
    );
    expect(outcomes[0]!.type, JSON.stringify(outcomes)).toBe('palette-change');
    const detail = outcomes[0]!.detail as PaletteDetail;
    expect([detail.width, detail.height]).toEqual([120, 60]);
    expect(detail.colors.map((c) => c.hex).sort()).toEqual(['#0000ff', '#ff0000']);
  });

  it('says "the image/png file", never "a image", when a file cannot be decoded', async () => {
    const outcomes = await page.evaluate(async () => {
      document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      document.body.append(el);
      return outcomesAfter(el, () => (el.image = new File(['not a png'], 'x.png', { type: 'image/png' })));
    });
    const detail = outcomes[0]!.detail as PaletteErrorDetail;
    expect(detail.code).toBe('decode-failed');
    expect(detail.message).not.toMatch(/\ba image/);
    expect(detail.message).toMatch(/the image\/png file/);
  });

  it('runs fifty elements on two shared workers, and stops them when the elements leave', async () => {
    const result = await page.evaluate(async () => {
      document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
      await new Promise((ok) => setTimeout(ok, 50));
      const started = __probe.workers.started;
      const elements = Array.from({ length: 50 }, (_, i) => {
        const el = document.createElement('palette-extractor') as PaletteExtractor;
        el.backend = 'cpu';
        el.nInit = 1;
        el.colors = 3;
        el.image = seededImage(16, 12, i + 1, 6);
        return el;
      });
      const palettes = await Promise.all(
        elements.map((el) => {
          const done = new Promise((ok) => el.addEventListener('palette-change', ok, { once: true }));
          document.body.append(el);
          return done;
        }),
      );
      const whileOn = { started: __probe.workers.started - started, live: __probe.workers.live };
      elements.forEach((el) => el.remove());
      await new Promise((ok) => setTimeout(ok, 50));
      return { palettes: palettes.length, whileOn, liveAfter: __probe.workers.live };
    });
    expect(result.palettes).toBe(50);
    expect(result.whileOn.started).toBeLessThanOrEqual(2);
    expect(result.liveAfter).toBe(0);
  });

  it('computes on the CPU under backend="auto" where the only adapter is a software one, and says so', async () => {
    const detail = await page.evaluate(async (src) => {
      document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      el.nInit = 1;
      el.src = src;
      const [outcome] = await outcomesAfter(el, () => document.body.append(el));
      await el.updateComplete;
      const adapter = await (navigator as Navigator & { gpu: GPU }).gpu.requestAdapter();
      return {
        outcome,
        fallback: !!adapter && (adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter,
        notice: el.shadowRoot!.querySelector('[part~="notice"]')?.textContent ?? '',
      };
    }, SAMPLE);
    expect(detail.outcome!.type).toBe('palette-change');
    if (detail.fallback) {
      expect((detail.outcome!.detail as PaletteDetail).backend).toBe('cpu');
      expect(detail.notice).toMatch(/software.*CPU/);
    } else {
      expect((detail.outcome!.detail as PaletteDetail).backend).toBe('gpu');
    }
  });

  it('logged no page error and no unhandled rejection', async () => {
    await sleep(100);
    const findings = await probeFindings(page);
    expect(findings.rejections).toEqual([]);
    // Chromium logs the failed requests the tests made on purpose (the stalls, the redirect) as console errors.
    expect(problems.filter((p) => !/Failed to load resource|CORS|net::ERR/.test(p.text))).toEqual([]);
  });
});

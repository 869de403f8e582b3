/**
 * The request invariant under random timing (docs/RELIABILITY.md): 200 seeded sequences per backend, each changing
 * attributes, `image` and `src` at random moments while the element loads and runs. After the last change the
 * element ends in exactly one `palette-change` or `palette-error`, and a palette matches the final options and image.
 * A failure prints its sequence seed; `SEQUENCE_SEED=<n>` replays that one sequence alone.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import type { PaletteDetail, PaletteErrorDetail } from '../../src/events/details.js';
import { launchBrowser } from '../helpers/browser.js';
import { openProbedPage, probeFindings } from '../helpers/reliability.js';

declare function seededImage(width: number, height: number, seed: number, colours?: number): ImageData;

const SEQUENCES = 200;
const replay = process.env.SEQUENCE_SEED ? [Number(process.env.SEQUENCE_SEED)] : undefined;

interface SequenceResult {
  seed: number;
  steps: string[];
  /** Terminal events after the last change; where that change started no request, the last event before it. */
  after: { type: string; detail: PaletteDetail | PaletteErrorDetail }[];
  /** Whether `after` came after the last change. */
  fresh: boolean;
  expected: {
    k: number;
    seed: number;
    colorSpace: string;
    arithmetic: string;
    backend: string;
    width: number;
    height: number;
    sampleWidth: number;
    sampleHeight: number;
  };
}

/** Runs one sequence in the page (a function so it can be sent with `page.evaluate`). */
function runSequence(seq: number, backend: string): Promise<SequenceResult> {
  let a = (seq * 2654435761) >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
  const w = window as unknown as { __inputs?: { kind: string; value: unknown; width: number; height: number }[] };
  if (!w.__inputs) {
    // Small inputs of every kind: pixels, PNG files and blob: URLs of them (created once for the page).
    w.__inputs = [];
    for (const [width, height] of [[24, 16], [13, 29], [40, 40]] as const) {
      const pixels = seededImage(width, height, width * height, 9);
      w.__inputs.push({ kind: 'imagedata', value: pixels, width, height });
    }
  }
  return (async () => {
    const inputs = w.__inputs!;
    if (inputs.length === 3) {
      for (const image of inputs.slice(0, 3)) {
        const canvas = new OffscreenCanvas(image.width, image.height);
        canvas.getContext('2d')!.putImageData(image.value as ImageData, 0, 0);
        const blob = await canvas.convertToBlob({ type: 'image/png' });
        inputs.push({ ...image, kind: 'file', value: new File([blob], 'seq.png', { type: 'image/png' }) });
        inputs.push({ ...image, kind: 'url', value: URL.createObjectURL(blob) });
      }
    }
    document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
    const el = document.createElement('palette-extractor') as PaletteExtractor;
    el.setAttribute('backend', backend);
    el.setAttribute('n-init', '1');
    const steps: string[] = [];
    const state = { colors: 5, seed: 0, colorSpace: 'rgb', arithmetic: 'exact', sampleSize: '200', src: undefined as unknown, image: undefined as unknown, last: 'none' };
    const setInput = (input: (typeof inputs)[number]) => {
      if (input.kind === 'url') {
        el.src = input.value as string;
        state.src = input;
        state.last = 'src';
      } else {
        el.image = input.value as ImageData;
        state.image = input;
        state.last = 'image';
      }
      steps.push(`${input.kind} ${input.width}x${input.height}`);
    };
    const ops: (() => void)[] = [
      () => {
        const v = pick(['1', '2', '3', '4', '7', '', null]);
        if (v === null) el.removeAttribute('colors');
        else el.setAttribute('colors', v);
        state.colors = v ? Number(v) : 5;
        steps.push(`colors=${JSON.stringify(v)}`);
      },
      () => {
        const v = pick([0, 1, 7, 42]);
        el.seed = v;
        state.seed = v;
        steps.push(`seed=${v}`);
      },
      () => {
        const v = pick(['rgb', 'oklab']);
        el.setAttribute('color-space', v);
        state.colorSpace = v;
        steps.push(`color-space=${v}`);
      },
      () => {
        const v = pick(['exact', 'float64']);
        el.setAttribute('arithmetic', v);
        state.arithmetic = v;
        steps.push(`arithmetic=${v}`);
      },
      () => {
        const v = pick(['200', 'full', '10x10', '16']);
        el.setAttribute('sample-size', v);
        state.sampleSize = v;
        steps.push(`sample-size=${v}`);
      },
      () => setInput(pick(inputs)),
      () => setInput(pick(inputs)),
    ];
    // Every terminal event, with the number of the last change that changed anything (the image shown or an option).
    const events: { change: number; type: string; detail: PaletteDetail | PaletteErrorDetail }[] = [];
    let effective = 0;
    const record = (type: string) => (event: Event) => events.push({ change: effective, type, detail: (event as CustomEvent).detail });
    el.addEventListener('palette-change', record('palette-change'));
    el.addEventListener('palette-error', record('palette-error'));
    const snapshot = () =>
      [state.colors, state.seed, state.colorSpace, state.arithmetic, state.sampleSize, state.last === 'src' ? state.src : state.image];
    setInput(pick(inputs));
    document.body.append(el);
    const count = 1 + Math.floor(random() * 5);
    for (let i = 1; i <= count; i++) {
      const delay = pick([0, 0, 1, 5, 15, 40]);
      if (delay) await sleep(delay);
      const before = snapshot();
      pick(ops)();
      if (snapshot().some((v, j) => v !== before[j])) effective = i;
      else steps[steps.length - 1] += ' (no change)';
    }
    // The first terminal event after the last change, then a quiet spell in which no second one may come. A change
    // undone before the element updated (float64, then exact, in one task) starts no request: then the element goes
    // idle with no new event, and the last event it fired must already be for the final values.
    const after = () => events.filter((e) => e.change === effective);
    const busy = () => !!el.shadowRoot?.querySelector('[part~="cancel"]');
    const deadline = performance.now() + 60_000;
    while (after().length === 0 && performance.now() < deadline) {
      await el.updateComplete;
      await sleep(10);
      if (!busy() && events.length > 0) {
        await sleep(300);
        if (!busy()) break;
      }
    }
    await sleep(250);
    const input = (state.last === 'src' ? state.src : state.image) as (typeof inputs)[number];
    const sample = (() => {
      const size = state.sampleSize;
      if (size === 'full') return [input.width, input.height];
      if (size.includes('x')) return size.split('x').map(Number);
      const scale = Math.min(1, Number(size) / Math.max(input.width, input.height));
      return [Math.max(1, Math.round(input.width * scale)), Math.max(1, Math.round(input.height * scale))];
    })();
    return {
      seed: seq,
      steps,
      after: (after().length > 0 ? after() : events.slice(-1)).map(({ type, detail }) => ({ type, detail })),
      fresh: after().length > 0,
      expected: {
        k: state.colors,
        seed: state.seed,
        colorSpace: state.colorSpace,
        arithmetic: backend === 'cpu' ? state.arithmetic : 'exact',
        backend,
        width: input.width,
        height: input.height,
        sampleWidth: sample[0]!,
        sampleHeight: sample[1]!,
      },
    };
  })();
}

describe('<palette-extractor> under random timing', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page } = await openProbedPage(browser, `${inject('baseUrl')}/test/pages/reliability.html`));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each(['cpu', 'gpu'])(
    'ends each of %s sequences in exactly one outcome that matches the final options (backend %s)'.replace('%s', String(replay?.length ?? SEQUENCES)),
    async (backend) => {
      const seeds = replay ?? Array.from({ length: SEQUENCES }, (_, i) => (backend === 'cpu' ? 1 : 100_001) + i);
      for (const seq of seeds) {
        const result = await page.evaluate(runSequence, seq, backend);
        const context = `sequence ${seq} (replay: SEQUENCE_SEED=${seq}): ${result.steps.join(', ')} → ${JSON.stringify(result.after)}`;
        expect(result.after.length, context).toBe(1);
        const [outcome] = result.after;
        expect(outcome!.type, context).toBe('palette-change');
        const d = outcome!.detail as PaletteDetail;
        const got = {
          k: d.k,
          seed: d.seed,
          colorSpace: d.colorSpace,
          arithmetic: d.arithmetic,
          backend: d.backend,
          width: d.width,
          height: d.height,
          sampleWidth: d.sampleWidth,
          sampleHeight: d.sampleHeight,
        };
        expect(got, context).toEqual(result.expected);
        expect(d.colors.length, context).toBeLessThanOrEqual(result.expected.k);
        expect(d.colors.reduce((sum, c) => sum + c.count, 0), context).toBe(d.pixelsUsed);
      }
      expect((await probeFindings(page)).rejections).toEqual([]);
    },
  );
});

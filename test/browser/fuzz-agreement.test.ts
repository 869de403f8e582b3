/**
 * GPU/CPU agreement under fuzzing, in Chromium (WebGPU on SwiftShader here, the real GPU elsewhere): the same seeded
 * cases as the Node/Dawn suite (test/helpers/fuzz.ts, test/gpu/fuzz-agreement.test.ts) run on the built package's
 * `GpuKMeans` and `cpuPixelKMeans` in test/pages/fuzz.html, one engine on one device for all of them. Each outcome
 * comes back to Node and is compared with the same `firstDifference`: every label, fixed-point centre, iteration
 * count, `converged`, exact inertia, counts and pixels used, or the same typed refusal on both sides.
 *
 * `FUZZ_CASES=<n>` changes the number of cases; `FUZZ_CASE=<seed>[,<seed>...]` replays cases by seed.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import type { PixelKMeansResult } from '../../src/core/types.js';
import { launchBrowser, openTestPage } from '../helpers/browser.js';
import { firstDifference, fuzzCase, fuzzSeeds } from '../helpers/fuzz.js';

const DEFAULT_CASES = 320;

type Serialised = Omit<PixelKMeansResult, 'centersFixed' | 'labels' | 'inertiaFixed' | 'centers' | 'rgb'> & {
  centersFixed: number[];
  labels: string;
  inertiaFixed: string;
  centersFinite: boolean;
};
type Outcome = { ok: true; result: Serialised } | { ok: false; failure: string };

/** Enough of a PixelKMeansResult for `firstDifference`. */
function revive(r: Serialised): PixelKMeansResult {
  const bytes = Buffer.from(r.labels, 'base64');
  return {
    ...r,
    centers: [],
    rgb: [],
    centersFixed: Uint32Array.from(r.centersFixed),
    labels: new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4),
    inertiaFixed: BigInt(r.inertiaFixed),
  };
}

const replay = (seed: number) =>
  `SKIP_BUILD=1 FUZZ_CASE=${seed} npm test -- --project browser test/browser/fuzz-agreement.test.ts`;

describe('GPU and CPU agree exactly on fuzzed images in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page, errors } = await openTestPage(browser, `${inject('baseUrl')}/test/pages/fuzz.html`, 'window.fuzzReady === true'));
  });
  afterAll(async () => {
    expect(errors, 'console errors in the fuzz page').toEqual([]);
    await browser?.close();
  });

  for (const seed of fuzzSeeds(DEFAULT_CASES)) {
    const fuzz = fuzzCase(seed);
    it(`gives the same result on case ${seed}: ${fuzz.description}`, async () => {
      const header = `Fuzz case ${seed} (${fuzz.description}) in Chromium — replay: ${replay(seed)}`;
      const sent = {
        width: fuzz.image.width,
        height: fuzz.image.height,
        data: Buffer.from(fuzz.image.data.buffer, fuzz.image.data.byteOffset, fuzz.image.data.byteLength).toString('base64'),
        options: fuzz.options,
      };
      const { cpu, gpu } = (await page.evaluate(
        (c) => (window as unknown as { fuzzCase(c: unknown): Promise<unknown> }).fuzzCase(c),
        sent,
      )) as { cpu: Outcome; gpu: Outcome };
      if (!cpu.ok || !gpu.ok) {
        // A refusal must be typed and the same on both sides.
        expect(gpu.ok ? 'a result' : gpu.failure, header).toBe(cpu.ok ? 'a result' : cpu.failure);
        expect(cpu.ok ? '' : cpu.failure, header).toMatch(/^\w+Error\((no-opaque-pixels|invalid-option)\)$/);
        return;
      }
      expect(firstDifference(revive(gpu.result), revive(cpu.result)), header).toBeNull();
      expect(gpu.result.centersFinite, header).toBe(true);
    });
  }
});

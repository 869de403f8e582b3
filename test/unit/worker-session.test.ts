/**
 * The CPU worker's session (src/worker/exact-session.ts): a loaded image kept between requests, its seedings split
 * over workers, must give the bits `cpuPixelKMeans` gives, whatever the k, seed, colour space or split.
 */
import { describe, expect, it } from 'vitest';
import { cpuPixelKMeans } from '../../src/core/exact/cpu.js';
import { exactRunPlan } from '../../src/core/exact/plan.js';
import { prepareExactRun } from '../../src/core/exact/prepare.js';
import { runExactSeedSteps, runExactSeeds, type ExactRunResult } from '../../src/core/exact/runs.js';
import { AbortError } from '../../src/core/errors.js';
import { runPaced } from '../../src/core/pace.js';
import type { PixelImage, PixelKMeansOptions, PixelKMeansResult } from '../../src/core/types.js';
import { ExactImageSession, splitRuns } from '../../src/worker/exact-session.js';
import { recolorNearest, recolorNearestSteps } from '../../src/worker/recolor.js';
import { loadSample } from '../helpers/images.js';
import { MEGAPIXEL_SIZES, photoLikeImage } from '../helpers/large-image.js';

function expectSameResult(actual: PixelKMeansResult, expected: PixelKMeansResult): void {
  expect(actual.centersFixed).toEqual(expected.centersFixed);
  expect(actual.inertiaFixed).toBe(expected.inertiaFixed);
  expect(actual.iterations).toBe(expected.iterations);
  expect(actual.converged).toBe(expected.converged);
  expect(actual.counts).toEqual(expected.counts);
  let differ = 0;
  for (let i = 0; i < expected.labels.length; i++) if (actual.labels[i] !== expected.labels[i]) differ++;
  expect(differ).toBe(0);
  expect(actual.labels.length).toBe(expected.labels.length);
}

/** What the main worker and its helper do: each part's runs, best of each, then the best of all. */
function sessionRun(session: ExactImageSession, options: PixelKMeansOptions, parts: number): PixelKMeansResult {
  const request = session.prepare(options);
  const bests: ExactRunResult[] = splitRuns(request.run.nInit, parts).map((runs) => {
    const outcomes = runExactSeeds(request.work, runs);
    return outcomes.reduce((a, b) => (b.inertiaFixed < a.inertiaFixed || (b.inertiaFixed === a.inertiaFixed && b.run < a.run) ? b : a));
  });
  // The helper's best arrives first as often as not.
  return session.finish(request, bests.reverse());
}

/** Pixels with a transparent stripe, so that some pixels are not points. */
function withTransparency(image: PixelImage): PixelImage {
  const data = new Uint8ClampedArray(image.data);
  for (let p = 0; p < image.width * image.height; p += 7) data[4 * p + 3] = 40;
  return { data, width: image.width, height: image.height };
}

describe('the CPU worker session', () => {
  it('splits seedings round-robin into at most the asked number of parts', () => {
    expect(splitRuns(5, 2)).toEqual([[0, 2, 4], [1, 3]]);
    expect(splitRuns(1, 2)).toEqual([[0]]);
    expect(splitRuns(3, 1)).toEqual([[0, 1, 2]]);
  });

  it.each([1, 2, 3])('gives the bits cpuPixelKMeans gives with the seedings split over %i workers', async (parts) => {
    const image = photoLikeImage(320, 200, 3);
    const session = new ExactImageSession(image);
    const options = { k: 6, seed: 4, nInit: 5 };
    expectSameResult(sessionRun(session, options, parts), await cpuPixelKMeans(image, options));
  });

  it('keeps the image between requests: a new k, seed, nInit or colour space gives fresh bits each time', async () => {
    const image = withTransparency(await loadSample('chelsea.png'));
    const session = new ExactImageSession(image);
    for (const options of [
      { k: 5, seed: 0, nInit: 3 },
      { k: 9, seed: 0, nInit: 3 },
      { k: 9, seed: 7, nInit: 4 },
      { k: 4, seed: 1, nInit: 2, colorSpace: 'oklab' as const },
      { k: 5, seed: 0, nInit: 3 },
    ]) {
      expectSameResult(sessionRun(session, options, 2), await cpuPixelKMeans(image, options));
    }
  });

  it('reuses the points and distinct colours of a loaded image for a new k, and for another colour space', () => {
    const session = new ExactImageSession(photoLikeImage(200, 100, 5));
    const first = session.prepare({ k: 3, seed: 0, nInit: 1 });
    const second = session.prepare({ k: 8, seed: 2, nInit: 2 });
    expect(second.distinct).toBe(first.distinct);
    expect(second.run.points).toBe(first.run.points);
    expect(second.work.coords).toBe(first.work.coords);
    // The same colours in OKLab: the table is shared, its coordinates are the colour space's own.
    const oklab = session.prepare({ k: 3, colorSpace: 'oklab' });
    expect(oklab.distinct).toBe(first.distinct);
    expect(oklab.work.coords).not.toBe(first.work.coords);
    expect(session.prepare({ k: 3, alphaThreshold: 0 }).distinct).not.toBe(first.distinct);
  });

  it.each([
    ['RGB', { k: 5, seed: 3, nInit: 4 }],
    ['OKLab', { k: 7, seed: 1, nInit: 2, colorSpace: 'oklab' as const }],
  ])('prepares a GPU run (%s) as prepareExactRun does, without per-pixel arrays', async (_, options) => {
    const image = withTransparency(photoLikeImage(400, 300, 8));
    const plan = new ExactImageSession(image).plan(options);
    expect(plan).toEqual(exactRunPlan(prepareExactRun(image, { alphaThreshold: 128, ...options })));
    expect(Object.values(plan).some((v) => ArrayBuffer.isView(v))).toBe(false);
    expect(plan.initCenters.reduce((bytes, c) => bytes + c.byteLength, 0)).toBe(12 * options.k * options.nInit);
    expect(plan.n).toBe((await cpuPixelKMeans(image, options)).pixelsUsed);
  });

  it('mixes GPU preparations and CPU runs on one loaded image, on the same kept points', () => {
    const session = new ExactImageSession(photoLikeImage(200, 100, 5));
    session.plan({ k: 3 });
    const first = session.prepare({ k: 3, seed: 0, nInit: 1 });
    expect(session.plan({ k: 9, seed: 4, nInit: 3 }).initCenters).toHaveLength(3);
    const second = session.prepare({ k: 8, seed: 2, nInit: 2 });
    expect(second.run.points).toBe(first.run.points);
    expect(second.distinct).toBe(first.distinct);
  });
});

describe('the CPU worker session, paced as the Worker runs it', () => {
  it('gives the bits of its synchronous steps when its preparation, runs and finish are paced', async () => {
    const image = photoLikeImage(200, 150, 9);
    const options = { k: 5, seed: 3, nInit: 2 };
    const paced = new ExactImageSession(image);
    const request = await runPaced(paced.prepareSteps(options));
    const runs = [];
    for (const r of [0, 1]) runs.push(await runPaced(runExactSeedSteps(request.work, r)));
    const result = await runPaced(paced.finishSteps(request, runs));
    expectSameResult(result, sessionRun(new ExactImageSession(image), options, 1));
    expect(await runPaced(paced.planSteps(options))).toEqual(exactRunPlan(prepareExactRun(image, options)));
  });

  it('stops within 200 ms of an abort 30 ms into the preparation and the run of a fresh 1.2 MP image', async () => {
    const [width, height] = MEGAPIXEL_SIZES[1]!;
    const session = new ExactImageSession(photoLikeImage(width, height, 3));
    const controller = new AbortController();
    const due = performance.now() + 30;
    setTimeout(() => controller.abort(), 30);
    const error = await (async () => {
      const request = await runPaced(session.prepareSteps({ k: 8, nInit: 1 }), controller.signal);
      await runPaced(runExactSeedSteps(request.work, 0), controller.signal);
    })().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(performance.now() - due).toBeLessThan(200);
  });
});

describe("the CPU worker's full-size recolour, paced", () => {
  it('gives the synchronous recolour, and stops within 200 ms of an abort 30 ms in (1.2 MP, k 64)', async () => {
    const [width, height] = MEGAPIXEL_SIZES[1]!;
    const image = photoLikeImage(width, height, 5);
    const fixed = new Uint32Array(3 * 64).map((_, i) => ((i * 7919) % 256) * 128);
    const rgb = Array.from({ length: 64 }, (_, j) => [j * 4, 255 - j * 4, (j * 37) % 256] as [number, number, number]);
    const small = photoLikeImage(120, 90, 6);
    expect(await runPaced(recolorNearestSteps(small.data, fixed, rgb, 'oklab', 128))).toEqual(recolorNearest(small.data, fixed, rgb, 'oklab', 128));
    const controller = new AbortController();
    const due = performance.now() + 30;
    setTimeout(() => controller.abort(), 30);
    const error = await runPaced(recolorNearestSteps(image.data, fixed, rgb, 'oklab', 0), controller.signal).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(performance.now() - due).toBeLessThan(200);
  });
});

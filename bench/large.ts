/**
 * Large section: the exact CPU path on photo-like images of 1, 12, 24 and 50 megapixels (generated, see
 * test/helpers/large-image.ts) at k = 5, 16, 64, stage by stage — decode, init (points, tol, k-means++ seeding),
 * distinct colours, Lloyd (per iteration and to convergence), labels, recolour — with memory, and the interactive loop
 * (a new k on a loaded 24 MP image). `--quick` skips 50 MP and k = 64.
 */
import jpeg from 'jpeg-js';
import { cpuPixelKMeans } from '../src/core/exact/cpu.js';
import { distinctColors, spreadDistinctLabels } from '../src/core/exact/distinct.js';
import { prepareExactRun } from '../src/core/exact/prepare.js';
import { extractPoints, fixedCoords } from '../src/core/exact/points.js';
import { DEFAULTS } from '../src/core/constants.js';
import { exactWork, pickBestRun, runExactSeeds } from '../src/core/exact/runs.js';
import { MEGAPIXEL_SIZES, photoLikeImage, type LargeImage } from '../test/helpers/large-image.js';
import { kernelsNote, type BenchReport, type BenchRow } from './report.js';

const MiB = 2 ** 20;
const ms = (t0: number): number => performance.now() - t0;

/** Peak resident and ArrayBuffer memory above a baseline, sampled between stages. */
class MemoryPeak {
  readonly rss0: number;
  readonly ab0: number;
  rss = 0;
  ab = 0;
  constructor() {
    const m = process.memoryUsage();
    this.rss0 = m.rss;
    this.ab0 = m.arrayBuffers;
  }
  sample(): void {
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss - this.rss0);
    this.ab = Math.max(this.ab, m.arrayBuffers - this.ab0);
  }
  columns(): Record<string, number> {
    return { 'peak rss Δ MiB': Math.round(this.rss / MiB), 'peak buffers Δ MiB': Math.round(this.ab / MiB) };
  }
}

/** The full-size recoloured image: each used pixel painted with its cluster's 8-bit colour. */
function recolour(labels: Int32Array, rgb: [number, number, number][], out: Uint8ClampedArray): void {
  const lut = new Uint32Array(rgb.length);
  rgb.forEach(([r, g, b], j) => (lut[j] = (255 << 24) | (b << 16) | (g << 8) | r));
  const words = new Uint32Array(out.buffer, out.byteOffset, labels.length);
  for (let i = 0; i < labels.length; i++) words[i] = labels[i]! < 0 ? 0 : lut[labels[i]!]!;
}

/** One k-means on an image, timed stage by stage (the stages of cpuPixelKMeans). */
function stagedRun(image: LargeImage, k: number, nInit: number, mp: number, label: string): BenchRow {
  const memory = new MemoryPeak();
  const t0 = performance.now();
  let t = performance.now();
  const extracted = extractPoints(image, DEFAULTS.alphaThreshold);
  let init = ms(t);
  memory.sample();
  t = performance.now();
  const distinct = distinctColors(extracted.points, extracted.n);
  const coords = fixedCoords(distinct.colors, distinct.u, 'rgb');
  const distinctMs = ms(t);
  memory.sample();
  t = performance.now();
  const run = prepareExactRun(image, { k, nInit }, { extracted, distinct, coords });
  init += ms(t);
  t = performance.now();
  const work = exactWork(run);
  const results = runExactSeeds(work, Array.from({ length: nInit }, (_, r) => r));
  const best = pickBestRun(results);
  const lloyd = ms(t);
  const iterations = results.reduce((s, r) => s + r.iterations, 0);
  memory.sample();
  t = performance.now();
  const labels = spreadDistinctLabels(distinct, run.points, run.n, best.labels, run.pixelIndex, new Int32Array(run.n));
  const labelMs = ms(t);
  t = performance.now();
  const rgb = best.centersFixed.length ? toRgb(best.centersFixed, k) : [];
  recolour(labels, rgb, new Uint8ClampedArray(4 * run.n));
  const recolourMs = ms(t);
  memory.sample();
  const total = ms(t0);
  return {
    name: `${mp} MP k=${k} nInit=${nInit}${label}`,
    ms: total,
    extra: {
      'init ms': init.toFixed(0),
      'distinct ms': distinctMs.toFixed(0),
      distinct: distinct.u,
      'Lloyd ms': lloyd.toFixed(0),
      iterations,
      'ms/iter': (lloyd / iterations).toFixed(1),
      'labels ms': labelMs.toFixed(0),
      'recolour ms': recolourMs.toFixed(0),
      ...memory.columns(),
    },
    note: 'total = init + distinct + Lloyd + labels + recolour',
  };
}

function toRgb(centersFixed: Uint32Array, k: number): [number, number, number][] {
  return Array.from({ length: k }, (_, j) => {
    const c = (a: number) => Math.min(255, (centersFixed[3 * j + a]! + 64) >> 7);
    return [c(0), c(1), c(2)] as [number, number, number];
  });
}

/** Decoding a JPEG of the image at that size (jpeg-js, pure JS: a browser's decoder is several times faster). */
function decodeRow(image: LargeImage, mp: number): BenchRow {
  const encoded = jpeg.encode({ data: image.data, width: image.width, height: image.height }, 90).data;
  const t = performance.now();
  jpeg.decode(encoded, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 4096, maxResolutionInMP: 100 });
  return { name: `${mp} MP decode (JPEG q90, jpeg-js)`, ms: ms(t), extra: { 'jpeg MiB': (encoded.length / MiB).toFixed(1) } };
}

export async function largeSection(report: BenchReport): Promise<void> {
  const quick = report.flags.quick;
  const sizes = quick ? [1, 12, 24] : [1, 12, 24, 50];
  const ks = quick ? [5, 16] : [5, 16, 64];
  const rows: BenchRow[] = [];
  for (const mp of sizes) {
    const [width, height] = MEGAPIXEL_SIZES[mp]!;
    const image = photoLikeImage(width, height, 1);
    if (mp <= 12) rows.push(decodeRow(image, mp));
    for (const k of ks) rows.push(stagedRun(image, k, 1, mp, ''));
    rows.push(stagedRun(image, 16, 10, mp, ' (default nInit)'));
    if (mp === 24) {
      // The interactive loop: the image is loaded (decoded); the user picks a new k and waits for labels.
      for (const [k, nInit] of [[12, 1], [12, 10]] as const) {
        const t = performance.now();
        const result = await cpuPixelKMeans(image, { k, nInit });
        rows.push({
          name: `24 MP interactive: new k=${k}, nInit=${nInit}`,
          ms: ms(t),
          extra: { iterations: result.iterations },
          note: 'cpuPixelKMeans end to end on the decoded image (points, seeds, distinct, Lloyd, labels)',
        });
      }
    }
    console.log(`large: ${mp} MP done`);
  }
  report.add({
    name: `large: photo-like images, exact CPU path, RGB, seed 0${quick ? ' (quick)' : ''}`,
    backend: `CPU, exact integer arithmetic (docs/ARITHMETIC.md), single thread, Node, ${kernelsNote()}`,
    rows,
  });
}

/**
 * Peers section: what a user would pick instead, on the same 24 MP pixels, k = 16: @material/material-color-utilities'
 * QuantizerCelebi (Wu, then weighted k-means in L*a*b*, at most 10 iterations) and scikit-learn's KMeans (when a
 * Python with it is present). Every palette is scored the same way: the inertia of its 8-bit RGB colours over all
 * pixels (each pixel at its nearest palette colour, squared 8-bit units), lower is better.
 */
import { spawnSync } from 'node:child_process';
import { QuantizerCelebi } from '@material/material-color-utilities';
import { cpuPixelKMeans } from '../src/core/exact/cpu.js';
import { distinctColors } from '../src/core/exact/distinct.js';
import { extractPoints } from '../src/core/exact/points.js';
import { MEGAPIXEL_SIZES, photoLikeImage, type LargeImage } from '../test/helpers/large-image.js';
import type { BenchReport, BenchRow } from './report.js';

const MP = 24;
const K = 16;
/** scikit-learn 1.2's KMeans on 24 MP, k = 16, 20 iterations, as measured for issue 5 (not installable here). */
const SKLEARN_CITED = '~27 s for 20 iterations (issue 5)';

/** Σ over pixels of the squared 8-bit RGB distance to the nearest palette colour (computed on distinct colours). */
function paletteInertia(image: LargeImage, palette: [number, number, number][]): number {
  const { points, n } = extractPoints(image, 0);
  const d = distinctColors(points, n);
  let total = 0;
  for (let i = 0; i < d.u; i++) {
    const r = d.colors[3 * i]!, g = d.colors[3 * i + 1]!, b = d.colors[3 * i + 2]!;
    let best = Infinity;
    for (const [pr, pg, pb] of palette) best = Math.min(best, (r - pr) ** 2 + (g - pg) ** 2 + (b - pb) ** 2);
    total += best * d.weights[i]!;
  }
  return total;
}

const SKLEARN_SNIPPET = `
import sys, time, numpy as np
from sklearn.cluster import KMeans
X = np.frombuffer(sys.stdin.buffer.read(), dtype=np.uint8).reshape(-1, 3) / 255
for n_init in (1, 10):
    t = time.perf_counter()
    km = KMeans(n_clusters=${K}, random_state=0, n_init=n_init, algorithm="lloyd").fit(X)
    ms = (time.perf_counter() - t) * 1000
    pal = np.clip(np.round(km.cluster_centers_ * 255), 0, 255)
    print(n_init, ms, km.n_iter_, " ".join(str(int(v)) for v in pal.ravel()))
`;

function sklearnRows(image: LargeImage): BenchRow[] {
  const version = spawnSync('python3', ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
  if (version.status !== 0) {
    return [{ name: `scikit-learn KMeans k=${K}`, note: `skipped: scikit-learn not installed; cited: ${SKLEARN_CITED}` }];
  }
  const { points } = extractPoints(image, 0);
  const r = spawnSync('python3', ['-c', SKLEARN_SNIPPET], { input: points, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) return [{ name: `scikit-learn KMeans k=${K}`, note: `failed: ${r.stderr.trim().split('\n').at(-1)}` }];
  return r.stdout.trim().split('\n').map((line) => {
    const [nInit, time, iterations, ...values] = line.split(' ');
    const palette = Array.from({ length: K }, (_, j) => values.slice(3 * j, 3 * j + 3).map(Number) as [number, number, number]);
    return {
      name: `scikit-learn ${version.stdout.trim()} KMeans nInit=${nInit}`,
      ms: Number(time),
      extra: { iterations: Number(iterations), 'palette inertia': paletteInertia(image, palette).toExponential(4) },
      note: 'float64, all pixels',
    };
  });
}

export async function peersSection(report: BenchReport): Promise<void> {
  const [width, height] = MEGAPIXEL_SIZES[MP]!;
  const image = photoLikeImage(width, height, 1);
  const rows: BenchRow[] = [];
  for (const nInit of [1, 10]) {
    const t = performance.now();
    const result = await cpuPixelKMeans(image, { k: K, nInit });
    rows.push({
      name: `palette-extractor exact CPU nInit=${nInit}`,
      ms: performance.now() - t,
      extra: { iterations: result.iterations, 'palette inertia': paletteInertia(image, result.rgb).toExponential(4) },
      note: nInit === 1 ? 'one k-means run, as Celebi runs one' : 'our default',
    });
  }
  const argb = new Array<number>(width * height);
  for (let i = 0; i < argb.length; i++) {
    argb[i] = ((255 << 24) | (image.data[4 * i]! << 16) | (image.data[4 * i + 1]! << 8) | image.data[4 * i + 2]!) >>> 0;
  }
  const t = performance.now();
  const celebi = QuantizerCelebi.quantize(argb, K);
  const celebiMs = performance.now() - t;
  const palette = [...celebi.keys()].map((c) => [(c >> 16) & 255, (c >> 8) & 255, c & 255] as [number, number, number]);
  rows.push({
    name: 'QuantizerCelebi (material-color-utilities)',
    ms: celebiMs,
    extra: { colours: palette.length, 'palette inertia': paletteInertia(image, palette).toExponential(4) },
    note: 'Wu + weighted k-means in L*a*b*, ≤ 10 iterations; ARGB array built beforehand, untimed',
  });
  rows.push(...sklearnRows(image));
  report.add({
    name: `peers: ${MP} MP photo-like image (${width}×${height}), k=${K}, same pixels`,
    backend: 'CPU, single thread, Node',
    rows,
  });
}

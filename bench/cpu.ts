/**
 * CPU section: the seed notebook's workload — a sample photo box-resized to 200×200, `KMeans(n_clusters=5,
 * random_state=0, n_init=10)` on RGB in 0..1 — through `kmeans()` (float64, scikit-learn's algorithm), beside
 * scikit-learn itself on the same pixels when Python has it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { kmeans } from '../src/core/sklearn/kmeans.js';
import { loadSklearnCase } from '../test/helpers/fixtures.js';
import { median, time, type BenchReport, type BenchRow } from './report.js';

const SIDE = 200;
const K = 5;
const N_INIT = 10;

interface Workload {
  name: string;
  /** RGB bytes, SIDE × SIDE × 3. */
  pixels: Uint8Array;
  /** scikit-learn's labels where a fixture has them, to show parity beside the time. */
  sklearnLabels?: Uint8Array;
}

/** Box filter: each output pixel averages the source pixels whose block it covers. */
function boxResize(rgba: Uint8Array, width: number, height: number, side: number): Uint8Array {
  const out = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    const y0 = Math.floor((y * height) / side), y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / side));
    for (let x = 0; x < side; x++) {
      const x0 = Math.floor((x * width) / side), x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / side));
      let r = 0, g = 0, b = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const p = (sy * width + sx) * 4;
          r += rgba[p]!; g += rgba[p + 1]!; b += rgba[p + 2]!;
        }
      }
      const count = (y1 - y0) * (x1 - x0);
      const o = (y * side + x) * 3;
      out[o] = Math.round(r / count); out[o + 1] = Math.round(g / count); out[o + 2] = Math.round(b / count);
    }
  }
  return out;
}

function workloads(root: string): Workload[] {
  const list: Workload[] = ['chelsea', 'coffee', 'rocket'].map((name) => {
    // The fixtures hold exactly the pixels scikit-learn clustered (the photo box-resized to 200×200).
    const c = loadSklearnCase(`${name}-k5-seed0`);
    return { name, pixels: c.pixels, sklearnLabels: c.result.labels };
  });
  const retina = jpeg.decode(readFileSync(resolve(root, 'public/samples/retina.jpg')), { useTArray: true });
  list.push({ name: 'retina', pixels: boxResize(retina.data, retina.width, retina.height, SIDE) });
  return list;
}

function toPoints(pixels: Uint8Array): Float64Array {
  const points = new Float64Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) points[i] = pixels[i]! / 255;
  return points;
}

const SKLEARN_SNIPPET = `
import sys, time, numpy as np
from sklearn.cluster import KMeans
repeats = int(sys.argv[1])
X = np.frombuffer(sys.stdin.buffer.read(), dtype=np.uint8).reshape(-1, 3) / 255
times = []
for _ in range(repeats + 1):
    t = time.perf_counter()
    KMeans(n_clusters=${K}, random_state=0, n_init=${N_INIT}, algorithm="lloyd").fit(X)
    times.append((time.perf_counter() - t) * 1000)
print(sorted(times[1:])[len(times[1:]) // 2])
`;

function sklearnAvailable(): string | undefined {
  const r = spawnSync('python3', ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function sklearnRow(w: Workload, repeats: number, version: string | undefined): BenchRow {
  const name = `${w.name} scikit-learn`;
  if (version === undefined) return { name, note: 'skipped: scikit-learn not installed' };
  const r = spawnSync('python3', ['-c', SKLEARN_SNIPPET, String(repeats)], { input: w.pixels, encoding: 'utf8' });
  if (r.status !== 0) return { name, note: `failed: ${r.stderr.trim().split('\n').at(-1)}` };
  return { name, ms: Number(r.stdout.trim()), note: `scikit-learn ${version}` };
}

export async function cpuSection(report: BenchReport, root: string): Promise<void> {
  const repeats = report.flags.quick ? 3 : 9;
  const version = sklearnAvailable();
  const rows: BenchRow[] = [];
  for (const w of workloads(root)) {
    const points = toPoints(w.pixels);
    let result = kmeans(points, { k: K, seed: 0, nInit: N_INIT });
    const samples = await time(() => (result = kmeans(points, { k: K, seed: 0, nInit: N_INIT })), repeats);
    let parity = 'no fixture';
    if (w.sklearnLabels) {
      let differ = 0;
      for (let i = 0; i < result.labels.length; i++) if (result.labels[i] !== w.sklearnLabels[i]) differ++;
      parity = differ === 0 ? 'same labels' : `${differ} labels differ`;
    }
    rows.push({
      name: `${w.name} kmeans()`,
      ms: median(samples),
      samples,
      extra: { points: points.length / 3, iterations: result.iterations, inertia: result.inertia.toFixed(6) },
      note: `vs scikit-learn: ${parity}`,
    });
    rows.push(sklearnRow(w, repeats, version));
  }
  report.add({
    name: `cpu: ${SIDE}×${SIDE} px, k=${K}, nInit=${N_INIT}, seed 0`,
    backend: 'CPU, float64 (scikit-learn 1.2 algorithm), single thread, Node',
    rows,
  });
}

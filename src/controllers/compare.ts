/** How far two clusterings of the same sample are apart: the numbers `palette-compare` carries. */
import type { PaletteResult } from '../core/types.js';

/**
 * Pairs each cluster of `a` with one of `b`, closest centres first (ties to the lowest indices). Runs seeded alike
 * number their clusters alike, so this is the identity for exact GPU/CPU pairs; it only matters when the float64
 * path picked a run whose clusters come in another order.
 */
export function matchClusters(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): Int32Array {
  const pairs: [number, number, number][] = [];
  a.forEach((ca, i) =>
    b.forEach((cb, j) => {
      let d = 0;
      for (let c = 0; c < ca.length; c++) d += (ca[c]! - cb[c]!) ** 2;
      pairs.push([d, i, j]);
    }),
  );
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const map = new Int32Array(a.length).fill(-1);
  const taken = new Uint8Array(b.length);
  for (const [, i, j] of pairs) {
    if (map[i] !== -1 || taken[j]) continue;
    map[i] = j;
    taken[j] = 1;
  }
  return map;
}

export interface Agreement {
  labelAgreement: number;
  maxCenterDelta: number;
  inertiaDelta: number;
}

export function agreement(gpu: PaletteResult, cpu: PaletteResult): Agreement {
  const map = matchClusters(gpu.centers, cpu.centers);
  let same = 0;
  let used = 0;
  const n = Math.min(gpu.labels.length, cpu.labels.length);
  for (let p = 0; p < n; p++) {
    const g = gpu.labels[p]!;
    if (g < 0) continue;
    used++;
    if (map[g] === cpu.labels[p]) same++;
  }
  let maxCenterDelta = 0;
  gpu.centers.forEach((c, i) => {
    const other = cpu.centers[map[i]!];
    if (!other) return;
    c.forEach((v, d) => (maxCenterDelta = Math.max(maxCenterDelta, Math.abs(v - other[d]!))));
  });
  return {
    labelAgreement: used === 0 ? 1 : same / used,
    maxCenterDelta,
    inertiaDelta: Math.abs(gpu.inertia - cpu.inertia),
  };
}

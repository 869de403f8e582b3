/**
 * How far the exact engine is from scikit-learn's float64 KMeans on the notebook's 200 × 200 fixtures, printed as a
 * table and bounded. Both start from the same k-means++ seeds; the exact centres are rounded to 1/128 of an 8-bit unit,
 * which moves a handful of boundary pixels and nothing else.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rgbToHex, unitRgbToHex } from '../../src/core/color.js';
import { cpuPixelKMeans } from '../../src/core/exact/cpu.js';
import { loadFixture, type FixtureName } from '../helpers/images.js';

const CASES: FixtureName[] = [
  'chelsea-k5-seed0',
  'coffee-k5-seed0',
  'rocket-k5-seed0',
  'chelsea-k8-seed42-ninit1',
  'coffee-k8-seed42-ninit1',
  'rocket-k8-seed42-ninit1',
  'random-1000-k5-seed0',
  'few-colors-k3-seed1',
];

/** Largest centre difference, in 8-bit units, that rounding to 1/128 plus a few moved pixels explains. */
const MAX_CENTRE_DIFF_8BIT = 0.05;
const MAX_RELATIVE_INERTIA = 1e-5;
const MIN_LABEL_AGREEMENT = 0.9995;

const rows: string[] = [];
afterAll(() => {
  console.log(
    [
      'exact (CPU) vs scikit-learn 1.2 float64, same seeds:',
      'case | labels agree | max centre diff (8-bit) | rel. inertia | n_iter | hex',
      ...rows,
    ].join('\n'),
  );
});

describe('exact arithmetic against scikit-learn float64', () => {
  it.each(CASES)('stays within the stated distance of scikit-learn on %s', async (name) => {
    const f = loadFixture(name);
    const p = f.params;
    const result = await cpuPixelKMeans(f.image, {
      k: p.n_clusters,
      seed: p.random_state,
      nInit: p.n_init,
      maxIter: p.max_iter,
      tol: p.tol,
    });
    const n = f.result.labels.length;
    let agree = 0;
    for (let i = 0; i < n; i++) if (result.labels[i] === f.result.labels[i]) agree++;
    let maxDiff = 0;
    result.centers.forEach((c, j) => {
      for (let a = 0; a < 3; a++) maxDiff = Math.max(maxDiff, 255 * Math.abs(c[a]! - f.result.centers[j]![a]!));
    });
    // few-colors has inertia 0 in exact arithmetic and ~1e-30 in float64: compare absolutely there.
    const inertiaDiff = result.inertia - f.result.inertia;
    const relative = f.result.inertia > 1e-9 ? inertiaDiff / f.result.inertia : inertiaDiff;
    const exactHex = result.rgb.map(rgbToHex);
    const sklearnHex = f.result.centers.map(unitRgbToHex);
    const sameHex = exactHex.every((h, j) => h === sklearnHex[j]);
    rows.push(
      `${name} | ${((100 * agree) / n).toFixed(4)}% | ${maxDiff.toFixed(4)} | ${relative.toExponential(2)} | ` +
        `${result.iterations}/${f.result.n_iter} | ${sameHex ? 'same' : `${exactHex} vs ${sklearnHex}`}`,
    );
    expect(agree / n).toBeGreaterThanOrEqual(MIN_LABEL_AGREEMENT);
    expect(maxDiff).toBeLessThanOrEqual(MAX_CENTRE_DIFF_8BIT);
    expect(Math.abs(relative)).toBeLessThanOrEqual(MAX_RELATIVE_INERTIA);
    expect(result.iterations).toBe(f.result.n_iter);
    if (name.includes('-k5-')) expect(exactHex).toEqual(sklearnHex);
  });

  it('finds the colours scikit-learn finds when k exceeds the distinct colours, without relocating', async () => {
    const f = loadFixture('k-exceeds-distinct-k5-seed0');
    const p = f.params;
    const result = await cpuPixelKMeans(f.image, { k: p.n_clusters, seed: p.random_state, nInit: p.n_init });
    const used = new Set(result.rgb.filter((_, j) => result.counts[j]! > 0).map(rgbToHex));
    const sklearnColours = new Set(f.result.centers.map(unitRgbToHex));
    expect(used).toEqual(sklearnColours);
    expect(result.inertia).toBe(0);
  });
});

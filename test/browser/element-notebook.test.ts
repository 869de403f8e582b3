/**
 * The seed notebook, reproduced by the element: the fixture's 200×200 pixels given as ImageData through `image`,
 * with `sample-size="200x200" colors="5" seed="0" backend="cpu"`, report scikit-learn's palette.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchBrowser, openTestPage } from '../helpers/browser.js';
import type { PaletteDetail } from '../../src/events/details.js';

interface Fixture {
  pixels: { base64: string; count: number };
  params: { n_clusters: number; random_state: number; n_init: number; max_iter: number };
  result: { centers: number[][]; labels_uint8_base64: string };
}

const FIXTURES = resolve(import.meta.dirname, '../fixtures/sklearn');

/** scikit-learn's palette as the element reports it: centres ×255 rounded, largest cluster first. */
function sklearnPalette(f: Fixture): { hex: string; count: number }[] {
  const labels = Buffer.from(f.result.labels_uint8_base64, 'base64');
  const counts = new Array<number>(f.result.centers.length).fill(0);
  for (const l of labels) counts[l]!++;
  const hex = (c: number[]) => '#' + c.map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('');
  return f.result.centers
    .map((c, j) => ({ hex: hex(c), count: counts[j]! }))
    .sort((a, b) => b.count - a.count);
}

const CASES = ['chelsea-k5-seed0', 'coffee-k5-seed0', 'rocket-k5-seed0', 'chelsea-k8-seed42-ninit1'];

describe('the notebook, reproduced by the element', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: false });
    ({ page, errors } = await openTestPage(browser, `${inject('baseUrl')}/test/pages/element.html`));
    await page.evaluate(() => customElements.whenDefined('palette-extractor'));
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function run(f: Fixture, arithmetic: 'exact' | 'float64'): Promise<PaletteDetail> {
    return page.evaluate(
      async (base64, params, arithmetic) => {
        const rgb = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
        const rgba = new Uint8ClampedArray((rgb.length / 3) * 4);
        for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
          rgba.set([rgb[i]!, rgb[i + 1]!, rgb[i + 2]!, 255], j);
        }
        const el = document.createElement('palette-extractor');
        el.setAttribute('sample-size', '200x200');
        el.setAttribute('colors', String(params.n_clusters));
        el.setAttribute('seed', String(params.random_state));
        el.setAttribute('n-init', String(params.n_init));
        el.setAttribute('max-iterations', String(params.max_iter));
        el.setAttribute('backend', 'cpu');
        el.setAttribute('arithmetic', arithmetic);
        el.image = new ImageData(rgba, 200, 200);
        document.body.replaceChildren(el);
        return el.extract();
      },
      f.pixels.base64,
      f.params,
      arithmetic,
    );
  }

  for (const name of CASES) {
    it(`reports scikit-learn's palette for ${name} in float64 arithmetic`, async () => {
      const fixture = JSON.parse(readFileSync(resolve(FIXTURES, `${name}.json`), 'utf8')) as Fixture;
      const palette = await run(fixture, 'float64');
      expect(palette.backend).toBe('cpu');
      expect(palette.arithmetic).toBe('float64');
      expect(palette.colors.map(({ hex, count }) => ({ hex, count }))).toEqual(sklearnPalette(fixture));
      expect(errors).toEqual([]);
    });
  }

  it('reports the notebook palette in the default exact arithmetic, within one 8-bit step per channel', async () => {
    const fixture = JSON.parse(readFileSync(resolve(FIXTURES, 'chelsea-k5-seed0.json'), 'utf8')) as Fixture;
    const palette = await run(fixture, 'exact');
    expect(palette.arithmetic).toBe('exact');
    const expected = sklearnPalette(fixture);
    expect(palette.colors).toHaveLength(expected.length);
    palette.colors.forEach((c, i) => {
      const want = expected[i]!.hex.slice(1).match(/../g)!.map((h) => parseInt(h, 16));
      c.rgb.forEach((v, ch) => expect(Math.abs(v - want[ch]!)).toBeLessThanOrEqual(1));
    });
  });
});

/**
 * What a designer does with a palette, in the element in Chromium: sort it, read its values in another notation, see
 * which text reads on each swatch, copy or download it in any export format (with a visible confirmation), and point
 * at the photo to find a pixel's swatch. Run on the CPU backend (the same palette as the GPU's, bit for bit).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import type { PaletteDetail } from '../../src/events/details.js';
import { launchBrowser, openTestPage } from '../helpers/browser.js';
import { contrastRatio } from '../../src/core/contrast.js';
import { sortPalette } from '../../src/core/palette-sort.js';

describe('<palette-extractor> for a designer', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let palette: PaletteDetail;
  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: false });
    ({ page, errors } = await openTestPage(browser, `${inject('baseUrl')}/test/pages/reliability.html`));
    await page.browserContext().overridePermissions(new URL(page.url()).origin, ['clipboard-read', 'clipboard-write']);
    palette = await page.evaluate(async () => {
      await customElements.whenDefined('palette-extractor');
      const el = document.createElement('palette-extractor') as PaletteExtractor;
      el.id = 'el';
      el.backend = 'cpu';
      el.colors = 6;
      el.src = '/public/samples/coffee.png';
      document.body.append(el);
      return el.extract();
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The swatches' shown values, in the order shown. */
  const shown = () =>
    page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      await el.updateComplete;
      return [...el.shadowRoot!.querySelectorAll('[part~=swatch] .hex')].map((n) => n.textContent!.trim());
    });

  it('sorts the swatches by share, hue or lightness without running again', async () => {
    const byShare = await shown();
    expect(byShare).toEqual(palette.colors.map((c) => c.hex));
    const changes = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      let count = 0;
      el.addEventListener('palette-change', () => count++);
      el.setAttribute('sort', 'lightness');
      await el.updateComplete;
      await new Promise((ok) => setTimeout(ok, 300));
      return count;
    });
    expect(changes).toBe(0);
    // The order of core's sortPalette (tested on its own in test/unit/palette-sort.test.ts): darkest first.
    expect(await shown()).toEqual(sortPalette(palette.colors, 'lightness').map((c) => c.hex));
    await page.evaluate(() => document.querySelector('#el')!.setAttribute('sort', 'hue'));
    expect(await shown()).toEqual(sortPalette(palette.colors, 'hue').map((c) => c.hex));
    await page.evaluate(() => document.querySelector('#el')!.setAttribute('sort', 'share'));
  });

  it('shows values as rgb(), hsl() or oklch(), and copies the value shown', async () => {
    await page.evaluate(() => document.querySelector('#el')!.setAttribute('value-format', 'rgb'));
    const values = await shown();
    values.forEach((v, i) => {
      const [r, g, b] = palette.colors[i]!.rgb;
      expect(v).toBe(`rgb(${r} ${g} ${b})`);
    });
    await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=swatch]')!.click();
      await new Promise((ok) => setTimeout(ok, 100));
    });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(values[0]);
    await page.evaluate(() => document.querySelector('#el')!.setAttribute('value-format', 'oklch'));
    expect((await shown()).every((v) => /^oklch\([\d.]+% [\d.]+ [\d.]+\)$/.test(v))).toBe(true);
    await page.evaluate(() => document.querySelector('#el')!.setAttribute('value-format', 'hex'));
  });

  it('labels each swatch with the text colour that reads best on it and its WCAG contrast', async () => {
    const labels = await page.evaluate(() => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      return [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~=swatch]')].map((s) => ({
        text: s.querySelector('.contrast')!.textContent!.replace(/\s+/g, ' ').trim(),
        color: getComputedStyle(s.querySelector('.contrast')!).color,
      }));
    });
    labels.forEach((label, i) => {
      const [r, g, b] = label.color.match(/\d+/g)!.map(Number);
      const ratio = contrastRatio(palette.colors[i]!.rgb, [r!, g!, b!]);
      expect(ratio).toBeGreaterThanOrEqual(4.5);
      const [, shownRatio, level] = /^Aa ([\d.]+):1 (AAA|AA|AA large|fail)$/.exec(label.text)!;
      expect(Number(shownRatio)).toBeCloseTo(Math.floor(ratio * 100) / 100, 2);
      expect(level).toBe(ratio >= 7 ? 'AAA' : 'AA');
    });
  });

  it('copies CSS custom properties from the export menu and says "Copied CSS custom properties" on screen and aloud', async () => {
    const result = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      const root = el.shadowRoot!;
      const select = root.querySelector<HTMLSelectElement>('[part~=export-format]')!;
      select.value = 'css';
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      [...root.querySelectorAll<HTMLButtonElement>('[part~=actions] button')].find((b) => b.textContent!.trim() === 'Copy')!.click();
      await new Promise((ok) => setTimeout(ok, 150));
      await el.updateComplete;
      return {
        toast: root.querySelector('.toast')?.textContent?.trim(),
        live: root.querySelector('[aria-live=polite]')?.textContent?.trim(),
        text: await navigator.clipboard.readText(),
      };
    });
    expect(result.toast).toBe('Copied CSS custom properties');
    expect(result.live).toBe(result.toast);
    const sheet = new Map([...result.text.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6});/g)].map((m) => [m[1], m[2]]));
    expect([...sheet.values()]).toEqual(palette.colors.map((c) => c.hex));
  });

  it('highlights the swatch of the pixel under the pointer (the eyedropper)', async () => {
    const result = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      const root = el.shadowRoot!;
      const stage = root.querySelector<HTMLElement>('.stage')!;
      const recolored = root.querySelector<HTMLCanvasElement>('[part~=recolored]')!;
      const rect = stage.getBoundingClientRect();
      const probe = new OffscreenCanvas(1, 1).getContext('2d')!;
      const picks: { expected: string; picked: string | undefined }[] = [];
      for (const [fx, fy] of [
        [0.2, 0.3],
        [0.5, 0.5],
        [0.8, 0.7],
      ] as const) {
        const clientX = rect.left + fx * rect.width;
        const clientY = rect.top + fy * rect.height;
        stage.dispatchEvent(new PointerEvent('pointermove', { clientX, clientY, bubbles: true }));
        await new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 20)));
        await el.updateComplete;
        const x = Math.floor(fx * recolored.width);
        const y = Math.floor(fy * recolored.height);
        probe.drawImage(recolored, x, y, 1, 1, 0, 0, 1, 1);
        const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
        const expected = `#${[r!, g!, b!].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
        const picked = root.querySelector('[part~=swatch].picked .hex')?.textContent?.trim();
        picks.push({ expected, picked });
      }
      return picks;
    });
    for (const { expected, picked } of result) {
      expect(palette.colors.map((c) => c.hex)).toContain(expected);
      expect(picked).toBe(expected);
    }
  });

  it('logged no page error', () => {
    expect(errors).toEqual([]);
  });
});

/**
 * Locking colours in the element, in Chromium (WebGPU on SwiftShader here), on the CPU and the GPU backends: a swatch's
 * lock toggle (by click and from the keyboard) and the eyedropper (a click with "Lock a colour from the photo" on, or
 * the keyboard crosshair and Enter) put a colour in `locked`; the next run keeps it as a centre and marks it locked.
 * Also the keyboard's region form, and bad `locked` text as `invalid-option`.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import type { PaletteDetail, PaletteErrorDetail } from '../../src/events/details.js';
import { SETTLE_HELPER, type Outcome } from '../helpers/page-settle.js';
import { launchBrowser, watchPageErrors } from '../helpers/browser.js';

/**
 * In the page: a 120×80 photo: a near-white backdrop around a red block (20..55 × 20..60), a blue block (65..100 ×
 * 20..60) and a small green square (5..13 × 65..73), which two colours alone never give a swatch of its own.
 */
const PAGE = `
window.blocks = () => {
  const image = new ImageData(120, 80);
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 29) - 2;
  for (let y = 0; y < 80; y++) for (let x = 0; x < 120; x++) {
    let rgb = [253 + Math.min(2, noise()), 253 + Math.min(2, noise()), 252 + Math.min(3, noise())];
    if (y >= 20 && y < 60 && x >= 20 && x < 55) rgb = [200, 30, 40];
    if (y >= 20 && y < 60 && x >= 65 && x < 100) rgb = [30, 60, 190];
    if (y >= 65 && y < 73 && x >= 5 && x < 13) rgb = [20, 160, 60];
    image.data.set([...rgb, 255], 4 * (y * 120 + x));
  }
  return image;
};
${SETTLE_HELPER}`;
declare function blocks(): ImageData;
declare function settle(el: Element, change: () => void): Promise<Outcome>;

const RED = '#c81e28';
const BLUE = '#1e3cbe';
const GREEN = '#14a03c';

async function openPage(browser: Browser, props: Record<string, unknown>): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${inject('baseUrl')}/test/pages/reliability.html`);
  await page.evaluate(PAGE);
  await page.evaluate(async (props) => {
    await customElements.whenDefined('palette-extractor');
    const el = document.createElement('palette-extractor') as PaletteExtractor & { __lastCompare?: unknown };
    el.id = 'el';
    el.addEventListener('palette-compare', (e) => (el.__lastCompare = (e as CustomEvent).detail));
    Object.assign(el, { colors: 3, nInit: 2, sampleSize: 'full', ...props });
    document.body.append(el);
    await settle(el, () => (el.image = blocks()));
  }, props);
  return page;
}

/** Waits for the next palette event after `action` (run in Node: clicks and keys through Puppeteer). */
async function nextOutcome(page: Page, action: () => Promise<void>): Promise<Outcome> {
  await page.evaluate(() => {
    const el = document.querySelector('#el')!;
    (window as unknown as { next: Promise<Outcome> }).next = settle(el, () => {});
  });
  await action();
  return page.evaluate(() => (window as unknown as { next: Promise<Outcome> }).next);
}

const lockedOf = (outcome: Outcome) => (outcome.detail as PaletteDetail).colors.filter((c) => c.locked).map((c) => c.hex);
const hexes = (outcome: Outcome) => (outcome.detail as PaletteDetail).colors.map((c) => c.hex);

describe.each(['cpu', 'gpu'] as const)('<palette-extractor> locking colours on backend %s', (backend) => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await openPage(browser, { backend, compare: backend === 'gpu' });
    errors = watchPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('keeps a swatch locked by a click on its lock: the next run has it, marked locked, and GPU and CPU agree', async () => {
    const before = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      return settle(el, () => Object.assign(el, { colors: 2, locked: '' }));
    });
    expect(before.type).toBe('palette-change');
    expect(hexes(before)).not.toContain(RED);
    // The red block is in no swatch of its own with two colours: lock the swatch it went to, then red itself.
    const first = hexes(before)[0]!;
    const outcome = await nextOutcome(page, () =>
      page.evaluate((hex) => {
        const el = document.querySelector<PaletteExtractor>('#el')!;
        el.shadowRoot!.querySelector<HTMLButtonElement>(`[part~=lock][aria-label="Lock ${hex}"]`)!.click();
      }, first),
    );
    expect(outcome.type).toBe('palette-change');
    expect(await page.evaluate(() => document.querySelector('#el')!.getAttribute('locked'))).toBe(first);
    expect(lockedOf(outcome)).toEqual([first]);
    const pressed = await page.evaluate(
      (hex) => document.querySelector('#el')!.shadowRoot!.querySelector(`[part~=lock][aria-label="Lock ${hex}"]`)!.getAttribute('aria-pressed'),
      first,
    );
    expect(pressed).toBe('true');
    if (backend === 'gpu') {
      expect((outcome.detail as PaletteDetail).backend).toBe('gpu');
      expect(outcome.compare!.labelAgreement).toBe(1);
      expect(outcome.compare!.cpu.colors).toEqual(outcome.compare!.gpu.colors);
    }
  });

  it('locks the pixel clicked with "Lock a colour from the photo" on, and keeps it in the next run', async () => {
    const box = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      await settle(el, () => Object.assign(el, { colors: 3, locked: '' }));
      await el.updateComplete;
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part~=pick-lock]')!.click();
      await el.updateComplete;
      const r = el.shadowRoot!.querySelector('.pick-layer')!.getBoundingClientRect();
      return { x: r.left, y: r.top, w: r.width, h: r.height };
    });
    const outcome = await nextOutcome(page, () =>
      page.mouse.click(box.x + box.w * (9.5 / 120), box.y + box.h * (69.5 / 80)),
    );
    expect(outcome.type).toBe('palette-change');
    expect(await page.evaluate(() => document.querySelector('#el')!.getAttribute('locked'))).toBe(GREEN);
    expect(lockedOf(outcome)).toEqual([GREEN]);
    expect(hexes(outcome)).toHaveLength(3);
    if (backend === 'gpu') expect(outcome.compare!.labelAgreement).toBe(1);
  });

  it('logged no page error', () => {
    expect(errors).toEqual([]);
  });
});

describe('<palette-extractor> locking and region from the keyboard', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await openPage(browser, { backend: 'cpu', colors: 2 });
    errors = watchPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
  });

  const focusIn = (selector: string) =>
    page.evaluate((selector) => document.querySelector('#el')!.shadowRoot!.querySelector<HTMLElement>(selector)!.focus(), selector);

  it('locks and unlocks a swatch with Enter and Space on its lock toggle', async () => {
    const first = await page.evaluate(() => document.querySelector<PaletteExtractor>('#el')!.palette!.colors[0]!.hex);
    await focusIn(`[part~=lock][aria-label="Lock ${first}"]`);
    const locked = await nextOutcome(page, () => page.keyboard.press('Enter'));
    expect(lockedOf(locked)).toEqual([first]);
    expect(await page.evaluate(() => document.querySelector<PaletteExtractor>('#el')!.lockedColors)).toEqual([first]);
    await focusIn(`[part~=lock][aria-label="Lock ${first}"]`);
    const unlocked = await nextOutcome(page, () => page.keyboard.press('Space'));
    expect(lockedOf(unlocked)).toEqual([]);
    expect(await page.evaluate(() => document.querySelector('#el')!.getAttribute('locked'))).toBe('');
  });

  it('moves the eyedropper with the arrow keys, highlights the swatch under it, says so, and locks with Enter', async () => {
    await focusIn('[part~=eyedropper]');
    // From the middle (50 %, 50 %: the backdrop at pixel 60, 40) twelve 1 % steps right: 62 %, pixel 74, in the blue.
    for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
    const state = await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      await el.updateComplete;
      const root = el.shadowRoot!;
      return {
        crosshair: !!root.querySelector('.crosshair'),
        picked: root.querySelector('[part~=swatch].picked .hex')?.textContent?.trim(),
        said: root.querySelector('[role=status][aria-live=polite]')?.textContent ?? '',
        palette: el.palette!.colors.map((c) => c.hex),
      };
    });
    expect(state.crosshair).toBe(true);
    // With two colours the blue block shares a swatch: the one the recoloured image gives it.
    expect(state.palette).toContain(state.picked);
    expect(state.said).toMatch(new RegExp(`62% across, 50% down: ${state.picked}`));
    const outcome = await nextOutcome(page, () => page.keyboard.press('Enter'));
    expect(lockedOf(outcome)).toEqual([BLUE]);
    expect(hexes(outcome)).toContain(BLUE);
  });

  it('sets the region from the typed x, y, width and height and runs on it', async () => {
    await page.evaluate(async () => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      if (el.locked) await settle(el, () => Object.assign(el, { locked: '' }));
      await el.updateComplete;
    });
    await focusIn('[part~=select-region]');
    await page.keyboard.press('Enter');
    await page.evaluate(() => document.querySelector<PaletteExtractor>('#el')!.updateComplete);
    const values = { x: '22', y: '22', w: '30', h: '30' };
    for (const [name, value] of Object.entries(values)) {
      await focusIn(`.region-form input[name=${name}]`);
      await page.keyboard.down('Control');
      await page.keyboard.press('A');
      await page.keyboard.up('Control');
      await page.keyboard.type(value);
    }
    const outcome = await nextOutcome(page, () => page.keyboard.press('Enter'));
    expect(await page.evaluate(() => document.querySelector('#el')!.getAttribute('region'))).toBe('22 22 30 30');
    expect(hexes(outcome)).toEqual([RED]);
  });

  it.each([
    ['not a colour', 'red'],
    ['more colours than colors', '#000 #fff #f00'],
  ])('reports locked with %s as invalid-option and keeps the palette shown', async (_, locked) => {
    const outcome = await page.evaluate(async (locked) => {
      const el = document.querySelector<PaletteExtractor>('#el')!;
      const result = await settle(el, () => Object.assign(el, { region: '', colors: 2, locked }));
      await el.updateComplete;
      return { ...result, swatches: el.shadowRoot!.querySelectorAll('[part~=swatch]').length };
    }, locked);
    expect(outcome.type).toBe('palette-error');
    expect((outcome.detail as PaletteErrorDetail).code).toBe('invalid-option');
    expect((outcome.detail as PaletteErrorDetail).message).toMatch(/locked/);
    expect(outcome.swatches).toBeGreaterThan(0);
  });

  it('logged no page error', () => {
    expect(errors).toEqual([]);
  });
});

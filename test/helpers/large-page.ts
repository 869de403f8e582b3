/** The page of the large-image tests and the browser bench (test/pages/large.html), and how to drive its element. */
import type { Browser, Page } from 'puppeteer';
import { watchPageErrors } from './browser.js';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import type { PaletteDetail } from '../../src/events/details.js';

export type LargePageWindow = Window & {
  makeImage(width: number, height: number, seed?: number): ImageData;
  canvasPixels(canvas: HTMLCanvasElement): Uint8ClampedArray;
  gpuBytesWritten: number;
  pageReady: Promise<unknown>;
  big: ImageData | null;
  gpuPixels: Uint8ClampedArray | null;
};

/** Sets properties on the element and resolves with the next palette-change, or rejects with the palette-error. */
export async function settle(page: Page, props: Record<string, unknown>): Promise<PaletteDetail> {
  return page.evaluate(async (props) => {
    const el = document.querySelector<PaletteExtractor>('#large')!;
    const next = new Promise<PaletteDetail>((ok, fail) => {
      const done = () => (el.removeEventListener('palette-change', onChange), el.removeEventListener('palette-error', onError));
      const onChange = (e: Event) => (done(), ok((e as CustomEvent<PaletteDetail>).detail));
      const onError = (e: Event) => (done(), fail(new Error(JSON.stringify((e as CustomEvent).detail))));
      el.addEventListener('palette-change', onChange);
      el.addEventListener('palette-error', onError);
    });
    const w = window as unknown as LargePageWindow;
    Object.assign(el, props, 'image' in props && props.image === 'big' ? { image: w.big } : {});
    return next;
  }, props);
}

/** Opens the page served at `baseUrl` (the static server of the repository root) and waits for the element. */
export async function openLargePage(browser: Browser, baseUrl: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = watchPageErrors(page);
  await page.goto(`${baseUrl}/test/pages/large.html`);
  await page.evaluate(() => (window as unknown as LargePageWindow).pageReady);
  return { page, errors };
}


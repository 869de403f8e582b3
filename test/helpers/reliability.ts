/**
 * Pages for the reliability and security tests: test/pages/reliability-probe.js installed before any page script
 * (it wraps the page's real WebGPU adapter, devices and Worker to count, capture or break them), and every console
 * error, page error and unhandled rejection collected so a test can assert there were none.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, CDPSession, Page } from 'puppeteer';
import type { PaletteDetail, PaletteErrorDetail } from '../../src/events/details.js';

const PROBE = readFileSync(resolve(import.meta.dirname, '../pages/reliability-probe.js'), 'utf8');

export interface ProbeOptions {
  /** Strip `requiredLimits`: every device gets WebGPU's smallest (default) limits. */
  minLimits?: boolean;
  /** `new Worker` throws. */
  noWorker?: boolean;
  /** Workers start from a script that does not exist (404), so they fail after construction. */
  brokenWorker?: boolean;
}

export interface PageProblem {
  text: string;
  url: string;
}

export interface ProbedPage {
  page: Page;
  /** Console errors and uncaught page errors, with the URL they came from. */
  problems: PageProblem[];
}

/** A new page with the probe installed, at `url`, once the element is defined. `onPage` runs before it loads. */
export async function openProbedPage(
  browser: Browser,
  url: string,
  options: ProbeOptions = {},
  onPage?: (page: Page) => void,
): Promise<ProbedPage> {
  const page = await browser.newPage();
  onPage?.(page);
  const problems: PageProblem[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push({ text: msg.text(), url: msg.location().url ?? '' });
  });
  page.on('pageerror', (err) => problems.push({ text: String(err), url: '' }));
  await page.evaluateOnNewDocument(`${PROBE}\ninstallReliabilityProbe(${JSON.stringify(options)});`);
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('palette-extractor'), { timeout: 60_000 });
  return { page, problems };
}

/** Unhandled rejections and CSP violations the probe saw in the page. */
export function probeFindings(page: Page): Promise<{ rejections: string[]; violations: string[] }> {
  return page.evaluate(() => {
    const probe = (window as unknown as { __probe: { rejections: string[]; violations: string[] } }).__probe;
    return { rejections: probe.rejections, violations: probe.violations };
  });
}

export type Settled = { type: 'palette-change'; detail: PaletteDetail } | { type: 'palette-error'; detail: PaletteErrorDetail };

/** The JS heap in use after a full garbage collection, in bytes. */
export async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

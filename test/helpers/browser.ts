/**
 * Headless Chromium for tests: the system browser (scripts/env.mjs finds it), WebGPU on (SwiftShader here, the real
 * GPU elsewhere) or off, and no background network traffic.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer';

export interface LaunchOptions {
  /** Start with WebGPU enabled (default) or with it missing entirely. */
  webgpu?: boolean;
  extraArgs?: string[];
}

export function chromiumPath(): string {
  const path = process.env.PUPPETEER_EXECUTABLE_PATH;
  if (!path) throw new Error('PUPPETEER_EXECUTABLE_PATH is not set: run the tests through `npm test`.');
  return path;
}

export async function launchBrowser({ webgpu = true, extraArgs = [] }: LaunchOptions = {}): Promise<Browser> {
  const args = [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-default-apps',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...(webgpu ? ['--enable-unsafe-webgpu'] : ['--disable-webgpu', '--disable-features=WebGPU,Vulkan']),
    ...extraArgs,
  ];
  return puppeteer.launch({ executablePath: chromiumPath(), headless: true, args, protocolTimeout: 300_000 });
}

/** Collects console errors and uncaught page errors, so a test can assert there were none. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  return errors;
}

/**
 * A new page of `browser` at `url`, with its console errors and page errors collected (`watchPageErrors`); when
 * `ready` is given (an expression in the page), resolves once it holds.
 */
export async function openTestPage(browser: Browser, url: string, ready?: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors = watchPageErrors(page);
  await page.goto(url);
  if (ready) await page.waitForFunction(ready);
  return { page, errors };
}

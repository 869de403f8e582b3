import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'puppeteer';
import { launchBrowser } from '../helpers/browser.js';

describe('the test browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('exposes a WebGPU adapter on a localhost page', async () => {
    const page = await browser.newPage();
    await page.goto(`${inject('baseUrl')}/index.html`);
    const info = await page.evaluate(async () => {
      const adapter = await navigator.gpu?.requestAdapter();
      return adapter ? { vendor: adapter.info.vendor, architecture: adapter.info.architecture } : null;
    });
    expect(info).not.toBeNull();
    expect(typeof info!.vendor).toBe('string');
  });

  it('has no WebGPU when started without it', async () => {
    const plain = await launchBrowser({ webgpu: false });
    try {
      const page = await plain.newPage();
      await page.goto(`${inject('baseUrl')}/index.html`);
      const adapter = await page.evaluate(async () => (navigator.gpu ? !!(await navigator.gpu.requestAdapter()) : false));
      expect(adapter).toBe(false);
    } finally {
      await plain.close();
    }
  });
});

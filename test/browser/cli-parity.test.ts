/**
 * The command line and the element give the same palette for the same file and options: both decode it (sharp in
 * Node, the browser in the page), sample it with the core's resampler, fit k and cluster with the same engine. Run on
 * the bundled PNGs and an untagged JPEG (a file with an ICC profile is converted by two different colour engines).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import type { PaletteExtractor } from '../../src/palette-extractor.js';
import type { PaletteDetail } from '../../src/events/details.js';
import { launchBrowser } from '../helpers/browser.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = resolve(ROOT, 'dist/cli/cli.js');

interface CliPalette {
  colors: { hex: string; count: number }[];
  k: number;
  sampleWidth: number;
  sampleHeight: number;
  iterations: number;
}

function cli(file: string, args: string[]): CliPalette {
  const r = spawnSync(process.execPath, [CLI, file, '--format', 'json', '-q', '--backend', 'cpu', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`CLI exited ${r.status}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as CliPalette[])[0]!;
}

describe('the command line and the element', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: false });
    page = await browser.newPage();
    await page.goto(`${inject('baseUrl')}/test/pages/reliability.html`);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['chelsea.png', []],
    ['coffee.png', ['--colors', '7', '--seed', '3']],
    ['chelsea.png', ['--sample-size', '200x200', '--arithmetic', 'float64']],
    ['coffee.png', ['--color-space', 'oklab', '--n-init', '2']],
    ['retina.jpg', []],
  ] as [string, string[]][])('give %s the same palette with %j', async (file, args) => {
    const fromCli = cli(`public/samples/${file}`, args);
    const attributes: Record<string, string> = { backend: 'cpu', 'color-management': 'none' };
    for (let i = 0; i < args.length; i += 2) attributes[args[i]!.slice(2)] = args[i + 1]!;
    const fromElement = await page.evaluate(
      async (src, attributes) => {
        document.querySelectorAll('palette-extractor').forEach((e) => e.remove());
        const el = document.createElement('palette-extractor') as PaletteExtractor;
        for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
        el.src = src;
        document.body.append(el);
        return el.extract();
      },
      `/public/samples/${file}`,
      attributes,
    );
    const pick = (p: CliPalette | PaletteDetail) => ({
      k: p.k,
      sample: [p.sampleWidth, p.sampleHeight],
      iterations: p.iterations,
      colors: p.colors.map((c) => [c.hex, c.count]),
    });
    expect(pick(fromCli)).toEqual(pick(fromElement));
  });
});

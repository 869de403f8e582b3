/**
 * CLI section: images per second for a folder of photos (1,000; 200 with --quick) made here from the bundled samples
 * by seeded crops and rescales (JPEG and PNG, in a temporary folder, deleted after), run by the built command line
 * (`node dist/cli/cli.js`, a worker per core) against color-thief 3.5's Node API (`getPalette` on the same files,
 * as many calls in flight as cores). Every palette is scored on the same pixels: each image's 200-pixel sample (the
 * CLI's sampling), mean squared 8-bit RGB distance from each pixel to its nearest palette colour (lower is better).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { getPalette } from 'colorthief';
import { decodeImage } from '../src/cli/decode.js';
import { sampleForPalette } from '../src/cli/sample.js';
import { parseSampleSize } from '../src/image/sample-size.js';
import type { PixelImage } from '../src/core/types.js';
import { kernelsNote, type BenchReport, type BenchRow } from './report.js';

type Rgb = [number, number, number];

/** mulberry32: the same folder on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` photos: a random crop (30–100 % of each side) of a bundled sample, rescaled ×0.5–1.5, JPEG or PNG. */
async function makePhotos(root: string, dir: string, count: number): Promise<string[]> {
  const samples = ['chelsea.png', 'coffee.png', 'rocket.jpg', 'retina.jpg'].map((n) => resolve(root, 'public/samples', n));
  const sizes = await Promise.all(samples.map(async (s) => sharp(s).metadata()));
  const next = random(2026);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = i % samples.length;
    const { width: w = 1, height: h = 1 } = sizes[s]!;
    const cw = Math.max(16, Math.round(w * (0.3 + 0.7 * next())));
    const ch = Math.max(16, Math.round(h * (0.3 + 0.7 * next())));
    const left = Math.floor(next() * (w - cw + 1));
    const top = Math.floor(next() * (h - ch + 1));
    const scale = 0.5 + next();
    const file = join(dir, `photo-${String(i).padStart(4, '0')}.${i % 5 === 4 ? 'png' : 'jpg'}`);
    let pipeline = sharp(samples[s]!)
      .extract({ left, top, width: cw, height: ch })
      .resize(Math.max(8, Math.round(cw * scale)), Math.max(8, Math.round(ch * scale)));
    pipeline = file.endsWith('.png') ? pipeline.png() : pipeline.jpeg({ quality: 85 });
    await pipeline.toFile(file);
    files.push(file);
  }
  return files;
}

/** Mean over the sample's pixels of the squared 8-bit RGB distance to the nearest palette colour. */
function meanInertia(sample: PixelImage, palette: readonly Rgb[]): number {
  const { data } = sample;
  let total = 0;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3]! < 128) continue;
    let best = Infinity;
    for (const [r, g, b] of palette) {
      best = Math.min(best, (data[i]! - r) ** 2 + (data[i + 1]! - g) ** 2 + (data[i + 2]! - b) ** 2);
    }
    total += best;
    n++;
  }
  return n ? total / n : 0;
}

/** Runs the built CLI on the folder; returns seconds and each file's palette. */
function runCli(root: string, dir: string, args: string[]) {
  const out = join(dir, '..', `cli-${args.join('_').replace(/[^a-z0-9_]/gi, '')}.ndjson`);
  const started = performance.now();
  const r = spawnSync(process.execPath, [resolve(root, 'dist/cli/cli.js'), dir, '-q', '-f', 'ndjson', '-o', out, ...args], {
    encoding: 'utf8',
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`the CLI failed (${r.status}): ${r.stderr}`);
  const palettes = new Map<string, Rgb[]>();
  let backend = '';
  for (const line of readFileSync(out, 'utf8').trim().split('\n')) {
    const record = JSON.parse(line) as { file: string; adapter: string; colors: { rgb: Rgb }[] };
    palettes.set(record.file, record.colors.map((c) => c.rgb));
    backend = record.adapter;
  }
  return { seconds, palettes, backend };
}

async function runColorThief(files: string[], colorCount: number | undefined, inFlight: number) {
  const palettes = new Map<string, Rgb[]>();
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const colors = await getPalette(file, colorCount === undefined ? {} : { colorCount });
      palettes.set(file, (colors ?? []).map((c) => c.array()));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { seconds: (performance.now() - started) / 1000, palettes };
}

export async function cliSection(report: BenchReport, root: string): Promise<void> {
  if (!existsSync(resolve(root, 'dist/cli/cli.js'))) {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const count = report.flags.quick ? 200 : 1000;
  const cores = availableParallelism();
  const base = mkdtempSync(join(tmpdir(), 'pe-bench-cli-'));
  const dir = join(base, 'photos');
  mkdirSync(dir);
  try {
    const files = await makePhotos(root, dir, count);
    const megapixels =
      (await Promise.all(files.map(async (f) => sharp(f).metadata()))).reduce((s, m) => s + (m.width! * m.height!) / 1e6, 0) /
      count;
    const runs: { name: string; seconds: number; palettes: Map<string, Rgb[]>; note: string }[] = [];
    // The CLI's workers run the WebAssembly kernels where this Node does.
    const kernels = `, ${kernelsNote()}`;
    for (const [k, nInit] of [[5, 10], [5, 1], [10, 10]] as const) {
      const cli = runCli(root, dir, ['-k', String(k), '--n-init', String(nInit)]);
      const name = `palette-extractor CLI, k=${k}${nInit === 10 ? '' : `, nInit ${nInit}`}`;
      runs.push({ name, ...cli, note: `${cli.backend}${kernels}; ${cores} worker threads; nInit ${nInit}, sample 200` });
    }
    const defaults = await runColorThief(files, undefined, cores);
    runs.push({ name: 'color-thief 3.5 getPalette, defaults', ...defaults, note: `10 colours, quality 10, oklch; ${cores} calls in flight` });
    const five = await runColorThief(files, 5, cores);
    runs.push({ name: 'color-thief 3.5 getPalette, colorCount 5', ...five, note: `quality 10, oklch; ${cores} calls in flight` });

    // Scores, on the same pixels for every palette (untimed).
    const totals = runs.map(() => ({ inertia: 0, colours: 0 }));
    const size = parseSampleSize('200');
    for (const file of files) {
      const sample = sampleForPalette(await decodeImage(file), size);
      runs.forEach((run, j) => {
        const palette = run.palettes.get(file) ?? [];
        totals[j]!.inertia += meanInertia(sample, palette);
        totals[j]!.colours += palette.length;
      });
    }
    const rows: BenchRow[] = runs.map((run, j) => ({
      name: run.name,
      ms: run.seconds * 1000,
      extra: {
        'images/s': Number((count / run.seconds).toFixed(1)),
        'mean colours': Number((totals[j]!.colours / count).toFixed(2)),
        'mean inertia': Number((totals[j]!.inertia / count).toFixed(1)),
      },
      note: run.note,
    }));
    report.add({
      name: `cli: ${count} photos (crops and rescales of the samples, mean ${megapixels.toFixed(2)} MP), wall time for all`,
      backend: `Node ${process.version}, ${cores} cores; inertia: mean squared 8-bit RGB distance on each 200-px sample`,
      rows,
    });
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/**
 * The command line as a user runs it (`node dist/cli/cli.js`, what `npx palette-extractor` starts; `npm run build`
 * first): a folder of good and broken images, every output format, recolouring, EXIF orientation, and the same
 * palette as `extractPalette` on the same sample.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPalette } from '../../src/core/palette.js';
import { parseSampleSize } from '../../src/image/sample-size.js';
import { HELP } from '../../src/cli/args.js';
import { sampleForPalette } from '../../src/cli/sample.js';
import { vulkanLoaderFound } from '../../src/cli/gpu.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = resolve(ROOT, 'dist/cli/cli.js');
const shared = (name: string) => resolve(ROOT, 'public/samples', name);

let dir: string;
let folder: string;

/** As `cli`, without blocking this process (for a test that serves files to the CLI). */
function cliAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const GOOD = ['photos/chelsea-crop.png', 'photos/coffee-small.jpg', 'photos/nested/chelsea-tiny.png', 'photos/rotated.jpg'];
const BROKEN = ['photos/not-an-image.png', 'photos/truncated.jpg', 'photos/empty.jpg'];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pe-cli-'));
  folder = join(dir, 'photos');
  mkdirSync(join(folder, 'nested'), { recursive: true });
  const chelsea = shared('chelsea.png');
  const coffee = shared('coffee.png');
  await sharp(chelsea).extract({ left: 100, top: 50, width: 240, height: 180 }).png().toFile(join(dir, GOOD[0]!));
  await sharp(coffee).resize(150, 100).jpeg({ quality: 90 }).toFile(join(dir, GOOD[1]!));
  await sharp(chelsea).resize(40, 27).png().toFile(join(dir, GOOD[2]!));
  // Stored 90×60 with EXIF orientation 6 (rotate 90° clockwise to view): upright it is 60×90.
  await sharp(coffee).resize(90, 60).jpeg().withMetadata({ orientation: 6 }).toFile(join(dir, GOOD[3]!));
  writeFileSync(join(dir, BROKEN[0]!), 'this is text, not a PNG');
  writeFileSync(join(dir, BROKEN[1]!), readFileSync(join(dir, GOOD[1]!)).subarray(0, 600));
  writeFileSync(join(dir, BROKEN[2]!), '');
  writeFileSync(join(folder, 'notes.txt'), 'not an image extension: ignored');
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface JsonRecord {
  file: string;
  width?: number;
  height?: number;
  k?: number;
  colors?: { hex: string; rgb: number[]; count: number; fraction: number }[];
  error?: { code: string; message: string };
}

describe('palette-extractor on a folder with good and broken images', () => {
  let records: JsonRecord[];
  let run: ReturnType<typeof cli>;
  beforeAll(() => {
    run = cli(['photos', '--backend', 'cpu', '--format', 'json', '--output', 'out.json', '-j', '2', '-k', '4']);
    records = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
  });

  it('reports every image, a palette for each good one and an error for each broken one, and exits 1', () => {
    expect(run.status).toBe(1);
    expect(records.map((r) => r.file).sort()).toEqual([...GOOD, ...BROKEN].sort());
    for (const r of records.filter((r) => GOOD.includes(r.file))) {
      expect(r.error, r.file).toBeUndefined();
      expect(r.colors!.length, r.file).toBe(4);
      expect(r.colors!.reduce((s, c) => s + c.fraction, 0)).toBeCloseTo(1, 3);
      for (const c of r.colors!) expect(c.hex).toMatch(/^#[0-9a-f]{6}$/);
    }
    for (const r of records.filter((r) => BROKEN.includes(r.file))) {
      expect(r.error?.code, r.file).toBe('decode-failed');
      expect(run.stderr).toContain(r.file);
    }
    expect(run.stderr).toMatch(/7 images: 4 done, 3 failed/);
  });

  it('applies EXIF orientation: the rotated JPEG is measured upright', () => {
    expect(records.find((r) => r.file === 'photos/rotated.jpg')).toMatchObject({ width: 60, height: 90 });
  });

  it('gives the palette extractPalette gives on the same sample', async () => {
    const { data, info } = await sharp(join(dir, GOOD[0]!)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const image = { data: new Uint8ClampedArray(data), width: info.width, height: info.height };
    const expected = await extractPalette(sampleForPalette(image, parseSampleSize('200')), { k: 4, backend: 'cpu' });
    expect(records.find((r) => r.file === GOOD[0])!.colors!.map((c) => [c.hex, c.count])).toEqual(
      expected.colors.map((c) => [c.hex, c.count]),
    );
  });

  it('keeps --locked colours as centres and marks them locked, with a clear error for too many', () => {
    const ok = cli([GOOD[2]!, '--backend', 'cpu', '-q', '-f', 'ndjson', '-k', '3', '--locked', '#00ff00, #123456']);
    expect(ok.status).toBe(0);
    const record = JSON.parse(ok.stdout) as { colors: { hex: string; locked?: boolean }[] };
    expect(record.colors.filter((c) => c.locked).map((c) => c.hex).sort()).toEqual(['#00ff00', '#123456']);
    expect(record.colors.length).toBeLessThanOrEqual(3);
    const bad = cli([GOOD[2]!, '--backend', 'cpu', '-q', '-k', '1', '--locked', '#000 #fff']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/locked holds 2 colours but colors is 1/);
  });

  it('exits 0 when every image was read', () => {
    const ok = cli([GOOD[2]!, '--backend', 'cpu', '-q', '-f', 'ndjson']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).file).toBe(GOOD[2]);
  });
});

describe('palette-extractor output formats', () => {
  const inputs = [GOOD[0]!, GOOD[2]!, BROKEN[0]!, '--backend', 'cpu', '-q', '-j', '2', '-k', '3'];

  it('writes CSV with one row per colour', () => {
    const { status, stdout } = cli([...inputs, '--format', 'csv']);
    expect(status).toBe(1);
    const rows = stdout.trim().split('\n');
    expect(rows[0]).toBe('file,rank,hex,r,g,b,count,fraction');
    expect(rows).toHaveLength(1 + 2 * 3);
    for (const row of rows.slice(1)) expect(row).toMatch(/^photos\/\S+,[1-3],#[0-9a-f]{6},\d+,\d+,\d+,\d+,0?\.?\d+/);
  });

  it('writes NDJSON with one record per image, failures included', () => {
    const { stdout } = cli([...inputs, '--format', 'ndjson']);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonRecord);
    expect(lines.map((l) => l.file).sort()).toEqual([GOOD[0], GOOD[2], BROKEN[0]].sort());
    expect(lines.find((l) => l.file === BROKEN[0])?.error?.code).toBe('decode-failed');
  });

  it('writes CSS custom properties, one rule per image', () => {
    const { stdout } = cli([...inputs, '--format', 'css']);
    const rules = [...stdout.matchAll(/\[data-palette="([^"]+)"\] \{([^}]*)\}/g)];
    expect(rules.map((r) => r[1])).toEqual(['chelsea-crop.png', 'chelsea-tiny.png']);
    for (const rule of rules) expect([...rule[2]!.matchAll(/--palette-(\d): #[0-9a-f]{6};/g)]).toHaveLength(3);
  });

  it('writes a GIMP palette from the --output extension', () => {
    const { status } = cli([GOOD[0]!, '--backend', 'cpu', '-q', '-k', '3', '-o', 'palette.gpl']);
    expect(status).toBe(0);
    const lines = readFileSync(join(dir, 'palette.gpl'), 'utf8').trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['GIMP Palette', 'Name: chelsea-crop.png']);
    expect(lines.filter((l) => /^\s*\d{1,3}\s+\d{1,3}\s+\d{1,3}\t/.test(l))).toHaveLength(3);
  });

  it('recolours each image with its own palette into --recolor DIR', async () => {
    const { status, stdout } = cli([GOOD[0]!, '--backend', 'cpu', '-q', '-k', '3', '-f', 'json', '--recolor', 'recolored']);
    expect(status).toBe(0);
    const [record] = JSON.parse(stdout) as (JsonRecord & { recolored: string })[];
    const { data, info } = await sharp(join(dir, record!.recolored)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([240, 180]);
    const seen = new Set<string>();
    for (let i = 0; i < data.length; i += info.channels) {
      seen.add(`#${[data[i]!, data[i + 1]!, data[i + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('')}`);
    }
    expect([...seen].sort()).toEqual(record!.colors!.map((c) => c.hex).sort());
  });
});

describe('palette-extractor arguments', () => {
  it('prints the help the README shows', () => {
    const { status, stdout } = cli(['--help']);
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(HELP);
    expect(readFileSync(resolve(ROOT, 'README.md'), 'utf8')).toContain(HELP);
  });

  it('prints the package version', () => {
    const { stdout } = cli(['--version']);
    expect(stdout.trim()).toBe(JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).version);
  });

  it.each([
    [['photos', '--colors', 'many'], /--colors must be a number/],
    [['photos', '--format', 'xml'], /--format must be one of/],
    [['photos', '--color-space', 'cmyk'], /color-space must be one of/],
    [['photos', '--wat'], /Unknown option '--wat'/],
  ])('refuses %j with exit code 2', (args, message) => {
    const { status, stderr } = cli(args);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('reports a path that names nothing and exits 1', () => {
    const { status, stderr } = cli(['photos/missing.png', '--backend', 'cpu']);
    expect(status).toBe(1);
    expect(stderr).toContain('photos/missing.png: No such file or folder.');
  });

  it('refuses an --output it cannot write, before running, with exit code 2', () => {
    const { status, stderr } = cli(['photos', '--backend', 'cpu', '-o', 'no/such/folder/out.json']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/cannot write --output/);
  });

  it('fetches URLs, and reports one that answers 404 as fetch-failed', async () => {
    const png = readFileSync(join(dir, GOOD[2]!));
    const server = createServer((request, response) => {
      if (request.url === '/cat.png') response.writeHead(200, { 'content-type': 'image/png' }).end(png);
      else response.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await cliAsync([`${base}/cat.png`, `${base}/gone.png`, '--backend', 'cpu', '-q', '-f', 'ndjson', '-k', '2']);
      expect(r.status).toBe(1);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonRecord);
      expect(lines.find((l) => l.file.endsWith('/cat.png'))?.colors).toHaveLength(2);
      expect(lines.find((l) => l.file.endsWith('/gone.png'))?.error).toMatchObject({ code: 'fetch-failed' });
      expect(r.stderr).toMatch(/gone\.png: .*404/);
    } finally {
      server.close();
    }
  });

  it('expands a glob', () => {
    const { stdout } = cli(['photos/**/chelsea-*.png', '--backend', 'cpu', '-q', '-f', 'ndjson', '-k', '2']);
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l).file).sort()).toEqual([GOOD[0], GOOD[2]]);
  });
});

describe('palette-extractor --backend gpu (Dawn; SwiftShader where there is no GPU)', () => {
  it('gives the same palette on the GPU as on the CPU', () => {
    const args = [GOOD[2]!, '-q', '-f', 'json', '-k', '3', '--n-init', '1', '--sample-size', '24'];
    // scripts/test.mjs gives the tests the environment Dawn needs (scripts/env.mjs).
    const gpu = cli([...args, '--backend', 'gpu']);
    expect(gpu.status, gpu.stderr).toBe(0);
    const cpu = cli([...args, '--backend', 'cpu']);
    const [g] = JSON.parse(gpu.stdout) as (JsonRecord & { backend: string })[];
    const [c] = JSON.parse(cpu.stdout) as (JsonRecord & { backend: string })[];
    expect(g!.backend).toBe('gpu');
    expect(c!.backend).toBe('cpu');
    expect(g!.colors).toEqual(c!.colors);
  });
});

describe('palette-extractor --backend auto where there is no Vulkan loader', () => {
  it('runs on the CPU pool without the GPU library printing anything', () => {
    // The environment of a machine with no GPU stack: no loader on the library path, no driver named (the tests'
    // own environment points Dawn at Chromium's loader and SwiftShader: scripts/env.mjs).
    const env = { ...process.env, LD_LIBRARY_PATH: '', VK_ICD_FILENAMES: '', VK_DRIVER_FILES: '' };
    const r = spawnSync(process.execPath, [CLI, GOOD[2]!, '-f', 'json', '-k', '3'], { cwd: dir, encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    const [record] = JSON.parse(r.stdout) as (JsonRecord & { backend: string })[];
    expect(record!.backend).toBe('cpu');
    expect(r.stderr).not.toMatch(/vulkan/i);
    expect(r.stderr).toMatch(/1 image: 1 done/);
  });

  it('finds a loader on LD_LIBRARY_PATH, and assumes one off Linux', () => {
    const lib = mkdtempSync(join(tmpdir(), 'pe-vulkan-'));
    try {
      writeFileSync(join(lib, 'libvulkan.so.1'), '');
      expect(vulkanLoaderFound({ LD_LIBRARY_PATH: `/nowhere:${lib}` }, 'linux')).toBe(true);
      expect(vulkanLoaderFound({}, 'darwin')).toBe(true);
      expect(vulkanLoaderFound({}, 'win32')).toBe(true);
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  });
});

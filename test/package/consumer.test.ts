/**
 * A consumer project (Vite + TypeScript, `skipLibCheck: false`) installs the packed tarball and type-checks and builds
 * against it, as someone who found the package on npm would. Dependencies come from npm's cache where it has them
 * (`--prefer-offline`), so the install costs seconds once the repo's own `npm ci` has run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npmPack, ROOT } from './pack.js';

const version = (name: string): string =>
  JSON.parse(readFileSync(resolve(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

let dir: string;

function run(cmd: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pe-consumer-'));
  cpSync(resolve(import.meta.dirname, 'consumer'), dir, { recursive: true });
  const { tarball } = npmPack(dir);
  // The consumer's own tools at the repo's versions (already in npm's cache); no install scripts needed to build.
  execFileSync(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel=error',
      tarball,
      `vite@${version('vite')}`,
      `typescript@${version('typescript')}`,
    ],
    { cwd: dir, stdio: 'pipe' },
  );
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a Vite + TypeScript project that installs the tarball', () => {
  it('runs the command line from its node_modules/.bin, decoding with the sharp it installed', () => {
    const png = resolve(ROOT, 'public/samples/chelsea.png');
    const { status, output } = run('npx', ['--no-install', 'palette-extractor', png, '-k', '3', '--backend', 'cpu', '-q', '-f', 'ndjson']);
    expect(status, output).toBe(0);
    expect(JSON.parse(output).colors).toHaveLength(3);
  });

  it('type-checks the element, its events and the engine with skipLibCheck off', () => {
    const { status, output } = run('npx', ['tsc', '--noEmit', '-p', '.']);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('builds with vite, and the engine-only page bundles no lit', () => {
    const { status, output } = run('npx', ['vite', 'build']);
    expect(status, output).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'dist/.vite/manifest.json'), 'utf8')) as Record<
      string,
      { file: string; imports?: string[] }
    >;
    const filesOf = (key: string, seen = new Set<string>()): string[] => {
      if (seen.has(key)) return [];
      seen.add(key);
      const chunk = manifest[key]!;
      return [chunk.file, ...(chunk.imports ?? []).flatMap((k) => filesOf(k, seen))];
    };
    const read = (files: string[]) => files.map((f) => readFileSync(join(dir, 'dist', f), 'utf8')).join('\n');
    // lit's runtime marks itself with these globals; the element page must have them, the core page must not.
    const litMarker = /litElementVersions|litHtmlVersions/;
    expect(read(filesOf('element.html'))).toMatch(litMarker);
    expect(read(filesOf('core.html'))).not.toMatch(litMarker);
    // The package's module workers are found and emitted by the consumer's bundler (new Worker(new URL(...))).
    const assets = readdirSync(join(dir, 'dist/assets'));
    expect(assets.some((f) => /^palette-worker-.*\.js$/.test(f)), assets.join(' ')).toBe(true);
    expect(assets.some((f) => /^cpu-worker-.*\.js$/.test(f)), assets.join(' ')).toBe(true);
  });
});

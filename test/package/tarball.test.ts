import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmPack, ROOT } from './pack.js';

const { files } = npmPack();
const paths = files.map((f) => f.path);
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));

describe('the published tarball', () => {
  it('carries the licence, the readme, the manifest and both entry points with their types', () => {
    for (const path of [
      'LICENSE',
      'README.md',
      'package.json',
      'custom-elements.json',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/core/index.js',
      'dist/core/index.d.ts',
      'dist/palette-extractor.bundled.js',
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(readFileSync(resolve(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License[\s\S]*palette-extractor contributors/);
  });

  it('carries the command line it declares in bin', () => {
    for (const bin of Object.values<string>(pkg.bin)) expect(paths).toContain(bin.replace(/^\.\//, ''));
  });

  it('keeps the Node-only packages (sharp, piscina, tinyglobby, webgpu) out of everything a page loads', () => {
    const pageCode = files.filter((f) => f.path.endsWith('.js') && !f.path.startsWith('dist/cli/'));
    expect(pageCode.length).toBeGreaterThan(3);
    for (const { path } of pageCode) {
      expect(readFileSync(resolve(ROOT, path), 'utf8'), path).not.toMatch(/from\s*["'](sharp|piscina|tinyglobby|webgpu)["']/);
    }
    expect(readFileSync(resolve(ROOT, 'dist/cli/task.js'), 'utf8')).toMatch(/from\s*["']sharp["']/);
  });

  it('leaves out the demo, the raw shaders, declaration maps and the second copy of the manifest', () => {
    expect(paths.filter((p) => p.startsWith('dist/demo/'))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('shaders/') || p.endsWith('.wgsl'))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.d.ts.map'))).toEqual([]);
    expect(paths).not.toContain('dist/custom-elements.json');
    expect(paths.filter((p) => /^(src|test|bench|scripts|docs|public)\//.test(p))).toEqual([]);
  });

  it('ships one CPU worker, minified', () => {
    const workers = files.filter((f) => /(^|\/)cpu-worker-[^/]*\.js$/.test(f.path));
    expect(workers.map((w) => w.path)).toHaveLength(1);
    const code = readFileSync(resolve(ROOT, workers[0]!.path), 'utf8');
    // Minified: no JSDoc blocks, local names shortened (the WGSL it carries keeps its lines and comments).
    expect(code).not.toContain('/**');
    expect(code).not.toMatch(/function (runSeeds|startHelper)\b/);
  });

  it('declares the WebGPU types as a dependency and Dawn as an optional peer', () => {
    expect(pkg.dependencies['@webgpu/types']).toBeTruthy();
    expect(pkg.peerDependenciesMeta?.webgpu?.optional).toBe(true);
    expect(pkg.dependencies.webgpu).toBeUndefined();
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering the tree promises (README, "Layout"): the engine in src/core is DOM-free and imports nothing from the
// layers above it; the CPU worker builds on core (and the image helpers), never on the element's controllers, whose
// contracts it shares through core (the backend contract and the engine options: src/core/backend.ts).
const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The files a source file imports by relative path, as paths from the repository root. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((s) => relative(root, resolve(dirname(file), s.replace(/\?raw$/, ''))));
}

/** The code of a file without its comments and strings (what a DOM name in a comment does not count against). */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "''");
}

describe('the layers of the source tree', () => {
  it('keeps src/core importing only from src/core and the shaders', () => {
    const outside = sources(join(src, 'core')).flatMap((file) =>
      relativeImports(file)
        .filter((target) => !target.startsWith('src/core/') && !target.startsWith('shaders/'))
        .map((target) => `${relative(root, file)} imports ${target}`),
    );
    expect(outside).toEqual([]);
  });

  it('keeps src/core free of the page (no document, window, canvas or ImageData in its code)', () => {
    const dom = sources(join(src, 'core')).flatMap((file) =>
      [...code(file).matchAll(/\b(document|window|HTMLCanvasElement|HTMLImageElement|OffscreenCanvas|ImageData|customElements)\b/g)].map(
        (m) => `${relative(root, file)} uses ${m[1]}`,
      ),
    );
    expect(dom).toEqual([]);
  });

  it('keeps the CPU worker off the element: src/worker imports from core, image and itself only', () => {
    const upward = sources(join(src, 'worker')).flatMap((file) =>
      relativeImports(file)
        .filter((target) => !/^src\/(core|image|worker)\//.test(target) && !target.startsWith('shaders/'))
        .map((target) => `${relative(root, file)} imports ${target}`),
    );
    expect(upward).toEqual([]);
  });
});

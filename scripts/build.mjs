// `npm run build`: the package (dist/: ES modules, .d.ts types, custom-elements.json) and the demo (dist-demo/).
import { build } from 'vite';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
rmSync(resolve(root, 'dist'), { recursive: true, force: true });

const entries = { 'core/index': 'src/core/index.ts' };
if (existsSync(resolve(root, 'src/index.ts'))) entries.index = 'src/index.ts';

// Library: one ES module per entry, shaders inlined (?raw), lit left external for the host page's bundler.
await build({
  root,
  configFile: false,
  publicDir: false,
  logLevel: 'warn',
  // The worker's URL is resolved against import.meta.url: relative, so dist/ works wherever it is served from.
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: true,
    minify: false,
    lib: { entry: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, resolve(root, v)])), formats: ['es'] },
    rollupOptions: {
      external: [/^lit($|\/)/, /^@lit\//, 'webgpu'],
      output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
  // The worker minified, as in the bundled build below: both builds then emit the same file (same hash), so the
  // package ships one worker.
  worker: { format: 'es', rolldownOptions: { output: { minify: true } } },
});

// The same element as one self-contained module with lit inside, for plain HTML pages without a bundler or an
// import map (`<script type="module" src=".../palette-extractor.bundled.js">`).
if (entries.index) {
  await build({
    root,
    configFile: false,
    publicDir: false,
    logLevel: 'warn',
    base: './',
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2022',
      sourcemap: true,
      lib: { entry: resolve(root, entries.index), formats: ['es'], fileName: () => 'palette-extractor.bundled.js' },
      rollupOptions: { output: { chunkFileNames: 'chunks/[name]-[hash].js' } },
    },
    worker: { format: 'es' },
  });
}

// The command line (bin: dist/cli/cli.js) and its worker-thread task, for Node, with the engine bundled in (it
// imports internals that `./core` does not export); sharp, piscina, tinyglobby and webgpu stay external packages.
await build({
  root,
  configFile: false,
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist/cli',
    emptyOutDir: false,
    target: 'node20',
    ssr: true,
    sourcemap: false,
    minify: false,
    rollupOptions: {
      input: { cli: resolve(root, 'src/cli/cli.ts'), task: resolve(root, 'src/cli/task.ts') },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'engine-[hash].js' },
    },
  },
});

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// Types.
run('npx', ['tsc', '-p', 'tsconfig.build.json']);

// custom-elements.json from the element's JSDoc.
if (existsSync(resolve(root, 'src/palette-extractor.ts'))) {
  // Globs and output folder are in custom-elements-manifest.config.mjs; the manifest lands where package.json's
  // `customElements` points, and a copy goes in dist/ beside the code it describes.
  run('npx', ['custom-elements-manifest', 'analyze', '--quiet']);
  copyFileSync(resolve(root, 'custom-elements.json'), resolve(root, 'dist/custom-elements.json'));
}

// The demo page, for `npm test`'s browser project and for `vite preview`.
if (existsSync(resolve(root, 'index.html'))) {
  await build({ root, logLevel: 'warn' });
}

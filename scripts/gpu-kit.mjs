// `npm run bench:gpu -- [--quick]` (`node scripts/gpu-kit.mjs --bench ...`): the GPU
// bench from the sources, with tsx, in the environment Dawn needs here (scripts/env.mjs).
//
// `npm run gpu-kit -- [dir]` (`node scripts/gpu-kit.mjs [dir]`): builds a small folder (default bench-results/gpu-kit/, < 64 MiB) that runs the GPU bench
// (bench/gpu-main.ts) on a Linux x64 machine that has a GPU but maybe no Node, no node_modules and no Vulkan loader:
// - bench.mjs: the bench bundled into one file by esbuild (shaders inlined; no browser section, no Puppeteer);
// - node.gz: this machine's Node binary (process.execPath), gzipped;
// - dist/linux-x64/dawn.node.gz: the `webgpu` package's Dawn for linux-x64, gzipped, where bench.mjs looks for it;
// - lib/: shared libraries the target may lack (the Vulkan loader, libstdc++, the X11 libraries NVIDIA's Vulkan
//   driver needs), each used only where the target has none (run.sh checks with ldconfig);
// - run.sh: unpacks, points Vulkan at NVIDIA's ICD (/usr/local/nvidia/share/vulkan/icd.d, /usr/share/vulkan/icd.d,
//   /etc/vulkan/icd.d; else SwiftShader's where this machine's Chromium put one) and runs the bench with its
//   arguments, writing $OUT/gpu-bench.json when OUT is set.
// Run `sh bench-results/gpu-kit/run.sh --quick` here to try it on SwiftShader.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dawnEnv } from './env.mjs';

const root = resolve(import.meta.dirname, '..');
if (process.argv[2] === '--bench') {
  const r = spawnSync('npx', ['tsx', 'bench/gpu-main.ts', ...process.argv.slice(3)], { cwd: root, stdio: 'inherit', env: dawnEnv() });
  process.exit(r.status ?? 1);
}
const { build } = await import('esbuild');
const kit = resolve(process.argv[2] ?? join(root, 'bench-results', 'gpu-kit'));
const LIMIT = 64 * 2 ** 20;

rmSync(kit, { recursive: true, force: true });
mkdirSync(join(kit, 'dist', 'linux-x64'), { recursive: true });
mkdirSync(join(kit, 'lib'), { recursive: true });

/** Shaders are imported as `*.wgsl?raw` (Vite's convention): inline their text. */
const wgslRaw = {
  name: 'wgsl-raw',
  setup(b) {
    b.onResolve({ filter: /\.wgsl\?raw$/ }, (args) => ({ path: resolve(args.resolveDir, args.path.slice(0, -4)), namespace: 'wgsl' }));
    b.onLoad({ filter: /.*/, namespace: 'wgsl' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};

await build({
  entryPoints: [join(root, 'bench', 'gpu-main.ts')],
  outfile: join(kit, 'bench.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [wgslRaw],
  // webgpu's index.js finds dawn.node beside the bundle, in dist/<platform>-<arch>/; `require` for its createRequire.
  banner: { js: "import { createRequire as __kitRequire } from 'node:module'; const require = __kitRequire(import.meta.url);" },
  logLevel: 'warning',
});

const gzip = (from, to) => writeFileSync(to, gzipSync(readFileSync(from), { level: 9 }));
gzip(process.execPath, join(kit, 'node.gz'));
gzip(join(root, 'node_modules', 'webgpu', 'dist', 'linux-x64', 'dawn.node'), join(kit, 'dist', 'linux-x64', 'dawn.node.gz'));

/** The first path ldconfig knows for a library, else one of `fallbacks`. */
function findLibrary(name, fallbacks = []) {
  try {
    const line = execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }).split('\n').find((l) => l.includes(`${name} (`) && l.includes('x86-64'));
    const path = line?.split('=> ')[1]?.trim();
    if (path && existsSync(path)) return path;
  } catch {
    // no ldconfig
  }
  return fallbacks.find((p) => existsSync(p));
}
const libraries = {
  'libvulkan.so.1': ['/usr/lib/chromium/libvulkan.so.1'],
  'libstdc++.so.6': [],
  'libgcc_s.so.1': [],
  'libXext.so.6': [],
  'libX11.so.6': [],
  'libxcb.so.1': [],
  'libXau.so.6': [],
  'libXdmcp.so.6': [],
  'libbsd.so.0': [],
  'libmd.so.0': [],
};
const packed = [];
for (const [name, fallbacks] of Object.entries(libraries)) {
  const path = findLibrary(name, fallbacks);
  if (!path) continue;
  copyFileSync(path, join(kit, 'lib', name));
  packed.push(name);
}

writeFileSync(
  join(kit, 'run.sh'),
  `#!/bin/sh
# Runs the palette-extractor GPU bench from this kit (made by scripts/gpu-kit.mjs). Arguments go to the bench
# (--quick, --mp 1,24, --k 16,64, --ninit 1,10). With OUT set, the JSON goes to $OUT/gpu-bench.json.
set -eu
KIT=$(cd "$(dirname "$0")" && pwd)
WORK=\${TMPDIR:-/tmp}/palette-extractor-gpu-kit
mkdir -p "$WORK/dist/linux-x64" "$WORK/lib"
[ -x "$WORK/node" ] || { gzip -dc "$KIT/node.gz" > "$WORK/node"; chmod +x "$WORK/node"; }
[ -f "$WORK/dist/linux-x64/dawn.node" ] || gzip -dc "$KIT/dist/linux-x64/dawn.node.gz" > "$WORK/dist/linux-x64/dawn.node"
cp "$KIT/bench.mjs" "$WORK/bench.mjs"
# Only the libraries this machine lacks.
for lib in ${packed.join(' ')}; do
  if ! ldconfig -p 2>/dev/null | grep -q "$lib "; then ln -sf "$KIT/lib/$lib" "$WORK/lib/$lib"; fi
done
export LD_LIBRARY_PATH="$WORK/lib\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if [ -z "\${VK_ICD_FILENAMES:-}" ] && [ -z "\${VK_DRIVER_FILES:-}" ]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json \\
             /etc/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/share/vulkan/icd.d/*.json /usr/share/vulkan/icd.d/*.json \\
             /usr/lib/chromium/vk_swiftshader_icd.json; do
    if [ -f "$icd" ]; then export VK_ICD_FILENAMES="$icd"; break; fi
  done
fi
echo "GPU kit: node $("$WORK/node" --version), Vulkan driver \${VK_ICD_FILENAMES:-\${VK_DRIVER_FILES:-(loader default)}}" >&2
cd "$WORK"
exec "$WORK/node" "$WORK/bench.mjs" "$@"
`,
);
chmodSync(join(kit, 'run.sh'), 0o755);

function size(dir) {
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name);
    const st = statSync(path);
    return sum + (st.isDirectory() ? size(path) : st.size);
  }, 0);
}
const bytes = size(kit);
console.log(`GPU kit in ${kit}: ${(bytes / 2 ** 20).toFixed(1)} MiB (${packed.join(', ')})`);
if (bytes > LIMIT) {
  console.error(`The kit is over 64 MiB.`);
  process.exit(1);
}

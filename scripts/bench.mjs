// `npm run bench`: runs bench/index.ts with tsx, in the environment Dawn needs for the GPU section.
// Flags: --quick (fewer repeats), --only <section> (cpu, gpu, large, peers, browser, cli), --node (reserved for the GPU section: Dawn in Node).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { dawnEnv } from './env.mjs';

const root = resolve(import.meta.dirname, '..');
const r = spawnSync('npx', ['tsx', 'bench/index.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: dawnEnv(),
});
process.exit(r.status ?? 1);

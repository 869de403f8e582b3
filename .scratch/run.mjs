import { spawnSync } from 'node:child_process';
import { dawnEnv } from '../scripts/env.mjs';
const r = spawnSync('npx', ['tsx', ...process.argv.slice(2)], { stdio: 'inherit', env: dawnEnv() });
process.exit(r.status ?? 1);

// `npm test`: build the package and the demo, then run every Vitest project (unit, gpu, browser).
// Extra arguments go to Vitest, e.g. `npm test -- --project unit` or `npm test -- test/unit/random.test.ts`.
import { spawnSync } from 'node:child_process';
import { CHROMIUM_HELP, dawnEnv, findChromium } from './env.mjs';

const args = process.argv.slice(2);
const env = dawnEnv();
const chromium = await findChromium();
if (chromium) env.PUPPETEER_EXECUTABLE_PATH = chromium;
else {
  const wantsBrowser = args.length === 0 || args.some((a) => a.includes('browser'));
  if (wantsBrowser) {
    console.error(CHROMIUM_HELP);
    process.exit(1);
  }
}

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!process.env.SKIP_BUILD) run('npm', ['run', '--silent', 'build']);
run('npx', ['vitest', 'run', ...args]);

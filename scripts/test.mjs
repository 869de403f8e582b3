// `npm test`: build the package and the demo, then run every Vitest project (unit, gpu, browser).
// Extra arguments go to Vitest, e.g. `npm test -- --project unit` or `npm test -- test/unit/random.test.ts`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CHROMIUM_HELP, dawnEnv, findChromium } from './env.mjs';

// A leading `--` (as in `node scripts/test.mjs -- file`) would make Vitest ignore the file filters after it.
const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--'));
let chromium = await findChromium();
// On a fresh Debian machine where we are root, install Debian's Chromium (it also brings SwiftShader's Vulkan
// driver, which the Dawn tests use when there is no GPU).
if (!chromium && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env.NO_APT) {
  console.log('No Chromium found: installing Debian\'s chromium with apt-get (set NO_APT=1 to skip)...');
  const quiet = { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  spawnSync('apt-get', ['update', '-qq'], quiet);
  spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], quiet);
  chromium = await findChromium();
}
const env = dawnEnv();
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

// Vitest's own summary plus a JSON report, from which one plain closing line is printed for CI logs.
const report = resolve('test-output', 'vitest-report.json');
mkdirSync(dirname(report), { recursive: true });
rmSync(report, { force: true });
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args],
  { stdio: 'inherit', env },
);
if (existsSync(report)) {
  const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = JSON.parse(readFileSync(report, 'utf8'));
  console.log(`Tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped`);
}
process.exit(vitest.status ?? 1);

/**
 * `npm run bench` (scripts/bench.mjs): every benchmark section, one table each on screen, and the JSON under
 * bench-results/. Sections register here; each decides from `report.flags` how long to run.
 */
import { resolve } from 'node:path';
import { cpuSection } from './cpu.js';
import { largeSection } from './large.js';
import { peersSection } from './peers.js';
import { resampleSection } from './resample.js';
import { gpuSection } from './gpu.js';
import { browserSection } from './browser.js';
import { cliSection } from './cli.js';
import { BenchReport, parseFlags } from './report.js';

const root = resolve(import.meta.dirname, '..');
const report = new BenchReport(parseFlags(process.argv.slice(2)));

const sections: [string, (report: BenchReport, root: string) => Promise<void>][] = [
  ['cpu', cpuSection],
  ['resample', resampleSection],
  ['gpu', gpuSection],
  ['large', largeSection],
  ['peers', peersSection],
  ['browser', browserSection],
  ['cli', cliSection],
];

for (const [name, run] of sections) {
  if (report.wants(name)) await run(report, root);
}
console.log(`\nwrote ${report.write(root)} and bench-results/latest.json`);

/**
 * `npm run bench:gpu`: the GPU section alone (bench/gpu.ts), with nothing of the browser section or its
 * dependencies, so that it runs on a machine that has only Node and a GPU (see scripts/gpu-kit.mjs). Flags: `--quick`
 * (1 MP, k = 16), `--mp 1,24`, `--k 16,64`, `--ninit 1,10` (default: 24 MP, k ∈ {16, 64}, nInit ∈ {1, 10}). Writes bench-results/ as `npm run bench` does, or `$OUT/gpu-bench.json`
 * when OUT is set. The images are generated (`photoLikeImage`), so nothing is read from disk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gpuSection } from './gpu.js';
import { BenchReport, machineInfo, parseFlags } from './report.js';

const argv = process.argv.slice(2);
const report = new BenchReport({ ...parseFlags(argv), node: true });
await gpuSection(report, process.cwd());
const out = process.env.OUT;
if (out) {
  mkdirSync(out, { recursive: true });
  const file = resolve(out, 'gpu-bench.json');
  const { startedAt, flags, sections } = report;
  writeFileSync(file, JSON.stringify({ startedAt, flags, machine: machineInfo(), sections }, null, 2));
  console.log(`wrote ${file}`);
} else {
  console.log(`\nwrote ${report.write(resolve(import.meta.dirname, '..'))} and bench-results/latest.json`);
}

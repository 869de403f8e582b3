/**
 * The benchmark report: sections add rows; the report prints one aligned table per section and writes everything,
 * with the machine it ran on, to `bench-results/<timestamp>.json` and `bench-results/latest.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { wasmKernelsAvailable } from '../src/core/wasm/kernels.js';

export interface BenchFlags {
  /** Fewer repeats, for a smoke run. */
  quick: boolean;
  /** Run only this section (by name), or every section. */
  only: string | undefined;
  /** Reserved for the GPU section: run it on Dawn in Node rather than in Chromium. */
  node: boolean;
  /** Sections that run on both backends run only this one (`--backend cpu` or `gpu`), or both. */
  backend: 'cpu' | 'gpu' | undefined;
}

export function parseFlags(argv: string[]): BenchFlags {
  const onlyAt = argv.indexOf('--only');
  return {
    quick: argv.includes('--quick'),
    only: onlyAt >= 0 ? argv[onlyAt + 1] : undefined,
    node: argv.includes('--node'),
    backend: (['cpu', 'gpu'] as const).find((b) => argv[argv.indexOf('--backend') + 1] === b && argv.includes('--backend')),
  };
}

/** One measured (or skipped) workload. `ms` is the median; `note` says why a row was skipped or what it compares. */
export interface BenchRow {
  name: string;
  ms?: number;
  /** Every repeat's time, ms. */
  samples?: number[];
  /** Extra columns, e.g. iterations, inertia, points. */
  extra?: Record<string, string | number>;
  note?: string;
}

export interface BenchSection {
  name: string;
  /** What ran the section: "CPU (float64, single thread)", the GPU adapter's description, ... */
  backend: string;
  rows: BenchRow[];
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs `fn` `warmup` times unmeasured, then `repeats` times; returns the times in ms. */
export async function time(fn: () => unknown, repeats: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

export function machineInfo() {
  const list = cpus();
  return {
    cpu: list[0]?.model ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function formatTable(section: BenchSection): string {
  const extraKeys = [...new Set(section.rows.flatMap((r) => Object.keys(r.extra ?? {})))];
  const header = ['workload', 'median ms', ...extraKeys, 'note'];
  const body = section.rows.map((r) => [
    r.name,
    r.ms === undefined ? '-' : r.ms.toFixed(1),
    ...extraKeys.map((k) => String(r.extra?.[k] ?? '')),
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  // Numbers right-aligned, text left-aligned.
  const numeric = header.map((_, i) => i > 0 && body.every((row) => row[i] === '' || row[i] === '-' || !isNaN(Number(row[i]))));
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [
    `${section.name} — ${section.backend}`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
  ].join('\n');
}

export class BenchReport {
  readonly sections: BenchSection[] = [];
  readonly startedAt = new Date();

  constructor(readonly flags: BenchFlags) {}

  /** Whether a section named `name` should run under `--only`. */
  wants(name: string): boolean {
    return this.flags.only === undefined || this.flags.only === name;
  }

  add(section: BenchSection): void {
    this.sections.push(section);
    console.log(`\n${formatTable(section)}`);
  }

  /** Writes the JSON files; returns the timestamped path. */
  write(root: string): string {
    const dir = resolve(root, 'bench-results');
    mkdirSync(dir, { recursive: true });
    const json = JSON.stringify(
      { startedAt: this.startedAt.toISOString(), flags: this.flags, machine: machineInfo(), sections: this.sections },
      null,
      2,
    );
    const path = resolve(dir, `${this.startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(path, json);
    writeFileSync(resolve(dir, 'latest.json'), json);
    return path;
  }
}

/** Which kernels this Node's CPU path runs: the WebAssembly ones where they load, else the JavaScript ones. */
export function kernelsNote(): string {
  return wasmKernelsAvailable() ? 'WebAssembly kernels' : 'JavaScript kernels';
}

/** The package as npm would publish it: `npm pack` of the built repo (run `npm run build` first). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface PackEntry {
  path: string;
  size: number;
}

export interface PackResult {
  filename: string;
  files: PackEntry[];
  unpackedSize: number;
}

/** What `npm pack` lists (with `dryRun`, nothing is written); otherwise the tarball is written into `destination`. */
export function npmPack(destination?: string): PackResult & { tarball: string } {
  const dest = destination ?? mkdtempSync(join(tmpdir(), 'pe-pack-'));
  const args = ['pack', '--json', '--ignore-scripts', '--pack-destination', dest];
  if (!destination) args.push('--dry-run');
  const [result] = JSON.parse(execFileSync('npm', args, { cwd: ROOT, encoding: 'utf8' })) as PackResult[];
  return { ...result!, tarball: join(dest, result!.filename) };
}

/**
 * The command line's arguments: the element's options under the same names (`--colors`, `--seed`, `--n-init`,
 * `--color-space`, `--sample-size`, `--max-iterations`, `--backend`, `--arithmetic`), resolved by the element's own
 * rules (`resolveOptions`: numbers clamped to their range, anything unreadable refused), plus output options.
 */
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULTS } from '../core/constants.js';
import { InvalidOptionError } from '../core/errors.js';
import { OPTION_DEFAULTS, resolveOptions, type ResolvedOptions } from '../controllers/options.js';

export const FORMATS = ['table', 'json', 'ndjson', 'csv', 'css', 'gpl'] as const;
export type Format = (typeof FORMATS)[number];

export const HELP = `Usage: palette-extractor <files, folders, globs or URLs...> [options]

Finds each image's colour palette by k-means (the <palette-extractor> element's engine and options).
Folders are searched recursively for .jpg .jpeg .png .webp .avif .tif .tiff .gif; quote globs ("photos/**/*.jpg").

Options (defaults as in the element):
  -k, --colors N          number of colours, 1-256 (default 5)
      --seed N            k-means++ seed, 0-4294967295 (default 0)
      --n-init N          k-means++ seedings, the best kept, 1-100 (default 10)
      --max-iterations N  Lloyd iterations per seeding at most (default 300)
      --color-space S     rgb | oklab (default rgb)
      --sample-size S     200 (fit in 200x200) | WxH (stretch) | full (default 200)
      --backend B         auto | gpu | cpu (default auto: a real GPU through Dawn if the
                          optional 'webgpu' package finds one, else the CPU on every core)
      --arithmetic A      exact | float64 (CPU only; default exact, bit-identical to the GPU)
      --locked C          locked colours, #rrggbb separated by spaces or commas: centres of
                          every run, never moved, the other colours found around them
  -f, --format F          table | json | ndjson | csv | css | gpl (default: from --output's
                          extension, else table)
  -o, --output FILE       write the palettes to FILE instead of stdout
      --recolor DIR       also write each image recoloured with its palette, as DIR/<name>.png
  -j, --threads N         worker threads (default: one per core)
  -q, --quiet             no progress bar and no summary
  -h, --help              show this help
  -v, --version           show the version

Progress and the summary go to stderr. A file that cannot be read is reported and skipped;
the exit code is 1 when any failed, 2 for bad arguments, 0 otherwise.`;

export interface CliArgs {
  inputs: string[];
  options: ResolvedOptions;
  format: Format;
  output: string | undefined;
  recolor: string | undefined;
  threads: number;
  quiet: boolean;
  help: boolean;
  version: boolean;
}

function number(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidOptionError(`--${name} must be a number (got "${value}").`);
  return n;
}

function formatFrom(value: string | undefined, output: string | undefined): Format {
  const named = value ?? (output ? extname(output).slice(1).toLowerCase() : 'table');
  const format = (FORMATS as readonly string[]).includes(named) ? (named as Format) : undefined;
  if (format) return format;
  if (value === undefined) return output?.toLowerCase().endsWith('.jsonl') ? 'ndjson' : 'table';
  throw new InvalidOptionError(`--format must be one of ${FORMATS.join(', ')} (got "${value}").`);
}

/** Parses argv (without `node` and the script). Throws InvalidOptionError for anything it cannot read. */
export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        colors: { type: 'string', short: 'k' },
        seed: { type: 'string' },
        'n-init': { type: 'string' },
        'max-iterations': { type: 'string' },
        'color-space': { type: 'string' },
        'sample-size': { type: 'string' },
        backend: { type: 'string' },
        arithmetic: { type: 'string' },
        locked: { type: 'string' },
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        recolor: { type: 'string' },
        threads: { type: 'string', short: 'j' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new InvalidOptionError(error instanceof Error ? error.message : String(error));
  }
  const { values: v, positionals } = parsed;
  const options = resolveOptions({
    ...OPTION_DEFAULTS,
    colors: number('colors', v.colors, DEFAULTS.k),
    seed: number('seed', v.seed, DEFAULTS.seed),
    nInit: number('n-init', v['n-init'], DEFAULTS.nInit),
    maxIterations: number('max-iterations', v['max-iterations'], DEFAULTS.maxIter),
    colorSpace: v['color-space'] ?? OPTION_DEFAULTS.colorSpace,
    sampleSize: v['sample-size'] ?? OPTION_DEFAULTS.sampleSize,
    backend: v.backend ?? OPTION_DEFAULTS.backend,
    arithmetic: v.arithmetic ?? OPTION_DEFAULTS.arithmetic,
    locked: v.locked ?? OPTION_DEFAULTS.locked,
  });
  if (options.arithmetic === 'float64' && options.backend === 'gpu') {
    throw new InvalidOptionError("--arithmetic float64 runs on the CPU only: use --backend cpu or auto.");
  }
  const threads = Math.max(1, Math.min(256, Math.round(number('threads', v.threads, availableParallelism()))));
  return {
    inputs: positionals,
    options,
    format: formatFrom(v.format, v.output),
    output: v.output,
    recolor: v.recolor,
    threads,
    quiet: v.quiet ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}

#!/usr/bin/env node
/**
 * `palette-extractor <files, folders, globs or URLs> [options]`: palettes for whole folders of images.
 * Decoding, sampling and (on the CPU) clustering run in a pool of worker threads, one per core (piscina); with a real
 * GPU (Dawn, the optional `webgpu` package) the workers decode and sample and the GPU clusters, one image at a time.
 * Run `palette-extractor --help` for the options (the same text is in the README).
 */
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { Piscina } from 'piscina';
import { DeviceLostError, GpuError, PaletteError } from '../core/errors.js';
import { extractPalette } from '../core/palette.js';
import type { AcquiredDevice } from '../core/gpu/device.js';
import { HELP, parseCliArgs, type CliArgs } from './args.js';
import { formatAll, isFailure, ndjsonLine, type ImageRecord, type OutputRecord } from './formats.js';
import { cliDevice } from './gpu.js';
import { expandInputs, type ImageRef } from './inputs.js';
import { Progress } from './progress.js';
import { engineOptions as elementEngineOptions } from '../controllers/options.js';
import type { EngineOptions, ImageSource, PaletteTaskResult, SampleTaskResult, Task, TaskResult } from './task.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The worker module beside this one: task.js when built, task.ts when run from source (tsx). */
const TASK_FILE = join(here, `task${extname(fileURLToPath(import.meta.url))}`);

function version(): string {
  for (const up of ['..', '../..']) {
    try {
      return JSON.parse(readFileSync(join(here, up, 'package.json'), 'utf8')).version;
    } catch {
      // not this folder
    }
  }
  return 'unknown';
}

class Failed extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

async function sourceOf(ref: ImageRef): Promise<ImageSource> {
  if ('missing' in ref) throw new Failed('fetch-failed', ref.missing);
  if ('path' in ref) return { path: ref.path };
  let response: Response;
  try {
    response = await fetch(ref.url);
  } catch (cause) {
    throw new Failed('fetch-failed', `Could not fetch the image (${(cause as Error).message}).`);
  }
  if (!response.ok) throw new Failed('fetch-failed', `Could not fetch the image: the server answered ${response.status}.`);
  return { bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** `DIR/<name>.png`, made unique within the run. */
function recolorNamer(dir: string | undefined): (ref: ImageRef) => string | undefined {
  if (!dir) return () => undefined;
  mkdirSync(dir, { recursive: true });
  const used = new Set<string>();
  return (ref) => {
    const base = basename(('path' in ref ? ref.path : ref.name).split(/[?#]/)[0]!).replace(/\.[^.]*$/, '') || 'image';
    let name = `${base}.png`;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}.png`;
    used.add(name);
    return join(dir, name);
  };
}

function unwrap<T>(result: TaskResult): T {
  if (result && 'failed' in result) throw new Failed(result.failed.code, result.failed.message);
  return result as T;
}

interface Engine {
  describe: string;
  run(ref: ImageRef, source: ImageSource, recolorPath: string | undefined): Promise<ImageRecord>;
  close(): Promise<void>;
}

function record(
  ref: ImageRef,
  facts: Omit<PaletteTaskResult, 'palette' | 'decodeMs' | 'clusterMs'>,
  palette: PaletteTaskResult['palette'],
  seed: number,
  ms: number,
  recolored: string | undefined,
): ImageRecord {
  return {
    file: ref.name,
    width: facts.width,
    height: facts.height,
    sampleWidth: facts.sampleWidth,
    sampleHeight: facts.sampleHeight,
    k: facts.k,
    seed,
    colorSpace: palette.colorSpace,
    arithmetic: palette.arithmetic,
    backend: palette.backend,
    adapter: palette.adapter,
    iterations: palette.iterations,
    converged: palette.converged,
    inertia: palette.inertia,
    pixelsUsed: palette.pixelsUsed,
    colors: palette.colors,
    ...(recolored ? { recolored } : {}),
    ms,
  };
}

function cpuEngine(pool: Piscina, options: EngineOptions, threads: number): Engine {
  return {
    describe: `CPU, ${threads} worker thread${threads === 1 ? '' : 's'}`,
    async run(ref, source, recolorPath) {
      const started = performance.now();
      const task: Task = { kind: 'palette', source, options, ...(recolorPath ? { recolorPath } : {}) };
      const { palette, decodeMs: _d, clusterMs: _c, ...facts } = unwrap<PaletteTaskResult>(await pool.run(task));
      return record(ref, facts, palette, options.seed, performance.now() - started, recolorPath);
    },
    close: () => pool.destroy(),
  };
}

/**
 * One device, one image at a time on it; the pool decodes and samples the next images meanwhile. A device lost or
 * failing mid-batch is said once on stderr and the rest of the batch (this image included) runs on the CPU pool, as
 * the element falls back: same bits, other speed.
 */
function gpuEngine(
  pool: Piscina,
  options: EngineOptions,
  gpu: AcquiredDevice,
  threads: number,
  notify: (line: string) => void,
): Engine {
  let queue: Promise<unknown> = Promise.resolve();
  let lost: Error | undefined;
  const cpu = cpuEngine(pool, options, threads);
  const { sampleSize: _size, ...engine } = options;
  return {
    get describe() {
      const on = `GPU (${gpu.info.text}) through Dawn, decoding on ${threads} worker thread${threads === 1 ? '' : 's'}`;
      return lost ? `${on}; the GPU failed mid-batch, the rest ran on the CPU` : on;
    },
    async run(ref, source, recolorPath) {
      if (lost) return cpu.run(ref, source, recolorPath);
      const started = performance.now();
      const { sample, decodeMs: _d, ...facts } = unwrap<SampleTaskResult>(
        await pool.run({ kind: 'sample', source, options } satisfies Task),
      );
      const turn = queue.then(() => extractPalette(sample, { ...engine, k: facts.k, backend: 'gpu', device: gpu.device }));
      queue = turn.catch(() => undefined);
      let result;
      try {
        result = await turn;
      } catch (error) {
        if (!(error instanceof DeviceLostError || error instanceof GpuError)) throw error;
        if (!lost) notify(`palette-extractor: ${error.message} The remaining images run on the CPU.`);
        lost = error;
        return cpu.run(ref, source, recolorPath);
      }
      const { labels: _labels, ...palette } = result;
      if (recolorPath) {
        const { alphaThreshold } = options;
        const task: Task = { kind: 'recolor', source, centers: palette.centers, colorSpace: palette.colorSpace, alphaThreshold, recolorPath };
        unwrap(await pool.run(task));
      }
      return record(ref, facts, { ...palette, adapter: gpu.info.text }, options.seed, performance.now() - started, recolorPath);
    },
    async close() {
      await pool.destroy();
      gpu.release();
    },
  };
}

/**
 * Worker isolates start with a 64 MB heap instead of V8's few MB: each image allocates a few MB that live for its
 * task, and at the default size the old generation was marked and compacted every other image (~6 ms each; 1,000
 * photos on 2 cores: 16.4-17.0 -> 14.3-14.5 s). V8 reads the flag when it creates an isolate, so it is set before the
 * pool starts its workers; the main thread is already running and keeps its own.
 */
function startWorkersWithRoom(): void {
  v8.setFlagsFromString('--initial-heap-size=64');
}

async function chooseEngine(args: CliArgs, notify: (line: string) => void): Promise<Engine> {
  const { options, threads } = args;
  // The element's engine options, made by the same function from the same resolved options.
  const engineOptions: EngineOptions = { ...elementEngineOptions(options), sampleSize: options.sampleSize };
  // Two tasks a worker: one decodes (libvips, off the worker's thread) while the other clusters, so a core does not
  // wait for a decode between images (200 photos on 2 cores: 5.1 -> 4.75 s, the same palettes).
  startWorkersWithRoom();
  const pool = new Piscina({ filename: TASK_FILE, minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: 2 });
  const wantsGpu = options.backend !== 'cpu' && options.arithmetic === 'exact';
  const gpu = wantsGpu ? await cliDevice(options.backend as 'auto' | 'gpu') : null;
  return gpu ? gpuEngine(pool, engineOptions, gpu, threads, notify) : cpuEngine(pool, engineOptions, threads);
}

/** Runs `jobs` with at most `limit` in flight, calling `done` as each settles. */
async function runAll<T>(count: number, limit: number, job: (i: number) => Promise<T>, done: (i: number, r: T) => void) {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      done(i, await job(i));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
}

function finish(stream: NodeJS.WritableStream): Promise<void> {
  if (stream === process.stdout) return new Promise((resolve) => process.stdout.write('', () => resolve()));
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.end(resolve);
  });
}

async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`palette-extractor: ${(error as Error).message}\nRun palette-extractor --help for the options.\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (args.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (args.inputs.length === 0) {
    process.stderr.write(`${HELP}\n`);
    return 2;
  }
  if (args.output) {
    try {
      // Fails now, with a plain message, rather than after the whole batch ran.
      writeFileSync(args.output, '');
    } catch (error) {
      process.stderr.write(`palette-extractor: cannot write --output ${args.output}: ${(error as Error).message}\n`);
      return 2;
    }
  }
  const refs = await expandInputs(args.inputs);
  if (refs.length === 0) {
    process.stderr.write(`palette-extractor: no image files in ${args.inputs.join(', ')}.\n`);
    return 1;
  }
  const progress = new Progress(refs.length, !args.quiet);
  let engine: Engine;
  try {
    engine = await chooseEngine(args, (line) => progress.log(line));
  } catch (error) {
    const hint = error instanceof PaletteError ? ` [${error.code}] Use --backend cpu (or auto) to run on the CPU.` : '';
    process.stderr.write(`palette-extractor: ${(error as Error).message}${hint}\n`);
    return 1;
  }
  const out = args.output ? createWriteStream(args.output) : process.stdout;
  const recolorPath = recolorNamer(args.recolor);
  const records: OutputRecord[] = new Array(refs.length);
  const started = performance.now();
  let failures = 0;
  await runAll(
    refs.length,
    args.threads * 2,
    async (i): Promise<OutputRecord> => {
      const ref = refs[i]!;
      try {
        return await engine.run(ref, await sourceOf(ref), recolorPath(ref));
      } catch (error) {
        const code = error instanceof Failed || error instanceof PaletteError ? error.code : 'failed';
        return { file: ref.name, error: { code, message: (error as Error).message } };
      }
    },
    (i, result) => {
      records[i] = result;
      if (isFailure(result)) {
        failures++;
        progress.log(`✗ ${result.file}: ${result.error.message} [${result.error.code}]`);
      }
      if (args.format === 'ndjson') out.write(ndjsonLine(result));
      progress.tick(isFailure(result));
    },
  );
  await engine.close();
  progress.clear();
  if (args.format !== 'ndjson') out.write(formatAll(records, args.format, !args.output && process.stdout.isTTY === true));
  await finish(out);
  if (!args.quiet) {
    const seconds = (performance.now() - started) / 1000;
    const done = refs.length - failures;
    process.stderr.write(
      `${refs.length} image${refs.length === 1 ? '' : 's'}: ${done} done, ${failures} failed, in ${seconds.toFixed(1)} s ` +
        `(${(done / Math.max(seconds, 1e-9)).toFixed(1)} images/s; ${engine.describe})` +
        `${args.output ? `; palettes in ${args.output}` : ''}${args.recolor ? `; recoloured images in ${args.recolor}` : ''}\n`,
    );
  }
  return failures > 0 ? 1 : 0;
}

// Exit explicitly: Dawn's instance, once created, can keep the event loop alive.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`palette-extractor: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

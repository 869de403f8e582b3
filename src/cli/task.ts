/**
 * One image's work in a worker thread of the CLI's pool (piscina): decode, sample, and either cluster on the CPU
 * (`palette`) or hand the sample back for the GPU on the main thread (`sample`); `recolor` draws the full-size image
 * with a palette's centres. Each task is independent, so a bad file fails its task only.
 */
import sharp from 'sharp';
import { PaletteError } from '../core/errors.js';
import { extractPalette } from '../core/palette.js';
import type { ColorSpace, PaletteResult, PixelImage } from '../core/types.js';
import type { EngineOptions as ElementEngineOptions } from '../core/backend.js';
import type { SampleSize } from '../image/sample-size.js';
import { recolorFromLabels, recolorNearest } from '../worker/recolor.js';
import { floatCentersToFixed } from '../core/exact/points.js';
import { fixedCentersToRgb8 } from '../core/exact/result.js';
import { decodeImage, writePng } from './decode.js';
import { fitK, sampleForPalette } from './sample.js';

// One libvips thread per worker: the pool already has a worker per core.
sharp.concurrency(1);

/** A path on disk, or the bytes of an image fetched from a URL. */
export type ImageSource = { path: string } | { bytes: Uint8Array };

/** The element's engine options (`engineOptions`, resolved once from the same option rules), with the sample size. */
export type EngineOptions = ElementEngineOptions & { sampleSize: SampleSize };

export interface PaletteTask {
  kind: 'palette';
  source: ImageSource;
  options: EngineOptions;
  /** Where to write the recoloured PNG, if asked. */
  recolorPath?: string;
}

export interface SampleTask {
  kind: 'sample';
  source: ImageSource;
  options: EngineOptions;
}

export interface RecolorTask {
  kind: 'recolor';
  source: ImageSource;
  centers: number[][];
  colorSpace: ColorSpace;
  /** Pixels below it keep their colour (they were never clustered). */
  alphaThreshold: number;
  recolorPath: string;
}

export type Task = PaletteTask | SampleTask | RecolorTask;

/** The part of a result the CLI reports (no labels: they stay in the worker). */
export type PaletteSummary = Omit<PaletteResult, 'labels'>;

export interface ImageFacts {
  width: number;
  height: number;
  sampleWidth: number;
  sampleHeight: number;
  /** k after fitting to the opaque pixels (the element's rule). */
  k: number;
}

export interface PaletteTaskResult extends ImageFacts {
  palette: PaletteSummary;
  decodeMs: number;
  clusterMs: number;
}

export interface SampleTaskResult extends ImageFacts {
  sample: PixelImage;
  decodeMs: number;
}

const bytesOrPath = (source: ImageSource): string | Uint8Array => ('path' in source ? source.path : source.bytes);

async function decodeAndSample(task: PaletteTask | SampleTask) {
  const started = performance.now();
  const image = await decodeImage(bytesOrPath(task.source));
  const sample = sampleForPalette(image, task.options.sampleSize);
  const facts: ImageFacts = {
    width: image.width,
    height: image.height,
    sampleWidth: sample.width,
    sampleHeight: sample.height,
    // Never fewer clusters than locked colours, as in the element.
    k: Math.max(fitK(task.options.k, sample), task.options.fixed?.length ?? 0),
  };
  return { image, sample, facts, decodeMs: performance.now() - started };
}

/** The full-size image in the palette's colours: from the labels where the sample is the image, else nearest centre. */
function recolor(image: PixelImage, result: Pick<PaletteResult, 'centers' | 'colorSpace'>, alphaThreshold: number, labels?: Int32Array) {
  const fixed = floatCentersToFixed(result.centers, result.colorSpace);
  const rgb = fixedCentersToRgb8(fixed, result.colorSpace);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const data = labels
    ? recolorFromLabels(pixels, labels, rgb)
    : recolorNearest(pixels, fixed, rgb, result.colorSpace, alphaThreshold);
  return { data, width: image.width, height: image.height };
}

async function palette(task: PaletteTask): Promise<PaletteTaskResult> {
  const { image, sample, facts, decodeMs } = await decodeAndSample(task);
  const { sampleSize: _size, ...engine } = task.options;
  const started = performance.now();
  const result = await extractPalette(sample, { ...engine, k: facts.k, backend: 'cpu' });
  const clusterMs = performance.now() - started;
  if (task.recolorPath) {
    await writePng(recolor(image, result, task.options.alphaThreshold, sample === image ? result.labels : undefined), task.recolorPath);
  }
  const { labels: _labels, ...summary } = result;
  return { ...facts, palette: summary, decodeMs, clusterMs };
}

async function sampleOnly(task: SampleTask): Promise<SampleTaskResult> {
  const { sample, facts, decodeMs } = await decodeAndSample(task);
  return { ...facts, sample, decodeMs };
}

async function recolorTask(task: RecolorTask): Promise<void> {
  const image = await decodeImage(bytesOrPath(task.source));
  await writePng(recolor(image, task, task.alphaThreshold), task.recolorPath);
}

/** A task's failure, as data: an Error's own fields (its `code`) do not survive the trip between threads. */
export interface TaskFailure {
  failed: { code: string; message: string };
}

export type TaskResult = PaletteTaskResult | SampleTaskResult | TaskFailure | undefined;

function perform(task: Task): Promise<PaletteTaskResult | SampleTaskResult | void> {
  switch (task.kind) {
    case 'palette':
      return palette(task);
    case 'sample':
      return sampleOnly(task);
    case 'recolor':
      return recolorTask(task);
  }
}

/** piscina's entry point. */
export default async function run(task: Task): Promise<TaskResult> {
  try {
    return (await perform(task)) ?? undefined;
  } catch (error) {
    const code = error instanceof PaletteError ? error.code : 'failed';
    return { failed: { code, message: error instanceof Error ? error.message : String(error) } };
  }
}

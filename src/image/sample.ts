/**
 * The sample the clustering sees, made by the core resampler (scikit-image's `resize`, `core/resample.ts`) from the
 * decoded image's full-size pixels, so that a palette is the same in every browser and in Node: the canvas only reads
 * the decoded pixels (once, at their own size) and displays; it never resamples on the way to a palette.
 *
 * The resize runs in the CPU worker where the caller gives one (`remote`: the page's thread only copies the pixels
 * there), else on this thread in slices of a few milliseconds, yielding to the page between them (a 24 MP photo is
 * about half a second of work, spread so that no task is long).
 */
import { resizeToPixelsAsync } from '../core/resample.js';
import { throwIfAborted } from '../core/errors.js';
import type { DecodedImage } from './load.js';

/**
 * The user-timing measure each resample leaves (`performance.getEntriesByName`), from its start to the sample's
 * arrival; its `detail` says where it ran, `'worker'` or `'page'`.
 */
export const SAMPLE_MEASURE = 'palette-extractor:resample';

/**
 * A sample: RGBA bytes, and where it was resized, the float values they were rounded from (`float`, 4 per pixel),
 * which the float64 arithmetic clusters as the notebook does.
 */
export type SampleImage = ImageData & { float?: Float64Array<ArrayBuffer> };

/** The float values behind a sample, if it was resized (for a copy sent to a worker). */
export function sampleFloat(sample: ImageData): Float64Array<ArrayBuffer> | undefined {
  return (sample as SampleImage).float;
}

interface Scheduler {
  yield?: () => Promise<void>;
}

/** Gives the page a turn: `scheduler.yield()` where there is one, else a message (not clamped as timers are). */
function yieldToPage(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Resizes `full` elsewhere (the CPU worker); null where that cannot run, so the page does it. */
export type RemoteResize = (full: ImageData, width: number, height: number, signal?: AbortSignal) => Promise<SampleImage | null>;

/** For profiles (and the responsiveness test): when and where the sample was made. (Older engines lack the options.) */
function measureSample(start: number, where: 'worker' | 'page'): void {
  try {
    performance.measure(SAMPLE_MEASURE, { start, end: performance.now(), detail: where });
  } catch {
    /* no measure: nothing depends on it */
  }
}

/**
 * The image's sample at `width × height`: the full-size pixels (`original()`, read once by the caller and kept for
 * recolouring) as they are when the sizes agree (a copy), else resized by the core resampler, by `remote` where it
 * runs, else here. Always a fresh buffer.
 */
export async function readSample(
  image: DecodedImage,
  width: number,
  height: number,
  original: () => ImageData,
  signal?: AbortSignal,
  remote?: RemoteResize,
): Promise<SampleImage> {
  const full = image.source instanceof ImageData ? image.source : original();
  if (full.width === width && full.height === height) {
    return new ImageData(new Uint8ClampedArray(full.data), width, height);
  }
  // The resample starts in a task of its own too (loading the image came before it in this one).
  await yieldToPage();
  const start = performance.now();
  const elsewhere = remote ? await remote(full, width, height, signal) : null;
  throwIfAborted(signal);
  if (elsewhere) {
    measureSample(start, 'worker');
    return elsewhere;
  }
  const { data, float } = await resizeToPixelsAsync(full, width, height, { signal, pause: yieldToPage });
  throwIfAborted(signal);
  measureSample(start, 'page');
  // What follows (the sample's copy to the worker) starts in a task of its own.
  await yieldToPage();
  return Object.assign(new ImageData(data as Uint8ClampedArray<ArrayBuffer>, width, height), { float });
}

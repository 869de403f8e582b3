/**
 * The element's requests and their lifetimes, as a Lit `ReactiveController`.
 *
 * The request model (docs/RELIABILITY.md): each change of the image or an option makes one request, with its own
 * abort; a newer request supersedes the older, which then ends silently. The request that is still the latest always
 * ends in exactly one `onChange` or one `onError` (a Cancel is an error with code `aborted`), and every `extract()`
 * promise settles: it follows the latest request until one ends, and rejects when the image is removed or the
 * element leaves the page mid-run. Nothing is dropped as outdated unless a newer request exists.
 *
 * Lifetimes: the pipeline (decoded image, its share of the page's CPU workers, its GPU buffers) is released in
 * `hostDisconnected`, and after an `extract()` that ran while the element was not on the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { AbortError, PaletteError, type PaletteErrorCode } from '../core/errors.js';
import type { ProgressInfo } from '../core/types.js';
import type { PaletteDetail, PaletteErrorDetail } from '../events/details.js';
import type { ImageInput, LoadOptions } from '../image/load.js';
import { ExtractionPipeline, type ExtractionOutcome } from './extraction.js';
import { resolveOptions, type RawOptions } from './options.js';

/** What a request is made of, read from the element's properties. */
export interface ExtractionArgs {
  input: ImageInput | undefined;
  raw: RawOptions;
  compare: boolean;
  load: LoadOptions;
}

export interface ExtractionCallbacks {
  /** The element's current input and options. */
  args(): ExtractionArgs;
  onProgress(progress: ProgressInfo): void;
  onDecoded(original: HTMLCanvasElement, width: number, height: number): void;
  onChange(outcome: ExtractionOutcome): void;
  onError(error: PaletteErrorDetail): void;
}

interface Running {
  abort: AbortController;
  cancelled: boolean;
}

interface Waiter {
  resolve(detail: PaletteDetail): void;
  reject(error: PaletteError): void;
}

function sameArgs(a: ExtractionArgs, b: ExtractionArgs): boolean {
  if (a.input !== b.input || a.compare !== b.compare || a.load.fetchTimeoutMs !== b.load.fetchTimeoutMs) return false;
  return (Object.keys(a.raw) as (keyof RawOptions)[]).every((key) => Object.is(a.raw[key], b.raw[key]));
}

/** A `PaletteError` for anything a run throws: its own code, or `invalid-input` for what the engine did not name. */
export function toPaletteError(error: unknown): PaletteError {
  if (error instanceof PaletteError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PaletteError('invalid-input', message, { cause: error });
}

export class ExtractionController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #callbacks: ExtractionCallbacks;
  readonly #pipeline = new ExtractionPipeline();
  #running: Running | undefined;
  #lastArgs: ExtractionArgs | undefined;
  #waiters: Waiter[] = [];
  /** A run was stopped because the element left the page: it runs again when the element comes back. */
  #interrupted = false;

  constructor(host: ReactiveControllerHost & HTMLElement, callbacks: ExtractionCallbacks) {
    this.#host = host;
    this.#callbacks = callbacks;
    host.addController(this);
  }

  /** A request is in flight. */
  get busy(): boolean {
    return this.#running !== undefined;
  }

  hostConnected(): void {
    if (this.#interrupted) {
      this.#interrupted = false;
      this.#lastArgs = undefined;
      this.#host.requestUpdate();
    }
  }

  hostDisconnected(): void {
    if (this.#running) {
      this.#interrupted = true;
      this.#stop();
      this.#settle(new AbortError('The element was removed from the page before its palette was ready.'));
    }
    this.#pipeline.dispose();
  }

  /** Before the element renders, so the render already shows a new request as busy. */
  hostUpdate(): void {
    const args = this.#callbacks.args();
    if (this.#lastArgs && sameArgs(args, this.#lastArgs)) return;
    this.#lastArgs = args;
    if (!args.input) {
      this.#stop();
      this.#settle(new PaletteError('invalid-input', 'The image was removed before its palette was ready.'));
      return;
    }
    this.#start(args, false);
  }

  /**
   * The palette for the current image and options: joins the request in flight (and whichever supersedes it), or
   * starts one. Works on an element that is not on the page too.
   */
  async extract(): Promise<PaletteDetail> {
    if (this.#host.isConnected) await this.#host.updateComplete;
    const args = this.#callbacks.args();
    if (!args.input) throw new PaletteError('invalid-input', 'There is no image: set `src` or `image` first.');
    const result = new Promise<PaletteDetail>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#running) {
      this.#lastArgs = args;
      this.#start(args);
    }
    return result;
  }

  /** Stops the request in flight (and a load in progress); it ends in an error with code `aborted`. */
  cancel(): void {
    const running = this.#running;
    if (!running) return;
    running.cancelled = true;
    this.#pipeline.cancelLoad();
    running.abort.abort();
  }

  /** Aborts the request in flight without ending it: whatever replaces it (or nothing) decides what follows. */
  #stop(): void {
    const running = this.#running;
    this.#running = undefined;
    running?.abort.abort();
  }

  #settle(outcome: PaletteDetail | PaletteError): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) {
      if (outcome instanceof PaletteError) w.reject(outcome);
      else w.resolve(outcome);
    }
  }

  /** A new request for the element's current values, when the running one no longer matches them off the page. */
  #restart(): void {
    const args = this.#callbacks.args();
    this.#lastArgs = args;
    if (args.input) this.#start(args);
    else {
      this.#stop();
      this.#settle(new PaletteError('invalid-input', 'The image was removed before its palette was ready.'));
    }
  }

  /** Starts a request; `render` asks the element to show it (not needed from `hostUpdate`, which renders next). */
  #start(args: ExtractionArgs, render = true): void {
    this.#stop();
    const running: Running = { abort: new AbortController(), cancelled: false };
    this.#running = running;
    if (render) this.#host.requestUpdate();
    void this.#run(running, args);
  }

  async #run(running: Running, args: ExtractionArgs): Promise<void> {
    const { signal } = running.abort;
    const latest = () => this.#running === running;
    try {
      const outcome = await this.#pipeline.run({
        input: args.input!,
        options: resolveOptions(args.raw),
        compare: args.compare,
        load: args.load,
        signal,
        onProgress: (progress) => {
          if (latest()) this.#callbacks.onProgress(progress);
        },
        onDecoded: (original, width, height) => {
          if (latest()) this.#callbacks.onDecoded(original, width, height);
        },
      });
      if (!latest()) return;
      if (!sameArgs(this.#callbacks.args(), args)) {
        // The image or an option changed while this run finished: on the page, the update already queued starts the
        // request for the new values; off it, no update comes, so that request starts here.
        if (!this.#host.isConnected) this.#restart();
        return;
      }
      this.#running = undefined;
      this.#callbacks.onChange(outcome);
      this.#settle(outcome.detail);
    } catch (thrown) {
      if (!latest()) return;
      if (!running.cancelled && !sameArgs(this.#callbacks.args(), args)) {
        if (!this.#host.isConnected) this.#restart();
        return;
      }
      this.#running = undefined;
      const error = running.cancelled
        ? new AbortError('Cancelled: the previous palette is still shown.')
        : toPaletteError(thrown);
      const code: PaletteErrorCode = error.code;
      this.#callbacks.onError({ code, message: error.message });
      this.#settle(error);
    } finally {
      // An extract() that ran while the element was off the page keeps nothing once it is done.
      if (!this.#host.isConnected && !this.#running) this.#pipeline.dispose();
      this.#host.requestUpdate();
    }
  }
}

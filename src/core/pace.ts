/**
 * Long CPU work that can be cancelled while it runs. The engines' loops are written as generators (`Steps`) that
 * `yield` at safe points, between chunks of a few milliseconds of work. The same generator then runs two ways:
 * - `runSync` ignores the yields (the synchronous API, e.g. `kmeans`, the GPU engine's preparation);
 * - `runPaced` lets the event loop turn once a time slice has passed, and stops with AbortError if the signal fired
 *   meanwhile. A pending `abort()` (or a Worker's `cancel` message) is a task of its own, so it can only land there.
 * Only the scheduling differs: the arithmetic, and so every bit of the result, is the same either way.
 */
import { throwIfAborted } from './errors.js';

/** Work that yields between chunks and returns a `T`. */
export type Steps<T> = Generator<void, T, void>;

/** Longest stretch of work between two turns of the event loop, in ms: an abort lands within about this. */
export const SLICE_MS = 20;

/** Runs the steps to the end without yielding. */
export function runSync<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

type Resolve = () => void;
let channel: { port: MessagePort; waiting: Resolve[] } | undefined;

/**
 * A macrotask turn of the event loop: `setImmediate` in Node, a MessageChannel in a page or Worker (not
 * `setTimeout(0)`, which browsers clamp to 4 ms once timers nest), `setTimeout` where there is neither.
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (callback: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel === 'function') {
    if (channel === undefined) {
      const { port1, port2 } = new MessageChannel();
      const waiting: Resolve[] = [];
      port1.onmessage = () => waiting.shift()?.();
      channel = { port: port2, waiting };
    }
    const { port, waiting } = channel;
    return new Promise((resolve) => {
      waiting.push(resolve);
      port.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs the steps, turning the event loop at the first yield after each `sliceMs` of work, and stopping with AbortError
 * at the first yield after `signal` fires. Without a signal it still yields, so a long run never blocks its thread.
 */
export async function runPaced<T>(steps: Steps<T>, signal?: AbortSignal, sliceMs = SLICE_MS): Promise<T> {
  throwIfAborted(signal);
  let sliceStart = performance.now();
  try {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      // Checked at every yield too: an abort from inside the work (a progress callback) needs no turn to land.
      throwIfAborted(signal);
      if (performance.now() - sliceStart >= sliceMs) {
        await yieldToEventLoop();
        throwIfAborted(signal);
        sliceStart = performance.now();
      }
    }
  } finally {
    steps.return(undefined as T);
  }
}

/**
 * `body(from, to)` over `0 .. n` in chunks of `chunk` (at least 1), yielding after each: for passes over every point
 * whose iterations are independent, or carry their state in the caller's variables, so chunking changes no result.
 */
export function* chunks(n: number, chunk: number, body: (from: number, to: number) => void): Steps<void> {
  const step = Math.max(1, Math.floor(chunk));
  for (let from = 0; from < n; from += step) {
    body(from, Math.min(n, from + step));
    yield;
  }
}

/** Points per chunk when each point costs about `perPoint` simple operations: ~2^18 operations, well under a ms. */
export function chunkFor(perPoint: number): number {
  return Math.max(1, Math.floor(2 ** 18 / Math.max(1, perPoint)));
}

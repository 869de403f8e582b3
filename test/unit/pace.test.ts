/**
 * `src/core/pace.ts`: the one mechanism behind every abortable CPU run. Work written as steps runs to the same value
 * synchronously or paced; paced, it lets other tasks run while it works and stops at its first yield after an abort.
 */
import { describe, expect, it } from 'vitest';
import { AbortError } from '../../src/core/errors.js';
import { chunks, runPaced, runSync, type Steps } from '../../src/core/pace.js';

/** `count` steps of `ms` of busy work each, summing their indices; `onStep` is told of each. */
function* busy(count: number, ms: number, onStep: (i: number) => void = () => undefined): Steps<number> {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const end = performance.now() + ms;
    while (performance.now() < end);
    sum += i;
    onStep(i);
    yield;
  }
  return sum;
}

describe('steps', () => {
  it('give the same value run synchronously and paced', async () => {
    expect(runSync(busy(5, 0))).toBe(10);
    expect(await runPaced(busy(5, 0))).toBe(10);
    let total = 0;
    expect(runSync(chunks(10, 3, (from, to) => (total += to - from)))).toBeUndefined();
    expect(total).toBe(10);
  });

  it('let a timer fire while a paced run works, and never while a synchronous one does', async () => {
    let fired = false;
    setTimeout(() => (fired = true), 0);
    runSync(busy(10, 10));
    expect(fired).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 0));
    fired = false;
    let firedMidRun = false;
    setTimeout(() => (fired = true), 0);
    await runPaced(busy(10, 10, (i) => i === 9 && (firedMidRun = fired)), undefined, 20);
    expect(firedMidRun).toBe(true);
  });

  it('stop at the first yield after an abort fired inside a step, without waiting for a slice to end', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = runPaced(busy(50, 1, (i) => (seen.push(i), i === 3 && controller.abort())), controller.signal, 1000);
    await expect(run).rejects.toBeInstanceOf(AbortError);
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('refuse to start once aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const seen: number[] = [];
    await expect(runPaced(busy(3, 0, (i) => seen.push(i)), controller.signal)).rejects.toBeInstanceOf(AbortError);
    expect(seen).toEqual([]);
  });
});

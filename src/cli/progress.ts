/** A one-line progress bar on stderr, drawn only on a terminal and at most ten times a second. */
export class Progress {
  readonly #total: number;
  readonly #started = performance.now();
  readonly #enabled: boolean;
  #done = 0;
  #failed = 0;
  #drawnAt = 0;
  #shown = false;

  constructor(total: number, enabled: boolean) {
    this.#total = total;
    this.#enabled = enabled && process.stderr.isTTY === true;
  }

  tick(failed: boolean): void {
    this.#done++;
    if (failed) this.#failed++;
    const now = performance.now();
    if (now - this.#drawnAt >= 100 || this.#done === this.#total) this.#draw(now);
  }

  /** Prints a line above the bar (a failure as it happens). */
  log(line: string): void {
    this.clear();
    process.stderr.write(`${line}\n`);
    if (this.#enabled) this.#draw(performance.now());
  }

  clear(): void {
    if (this.#shown) process.stderr.write('\r\x1b[2K');
    this.#shown = false;
  }

  #draw(now: number): void {
    if (!this.#enabled) return;
    this.#drawnAt = now;
    const width = 30;
    const fraction = this.#total ? this.#done / this.#total : 1;
    const filled = Math.round(fraction * width);
    const seconds = (now - this.#started) / 1000;
    const rate = seconds > 0 ? this.#done / seconds : 0;
    const eta = rate > 0 ? (this.#total - this.#done) / rate : 0;
    const failed = this.#failed ? `, ${this.#failed} failed` : '';
    process.stderr.write(
      `\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.#done}/${this.#total}${failed}  ` +
        `${rate.toFixed(1)} images/s  ETA ${eta.toFixed(0)} s`,
    );
    this.#shown = true;
  }
}

import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import { AbortError, PaletteError, type PaletteErrorCode } from './core/errors.js';
import type { Arithmetic, Backend, ColorSpace, PaletteColor, ProgressInfo } from './core/types.js';
import type { PaletteDetail, PaletteErrorDetail } from './events/details.js';
import { PaletteChangeEvent } from './events/palette-change.js';
import { PaletteCompareEvent } from './events/palette-compare.js';
import { PaletteErrorEvent } from './events/palette-error.js';
import { PaletteProgressEvent } from './events/palette-progress.js';
import { ExtractionPipeline, type ExtractionOutcome } from './controllers/extraction.js';
import { OPTION_DEFAULTS, resolveOptions } from './controllers/options.js';
import { copyText, downloadText } from './controllers/clipboard.js';
import { formatPalette, gimpPalette, type CopyFormat } from './controllers/export-formats.js';
import type { ColorManagement, ImageInput } from './image/load.js';
import { styles } from './palette-extractor.styles.js';
import { cssProps } from './directives/css-props.js';

const ARITHMETIC_LABEL: Record<Arithmetic, string> = {
  exact: 'exact integer arithmetic',
  float64: 'float64, as scikit-learn',
};

const percent = (f: number) => `${(f * 100).toFixed(f >= 0.1 ? 0 : 1)}%`;
const delta = (v: number) => (v === 0 ? '0' : v.toPrecision(3));
const ms = (v: number) => (v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`);

/**
 * Finds an image's colour palette by k-means, on the GPU (WebGPU compute shaders) or on the CPU (in a worker), and
 * shows it: swatches to copy, the image recoloured with the palette, the backend and its timings.
 *
 * Out-of-range numbers are clamped (`colors` 1–256, `max-iterations` 1–10000, `n-init` 1–100, `seed` 0–2³²−1,
 * sample sides 1–8192); values that are not numbers, fractions where a whole number is needed and unknown keywords
 * fire `palette-error` with code `invalid-option`, and the previous palette stays shown.
 *
 * @summary Colour palette of an image by k-means on the GPU, with an exact CPU twin.
 *
 * @fires {PaletteChangeEvent} palette-change - A new palette is ready. `detail`: `PaletteDetail`.
 * @fires {PaletteErrorEvent} palette-error - An extraction failed. `detail`: `{ code, message }`.
 * @fires {PaletteCompareEvent} palette-compare - With `compare`: GPU and CPU results and their agreement.
 * @fires {PaletteProgressEvent} palette-progress - Progress of the run in flight. `detail`: `{ phase, fraction }`.
 *
 * @csspart dropzone - The drop target that also opens the file picker.
 * @csspart preview - The figure holding the original and the recoloured image.
 * @csspart original - The original image (a canvas).
 * @csspart recolored - The image recoloured with the palette (a canvas, drawn by the GPU where there is one).
 * @csspart split - The range input that moves the split between original and recoloured.
 * @csspart progress - The progress bar shown while a run is in flight.
 * @csspart swatches - The list of swatches.
 * @csspart swatch - One swatch (a button that copies its hex).
 * @csspart actions - The copy and download buttons.
 * @csspart stats - Backend, arithmetic, sample size and timings.
 * @csspart compare - The GPU/CPU comparison (with `compare`).
 * @csspart notice - A notice, e.g. that WebGPU is missing and the CPU ran.
 * @csspart error - The last error's message.
 *
 * @cssprop [--pe-font-family=system-ui] - Text font.
 * @cssprop [--pe-mono-font-family=ui-monospace] - Font of hex codes.
 * @cssprop [--pe-surface=#ffffff] - Background (dark scheme: #17181d).
 * @cssprop [--pe-surface-sunken=#f3f4f7] - Background of the drop zone and the comparison.
 * @cssprop [--pe-text=#16181d] - Text colour.
 * @cssprop [--pe-text-muted=#565c6b] - Secondary text (AA on the surface).
 * @cssprop [--pe-border=#dcdfe6] - Borders.
 * @cssprop [--pe-accent=#4338ca] - Accent: focus ring, progress, primary button.
 * @cssprop [--pe-accent-text=#ffffff] - Text on the accent.
 * @cssprop [--pe-danger=#b42318] - Error text.
 * @cssprop [--pe-focus-ring] - Box shadow of focused controls.
 * @cssprop [--pe-radius=14px] - Corner radius.
 * @cssprop [--pe-gap=16px] - Space between sections.
 * @cssprop [--pe-swatch-height=76px] - Height of a swatch's colour.
 * @cssprop [--pe-preview-max-height=460px] - Tallest the preview gets.
 */
@customElement('palette-extractor')
export class PaletteExtractor extends LitElement {
  static override styles = styles;

  /** URL of the image. Setting `image` afterwards takes over; setting `src` again (even to the same URL) takes back. */
  @property({ reflect: true, hasChanged: () => true }) src?: string;
  /** Number of colours, k (1–256). */
  @property({ type: Number, reflect: true }) colors = OPTION_DEFAULTS.colors;
  /** Seed of the k-means++ initialisation (scikit-learn's `random_state`), an integer 0–2³²−1. */
  @property({ type: Number, reflect: true }) seed = OPTION_DEFAULTS.seed;
  /** `auto` (GPU where WebGPU is available, else CPU), `gpu` or `cpu`. `gpu` also falls back to the CPU, with a notice. */
  @property({ reflect: true }) backend: Backend = 'auto';
  /** Space to cluster in: `rgb` (the notebook's) or `oklab` (perceptual). */
  @property({ attribute: 'color-space', reflect: true }) colorSpace: ColorSpace = 'rgb';
  /** `200` fits the image in 200×200 keeping its aspect; `200x200` stretches to exactly that; `full` keeps every pixel. */
  @property({ attribute: 'sample-size', reflect: true }) sampleSize = OPTION_DEFAULTS.sampleSize;
  /** Lloyd iterations per run at most (scikit-learn's `max_iter`). */
  @property({ attribute: 'max-iterations', type: Number, reflect: true }) maxIterations = OPTION_DEFAULTS.maxIterations;
  /** k-means++ seedings to run, keeping the best (scikit-learn's `n_init`). */
  @property({ attribute: 'n-init', type: Number, reflect: true }) nInit = OPTION_DEFAULTS.nInit;
  /** Also run the other backend on the same sample and show both, with their agreement. */
  @property({ type: Boolean, reflect: true }) compare = false;
  /** CPU arithmetic: `exact` (agrees with the GPU bit for bit) or `float64` (reproduces scikit-learn). */
  @property({ reflect: true }) arithmetic: Arithmetic = 'exact';
  /**
   * How a file's colours are decoded: `srgb` (default) as the browser displays them, converted from the file's colour
   * profile; `none` the stored values, as the notebook (imageio, Pillow) reads them.
   */
  @property({ attribute: 'color-management', reflect: true }) colorManagement: ColorManagement = 'srgb';
  /** The image as an object: File, Blob, ImageBitmap, HTMLImageElement, HTMLCanvasElement, OffscreenCanvas or ImageData. */
  @property({ attribute: false }) image?: ImageInput;

  @state() private _outcome?: ExtractionOutcome;
  @state() private _error?: PaletteErrorDetail;
  @state() private _progress?: ProgressInfo;
  @state() private _split = 50;
  @state() private _dragging = false;
  @state() private _announcement = '';

  @query('input[type=file]') private _fileInput!: HTMLInputElement;

  #input: ImageInput | undefined;
  #pipeline = new ExtractionPipeline();
  #interrupted = false;
  #announceTimer: ReturnType<typeof setTimeout> | undefined;

  #task = new Task(this, {
    task: async ([input, colors, seed, backend, colorSpace, sampleSize, maxIterations, nInit, compare, arithmetic, colorManagement], {
      signal,
    }) => {
      if (!input) return initialState;
      const options = resolveOptions({
        colors,
        seed,
        backend,
        colorSpace,
        sampleSize,
        maxIterations,
        nInit,
        arithmetic,
        colorManagement,
      });
      this._progress = { phase: 'upload', fraction: 0 };
      return this.#pipeline.run(input, options, compare, signal, (progress) => {
        if (signal.aborted) return;
        this._progress = progress;
        this.dispatchEvent(new PaletteProgressEvent(progress));
      });
    },
    args: () =>
      [
        this.#input,
        this.colors,
        this.seed,
        this.backend,
        this.colorSpace,
        this.sampleSize,
        this.maxIterations,
        this.nInit,
        this.compare,
        this.arithmetic,
        this.colorManagement,
      ] as const,
    onComplete: (outcome) => this.#commit(outcome),
    onError: (error) => this.#fail(error),
  });

  /** The last palette, or undefined before the first one. */
  get palette(): PaletteDetail | undefined {
    return this._outcome?.detail;
  }

  /**
   * Resolves with the palette for the current image and options: joins the run in flight, or starts one.
   * Rejects with a `PaletteError` (the same code `palette-error` carries).
   */
  async extract(): Promise<PaletteDetail> {
    await this.updateComplete;
    if (!this.#input) throw new PaletteError('invalid-input', 'There is no image: set `src` or `image` first.');
    if (this.#task.status !== TaskStatus.PENDING) void this.#task.run();
    const outcome = await this.#task.taskComplete;
    return outcome.detail;
  }

  constructor() {
    super();
    this.addEventListener('paste', (e) => this.#onPaste(e));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#interrupted) {
      this.#interrupted = false;
      void this.#task.run();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#task.status === TaskStatus.PENDING) {
      this.#interrupted = true;
      this.#task.abort();
    }
    // Free the worker and this element's GPU buffers; they come back lazily if the element is attached again.
    this.#pipeline.dispose();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Whichever of `src` and `image` was set last is the input.
    if (changed.has('src') && this.src) this.#input = this.src;
    if (changed.has('image') && this.image) this.#input = this.image;
    if (!this.src && !this.image) this.#input = undefined;
  }

  #commit(outcome: ExtractionOutcome | typeof initialState): void {
    if (outcome === initialState) return;
    outcome.original.setAttribute('part', 'original');
    outcome.original.setAttribute('role', 'img');
    outcome.original.setAttribute('aria-label', 'Original image');
    outcome.recolored.setAttribute('part', 'recolored');
    outcome.recolored.setAttribute('role', 'img');
    outcome.recolored.setAttribute('aria-label', 'The image recoloured with its palette');
    this._outcome = outcome;
    this._error = undefined;
    this._progress = undefined;
    this.dispatchEvent(new PaletteChangeEvent(outcome.detail));
    if (outcome.compare) this.dispatchEvent(new PaletteCompareEvent(outcome.compare));
  }

  #fail(error: unknown): void {
    this._progress = undefined;
    if (error instanceof AbortError) return;
    const code: PaletteErrorCode = error instanceof PaletteError ? error.code : 'invalid-input';
    const message = error instanceof Error ? error.message : String(error);
    this._error = { code, message };
    this.dispatchEvent(new PaletteErrorEvent({ code, message }));
  }

  #takeFile(file: File | undefined | null): void {
    if (!file) return;
    if (file.type && !file.type.startsWith('image/')) {
      this.#fail(new PaletteError('decode-failed', `"${file.name}" is not an image (${file.type}).`));
      return;
    }
    this.image = file;
  }

  #onPaste(event: ClipboardEvent): void {
    const file = [...(event.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'));
    if (!file) return;
    event.preventDefault();
    this.#takeFile(file);
  }

  #onDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this._dragging = true;
  }

  #onDrop(event: DragEvent): void {
    event.preventDefault();
    this._dragging = false;
    this.#takeFile(event.dataTransfer?.files[0]);
  }

  async #copy(text: string, what: string): Promise<void> {
    const ok = await copyText(text, this);
    this.#announce(ok ? `Copied ${what}` : `Could not copy ${what}`);
  }

  #announce(text: string): void {
    this._announcement = text;
    clearTimeout(this.#announceTimer);
    this.#announceTimer = setTimeout(() => (this._announcement = ''), 2000);
  }

  #download(): void {
    const colors = this.palette?.colors ?? [];
    downloadText(gimpPalette(colors, this.#imageName()), `${this.#imageName()}.gpl`, 'application/x-gimp-palette');
    this.#announce('Downloaded the GIMP palette');
  }

  /** The image's file name without its extension, for the palette's name ("palette" when there is none). */
  #imageName(): string {
    const input = this.#input;
    let path = '';
    if (input instanceof File) path = input.name;
    else if (typeof input === 'string' || input instanceof URL) {
      try {
        path = decodeURIComponent(new URL(input, document.baseURI).pathname);
      } catch {
        path = String(input);
      }
    }
    const base = (path.split('/').pop() ?? '').replace(/\.[^.]*$/, '');
    return base.replace(/[^\w .-]+/g, '_').slice(0, 80) || 'palette';
  }

  protected override render(): TemplateResult {
    const busy = this.#task.status === TaskStatus.PENDING;
    const outcome = this._outcome;
    return html`
      <div
        class="layout ${outcome ? 'has-image' : ''}"
        @dragover=${this.#onDragOver}
        @dragleave=${() => (this._dragging = false)}
        @drop=${this.#onDrop}
      >
        ${this.#renderDropzone(!!outcome)}
        ${outcome?.notice ? html`<p part="notice" role="status">${outcome.notice}</p>` : nothing}
        ${this._error ? html`<p part="error" role="alert">${this._error.message}</p>` : nothing}
        ${outcome || busy ? this.#renderPreview(outcome, busy) : nothing} ${this.#renderPalette(outcome?.detail)}
        ${outcome?.compare ? this.#renderCompare(outcome) : nothing}
        ${outcome ? this.#renderStats(outcome.detail) : nothing}
      </div>
      <div class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>
    `;
  }

  #renderDropzone(hasImage: boolean): TemplateResult {
    return html`
      <button
        part="dropzone"
        class=${this._dragging ? 'dragging' : ''}
        type="button"
        @click=${() => this._fileInput.click()}
      >
        <svg class="drop-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8"
          stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
          <rect x="3" y="3" width="18" height="18" rx="3"></rect>
          <circle cx="9" cy="9" r="2"></circle>
          <path d="m21 15-3.1-3.1a2 2 0 0 0-2.8 0L6 21"></path>
        </svg>
        <span class="drop-text">
          <strong>${hasImage ? 'Choose another image' : 'Drop an image here'}</strong><br />
          <span>or click to browse · paste with Ctrl+V</span>
        </span>
      </button>
      <input
        class="visually-hidden"
        type="file"
        accept="image/*"
        tabindex="-1"
        aria-label="Choose an image"
        @change=${(e: Event) => this.#takeFile((e.target as HTMLInputElement).files?.[0])}
      />
    `;
  }

  #renderPreview(outcome: ExtractionOutcome | undefined, busy: boolean): TemplateResult {
    const progress = this._progress;
    const determinate = !!progress && progress.fraction > 0;
    const bar = busy
      ? html`<div
          part="progress"
          class=${determinate ? '' : 'indeterminate'}
          role="progressbar"
          aria-label="Finding the palette"
          aria-valuemin="0"
          aria-valuemax="100"
          aria-valuenow=${determinate ? Math.round(progress.fraction * 100) : nothing}
          style=${cssProps({ '--fraction': determinate ? String(progress.fraction) : null })}
        ></div>`
      : nothing;
    if (!outcome) {
      return html`<figure part="preview" class="pending" aria-busy="true">${bar}</figure>`;
    }
    const { width, height } = outcome.detail;
    const ratio = width / height;
    return html`
      <figure part="preview" aria-busy=${busy ? 'true' : 'false'}>
        <div
          class="stage"
          style=${cssProps({
            aspectRatio: `${width} / ${height}`,
            width: `min(100%, calc(var(--pe-preview-max-height) * ${ratio}))`,
            '--split': `${this._split}%`,
          })}
        >
          ${outcome.original} ${outcome.recolored}
          <div class="divider"></div>
          <span class="label left" aria-hidden="true">Original</span>
          <span class="label right" aria-hidden="true">Palette</span>
          <input
            part="split"
            class="split-range"
            type="range"
            min="0"
            max="100"
            .value=${String(this._split)}
            aria-label="Split between the original (left) and the recoloured image (right)"
            aria-valuetext=${`${this._split}% original`}
            @input=${(e: Event) => (this._split = Number((e.target as HTMLInputElement).value))}
          />
        </div>
        ${bar}
        <figcaption class="visually-hidden">
          ${width}×${height} image, recoloured with its ${outcome.detail.colors.length}-colour palette.
        </figcaption>
      </figure>
    `;
  }

  #renderPalette(detail: PaletteDetail | undefined): TemplateResult {
    const colors = detail?.colors ?? [];
    const action = (format: CopyFormat, label: string) =>
      html`<button class="action" type="button" ?disabled=${!detail}
        @click=${() => this.#copy(formatPalette(colors, format), label)}>${label}</button>`;
    return html`
      <section class="palette" aria-labelledby="palette-title">
        <div class="palette-head">
          <h2 id="palette-title">Palette${detail ? ` · ${colors.length} colours` : ''}</h2>
          <div part="actions" role="group" aria-label="Copy or download the palette">
            ${action('hex', 'Copy hex')} ${action('css', 'Copy CSS')} ${action('json', 'Copy JSON')}
            <button class="action primary" type="button" ?disabled=${!detail} @click=${this.#download}>
              Download .gpl
            </button>
          </div>
        </div>
        ${detail ? this.#renderSwatches(colors) : html`<p class="placeholder">Choose an image to see its palette.</p>`}
      </section>
    `;
  }

  #renderSwatches(colors: readonly PaletteColor[]): TemplateResult {
    return html`
      <div class="strip palette-strip" aria-hidden="true">
        ${colors.map((c) => html`<span style=${cssProps({ flex: String(c.fraction), '--swatch': c.hex })}></span>`)}
      </div>
      <ol part="swatches">
        ${colors.map(
          (c) => html`<li>
            <button
              part="swatch"
              type="button"
              style=${cssProps({ '--swatch': c.hex })}
              aria-label=${`${c.hex}, ${percent(c.fraction)} of the image. Copy.`}
              title="Copy ${c.hex}"
              @click=${() => this.#copy(c.hex, c.hex)}
            >
              <span class="chip"></span>
              <span class="swatch-text"><span class="hex">${c.hex}</span><span class="share">${percent(c.fraction)}</span></span>
            </button>
          </li>`,
        )}
      </ol>
    `;
  }

  #renderStats(d: PaletteDetail): TemplateResult {
    const t = d.timings;
    const row = (label: string, value: unknown) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`;
    return html`
      <dl part="stats">
        ${row('Backend', html`<span class="badge">${d.backend}</span> ${d.adapter}`)}
        ${row('Arithmetic', ARITHMETIC_LABEL[d.arithmetic])} ${row('Space', d.colorSpace === 'rgb' ? 'RGB' : 'OKLab')}
        ${row('Sample', `${d.sampleWidth}×${d.sampleHeight} of ${d.width}×${d.height}`)}
        ${row('Iterations', d.iterations)} ${row('Decode', ms(t.decodeMs))} ${row('Downscale', ms(t.downscaleMs))}
        ${row('k-means', ms(t.clusterMs))} ${row('Recolour', ms(t.recolorMs))} ${row('Total', ms(t.totalMs))}
      </dl>
    `;
  }

  #renderCompare(outcome: ExtractionOutcome): TemplateResult {
    const c = outcome.compare!;
    const side = (title: string, d: PaletteDetail) => html`
      <div class="side">
        <h3>${title} · ${ARITHMETIC_LABEL[d.arithmetic]}</h3>
        <div class="strip" aria-hidden="true">
          ${d.colors.map((x) => html`<span style=${cssProps({ flex: String(x.fraction), '--swatch': x.hex })}></span>`)}
        </div>
        <p>${d.colors.map((x) => x.hex).join(' ')}</p>
        <p>${d.iterations} iterations · inertia ${d.inertia.toPrecision(6)} · ${ms(d.timings.clusterMs)}</p>
      </div>
    `;
    return html`
      <section part="compare" aria-labelledby="compare-title">
        <h2 id="compare-title">GPU and CPU, side by side</h2>
        <div class="sides">${side(`GPU · ${c.gpu.adapter}`, c.gpu)} ${side('CPU', c.cpu)}</div>
        <p class="agreement">
          <span>Labels agree <strong>${(c.labelAgreement * 100).toFixed(2)}%</strong></span>
          <span>Largest centre difference <strong>${delta(c.maxCenterDelta)}</strong></span>
          <span>Inertia difference <strong>${delta(c.inertiaDelta)}</strong></span>
        </p>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'palette-extractor': PaletteExtractor;
  }
}

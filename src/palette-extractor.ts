import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Arithmetic, Backend, ColorSpace, PaletteColor, ProgressInfo } from './core/types.js';
import type { PaletteDetail, PaletteErrorDetail } from './events/details.js';
import { PaletteChangeEvent } from './events/palette-change.js';
import { PaletteCompareEvent } from './events/palette-compare.js';
import { PaletteErrorEvent } from './events/palette-error.js';
import { PaletteProgressEvent } from './events/palette-progress.js';
import type { ExtractionOutcome } from './controllers/extraction.js';
import { ExtractionController } from './controllers/extraction-controller.js';
import { OPTION_DEFAULTS, keywordAttribute, lockedList, numberAttribute } from './controllers/options.js';
import { hexToRgb, rgbToHex } from './core/color.js';
import { DEFAULT_FETCH_TIMEOUT_MS, type ColorManagement } from './image/load.js';
import { copyText } from './controllers/clipboard.js';
import {
  EXPORT_FORMATS,
  EXPORT_FORMAT_LIST,
  exportFileName,
  exportPalette,
  type ExportFormat,
} from './controllers/export-formats.js';
import { downloadBlob, exportPaletteBlob } from './controllers/export-binary.js';
import { bestTextColor, formatRatio } from './core/contrast.js';
import { COLOR_VALUE_FORMATS, formatColor, type ColorValueFormat } from './core/color-format.js';
import { PALETTE_SORTS, sortPalette, type PaletteSort } from './core/palette-sort.js';
import { formatRegion, parseRegion, type PixelRect } from './image/region.js';
import type { ImageInput } from './image/load.js';
import { styles } from './palette-extractor.styles.js';
import { cssProps } from './directives/css-props.js';

const ARITHMETIC_LABEL: Record<Arithmetic, string> = {
  exact: 'exact integer arithmetic',
  float64: 'float64, as scikit-learn',
};

const PHASES: Record<ProgressInfo['phase'], string> = {
  upload: 'Loading the image',
  init: 'Seeding',
  iterate: 'Clustering',
  recolor: 'Recolouring',
  readback: 'Reading back',
};

/** "Clustering · 40 %" (or the phase alone where its progress is not known). */
function phaseText(progress: ProgressInfo | undefined): string {
  if (!progress) return 'Loading the image';
  const name = PHASES[progress.phase] ?? 'Working';
  return progress.fraction > 0 ? `${name} · ${Math.round(progress.fraction * 100)} %` : name;
}

/**
 * Columns for `n` swatches, about `max` a row, so that no row is left with a lone swatch: 5 → 5 or 3 + 2, 7 → 4 + 3,
 * 13 → 5 + 5 + 3, never 4 + 1. Tries `max`, then one more, one fewer, two more, … (at least 2 columns).
 */
export function balancedColumns(n: number, max: number): number {
  if (n <= max) return Math.max(1, n);
  for (let step = 0; step <= 2 * max; step++) {
    const c = max + (step % 2 === 1 ? (step + 1) / 2 : -step / 2);
    if (c >= 2 && (n % c === 0 || n % c >= 2)) return c;
  }
  return max;
}

/** `#RGB` or `#rrggbb` as `#rrggbb`; anything else as written (the run reports it). */
function normalHex(text: string): string {
  try {
    return rgbToHex(hexToRgb(text));
  } catch {
    return text;
  }
}

/** The RGBA of the pixel of `canvas` at fractions `fx`, `fy` of its width and height, or null outside it. */
function readPixel(canvas: HTMLCanvasElement, fx: number, fy: number): [number, number, number, number] | null {
  const x = Math.floor(fx * canvas.width);
  const y = Math.floor(fy * canvas.height);
  if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) return null;
  const probe = new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true })!;
  probe.drawImage(canvas, x, y, 1, 1, 0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!, a!];
}

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
 * @csspart cancel - The button that stops the run in flight.
 * @csspart select-region - The button that lets a drag on the photo choose the region the palette comes from.
 * @csspart pick-lock - The button that lets a click on the photo lock the colour of the pixel clicked.
 * @csspart eyedropper - The focusable layer over the photo: arrow keys move a crosshair, Enter locks its pixel.
 * @csspart lock - A swatch's lock toggle: a locked colour stays a centre of the next runs.
 * @csspart sort - The select that orders the swatches.
 * @csspart export-format - The select of the export menu's format.
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
  @property({ reflect: true, hasChanged: () => true })
  get src(): string | undefined {
    return this.#src;
  }
  set src(value: string | undefined) {
    const old = this.#src;
    this.#src = value ?? undefined;
    if (value) this.#lastSet = 'src';
    this.requestUpdate('src', old);
  }
  /** Number of colours, k (1–256). An empty or removed attribute means the default, 5. */
  @property({ reflect: true, converter: numberAttribute(OPTION_DEFAULTS.colors as number) })
  colors = OPTION_DEFAULTS.colors as number;
  /** Seed of the k-means++ initialisation (scikit-learn's `random_state`), an integer 0–2³²−1. */
  @property({ reflect: true, converter: numberAttribute(OPTION_DEFAULTS.seed as number) })
  seed = OPTION_DEFAULTS.seed as number;
  /** `auto` (a hardware GPU where WebGPU has one, else the CPU), `gpu` or `cpu`. `gpu` also falls back to the CPU, with a notice. */
  @property({ reflect: true, converter: keywordAttribute(OPTION_DEFAULTS.backend) }) backend: Backend = 'auto';
  /** Space to cluster in: `rgb` (the notebook's) or `oklab` (perceptual). */
  @property({ attribute: 'color-space', reflect: true, converter: keywordAttribute(OPTION_DEFAULTS.colorSpace) })
  colorSpace: ColorSpace = 'rgb';
  /** `200` fits the image in 200×200 keeping its aspect; `200x200` stretches to exactly that; `full` keeps every pixel. */
  @property({ attribute: 'sample-size', reflect: true, converter: keywordAttribute(OPTION_DEFAULTS.sampleSize) })
  sampleSize = OPTION_DEFAULTS.sampleSize;
  /** Lloyd iterations per run at most (scikit-learn's `max_iter`). */
  @property({
    attribute: 'max-iterations',
    reflect: true,
    converter: numberAttribute(OPTION_DEFAULTS.maxIterations as number),
  })
  maxIterations = OPTION_DEFAULTS.maxIterations as number;
  /** k-means++ seedings to run, keeping the best (scikit-learn's `n_init`). */
  @property({ attribute: 'n-init', reflect: true, converter: numberAttribute(OPTION_DEFAULTS.nInit as number) })
  nInit = OPTION_DEFAULTS.nInit as number;
  /** Also run the other backend on the same sample and show both, with their agreement. */
  @property({ type: Boolean, reflect: true }) compare = false;
  /** CPU arithmetic: `exact` (agrees with the GPU bit for bit) or `float64` (reproduces scikit-learn). */
  @property({ reflect: true, converter: keywordAttribute(OPTION_DEFAULTS.arithmetic) }) arithmetic: Arithmetic = 'exact';
  /**
   * Milliseconds a download of `src` may go without receiving anything before it fails with `fetch-failed`
   * (a stalled server). Default 30000.
   */
  @property({ attribute: 'fetch-timeout', type: Number, reflect: true }) fetchTimeout = DEFAULT_FETCH_TIMEOUT_MS;
  /**
   * Colours left out of the clustering, and shown as left out (transparent) in the recoloured image: `near-white`
   * (or `white`), `near-black` (or `black`), `transparent`, and `#rrggbb` colours, each optionally with `/tolerance`
   * (ΔE in OKLab × 100; default 3). A product photo's white backdrop: `ignore="white"`.
   */
  @property({ reflect: true }) ignore = '';
  /**
   * The part of the image the palette comes from, `x y width height` in pixels or percentages (`10% 10% 50% 50%`);
   * empty for the whole image. Dragging on the photo with "Select region" on sets it. The whole image is recoloured.
   */
  @property({ reflect: true }) region = '';
  /**
   * Locked colours, `#rrggbb` separated by spaces (`locked="#aabbcc #112233"`): each is a fixed centre of the next
   * runs (and shown, marked locked, even when no pixel is nearest to it); the other `colors − m` are found around
   * them. The swatches' lock toggles and the eyedropper edit it. At most `colors`.
   */
  @property({ reflect: true }) locked = '';

  /** The locked colours as a list (`['#aabbcc', '#112233']`); setting it sets `locked`. */
  get lockedColors(): string[] {
    return lockedList(this.locked).map(normalHex);
  }
  set lockedColors(value: readonly string[] | null | undefined) {
    this.locked = (value ?? []).join(' ');
  }
  /** Order of the swatches and of every export: `share` (largest first), `hue` (greys last) or `lightness` (darkest first). */
  @property({ reflect: true, converter: keywordAttribute('share') }) sort: PaletteSort = 'share';
  /** How swatches show their colour: `hex`, `rgb`, `hsl` or `oklch` (CSS syntax, copied as shown). */
  @property({ attribute: 'value-format', reflect: true, converter: keywordAttribute('hex') })
  valueFormat: ColorValueFormat = 'hex';
  /**
   * How a file's colours are decoded: `srgb` (default) as the browser displays them, converted from the file's colour
   * profile; `none` the stored values, as the notebook (imageio, Pillow) reads them.
   */
  @property({ attribute: 'color-management', reflect: true, converter: keywordAttribute('srgb') })
  colorManagement: ColorManagement = 'srgb';
  /** The image as an object: File, Blob, ImageBitmap, HTMLImageElement, HTMLCanvasElement, OffscreenCanvas or ImageData. */
  @property({ attribute: false })
  get image(): ImageInput | undefined {
    return this.#image;
  }
  set image(value: ImageInput | undefined) {
    const old = this.#image;
    this.#image = value ?? undefined;
    if (value) this.#lastSet = 'image';
    this.requestUpdate('image', old);
  }

  @state() private _outcome?: ExtractionOutcome;
  @state() private _error?: PaletteErrorDetail;
  @state() private _progress?: ProgressInfo;
  /** The photo, shown as soon as it is decoded (before its first palette). */
  @state() private _decoded?: { original: HTMLCanvasElement; width: number; height: number };
  @state() private _split = 50;
  @state() private _dragging = false;
  @state() private _announcement = '';
  /** The visible confirmation of the last copy or download ("Copied CSS custom properties"). */
  @state() private _toast = '';
  /** The format the export menu copies and downloads. */
  @state() private _exportFormat: ExportFormat = 'css';
  /** "Select region" is on: a drag on the photo sets `region`. */
  @state() private _selecting = false;
  /** The rectangle being dragged, in fractions of the photo. */
  @state() private _drag?: { x0: number; y0: number; x1: number; y1: number };
  /** The swatch under the eyedropper (the pointer over the image), by hex. */
  @state() private _picked?: string;
  /** "Lock a colour" is on: a click on the photo locks the colour of the pixel clicked. */
  @state() private _picking = false;
  /** The keyboard eyedropper's crosshair, in fractions of the photo (shown while the eyedropper layer has focus). */
  @state() private _cursor?: { x: number; y: number };

  @query('input[type=file]') private _fileInput!: HTMLInputElement;

  #src: string | undefined;
  #image: ImageInput | undefined;
  /** Which of `src` and `image` was set last: that one is the input. */
  #lastSet: 'src' | 'image' | undefined;
  #announceTimer: ReturnType<typeof setTimeout> | undefined;

  #extraction = new ExtractionController(this, {
    args: () => ({
      input: this.#input(),
      raw: {
        colors: this.colors,
        seed: this.seed,
        backend: this.backend,
        colorSpace: this.colorSpace,
        sampleSize: this.sampleSize,
        maxIterations: this.maxIterations,
        nInit: this.nInit,
        arithmetic: this.arithmetic,
        ignore: this.ignore,
        region: this.region,
        colorManagement: this.colorManagement,
        locked: this.locked,
      },
      compare: this.compare,
      load: { fetchTimeoutMs: this.fetchTimeout > 0 ? this.fetchTimeout : DEFAULT_FETCH_TIMEOUT_MS },
    }),
    onProgress: (progress) => {
      this._progress = progress;
      this.dispatchEvent(new PaletteProgressEvent(progress));
    },
    onDecoded: (original, width, height) => {
      if (!this._outcome || this._outcome.original !== original) this._decoded = { original, width, height };
    },
    onChange: (outcome) => this.#commit(outcome),
    onError: (detail) => this.#fail(detail),
  });

  /** The last palette, or undefined before the first one. */
  get palette(): PaletteDetail | undefined {
    return this._outcome?.detail;
  }

  /**
   * Resolves with the palette for the current image and options: joins the run in flight, or starts one (also on
   * an element that is not on the page). Rejects with a `PaletteError` (the same code `palette-error` carries), and
   * with code `aborted` when the element is removed mid-run or the run is cancelled.
   */
  extract(): Promise<PaletteDetail> {
    return this.#extraction.extract();
  }

  /** Stops the run in flight (its load too); it ends in `palette-error` with code `aborted`, the old palette stays. */
  cancel(): void {
    this.#extraction.cancel();
  }

  constructor() {
    super();
    this.addEventListener('paste', (e) => this.#onPaste(e));
  }

  /** The input: whichever of `src` and `image` was set last, or the one that is set. */
  #input(): ImageInput | undefined {
    if (this.#lastSet === 'image' && this.#image) return this.#image;
    if (this.#lastSet === 'src' && this.#src) return this.#src;
    return this.#src || this.#image || undefined;
  }

  #commit(outcome: ExtractionOutcome): void {
    outcome.original.setAttribute('part', 'original');
    outcome.original.setAttribute('role', 'img');
    outcome.original.setAttribute('aria-label', 'Original image');
    outcome.recolored.setAttribute('part', 'recolored');
    outcome.recolored.setAttribute('role', 'img');
    outcome.recolored.setAttribute('aria-label', 'The image recoloured with its palette');
    this._outcome = outcome;
    this._decoded = undefined;
    this._error = undefined;
    this._progress = undefined;
    this.dispatchEvent(new PaletteChangeEvent(outcome.detail));
    if (outcome.compare) this.dispatchEvent(new PaletteCompareEvent(outcome.compare));
  }

  #fail(detail: PaletteErrorDetail): void {
    this._progress = undefined;
    this._error = detail;
    this.dispatchEvent(new PaletteErrorEvent(detail));
  }

  #takeFile(file: File | undefined | null): void {
    if (!file) return;
    if (file.type && !file.type.startsWith('image/')) {
      this.#fail({ code: 'decode-failed', message: `"${file.name}" is not an image (${file.type}).` });
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

  /**
   * Says `text` to screen readers (a polite live region) and, unless `toast` is false, on screen in the same words (a
   * toast by the actions).
   */
  #announce(text: string, toast = true): void {
    this._announcement = text;
    this._toast = toast ? text : '';
    clearTimeout(this.#announceTimer);
    this.#announceTimer = setTimeout(() => {
      this._announcement = '';
      this._toast = '';
    }, 2500);
  }

  #eyedropFrame = 0;

  /** The region outline, and while selecting, the surface a drag draws a new one on. */
  #renderRegion(width: number, height: number): TemplateResult {
    let rect: PixelRect | null = null;
    try {
      rect = parseRegion(this.region, width, height);
    } catch {
      rect = null; // reported by the run as invalid-option
    }
    const drag = this._drag;
    const box = drag
      ? { left: Math.min(drag.x0, drag.x1), top: Math.min(drag.y0, drag.y1), w: Math.abs(drag.x1 - drag.x0), h: Math.abs(drag.y1 - drag.y0) }
      : rect
        ? { left: rect.x / width, top: rect.y / height, w: rect.width / width, h: rect.height / height }
        : null;
    const outline = box
      ? html`<div
          class="region-box"
          aria-hidden="true"
          style=${cssProps({ left: `${box.left * 100}%`, top: `${box.top * 100}%`, width: `${box.w * 100}%`, height: `${box.h * 100}%` })}
        ></div>`
      : nothing;
    if (!this._selecting) return html`${outline}`;
    const at = (e: PointerEvent) => {
      const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
      const clamp = (v: number) => Math.min(1, Math.max(0, v));
      return { x: clamp((e.clientX - r.left) / r.width), y: clamp((e.clientY - r.top) / r.height) };
    };
    return html`${outline}
      <div
        class="region-draw"
        @pointerdown=${(e: PointerEvent) => {
          (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
          const p = at(e);
          this._drag = { x0: p.x, y0: p.y, x1: p.x, y1: p.y };
        }}
        @pointermove=${(e: PointerEvent) => {
          if (!this._drag) return;
          const p = at(e);
          this._drag = { ...this._drag, x1: p.x, y1: p.y };
        }}
        @pointerup=${() => this.#endDrag(width, height)}
        @pointercancel=${() => (this._drag = undefined)}
      ></div>`;
  }

  /** A finished drag becomes the `region` attribute (in pixels); a click without a drag keeps the old one. */
  #endDrag(width: number, height: number): void {
    const drag = this._drag;
    this._drag = undefined;
    this._selecting = false;
    if (!drag) return;
    const x0 = Math.floor(Math.min(drag.x0, drag.x1) * width);
    const y0 = Math.floor(Math.min(drag.y0, drag.y1) * height);
    const x1 = Math.ceil(Math.max(drag.x0, drag.x1) * width);
    const y1 = Math.ceil(Math.max(drag.y0, drag.y1) * height);
    if (x1 - x0 < 2 || y1 - y0 < 2) return;
    this.region = formatRegion({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
  }

  /**
   * The eyedropper: the swatch of the pixel under the pointer (or finger), read from the recoloured image itself, so
   * it is exactly the cluster the engine gave that pixel. Highlighted among the swatches; once per frame at most.
   */
  #eyedrop(event: PointerEvent, outcome: ExtractionOutcome): void {
    const stage = event.currentTarget as HTMLElement;
    const { clientX, clientY } = event;
    if (this.#eyedropFrame) return;
    this.#eyedropFrame = requestAnimationFrame(() => {
      this.#eyedropFrame = 0;
      const rect = stage.getBoundingClientRect();
      this._picked = this.#swatchAt(outcome, (clientX - rect.left) / rect.width, (clientY - rect.top) / rect.height)?.hex;
    });
  }

  /** The palette entry of the recoloured pixel at fractions `fx`, `fy` of the photo (none where it was left out). */
  #swatchAt(outcome: ExtractionOutcome, fx: number, fy: number): PaletteColor | undefined {
    const pixel = readPixel(outcome.recolored, fx, fy);
    if (!pixel || pixel[3] === 0) return undefined;
    const hex = rgbToHex([pixel[0], pixel[1], pixel[2]]);
    return outcome.detail.colors.find((c) => c.hex === hex);
  }

  /** The original pixel's colour at fractions `fx`, `fy` of the photo, as `#rrggbb`. */
  #originalAt(outcome: ExtractionOutcome, fx: number, fy: number): string | undefined {
    const pixel = readPixel(outcome.original, fx, fy);
    return pixel ? rgbToHex([pixel[0], pixel[1], pixel[2]]) : undefined;
  }

  /** Locks `hex` (the next run keeps it as a centre), or says why it cannot. */
  #lock(hex: string): void {
    const list = this.lockedColors;
    if (list.includes(hex)) {
      this.#announce(`${hex} is already locked`);
      return;
    }
    // The k the next run will use: `colors` clamped as the options clamp it (a bad value is reported by the run).
    const asked = Number(this.colors);
    const k = Number.isFinite(asked) ? Math.min(256, Math.max(1, Math.round(asked))) : (OPTION_DEFAULTS.colors as number);
    if (list.length >= k) {
      this.#announce(`All ${k} colours are locked: unlock one to lock ${hex}`);
      return;
    }
    this.lockedColors = [...list, hex];
    this.#announce(`Locked ${hex}`);
  }

  #toggleLock(hex: string): void {
    const list = this.lockedColors;
    if (!list.includes(hex)) {
      this.#lock(hex);
      return;
    }
    this.lockedColors = list.filter((c) => c !== hex);
    this.#announce(`Unlocked ${hex}`);
  }

  /** The keyboard eyedropper: arrows move the crosshair (Shift: ten times as far), Enter or Space lock its pixel. */
  #onEyedropperKey(event: KeyboardEvent, outcome: ExtractionOutcome): void {
    const cursor = this._cursor ?? { x: 0.5, y: 0.5 };
    const step = event.shiftKey ? 0.1 : 0.01;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      const clamp = (v: number) => Math.min(0.999, Math.max(0, v));
      const next = { x: clamp(cursor.x + move[0]), y: clamp(cursor.y + move[1]) };
      this._cursor = next;
      const swatch = this.#swatchAt(outcome, next.x, next.y);
      this._picked = swatch?.hex;
      const where = `${Math.round(next.x * 100)}% across, ${Math.round(next.y * 100)}% down`;
      this.#announce(
        swatch ? `${where}: ${swatch.hex}, ${percent(swatch.fraction)} of the image` : `${where}: left out of the palette`,
        false,
      );
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const hex = this.#originalAt(outcome, cursor.x, cursor.y);
      if (hex) this.#lock(hex);
    }
  }

  /** The photo's layer for keyboard users: a crosshair that arrows move, Enter locks (not a pointer target). */
  #renderEyedropper(outcome: ExtractionOutcome): TemplateResult {
    const cursor = this._cursor;
    return html`<div
        part="eyedropper"
        class="eyedropper"
        tabindex="0"
        role="application"
        aria-roledescription="eyedropper"
        aria-label="Eyedropper on the photo: arrow keys move it (Shift for larger steps), the swatch under it is highlighted, Enter locks the colour under it"
        @focus=${() => (this._cursor ??= { x: 0.5, y: 0.5 })}
        @blur=${() => {
          this._cursor = undefined;
          this._picked = undefined;
        }}
        @keydown=${(e: KeyboardEvent) => this.#onEyedropperKey(e, outcome)}
      ></div>
      ${cursor
        ? html`<div
            class="crosshair"
            aria-hidden="true"
            style=${cssProps({ left: `${cursor.x * 100}%`, top: `${cursor.y * 100}%` })}
          ></div>`
        : nothing}
      ${this._picking
        ? html`<div
            class="pick-layer"
            @click=${(e: MouseEvent) => {
              const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
              const hex = this.#originalAt(outcome, (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
              this._picking = false;
              if (hex) this.#lock(hex);
            }}
          ></div>`
        : nothing}`;
  }

  /** The region as four numbers to type, for keyboards (and precision): shown while "Select region" is on. */
  #renderRegionForm(width: number, height: number): TemplateResult {
    let rect: PixelRect | null = null;
    try {
      rect = parseRegion(this.region, width, height);
    } catch {
      rect = null;
    }
    rect ??= { x: 0, y: 0, width, height };
    const field = (name: string, label: string, value: number, max: number) =>
      html`<label>${label} <input name=${name} type="number" min="0" max=${max} step="1" .value=${String(value)} /></label>`;
    return html`<form
      class="region-form"
      aria-label="Region in pixels"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget as HTMLFormElement);
        const n = (key: string) => Math.round(Number(data.get(key)));
        const x = Math.min(width - 1, Math.max(0, n('x')));
        const y = Math.min(height - 1, Math.max(0, n('y')));
        const w = Math.min(width - x, Math.max(1, n('w')));
        const h = Math.min(height - y, Math.max(1, n('h')));
        this._selecting = false;
        this.region = formatRegion({ x, y, width: w, height: h });
        this.#announce(`Region set to ${w}×${h} pixels at ${x}, ${y}`, false);
      }}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') this._selecting = false;
      }}
    >
      ${field('x', 'X', rect.x, width - 1)} ${field('y', 'Y', rect.y, height - 1)}
      ${field('w', 'Width', rect.width, width)} ${field('h', 'Height', rect.height, height)}
      <button class="action" type="submit">Apply region</button>
    </form>`;
  }

  /** The palette as shown (sorted), for the swatches and every export. */
  #shownColors(): PaletteColor[] {
    const colors = this.palette?.colors ?? [];
    return PALETTE_SORTS.includes(this.sort) ? sortPalette(colors, this.sort) : colors;
  }

  async #copyExport(): Promise<void> {
    const format = this._exportFormat;
    const info = EXPORT_FORMATS[format];
    if (info.kind !== 'text') return;
    await this.#copy(exportPalette(this.#shownColors(), format as 'css', { name: this.#imageName() }), info.name);
  }

  async #download(): Promise<void> {
    const format = this._exportFormat;
    const blob = await exportPaletteBlob(this.#shownColors(), format, { name: this.#imageName() });
    downloadBlob(blob, exportFileName(this.#imageName(), format));
    this.#announce(`Downloaded ${EXPORT_FORMATS[format].name}`);
  }

  /** The image's file name without its extension, for the palette's name ("palette" when there is none). */
  #imageName(): string {
    const input = this.#input();
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
    const busy = this.#extraction.busy;
    const outcome = this._outcome;
    // While a new request runs, the results shown are for the previous values: dimmed until the new ones arrive.
    const stale = busy && !!outcome;
    return html`
      <div
        class="layout ${outcome ? 'has-image' : ''} ${stale ? 'stale' : ''}"
        @dragover=${this.#onDragOver}
        @dragleave=${() => (this._dragging = false)}
        @drop=${this.#onDrop}
      >
        ${this.#renderDropzone(!!outcome)}
        ${outcome?.notice ? html`<p part="notice" class="wide" role="status">${outcome.notice}</p>` : nothing}
        ${this._error ? html`<p part="error" class="wide" role="alert">${this._error.message}</p>` : nothing}
        ${outcome || busy || this._decoded ? this.#renderPreview(outcome, busy) : nothing}
        ${this.#renderPalette(outcome?.detail)}
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
      ? html`<div class="busy">
          <div
            part="progress"
            class=${determinate ? '' : 'indeterminate'}
            role="progressbar"
            aria-label="Finding the palette"
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow=${determinate ? Math.round(progress.fraction * 100) : nothing}
            style=${cssProps({ '--fraction': determinate ? String(progress.fraction) : null })}
          ></div>
          <div class="busy-bar">
            <span class="phase" aria-hidden="true">${phaseText(progress)}</span>
            <button part="cancel" class="action cancel" type="button" @click=${() => this.cancel()}>Cancel</button>
          </div>
        </div>`
      : nothing;
    const decoded = this._decoded;
    if (!outcome) {
      if (!decoded) return html`<figure part="preview" class="pending" aria-busy="true">${bar}</figure>`;
      decoded.original.setAttribute('part', 'original');
      decoded.original.setAttribute('role', 'img');
      decoded.original.setAttribute('aria-label', 'Original image');
      return html`<figure part="preview" aria-busy=${busy ? 'true' : 'false'}>
        <div
          class="stage decoded"
          style=${cssProps({
            aspectRatio: `${decoded.width} / ${decoded.height}`,
            width: `min(100%, calc(var(--pe-preview-max-height) * ${decoded.width / decoded.height}))`,
          })}
        >
          ${decoded.original}
        </div>
        ${bar}
      </figure>`;
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
          @pointermove=${(e: PointerEvent) => this.#eyedrop(e, outcome)}
          @pointerdown=${(e: PointerEvent) => this.#eyedrop(e, outcome)}
          @pointerleave=${() => (this._picked = undefined)}
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
          ${this.#renderEyedropper(outcome)} ${this.#renderRegion(width, height)}
        </div>
        <div class="tools" role="group" aria-label="Region and eyedropper">
          <button
            part="select-region"
            class="action"
            type="button"
            aria-pressed=${this._selecting ? 'true' : 'false'}
            @click=${() => {
              this._selecting = !this._selecting;
              this._picking = false;
            }}
          >
            ${this._selecting ? 'Drag on the photo…' : 'Select region'}
          </button>
          ${this.region
            ? html`<button class="action" type="button" @click=${() => (this.region = '')}>Whole image</button>`
            : nothing}
          <button
            part="pick-lock"
            class="action"
            type="button"
            aria-pressed=${this._picking ? 'true' : 'false'}
            @click=${() => {
              this._picking = !this._picking;
              this._selecting = false;
            }}
          >
            ${this._picking ? 'Click a pixel to lock…' : 'Lock a colour from the photo'}
          </button>
        </div>
        ${this._selecting ? this.#renderRegionForm(width, height) : nothing}
        ${bar}
        <figcaption class="visually-hidden">
          ${width}×${height} image, recoloured with its ${outcome.detail.colors.length}-colour palette.
        </figcaption>
      </figure>
    `;
  }

  #renderPalette(detail: PaletteDetail | undefined): TemplateResult {
    const colors = this.#shownColors();
    const format = EXPORT_FORMATS[this._exportFormat];
    return html`
      <section class="palette" aria-labelledby="palette-title">
        <div class="palette-head">
          <h2 id="palette-title">Palette${detail ? ` · ${colors.length} colours` : ''}</h2>
          <div class="view" role="group" aria-label="How the palette is shown">
            <label
              >Sort
              <select part="sort" .value=${this.sort} @change=${(e: Event) => (this.sort = (e.target as HTMLSelectElement).value as PaletteSort)}>
                <option value="share">by share</option>
                <option value="hue">by hue</option>
                <option value="lightness">by lightness</option>
              </select></label
            >
            <span class="segmented" role="group" aria-label="Show values as">
              ${COLOR_VALUE_FORMATS.map(
                (f) => html`<button type="button" aria-pressed=${this.valueFormat === f ? 'true' : 'false'}
                  @click=${() => (this.valueFormat = f)}>${f}</button>`,
              )}
            </span>
          </div>
        </div>
        ${detail ? this.#renderSwatches(colors) : html`<p class="placeholder">Choose an image to see its palette.</p>`}
        <div part="actions" role="group" aria-label="Export the palette">
          <label
            >Export as
            <select part="export-format" .value=${this._exportFormat}
              @change=${(e: Event) => (this._exportFormat = (e.target as HTMLSelectElement).value as ExportFormat)}>
              ${EXPORT_FORMAT_LIST.map((f) => html`<option value=${f} ?selected=${f === this._exportFormat}>${EXPORT_FORMATS[f].name}</option>`)}
            </select></label
          >
          <button class="action" type="button" ?disabled=${!detail || format.kind !== 'text'} @click=${this.#copyExport}>
            Copy
          </button>
          <button class="action primary" type="button" ?disabled=${!detail} @click=${this.#download}>Download</button>
        </div>
        ${this._toast ? html`<p class="toast" aria-hidden="true">${this._toast}</p>` : nothing}
      </section>
    `;
  }

  #renderSwatches(colors: readonly PaletteColor[]): TemplateResult {
    return html`
      <div class="strip palette-strip" aria-hidden="true">
        ${colors.map((c) => html`<span style=${cssProps({ flex: String(c.fraction), '--swatch': c.hex })}></span>`)}
      </div>
      <ol
        part="swatches"
        style=${cssProps({
          '--cols-wide': String(balancedColumns(colors.length, 6)),
          '--cols-narrow': String(balancedColumns(colors.length, 3)),
        })}
      >
        ${colors.map((c) => {
          const text = bestTextColor(c.rgb, colors);
          const value = formatColor(c.rgb, this.valueFormat);
          const locked = this.lockedColors.includes(c.hex);
          return html`<li class=${locked ? 'locked' : ''}>
            <button
              part="swatch"
              class=${this._picked === c.hex ? 'picked' : ''}
              type="button"
              style=${cssProps({ '--swatch': c.hex, '--swatch-text': text.hex })}
              title="Copy ${value}"
              @click=${() => this.#copy(value, value)}
            >
              <span class="chip"
                ><span class="contrast" title="Text in ${text.hex} on this colour: ${formatRatio(text.ratio)}, WCAG ${text.level}"
                  >Aa ${formatRatio(text.ratio)} <span class="level">${text.level}</span></span
                ></span
              >
              <span class="swatch-text"
                ><span class="hex">${value}</span> <span class="share">${percent(c.fraction)}</span
                ><span class="visually-hidden"> of the image, copy</span></span
              >
            </button>
            <button
              part="lock"
              class="lock"
              type="button"
              aria-pressed=${locked ? 'true' : 'false'}
              aria-label="Lock ${c.hex}"
              title=${locked ? `Unlock ${c.hex}` : `Lock ${c.hex}: the next palettes keep it`}
              @click=${() => this.#toggleLock(c.hex)}
            >
              <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
                stroke-linejoin="round" aria-hidden="true">
                <rect x="5" y="11" width="14" height="10" rx="2"></rect>
                <path d=${locked ? 'M8 11V7a4 4 0 0 1 8 0v4' : 'M8 11V7a4 4 0 0 1 7.75-1.4'}></path>
              </svg>
            </button>
          </li>`;
        })}
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
    const unit = c.gpu.colorSpace === 'rgb' ? 'RGB in 0–1 units, squared' : 'OKLab units, squared';
    const side = (title: string, d: PaletteDetail) => html`
      <div class="side">
        <h3>${title} · ${ARITHMETIC_LABEL[d.arithmetic]}</h3>
        <div class="strip" aria-hidden="true">
          ${d.colors.map((x) => html`<span style=${cssProps({ flex: String(x.fraction), '--swatch': x.hex })}></span>`)}
        </div>
        <p>${d.colors.map((x) => x.hex).join(' ')}</p>
        <p>
          ${d.iterations} iterations · k-means ${ms(d.timings.clusterMs)} · inertia ${d.inertia.toPrecision(6)}
          <span class="unit">(sum of squared distances, ${unit})</span>
        </p>
      </div>
    `;
    const gpuMs = c.gpu.timings.clusterMs;
    const cpuMs = c.cpu.timings.clusterMs;
    const faster = gpuMs <= cpuMs ? 'The GPU' : 'The CPU';
    const ratio = Math.max(gpuMs, cpuMs) / Math.max(Math.min(gpuMs, cpuMs), 1e-3);
    const software = /fallback/i.test(c.gpu.adapter);
    const identical = c.labelAgreement === 1 && c.maxCenterDelta === 0 && c.inertiaDelta === 0;
    return html`
      <section part="compare" aria-labelledby="compare-title">
        <h2 id="compare-title">GPU and CPU, side by side</h2>
        <div class="sides">${side(`GPU · ${c.gpu.adapter}`, c.gpu)} ${side('CPU', c.cpu)}</div>
        <p class="verdict">
          ${identical
            ? 'Both give the same palette, bit for bit: every pixel in the same cluster, the same centres and inertia.'
            : `They agree on ${(c.labelAgreement * 100).toFixed(2)}% of the pixels (different arithmetic: see below).`}
          ${faster} was ${ratio < 1.05 ? 'about as fast' : `${ratio.toFixed(ratio < 10 ? 1 : 0)}× faster`}
          (${ms(gpuMs)} on the GPU, ${ms(cpuMs)} on the CPU)${software
            ? html`; <strong>the GPU here is a software one</strong> (${c.gpu.adapter}), so its time shows the work done, not a GPU's speed`
            : ''}.
        </p>
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

/**
 * The `ignore` option: colours left out of the clustering. Presets (`near-white`, `near-black`, `transparent`) and any
 * `#rrggbb` with a tolerance, a ΔE in OKLab on a 0–100 scale (OKLab distance × 100, so L runs 0 to 100):
 * `"white black transparent #00ff00 #123456/5"`.
 *
 * Colour entries are decided once for all 2^24 colours, in a bitmap: a pixel's test is then one lookup, and the same
 * bits can go to the GPU, so both backends leave out exactly the same pixels.
 */
import { OKLAB_M1, OKLAB_M2, hexToRgb, rgbToHex, srgb8ToOklab, srgbToLinear, type Rgb8 } from './color.js';
import { InvalidOptionError } from './errors.js';
import { chunks, type Steps } from './pace.js';

export type IgnorePreset = 'near-white' | 'near-black';

export type IgnoreEntry =
  /** Pixels with alpha below the alpha threshold (the engine's rule, default 128). */
  | { kind: 'transparent' }
  /** Colours within `tolerance` (ΔE OKLab × 100) of `rgb`; presets are colours too, with their own tolerance. */
  | { kind: 'color'; rgb: Rgb8; hex: string; tolerance: number; preset?: IgnorePreset };

/** The tolerance of a listed colour without `/n`: a little over the just-noticeable ~2, so JPEG noise goes too. */
export const DEFAULT_IGNORE_TOLERANCE = 3;

/**
 * The presets, as a colour and a default tolerance. Near-white, 5 from white, takes greys from #efefef up and creams
 * such as #f5f5dc. Near-black needs a wider reach because OKLab lightness climbs steeply out of black (#141414 is
 * already L 19): 20 takes greys up to #151515 and very dark tints.
 */
export const IGNORE_PRESETS: Readonly<Record<IgnorePreset, { rgb: Rgb8; tolerance: number }>> = {
  'near-white': { rgb: [255, 255, 255], tolerance: 5 },
  'near-black': { rgb: [0, 0, 0], tolerance: 20 },
};

const PRESET_NAMES: Readonly<Record<string, IgnorePreset>> = {
  white: 'near-white',
  'near-white': 'near-white',
  black: 'near-black',
  'near-black': 'near-black',
};

const MAX_TOLERANCE = 100;

function fail(text: string, why: string): never {
  throw new InvalidOptionError(
    `ignore ${JSON.stringify(text)}: ${why}. Expected a list of near-white (or white), near-black (or black), transparent and #rrggbb colours, each colour optionally with /tolerance (ΔE in OKLab × 100, 0 to ${MAX_TOLERANCE}), such as "white #00ff00/5".`,
  );
}

/** Reads an ignore list (spaces and/or commas between entries, any case). Empty text is an empty list. */
export function parseIgnore(text: string): IgnoreEntry[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  return trimmed.split(/\s*,\s*|\s+/).map((token): IgnoreEntry => {
    const [head, tol, ...rest] = token.toLowerCase().split('/');
    if (rest.length > 0) fail(text, `${JSON.stringify(token)} has more than one /`);
    let tolerance: number | undefined;
    if (tol !== undefined) {
      if (!/^(\d+\.?\d*|\.\d+)$/.test(tol)) fail(text, `${JSON.stringify(token)} has a tolerance that is not a number`);
      tolerance = Number(tol);
      if (tolerance > MAX_TOLERANCE) fail(text, `${JSON.stringify(token)} has a tolerance above ${MAX_TOLERANCE}`);
    }
    if (head === 'transparent') {
      if (tolerance !== undefined) fail(text, 'transparent takes no tolerance');
      return { kind: 'transparent' };
    }
    const preset = PRESET_NAMES[head!];
    if (preset) {
      const { rgb, tolerance: fallback } = IGNORE_PRESETS[preset];
      return { kind: 'color', rgb: [...rgb], hex: rgbToHex(rgb), tolerance: tolerance ?? fallback, preset };
    }
    if (!/^#([0-9a-f]{3}|[0-9a-f]{6})$/.test(head!)) fail(text, `${JSON.stringify(token)} is not a colour or a preset`);
    const rgb = hexToRgb(head!);
    return { kind: 'color', rgb, hex: rgbToHex(rgb), tolerance: tolerance ?? DEFAULT_IGNORE_TOLERANCE };
  });
}

/** A list written back as text that `parseIgnore` reads to the same list (defaults left out). */
export function formatIgnore(list: readonly IgnoreEntry[]): string {
  return list
    .map((entry) => {
      if (entry.kind === 'transparent') return 'transparent';
      const name = entry.preset ?? entry.hex;
      const fallback = entry.preset ? IGNORE_PRESETS[entry.preset].tolerance : DEFAULT_IGNORE_TOLERANCE;
      return entry.tolerance === fallback ? name : `${name}/${entry.tolerance}`;
    })
    .join(' ');
}

type Row = readonly [number, number, number];

const LINEAR = Float64Array.from({ length: 256 }, (_, v) => srgbToLinear(v / 255));

/** The first index whose LINEAR value is ≥ x (256 when none). */
function firstAtLeast(x: number): number {
  let lo = 0;
  let hi = 256;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (LINEAR[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * How far each cube-rooted cone response (l', m', s') can move while the OKLab colour moves by 1: the lengths of the
 * rows of the OKLab M2 inverse. A ball of radius t in OKLab stays within ± t × these of the centre's l', m', s'.
 */
const REACH = [
  Math.hypot(1, 0.3963377774, 0.2158037573),
  Math.hypot(1, 0.1055613458, 0.0638541728),
  Math.hypot(1, 0.0894841775, 1.291485548),
];

/** Sets the bits of every 8-bit colour within `tolerance` of `rgb`. */
function markColor(bits: Uint32Array, rgb: Rgb8, tolerance: number): void {
  const [L0, a0, b0] = srgb8ToOklab(rgb[0], rgb[1], rgb[2]);
  const t = tolerance / 100;
  const t2 = t * t;
  // The centre's own cube-rooted cone responses (not M2⁻¹ · Lab, whose published matrix is only near M2's inverse).
  const lin = rgb.map((v) => LINEAR[v]!);
  const centre = OKLAB_M1.map((row) => Math.cbrt(row[0] * lin[0]! + row[1] * lin[1]! + row[2] * lin[2]!));
  // Each cone response l, m, s grows with every channel (M1's entries are all positive), so for one (r, g) the blues
  // that can lie in the ball form one run, found by bisection; only that run is measured exactly. The slack covers
  // rounding and the published inverse's last decimals: the run may be a little long, never short.
  const reach = (i: number) => t * REACH[i]! * (1 + 1e-6) + 1e-9;
  const lo = centre.map((c, i) => (c - reach(i)) ** 3);
  const hi = centre.map((c, i) => (c + reach(i)) ** 3);
  const [m0, m1, m2] = OKLAB_M1 as [Row, Row, Row];
  const [n0, n1, n2] = OKLAB_M2 as [Row, Row, Row];
  for (let r = 0; r < 256; r++) {
    const lr = LINEAR[r]!;
    for (let g = 0; g < 256; g++) {
      const lg = LINEAR[g]!;
      // Summed in srgb8ToOklab's order, so that the result is the same to the last bit.
      const pl = m0[0] * lr + m0[1] * lg;
      const pm = m1[0] * lr + m1[1] * lg;
      const ps = m2[0] * lr + m2[1] * lg;
      const bFrom = Math.max(
        firstAtLeast((lo[0]! - pl) / m0[2]),
        firstAtLeast((lo[1]! - pm) / m1[2]),
        firstAtLeast((lo[2]! - ps) / m2[2]),
      );
      const bTo = Math.min(
        firstAtLeast((hi[0]! - pl) / m0[2] + 1e-15),
        firstAtLeast((hi[1]! - pm) / m1[2] + 1e-15),
        firstAtLeast((hi[2]! - ps) / m2[2] + 1e-15),
      );
      const base = (r << 16) | (g << 8);
      for (let b = bFrom; b < bTo; b++) {
        const lb = LINEAR[b]!;
        const l = Math.cbrt(pl + m0[2] * lb);
        const m = Math.cbrt(pm + m1[2] * lb);
        const s = Math.cbrt(ps + m2[2] * lb);
        const dL = n0[0] * l + n0[1] * m + n0[2] * s - L0;
        const dA = n1[0] * l + n1[1] * m + n1[2] * s - a0;
        const dB = n2[0] * l + n2[1] * m + n2[2] * s - b0;
        if (dL * dL + dA * dA + dB * dB <= t2) {
          const index = base | b;
          bits[index >>> 5]! |= 1 << (index & 31);
        }
      }
    }
  }
}

/**
 * One bit per 24-bit colour, `(r << 16 | g << 8 | b)`, set where a colour entry of the list matches; 2 MiB. Null when
 * the list has no colour entries.
 */
export function ignoreBitmap(list: readonly IgnoreEntry[]): Uint32Array | null {
  const colors = list.filter((e) => e.kind === 'color');
  if (colors.length === 0) return null;
  const bits = new Uint32Array(1 << 19);
  for (const { rgb, tolerance } of colors) markColor(bits, rgb, tolerance);
  return bits;
}

export interface IgnoreMatcherOptions {
  /** What `transparent` means: alpha below this (0..255). Default 128, the engine's. */
  alphaThreshold?: number;
}

/**
 * `(r, g, b, a) => boolean`: whether a pixel is ignored. The colour bitmap is built on the first call that needs it
 * (tens of milliseconds), so making a matcher costs nothing.
 */
export function ignoreMatcher(
  list: readonly IgnoreEntry[],
  options: IgnoreMatcherOptions = {},
): (r: number, g: number, b: number, a: number) => boolean {
  const alphaThreshold = options.alphaThreshold ?? 128;
  const transparent = list.some((e) => e.kind === 'transparent');
  const hasColors = list.some((e) => e.kind === 'color');
  let bits: Uint32Array | null = null;
  return (r, g, b, a) => {
    if (transparent && a < alphaThreshold) return true;
    if (!hasColors) return false;
    bits ??= ignoreBitmap(list)!;
    const index = (r << 16) | (g << 8) | b;
    return ((bits[index >>> 5]! >>> (index & 31)) & 1) === 1;
  };
}

/** One byte per pixel of RGBA data: 1 where the pixel is ignored. */
export function ignoreMask(
  data: Uint8Array | Uint8ClampedArray,
  list: readonly IgnoreEntry[],
  options: IgnoreMatcherOptions = {},
): Uint8Array {
  const ignored = ignoreMatcher(list, options);
  const mask = new Uint8Array(data.length >> 2);
  for (let p = 0, i = 0; i < mask.length; i++, p += 4) {
    mask[i] = ignored(data[p]!, data[p + 1]!, data[p + 2]!, data[p + 3]!) ? 1 : 0;
  }
  return mask;
}

/** Pixels per chunk of `maskIgnoredSteps` (a few milliseconds of lookups). */
const MASK_CHUNK = 1 << 18;

/**
 * Makes the pixels an ignore list matches transparent (alpha 0), in place, so the engines leave them out and a
 * recoloured image shows them as left out. Steps (`pace.ts`): the element runs it in its CPU worker, paced, so the
 * page's thread does no per-pixel work for it (the colour bitmap is built there too, on the first pixel that needs it).
 */
export function* maskIgnoredSteps(
  data: Uint8Array | Uint8ClampedArray,
  list: readonly IgnoreEntry[],
  options: IgnoreMatcherOptions = {},
): Steps<void> {
  const ignored = ignoreMatcher(list, options);
  yield* chunks(data.length >> 2, MASK_CHUNK, (from, to) => {
    for (let p = 4 * from; p < 4 * to; p += 4) {
      if (ignored(data[p]!, data[p + 1]!, data[p + 2]!, data[p + 3]!)) data[p + 3] = 0;
    }
  });
}

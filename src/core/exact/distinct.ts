/**
 * The distinct points of a run with their multiplicities. Exact k-means on them, weighted, gives the same labels,
 * sums, centres and inertia as on every point (all integer), at a fraction of the cost: a 24 MP photo holds
 * 10^5–10^6 distinct colours, and the work per iteration follows that number, not the pixel count.
 */
import { chunks, runSync, type Steps } from '../pace.js';

export interface DistinctColors {
  /** u × 3 bytes: each distinct point once. */
  colors: Uint8Array;
  /** Points holding each distinct colour (integers, as float64 for the Lloyd loops). */
  weights: Float64Array;
  u: number;
  /**
   * Index in `colors` of each colour that occurs. Direct (`keys` null): at the colour's interleaved slot (`SLOT_R` …),
   * holding the index. Hashed: open addressing by `hashSlot`, holding index + 1 (0 = empty), `keys` beside it.
   */
  table: Uint32Array;
  keys: Uint32Array | null;
  bits: number;
  /**
   * Index in `colors` of each point, where it was recorded while counting (the hashed table, for up to
   * DIRECT_TABLE_MIN_POINTS points), so that seeding and spreading labels need no look-up; else absent.
   */
  pointColor?: Uint32Array;
}

/**
 * From this many points on, a direct 2^24-entry table (64 MiB) is used: counting into it is one memory access per
 * point, and a hash table for that many points would hold millions of slots anyway.
 */
export const DIRECT_TABLE_MIN_POINTS = 1 << 21;

/** Fibonacci hashing: the top bits of key · 2^32/φ spread neighbouring colours apart. */
function hashSlot(key: number, bits: number): number {
  return Math.imul(key, 0x9e3779b1) >>> (32 - bits);
}

/** The distinct colours of `points` (n × 3 bytes), in order of their 24-bit key when n is large, else of appearance. */
export function distinctColors(points: Uint8Array, n: number): DistinctColors {
  return runSync(distinctColorsSteps(points, n));
}

/** `distinctColors` as steps (`pace.ts`): it yields between chunks of points (and of the direct table). */
export function distinctColorsSteps(points: Uint8Array, n: number): Steps<DistinctColors> {
  return n >= DIRECT_TABLE_MIN_POINTS ? distinctDirect(points, n) : distinctHashed(points, n);
}

/** Points (or table slots) per chunk of the passes below. */
const CHUNK = 1 << 18;

/**
 * The direct table's slot of a colour: its bits interleaved by scale (the top 4 bits of r, g, b, then the next 2 of
 * each, then the last 2), so colours a few steps apart share a 16 KiB stretch of the table instead of lying 2^16 slots
 * apart: on a noisy photo that turns most look-ups from memory misses into cache hits. Three 256-entry tables.
 */
const SLOT_BITS = [0, 1, 2].map((channel) =>
  Uint32Array.from({ length: 256 }, (_, v) => {
    const shift = 2 - channel;
    return (((v >> 4) << (12 + 4 * shift)) | (((v >> 2) & 3) << (6 + 2 * shift)) | ((v & 3) << (2 * shift))) >>> 0;
  }),
);
const [SLOT_R, SLOT_G, SLOT_B] = SLOT_BITS as [Uint32Array, Uint32Array, Uint32Array];

/** The colour of a direct-table slot (the inverse of the interleaving above). */
function slotChannel(slot: number, channel: number): number {
  const shift = 2 - channel;
  return (((slot >> (12 + 4 * shift)) & 15) << 4) | (((slot >> (6 + 2 * shift)) & 3) << 2) | ((slot >> (2 * shift)) & 3);
}

function countDirect(points: Uint8Array, from: number, to: number, table: Uint32Array): void {
  for (let i = 3 * from; i < 3 * to; i += 3) table[SLOT_R[points[i]!]! | SLOT_G[points[i + 1]!]! | SLOT_B[points[i + 2]!]!]!++;
}

/** Two passes: count every colour in a 2^24 table, then number the colours that occur, in slot order, in place. */
function* distinctDirect(points: Uint8Array, n: number): Steps<DistinctColors> {
  const table = new Uint32Array(1 << 24);
  yield* chunks(n, CHUNK, (from, to) => countDirect(points, from, to, table));
  let u = 0;
  yield* chunks(1 << 24, 4 * CHUNK, (from, to) => {
    let count = 0;
    for (let key = from; key < to; key++) if (table[key] !== 0) count++;
    u += count;
  });
  const colors = new Uint8Array(3 * u);
  const weights = new Float64Array(u);
  let next = 0;
  yield* chunks(1 << 24, 4 * CHUNK, (from, to) => {
    let index = next;
    for (let key = from; key < to; key++) {
      const count = table[key]!;
      if (count === 0) continue;
      weights[index] = count;
      colors[3 * index] = slotChannel(key, 0);
      colors[3 * index + 1] = slotChannel(key, 1);
      colors[3 * index + 2] = slotChannel(key, 2);
      table[key] = index++;
    }
    next = index;
  });
  return { colors, weights, u, table, keys: null, bits: 24 };
}

/** Open addressing with linear probing at load factor ≤ 1/2; colours in order of first appearance. */
function* distinctHashed(points: Uint8Array, n: number): Steps<DistinctColors> {
  const bits = Math.max(4, Math.ceil(Math.log2(2 * n)));
  const table = new Uint32Array(1 << bits);
  const keys = new Uint32Array(1 << bits);
  const colors = new Uint8Array(3 * n);
  const counts = new Float64Array(n);
  const pointColor = new Uint32Array(n);
  const found = { u: 0 };
  yield* chunks(n, CHUNK / 2, (from, to) => hashPoints(points, from, to, bits, table, keys, colors, counts, pointColor, found));
  const { u } = found;
  return { colors: colors.slice(0, 3 * u), weights: counts.slice(0, u), u, table, keys, bits, pointColor };
}

/** Counts points `from .. to` into the hash table, adding each new colour as colour `found.u`. */
function hashPoints(
  points: Uint8Array, from: number, to: number, bits: number, table: Uint32Array, keys: Uint32Array,
  colors: Uint8Array, counts: Float64Array, pointColor: Uint32Array, found: { u: number },
): void {
  const mask = (1 << bits) - 1;
  let u = found.u;
  for (let i = from; i < to; i++) {
    const key = (points[3 * i]! << 16) | (points[3 * i + 1]! << 8) | points[3 * i + 2]!;
    let slot = hashSlot(key, bits);
    for (;;) {
      const entry = table[slot]!;
      if (entry === 0) {
        const c = 3 * u;
        table[slot] = ++u;
        keys[slot] = key;
        // Three bytes written, not `set` from a subarray: that allocates a view per new colour.
        colors[c] = points[3 * i]!;
        colors[c + 1] = points[3 * i + 1]!;
        colors[c + 2] = points[3 * i + 2]!;
        counts[u - 1] = 1;
        pointColor[i] = u - 1;
        break;
      }
      if (keys[slot] === key) {
        counts[entry - 1]!++;
        pointColor[i] = entry - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  found.u = u;
}

/** Index in `d.colors` of point `i` of `points`; the point must be one `d` was built from. */
export function distinctIndex(d: DistinctColors, points: Uint8Array, i: number): number {
  if (d.keys === null) return d.table[SLOT_R[points[3 * i]!]! | SLOT_G[points[3 * i + 1]!]! | SLOT_B[points[3 * i + 2]!]!]!;
  const key = (points[3 * i]! << 16) | (points[3 * i + 1]! << 8) | points[3 * i + 2]!;
  const mask = (1 << d.bits) - 1;
  let slot = hashSlot(key, d.bits);
  while (d.keys[slot] !== key) slot = (slot + 1) & mask;
  return d.table[slot]! - 1;
}

/**
 * Spreads labels of the distinct colours over the image: pixel `pixelIndex[i]` (or `i`) gets the label of point i's
 * colour; pixels that are not points get -1. `out` has one entry per pixel.
 */
export function spreadDistinctLabels(
  d: DistinctColors,
  points: Uint8Array,
  n: number,
  distinctLabels: Int32Array,
  pixelIndex: Uint32Array | null,
  out: Int32Array,
): Int32Array {
  return runSync(spreadDistinctLabelsSteps(d, points, n, distinctLabels, pixelIndex, out));
}

/** `spreadDistinctLabels` as steps (`pace.ts`). */
export function* spreadDistinctLabelsSteps(
  d: DistinctColors,
  points: Uint8Array,
  n: number,
  distinctLabels: Int32Array,
  pixelIndex: Uint32Array | null,
  out: Int32Array,
): Steps<Int32Array> {
  if (pixelIndex !== null) out.fill(-1);
  yield* chunks(n, CHUNK / 2, (from, to) => spreadRange(d, points, from, to, distinctLabels, pixelIndex, out));
  return out;
}

function spreadRange(
  d: DistinctColors,
  points: Uint8Array,
  from: number,
  to: number,
  distinctLabels: Int32Array,
  pixelIndex: Uint32Array | null,
  out: Int32Array,
): void {
  if (d.keys === null) {
    const table = d.table;
    const slot = (i: number): number => SLOT_R[points[3 * i]!]! | SLOT_G[points[3 * i + 1]!]! | SLOT_B[points[3 * i + 2]!]!;
    if (pixelIndex === null) for (let i = from; i < to; i++) out[i] = distinctLabels[table[slot(i)]!]!;
    else for (let i = from; i < to; i++) out[pixelIndex[i]!] = distinctLabels[table[slot(i)]!]!;
    return;
  }
  const { pointColor } = d;
  if (pointColor !== undefined) {
    if (pixelIndex === null) for (let i = from; i < to; i++) out[i] = distinctLabels[pointColor[i]!]!;
    else for (let i = from; i < to; i++) out[pixelIndex[i]!] = distinctLabels[pointColor[i]!]!;
    return;
  }
  for (let i = from; i < to; i++) out[pixelIndex === null ? i : pixelIndex[i]!] = distinctLabels[distinctIndex(d, points, i)]!;
}

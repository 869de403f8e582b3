/**
 * The header of one run's memory for the Lloyd kernel: int32 fields, each a byte offset in the instance's memory or a
 * count. One layout for both sides: the kernel imports this file (wasm/lloyd.ts, AssemblyScript) and the run that
 * writes the header uses it (src/core/exact/lloyd.ts). Plain constants only, so that both compilers take it.
 */

// The grid's arrays, fields 0 .. 11 in this order (loaded once per grid).
/** u16 × 3 per point, in grid order. */
export const H_POINTS = 0;
/** f64 per point. */
export const H_WEIGHTS = 1;
/** u32 per fine box + 1. */
export const H_FINE_START = 2;
/** u16 × 3 per fine box. */
export const H_FINE_LO = 3;
export const H_FINE_HI = 4;
/** f64 per fine box. */
export const H_FINE_WEIGHT = 5;
/** f64 × 3 per fine box. */
export const H_FINE_SUMS = 6;
export const H_COARSE_LO = 7;
export const H_COARSE_HI = 8;
export const H_COARSE_WEIGHT = 9;
export const H_COARSE_SUMS = 10;
/** u32 per coarse box + 1: its first fine box. */
export const H_COARSE_FIRST = 11;
/** Fields 0 .. GRID_FIELDS − 1 are the grid's arrays. */
export const GRID_FIELDS = 12;

// The run's own.
/** The number of coarse boxes. */
export const H_COARSE_COUNT = 12;
/** f64 × 3 per centre. */
export const H_CENTERS = 13;
/** k. */
export const H_K = 14;
/** i32 per point. */
export const H_LABELS = 15;
/** f64 × 3 per centre. */
export const H_SUMS = 16;
/** f64 per centre. */
export const H_COUNTS = 17;
/** i32 per fine box. */
export const H_FINE_MEMO = 18;
/** i32 per coarse box. */
export const H_COARSE_MEMO = 19;
/** i32 × k: 0 .. k − 1. */
export const H_ALL = 20;
/** i32 × k. */
export const H_AFTER_COARSE = 21;
/** i32 × k. */
export const H_AFTER_FINE = 22;
/** Labels changed by this assignment so far. */
export const H_CHANGED = 23;
export const HEADER_FIELDS = 24;

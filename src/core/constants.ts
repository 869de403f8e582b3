/**
 * The numbers the CPU and GPU paths must share. WGSL gets them injected (see `src/core/gpu/shader-source.ts`):
 * never copy one of these into a shader by hand.
 */

/** Largest k the engines accept on pixels (labels fit in a byte; centroids fit in workgroup memory). */
export const MAX_K = 256;

/** Centres are held in fixed point with this many fractional bits of an 8-bit channel unit. */
export const FIXED_SHIFT = 7;
/** 2^FIXED_SHIFT: one 8-bit channel unit in fixed point. */
export const FIXED_ONE = 1 << FIXED_SHIFT;
/** Largest fixed-point coordinate: 255 * FIXED_ONE. Squared distances stay below 3 * MAX_COORD^2 < 2^32. */
export const MAX_COORD = 255 * FIXED_ONE;

/** Threads per compute workgroup (1D). */
export const WORKGROUP_SIZE = 256;
/** Pixels one thread of the assignment kernel visits; WORKGROUP_SIZE * this is a workgroup's tile. */
export const PIXELS_PER_THREAD = 64;
/**
 * Colours one thread of the per-colour kernels (positions, assign, lut) visits, by kind of adapter: a GPU wants many
 * small workgroups to hide memory latency; a software adapter (a CPU emulating a GPU: SwiftShader, WARP) runs a
 * workgroup's invocations in turn and pays for every invocation (each runs at least one masked trip of every loop)
 * and barrier, so fewer, larger ones suit it. The kernels loop over the list's colours only, so a small list is not
 * slowed by a large tile's padding.
 */
export const COLORS_PER_THREAD = { gpu: 16, software: 4096 } as const;

/** Defaults, each the twin of a scikit-learn KMeans parameter. */
export const DEFAULTS = {
  k: 5,
  seed: 0,
  nInit: 10,
  maxIter: 300,
  tol: 1e-4,
  /** Pixels whose alpha is below this (0..255) are left out of the clustering. */
  alphaThreshold: 128,
} as const;

/**
 * Largest number of used points the exact engine seeds on directly. Above it, k-means++ runs on an evenly spaced
 * subsample of this many points (docs/ARITHMETIC.md, "Seeding"), so seeding costs the same at 50 MP as at 0.25 MP.
 * 2^16 keeps scikit-learn's seeding on the default 200 × 200 sample and on every scikit-learn fixture.
 */
export const SEED_SAMPLE_MAX = 65_536;

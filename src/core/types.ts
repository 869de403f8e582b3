/** Shared option and result types of the CPU and GPU engines. */

export type ColorSpace = 'rgb' | 'oklab';
export type Backend = 'auto' | 'gpu' | 'cpu';
/**
 * Which arithmetic a k-means run used:
 * - `'exact'`: integer fixed-point (see docs/ARITHMETIC.md). The GPU and the CPU compute the same bits.
 * - `'float64'`: scikit-learn 1.2's float64 algorithm, reproduced on the CPU (parity with the notebook).
 */
export type Arithmetic = 'exact' | 'float64';

/** N × d numbers: flat (row-major, `dimensions` per point) or one row per point (`[[r, g, b], ...]`). */
export type Points = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** Options of `kmeans()`, each named for people and documented with its scikit-learn twin. */
export interface KMeansOptions {
  /** Number of clusters (scikit-learn `n_clusters`). 1 ≤ k ≤ number of points. */
  k: number;
  /** Seed of the numpy-compatible generator (scikit-learn `random_state`), an integer 0..2^32-1. Default 0. */
  seed?: number;
  /** Number of k-means++ seedings to run, keeping the best (scikit-learn `n_init`). Default 10. */
  nInit?: number;
  /** Lloyd iterations per run at most (scikit-learn `max_iter`). Default 300. */
  maxIter?: number;
  /** Relative tolerance on the centre shift, scaled by the data's mean variance (scikit-learn `tol`). Default 1e-4. */
  tol?: number;
  /** Per-point weights, non-negative (scikit-learn `sample_weight`). */
  weights?: ArrayLike<number>;
  /** Values per point. Default 3. */
  dimensions?: number;
  /** Cancels the run; it rejects with AbortError. */
  signal?: AbortSignal;
  /**
   * Fixed centres: m ≤ k rows of `dimensions` values, in the units of the points. They are centres 0 .. m−1 of every
   * run and never move; k-means++ seeds the other k − m with them counted as already chosen. Default none.
   */
  fixed?: Points;
}

/** A locked colour: 8-bit sRGB as `[r, g, b]` or `'#rrggbb'` / `'#rgb'`. */
export type FixedColorInput = readonly [number, number, number] | string;

export interface KMeansResult {
  /** k rows of `dimensions` values, in the units of the points (scikit-learn `cluster_centers_`). */
  centers: number[][];
  /** Cluster of each point (scikit-learn `labels_`). */
  labels: Int32Array;
  /** Sum of squared distances of points to their centre, weighted (scikit-learn `inertia_`). */
  inertia: number;
  /** Lloyd iterations of the chosen run (scikit-learn `n_iter_`). */
  iterations: number;
  /** Whether the chosen run stopped on labels or tol before maxIter. */
  converged: boolean;
}

export interface KMeansPlusPlusResult {
  centers: number[][];
  indices: Int32Array;
}

/** 8-bit RGBA pixels, row-major: an `ImageData` fits. */
export interface PixelImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /**
   * The same pixels as float RGBA 0..1 (4 values per pixel) where they come from a float resample (`resizeImage`,
   * `toPixelImage`): the float64 arithmetic in RGB clusters these, as the notebook clusters `resize`'s output, instead
   * of `data / 255`. The exact arithmetic, OKLab and the alpha threshold use `data`.
   */
  float?: Float64Array;
}

export interface ProgressInfo {
  phase: 'upload' | 'init' | 'iterate' | 'recolor' | 'readback';
  /** 0..1 */
  fraction: number;
}

/** Options of the pixel engines (`GpuKMeans`, `cpuPixelKMeans`) and of `extractPalette`. */
export interface PixelKMeansOptions extends Omit<KMeansOptions, 'dimensions' | 'weights' | 'k' | 'fixed'> {
  /** Number of clusters, 1 ≤ k ≤ min(256, pixels used). Default 5. */
  k?: number;
  /**
   * Locked colours (8-bit sRGB; duplicates merged; at most k): clusters 0 .. m−1 of the result, fixed at these colours
   * in every run, while the other k − m are found around them. GPU and CPU still agree bit for bit. Default none.
   */
  fixed?: readonly FixedColorInput[];
  /** Space to cluster in. `'rgb'` (default, the notebook's) or `'oklab'` (perceptual; centres reported as sRGB too). */
  colorSpace?: ColorSpace;
  /** Pixels whose alpha is below this (0..255) are left out. Default 128; 0 keeps every pixel. */
  alphaThreshold?: number;
  onProgress?: (info: ProgressInfo) => void;
}

export interface PixelKMeansResult {
  /** k rows of 3, in the clustering space: rgb 0..1 (the notebook's units); oklab L, a, b. */
  centers: number[][];
  /** k × 3 centres in fixed point (docs/ARITHMETIC.md): the exact values GPU and CPU must share. */
  centersFixed: Uint32Array;
  /** Each centre as 8-bit sRGB. */
  rgb: [number, number, number][];
  /** Pixels in each cluster. */
  counts: number[];
  /** Cluster of each pixel, -1 for pixels left out by alpha. Length width × height. */
  labels: Int32Array;
  /** Inertia in the units of `centers` (rgb: (x/255)²). */
  inertia: number;
  /** Inertia in fixed-point units, exact. */
  inertiaFixed: bigint;
  iterations: number;
  converged: boolean;
  pixelsUsed: number;
  colorSpace: ColorSpace;
  arithmetic: Arithmetic;
  /** Clusters 0 .. fixedCount−1 are the locked colours of `fixed` (their `rgb` is the locked colour). */
  fixedCount?: number;
}

export interface PaletteColor {
  hex: string;
  rgb: [number, number, number];
  count: number;
  /** Share of the used pixels, 0..1. */
  fraction: number;
  /** A locked colour (`fixed`): shown even when no pixel is nearest to it. */
  locked?: boolean;
}

export interface ExtractPaletteOptions extends PixelKMeansOptions {
  backend?: Backend;
  /** A device the caller owns; the engine never destroys it. */
  device?: GPUDevice;
  /** CPU arithmetic: `'exact'` (default, agrees with the GPU) or `'float64'` (scikit-learn's). The GPU is always exact. */
  arithmetic?: Arithmetic;
}

export interface PaletteResult {
  /** Largest share first; clusters with no pixels are left out. */
  colors: PaletteColor[];
  centers: number[][];
  labels: Int32Array;
  inertia: number;
  iterations: number;
  converged: boolean;
  backend: 'gpu' | 'cpu';
  /** The GPU adapter's description, or a CPU description. */
  adapter: string;
  pixelsUsed: number;
  colorSpace: ColorSpace;
  arithmetic: Arithmetic;
  /**
   * Why the result comes from another device or backend than the one asked for, for people (`backend: 'auto'`
   * only): WebGPU or an adapter missing, or the GPU device lost mid-run. Absent when the run went as asked.
   */
  notice?: string;
}

/**
 * `palette-extractor/core`: the DOM-free engine. Runs in a page, a Worker, or Node (with the `webgpu` package).
 */
// The published .d.ts files name GPUDevice & co.: this brings WebGPU's types (a dependency) to any consumer.
/// <reference types="@webgpu/types" preserve="true" />
export * from './errors.js';
export * from './types.js';
export { DEFAULTS, MAX_K, FIXED_SHIFT, FIXED_ONE } from './constants.js';
export { extractPalette, paletteColors } from './palette.js';
export { extractPaletteInWorker, type WorkerPaletteOptions } from './worker-api.js';
export {
  cpuPixelKMeans,
  exactLloyd,
  exactRunPlan,
  finishExactResult,
  prepareExactRun,
  type ExactFinalState,
  type ExactRunOutcome,
  type ExactRunPlan,
  type PreparedExactRun,
} from './exact/index.js';
export {
  hexToRgb,
  unitRgbToHex,
  linearSrgbToOklab,
  linearToSrgb,
  oklabToLinearSrgb,
  oklabToSrgb8,
  rgbToHex,
  srgb8ToOklab,
  srgbToLinear,
} from './color.js';
export { fixedToOklab, srgb8ToOklabFixed } from './oklab-int.js';
export {
  COLOR_VALUE_FORMATS,
  formatColor,
  hslString,
  oklchString,
  rgbString,
  rgbToHsl,
  rgbToOklch,
  type ColorValueFormat,
} from './color-format.js';
export { colorName, paletteNames, GREY_CHROMA } from './color-names.js';
export {
  bestTextColor,
  contrastRatio,
  formatRatio,
  paletteTextColors,
  relativeLuminance,
  wcagLevel,
  type TextColor,
  type WcagLevel,
} from './contrast.js';
export { sortPalette, PALETTE_SORTS, type PaletteSort } from './palette-sort.js';
export {
  DEFAULT_IGNORE_TOLERANCE,
  IGNORE_PRESETS,
  formatIgnore,
  ignoreBitmap,
  ignoreMask,
  ignoreMatcher,
  parseIgnore,
  type IgnoreEntry,
  type IgnoreMatcherOptions,
  type IgnorePreset,
} from './ignore.js';
export { kmeans, kmeansAsync, kmeansPlusPlus } from './sklearn/kmeans.js';
export { RandomState } from './random.js';
export {
  gaussianKernel,
  resizeImage,
  resizeImageAsync,
  toPixelImage,
  type ByteImage,
  type FloatImage,
  type ResizeAsyncOptions,
  type ResizeOptions,
} from './resample.js';
export { GpuKMeans, type GpuKMeansTuning, type GpuRunOptions, type GpuRunPhases } from './gpu/gpu-kmeans.js';
export { GpuRecolor } from './gpu/recolor.js';
export type { GpuImageTuning, PaletteCentres } from './gpu/image-engine.js';
export {
  acquireDevice,
  describeAdapter,
  imageBufferBytes,
  watchDevice,
  type AcquireDeviceOptions,
  type AcquiredDevice,
  type AdapterDescription,
} from './gpu/device.js';

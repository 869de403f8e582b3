/**
 * `palette-extractor/core`: the DOM-free engine. Runs in a page, a Worker, or Node (with the `webgpu` package).
 */
export * from './errors.js';
export * from './types.js';
export { DEFAULTS, MAX_K, FIXED_SHIFT, FIXED_ONE } from './constants.js';
export { extractPalette, paletteColors } from './palette.js';
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
export { fixedToOklab, srgb8ToOklab8 } from './oklab-int.js';
export { kmeans, kmeansPlusPlus } from './sklearn/kmeans.js';
export { RandomState } from './random.js';
export { GpuKMeans, type GpuKMeansTuning, type GpuRunOptions, type GpuRunPhases } from './gpu/gpu-kmeans.js';
export { readRecolored, type RecoloredPart } from './gpu/recolor-readback.js';
export {
  acquireDevice,
  describeAdapter,
  imageBufferBytes,
  watchDevice,
  type AcquireDeviceOptions,
  type AcquiredDevice,
  type AdapterDescription,
} from './gpu/device.js';

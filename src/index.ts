/**
 * `palette-extractor`: importing this module registers `<palette-extractor>`.
 * The DOM-free engine is `palette-extractor/core`.
 */
// The published .d.ts files name GPUDevice & co.: this brings WebGPU's types (a dependency) to any consumer.
/// <reference types="@webgpu/types" preserve="true" />
export { PaletteExtractor } from './palette-extractor.js';
export { PaletteChangeEvent } from './events/palette-change.js';
export { PaletteErrorEvent } from './events/palette-error.js';
export { PaletteCompareEvent } from './events/palette-compare.js';
export { PaletteProgressEvent } from './events/palette-progress.js';
export type { PaletteDetail, PaletteCompareDetail, PaletteErrorDetail, PaletteTimings } from './events/details.js';
export type { ImageInput } from './image/load.js';
export type { PaletteColor, Backend, ColorSpace, Arithmetic } from './core/types.js';
export type { PaletteErrorCode } from './core/errors.js';

/**
 * `palette-extractor/core`: the DOM-free engine. Runs in a page, a Worker, or Node (with the `webgpu` package).
 */
export * from './errors.js';
export * from './types.js';
export { DEFAULTS, MAX_K, FIXED_SHIFT, FIXED_ONE } from './constants.js';

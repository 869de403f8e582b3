/** The WebAssembly kernels, one module: `npm run build:wasm` compiles it into src/core/wasm/module.ts. */
export { filterRowPair, filterColumns, zoom, byteRange, within, clipAndRound } from './resample';
export { lowerBoxes, drawSorted, pairwiseSumGather, applyLowered } from './seeding';
export { lloydAssign, lloydInertia } from './lloyd';

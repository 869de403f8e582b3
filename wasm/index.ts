/** The WebAssembly kernels, one module: `npm run build:wasm` compiles it into src/core/wasm/module.ts. */
export { filterRowPair, filterColumns, zoom, byteRange, within, clipAndRound } from './resample';
export { lowerBoxes, drawSorted, pairwiseSumGather, applyLowered, distancesToRow } from './seeding';
export { lloydAssign, lloydInertia } from './lloyd';

// `npm run build` runs the analyzer, which reads this file: the element's JSDoc → custom-elements.json.
export default {
  globs: ['src/palette-extractor.ts', 'src/events/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/core/**', 'src/demo/**'],
  outdir: '.',
  litelement: true,
  packagejson: true,
};

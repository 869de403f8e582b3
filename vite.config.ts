import { defineConfig } from 'vite';

// The demo page (`npm start`, and the built page the browser tests load). The library build is in scripts/build.mjs.
export default defineConfig({
  // Relative URLs, so the built demo works from any folder (the tests serve it at /dist-demo/).
  base: './',
  build: {
    outDir: 'dist-demo',
    target: 'es2022',
  },
  worker: { format: 'es' },
  server: { port: 5173 },
  preview: { port: 4173 },
});

import { defineConfig } from 'vitest/config';

/**
 * Four projects, all run by `npm test` (scripts/test.mjs):
 * - unit:    pure TypeScript in Node (CPU reference, exact arithmetic, colour maths).
 * - gpu:     the WGSL engine in Node on Dawn (the `webgpu` package), on SwiftShader where no GPU is present.
 * - browser: the built page and element in headless Chromium through Puppeteer.
 * - package: the built package as others get it: the `npm pack` tarball, a consumer project, the command line.
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: 'gpu',
          include: ['test/gpu/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 120_000,
          // One Dawn instance per worker is heavy: run GPU files one at a time.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          globalSetup: ['test/browser/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

import { defineConfig } from 'vite';

// Two pages: one with the element, one with the engine only (whose bundle must not contain lit).
export default defineConfig({
  logLevel: 'warn',
  build: {
    manifest: true,
    rollupOptions: { input: { element: 'element.html', core: 'core.html' } },
  },
});

import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const r = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

// shared/ has one name in every bundle (the same alias as tsconfig.base.json's paths).
const resolve = { alias: { '@shared': r('shared') } };

// Three bundles: main (plus the `toc` CLI, which shares the core), the sandboxed preload (CommonJS, fully
// bundled: a sandboxed preload gets only a polyfilled require), and the renderer.
export default defineConfig({
  main: {
    resolve,
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: r('electron/main/index.ts'), cli: r('electron/cli/toc.ts') },
      },
    },
  },
  preload: {
    resolve,
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: r('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: r('renderer'),
    resolve,
    plugins: [react()],
    build: {
      outDir: r('out/renderer'),
      emptyOutDir: true,
      // electron-vite leaves renderer output unminified by default; the initial-JS budget is measured gzip+minified.
      minify: true,
      rollupOptions: { input: { index: r('renderer/index.html') } },
    },
  },
});

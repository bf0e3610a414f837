import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Entry points follow electron-vite's convention: src/main/index.ts, src/preload/index.ts,
// src/renderer/index.html. Node dependencies stay external to the main and preload bundles.
export default defineConfig({
  // The media server runs in its own utility process: out/main/server-process.js beside main's index.js.
  main: { build: { rollupOptions: { input: { index: 'src/main/index.ts', 'server-process': 'src/server/host/utility-entry.ts' } } } },
  // A sandboxed preload must be CommonJS.
  preload: { build: { rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].js' } } } },
  renderer: {
    plugins: [react()],
  },
});

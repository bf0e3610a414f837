import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

// `npm run dev` only: vite's dev server injects an inline React refresh script and <style> tags and talks to its own
// origin, which the page's CSP forbids. The built app keeps the strict policy.
const devServerCsp = (): Plugin => ({
  name: 'airlock-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
});

// Entry points follow electron-vite's convention: src/main/index.ts, src/preload/index.ts,
// src/renderer/index.html. Node dependencies stay external to the main and preload bundles.
export default defineConfig({
  // The media server runs in its own utility process: out/main/server-process.js beside main's index.js.
  main: { build: { rollupOptions: { input: { index: 'src/main/index.ts', 'server-process': 'src/server/host/utility-entry.ts' } } } },
  // A sandboxed preload must be CommonJS.
  preload: { build: { rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].js' } } } },
  renderer: {
    plugins: [react(), devServerCsp()],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Renderer component tests are .tsx and pick their DOM with `// @vitest-environment happy-dom`.
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Interop and integration tests start real servers and ffmpeg: keep the 2-core machine calm.
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Interop and integration tests start real servers and ffmpeg: keep the 2-core machine calm.
    maxWorkers: 2,
  },
});

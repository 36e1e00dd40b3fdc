import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests boot real servers with real worker pools: keep files from fighting over 2 cores.
    fileParallelism: false,
    reporters: ['default'],
  },
});

import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  // The client's tests import its modules, which reach the contract through the same alias as Vite.
  resolve: { alias: { $contract: fileURLToPath(new URL('./server/contract', import.meta.url)) } },
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

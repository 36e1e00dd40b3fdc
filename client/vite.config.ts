import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = fileURLToPath(new URL('.', import.meta.url));
// The wire contract (types, zod schemas) shared with the server; also in tsconfig.json "paths".
const contractDir = fileURLToPath(new URL('../server/contract', import.meta.url));
const backend = process.env.SPARECAST_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  plugins: [svelte({ configFile: false })],
  resolve: { alias: { $contract: contractDir } },
  build: {
    outDir: fileURLToPath(new URL('../dist/client', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      // The browser's Host passes through, so the server's Origin and Host checks see the page's own origin.
      '/api': { target: backend, changeOrigin: false },
      '/socket.io': { target: backend, ws: true, changeOrigin: false },
    },
  },
});

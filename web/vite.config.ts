/**
 * Build of the web UI: `vite build --config web/vite.config.ts` writes web/dist, which the
 * server serves at `/`. `vite --config web/vite.config.ts` runs a dev server that proxies the
 * API to a leaderboard server on :7860 (or API_PROXY_TARGET).
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = process.env.API_PROXY_TARGET ?? 'http://127.0.0.1:7860';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // The server's CSP allows only 'self' scripts: never inline a module preload polyfill.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/docs', '/openapi.json', '/health', '/ready'].map((p) => [p, { target: apiTarget, changeOrigin: true }])),
  },
});

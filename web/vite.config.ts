// Vite build of the SPA into web/dist (served by the server at `/`), the dev proxy to a
// local server, and the vitest setup for component tests.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const apiTarget = process.env.SIEM_DEV_API ?? 'http://127.0.0.1:8431';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The CSP allows only 'self' scripts: no inline module preload polyfill.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
  },
  server: {
    port: 5173,
    // The server answers /api/v1 itself, so nothing is rewritten; SSE needs no buffering.
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    setupFiles: ['tests/unit/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    reporters: ['default', './tests/unit/summary-reporter.ts'],
  },
});

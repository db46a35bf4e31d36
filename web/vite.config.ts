import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';

const webRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);
const repoRoot = decodeURIComponent(new URL('..', import.meta.url).pathname);

/**
 * One app, one origin: the API server serves `web/dist` at `/`. In development `vite` proxies the
 * API (and the live websocket) to a running platform, so cookies stay same-origin there too.
 */
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, repoRoot, '');
  return {
    root: webRoot,
    plugins: [react()],
    build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
    server: {
      // The auditor's replay imports the order view's pure fold from the platform's own source.
      fs: { allow: [repoRoot] },
      proxy: { '/api': { target: env.API_URL ?? 'http://127.0.0.1:3000', ws: true } },
    },
  };
});

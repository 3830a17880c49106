// The production build both browser apps share: `vite build --config <app>/vite.config.mjs` writes
// <app>/dist/, which the API serves at /<app>/ (api/console-static.ts). Everything is bundled: no
// CDN, nothing fetched at run time but the API.
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The Vite config of the app whose folder holds `configUrl` (its vite.config.mjs's import.meta.url), served under `/<base>/`. */
export function browserAppConfig(configUrl, base) {
  const root = path.dirname(new URL(configUrl).pathname);
  return defineConfig({
    root,
    base: `/${base}/`,
    plugins: [react()],
    logLevel: 'warn',
    build: {
      outDir: path.join(root, 'dist'),
      emptyOutDir: true,
      // The CSP allows scripts from 'self' only: no inline module-preload polyfill.
      modulePreload: { polyfill: false },
      sourcemap: false,
      chunkSizeWarningLimit: 800,
    },
  });
}

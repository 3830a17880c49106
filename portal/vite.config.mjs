// Production build of the citizens' portal: `vite build --config portal/vite.config.mjs` writes
// portal/dist/, which the API serves at /portal/ (api/console-static.ts), every page's path loading
// index.html. Everything is bundled: no CDN, nothing fetched at run time but the API.
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  root,
  base: '/portal/',
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

// The wallet app's build: React from app/, static files from public/, out to dist/app with
// relative paths (served from any folder, from app:// in Electron, or from a file server).
import { defineConfig } from 'vite';
import { offlineShell } from './app/offline/offlineShell.ts';

export default defineConfig({
  root: 'app',
  base: './',
  publicDir: '../public',
  plugins: [offlineShell()],
  build: {
    outDir: '../dist/app',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
  oxc: { jsx: { runtime: 'automatic' } },
});

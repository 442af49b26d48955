// Bundles the main process for Electron (esbuild, CommonJS, electron left external) into
// dist/electron; the renderer is the Vite build in dist/app.
import { build } from 'esbuild';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// The preload runs sandboxed: one CommonJS file that requires nothing but electron.
await build({
  entryPoints: [resolve(root, 'electron/preload.ts')],
  outfile: resolve(root, 'dist/electron/preload.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  logLevel: 'warning',
});
await build({
  entryPoints: [resolve(root, 'electron/main.ts')],
  outfile: resolve(root, 'dist/electron/main.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  // import.meta.dirname in CommonJS: the bundle's own folder.
  define: { 'import.meta.dirname': '__dirname' },
  logLevel: 'warning',
});

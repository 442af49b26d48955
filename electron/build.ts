// Bundles the main process for Electron (esbuild, CommonJS, electron left external) into
// dist/electron; the renderer is the Vite build in dist/app.
import { build } from 'esbuild';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
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

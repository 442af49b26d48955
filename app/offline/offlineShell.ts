// A Vite plugin that writes sw.js at build time: the service worker source bundled by esbuild,
// with the build's file list and a version (a hash of that list) filled in. A hand-made worker
// instead of Workbox: the shell is one cache and three handlers, not worth Workbox's ~300
// build-time packages.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'vite';

export function offlineShell(): Plugin {
  let publicDir = '';
  return {
    name: 'freehold-offline-shell',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    async generateBundle(_options, bundle) {
      // What Vite bundles, and what it copies from public/ as it is (icons, the manifest).
      const copied = publicDir && existsSync(publicDir) ? readdirSync(publicDir) : [];
      const files = [...Object.keys(bundle), ...copied]
        .filter((f) => !f.endsWith('.map') && f !== 'sw.js')
        .sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      const out = await build({
        entryPoints: [resolve(import.meta.dirname, 'serviceWorker.ts')],
        bundle: true,
        format: 'iife',
        target: 'es2022',
        minify: true,
        write: false,
        define: { SHELL_FILES: JSON.stringify(files), SHELL_VERSION: JSON.stringify(version) },
        logLevel: 'silent',
      });
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: out.outputFiles[0]!.text });
    },
  };
}

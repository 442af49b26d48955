/**
 * @module staticFiles — serving the built wallet (dist/app) as files: which file a URL path
 * names, never one outside the folder, and its content type. Shared by `freehold start` and
 * the desktop app's app:// scheme.
 */
import { extname, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  // The QR reader's wasm: compiled while it streams in only when served with this type.
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return TYPES[extname(file)] ?? 'application/octet-stream';
}

/**
 * The file under `root` a (still percent-encoded) URL path names, or null when it cannot be
 * read or would leave the folder. Paths without an extension are the single-page app's
 * routes: index.html.
 */
export function resolveStaticFile(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  const file = resolve(base, relative === '' || !extname(relative) ? 'index.html' : relative);
  return file.startsWith(base + sep) ? file : null;
}

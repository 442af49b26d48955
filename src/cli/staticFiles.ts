/**
 * @module staticFiles — serving the built wallet (dist/app) as files: which file a URL path
 * names, never one outside the folder, its content type, and the security headers it goes
 * with. Shared by `freehold start` and the desktop app's app:// scheme, so they cannot drift.
 */
import { extname, normalize, resolve, sep } from 'node:path';

/**
 * No remote content, no inline script, no eval; WebAssembly may compile ('wasm-unsafe-eval'
 * allows no JavaScript eval: the QR reader is ZXing-C++ as wasm). Styles allow inline attributes (React sets a
 * progress bar's width). In Electron, LAN TCP goes through the preload's bridge, which the CSP
 * does not see; connect-src still allows WebSockets, which reach household nodes and relays
 * (WebRTC, also outside the CSP, goes direct). Fetches stay on the wallet's own origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws: wss:",
  "manifest-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/**
 * Sent with every file of the wallet. Framing is refused twice (frame-ancestors, and
 * X-Frame-Options for browsers without CSP 2), so no other page can overlay a wallet it shows
 * and click through it; no referrer leaks the wallet's routes.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

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

// The app:// scheme the desktop app is served from: which file a URL names (never one outside
// the app folder), with what headers, and which senders count as our own page. Pure Node, so it
// is tested without the Electron binary.
import { contentTypeOf, resolveStaticFile } from '../src/cli/staticFiles';

export const APP_SCHEME = 'app';
export const APP_HOST = 'freehold';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * No remote content, no inline script, no eval. WebAssembly may compile ('wasm-unsafe-eval',
 * which allows no JavaScript eval): the QR reader is ZXing-C++ as wasm. Styles allow inline
 * attributes (React sets a progress bar's width). LAN TCP goes through the preload's bridge, which the CSP does not see;
 * connect-src still allows WebSockets, which reach household nodes and relays beyond the LAN
 * (WebRTC, also outside the CSP, goes direct). Fetches stay on app://.
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

/** True for a URL of our own page: app://freehold/… and nothing else. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The file under `root` an app:// URL names, or null when it is not ours or would leave the
 * folder. Paths without an extension are the single-page app's routes: index.html.
 */
export function resolveAppPath(root: string, url: string): string | null {
  return isAppUrl(url) ? resolveStaticFile(root, new URL(url).pathname) : null;
}

export function headersFor(file: string): Record<string, string> {
  return {
    'content-type': contentTypeOf(file),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
  };
}

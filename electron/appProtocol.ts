// The app:// scheme the desktop app is served from: which file a URL names (never one outside
// the app folder), with what headers, and which senders count as our own page. Pure Node, so it
// is tested without the Electron binary.
import {
  CONTENT_SECURITY_POLICY,
  contentTypeOf,
  resolveStaticFile,
  SECURITY_HEADERS,
} from '../src/cli/staticFiles';

export const APP_SCHEME = 'app';
export const APP_HOST = 'freehold';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export { CONTENT_SECURITY_POLICY };

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
  return { 'content-type': contentTypeOf(file), ...SECURITY_HEADERS };
}

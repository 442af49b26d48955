// The desktop app's app:// scheme under Node (no Electron binary here): which file a URL names,
// that nothing outside the app folder is ever served, and the strict CSP on every answer.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  headersFor,
  isAppUrl,
  resolveAppPath,
} from '../../electron/appProtocol';

const root = resolve('/opt/freehold/app');

describe('app:// scheme (Node)', () => {
  it('serves the app folder and routes paths without an extension to index.html', () => {
    expect(resolveAppPath(root, 'app://freehold/')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://freehold/assets/index-1.js')).toBe(
      join(root, 'assets/index-1.js'),
    );
    expect(resolveAppPath(root, 'app://freehold/settings')).toBe(join(root, 'index.html'));
  });

  it('never names a file outside the app folder, nor answers another origin', () => {
    for (const url of [
      'app://freehold/../secret.txt',
      'app://freehold/%2e%2e/%2e%2e/etc/passwd',
      'app://freehold/assets/..%2f..%2fkey.json',
      'app://freehold/a%00.js',
      'app://evil/index.html',
      'https://freehold/index.html',
      'file:///etc/passwd',
      'not a url',
    ]) {
      const file = resolveAppPath(root, url);
      expect(file === null || file.startsWith(root + '/'), url).toBe(true);
      if (!url.startsWith('app://freehold/')) expect(file, url).toBeNull();
    }
    expect(resolveAppPath(root, 'app://freehold/%2e%2e/%2e%2e/etc/passwd')).not.toContain('etc');
  });

  it('recognises only its own origin as the app', () => {
    expect(isAppUrl('app://freehold/index.html')).toBe(true);
    expect(isAppUrl('app://freehold.evil/index.html')).toBe(false);
    expect(isAppUrl('http://127.0.0.1:4173/')).toBe(false);
  });

  it('answers with a strict CSP: no remote content, no inline script, no eval', () => {
    const headers = headersFor(join(root, 'index.html'));
    expect(headers['content-type']).toMatch(/^text\/html/);
    expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'|https?:|\*/);
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'self' ws: wss:");
    expect(headersFor('x.js')['content-type']).toMatch(/^text\/javascript/);
    expect(headersFor('x.wasm')['content-type']).toBe('application/wasm');
  });
});

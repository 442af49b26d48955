// `freehold start`'s HTTP server with real requests: the wallet is served with the same
// security headers as the desktop app's app:// scheme, so no other site can frame it and no
// injected script runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headersFor } from '../../electron/appProtocol';
import { createWalletServer } from '../../src/cli/createWalletServer';

describe('A13(e): freehold start serves the wallet with the app:// security headers', () => {
  const root = mkdtempSync(join(tmpdir(), 'freehold-app-'));
  let server: Server;
  let base: string;
  beforeAll(async () => {
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Freehold</title>');
    server = createWalletServer({ root, config: '{}' });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(root, { recursive: true, force: true });
  });

  it('A13(e): the page and its routes carry CSP, frame-ancestors none, DENY, nosniff, referrer policy', async () => {
    const app = headersFor(join(root, 'index.html'));
    for (const path of ['/', '/settings', '/index.html']) {
      const response = await fetch(base + path);
      expect(response.status, path).toBe(200);
      const csp = response.headers.get('content-security-policy');
      expect(csp, path).toBe(app['content-security-policy']);
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(app['x-frame-options']).toBe('DENY');
      expect(app['referrer-policy']).toBe('no-referrer');
    }
  });
});

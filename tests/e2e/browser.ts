// The browser side of the end-to-end tests: the system Chromium driven by Playwright, and a
// page served from loopback that runs the node (tests/e2e/page/nodePage.ts, bundled for the
// browser by esbuild). Playwright's own browser download is not reachable on these machines,
// so the executable comes from FREEHOLD_CHROMIUM, or /usr/bin/chromium (Debian's package).
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.FREEHOLD_CHROMIUM ?? '/usr/bin/chromium';

export const canRunChromium = (): { ok: true } | { ok: false; why: string } =>
  existsSync(CHROMIUM)
    ? { ok: true }
    : {
        ok: false,
        why: `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set FREEHOLD_CHROMIUM)`,
      };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Offer real host addresses as ICE candidates, not mDNS names: a LAN-only node has no
      // STUN server, and a container may not answer multicast name lookups.
      '--disable-features=WebRtcHideLocalIpsWithMdns',
    ],
  });
}

export interface ServedPage {
  url: string;
  close(): Promise<void>;
}

/** Bundles the node page and serves it on loopback (a secure context, as Web Crypto needs). */
export function serveNodePage(): Promise<ServedPage> {
  return servePage({ entry: resolve(import.meta.dirname, 'page/nodePage.ts') });
}

/**
 * Bundles a page script for the browser (a file, or source that imports the project's modules
 * by paths from the repository's root) and serves it on loopback as the page's one module.
 */
export async function servePage(
  script: { entry: string } | { contents: string },
): Promise<ServedPage> {
  const bundle = await build({
    ...('entry' in script
      ? { entryPoints: [script.entry] }
      : {
          stdin: {
            contents: script.contents,
            resolveDir: resolve(import.meta.dirname, '../..'),
            loader: 'ts' as const,
          },
        }),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]!.contents;
  const html =
    '<!doctype html><meta charset="utf-8"><title>Freehold test page</title>' +
    '<script type="module" src="/page.js"></script>';
  const server = createServer((request, response) => {
    if (request.url === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    } else if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

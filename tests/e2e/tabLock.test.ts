// A6 in real Chromium: one running wallet per browser profile. Two tabs of one profile share
// the IndexedDB and so the validator key; the Web Lock lets the first run and tells the second
// where the wallet is open, and lets it run once the first has closed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { canRunChromium, launchChromium } from './browser';

const can = canRunChromium();
if (!can.ok) console.log(`Chromium tab-lock test skipped: ${can.why}.`);

/** Runs in the page: claims the wallet's lock as openBrowserWallet does. */
const PAGE = `
import { claimTabLock } from './src/node/claimTabLock';
window.claim = async () => {
  try {
    window.release = await claimTabLock(navigator.locks, 'freehold-node:freehold');
    return 'running';
  } catch (error) {
    return error.name + ': ' + error.message;
  }
};
`;

describe.skipIf(!can.ok)('A6: one wallet per browser profile (real Chromium, Web Locks)', () => {
  let browser: Browser | undefined;
  let server: Server | undefined;
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('A6: a second tab of the profile does not run the node, and may once the first is closed', async () => {
    const bundle = await build({
      stdin: { contents: PAGE, resolveDir: resolve(import.meta.dirname, '../..'), loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0]!.contents;
    server = createServer((request, response) => {
      if (request.url === '/page.js')
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else
        response
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><script type="module" src="/page.js"></script>');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    browser = await launchChromium();
    const profile = await browser.newContext();
    const open = async (): Promise<Page> => {
      const page = await profile.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => 'claim' in window);
      return page;
    };
    const claim = (page: Page) =>
      page.evaluate(() => (window as unknown as { claim(): Promise<string> }).claim());
    const first = await open();
    const second = await open();
    expect(await claim(first)).toBe('running');
    expect(await claim(second)).toMatch(/^WalletOpenElsewhereError: .*another tab or window/);
    await first.close();
    await expect.poll(() => claim(second)).toBe('running');
    // Another profile is another wallet: it has a lock of its own.
    const other = await (await browser.newContext()).newPage();
    await other.goto(`http://127.0.0.1:${port}/`);
    await other.waitForFunction(() => 'claim' in window);
    expect(await claim(other)).toBe('running');
  });
});

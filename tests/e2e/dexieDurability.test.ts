// A7 in real Chromium: the wallet database's write transactions are `strict`, as the browser
// itself reports (IDBTransaction.durability), not only as Dexie was asked. Chromium's default is
// `relaxed`: a commit reported before it is flushed, lost on a power cut.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { canRunChromium, launchChromium } from './browser';

const can = canRunChromium();
if (!can.ok) console.log(`Chromium durability test skipped: ${can.why}.`);

/** Runs in the page: records each transaction Chromium makes, then writes through the app's db. */
const PAGE = `
import { openFreeholdDb } from './src/store/FreeholdDb';
const seen = [];
const transaction = IDBDatabase.prototype.transaction;
IDBDatabase.prototype.transaction = function (...args) {
  const tx = transaction.apply(this, args);
  seen.push({ mode: tx.mode, durability: tx.durability });
  return tx;
};
window.writeAndReport = async () => {
  const db = openFreeholdDb('freehold-durability');
  await db.consensus.put({ chainId: 'aa', bytes: new Uint8Array([1]) });
  await db.outbox.put({ txId: 'bb', chainId: 'aa', bytes: new Uint8Array([2]), status: 'queued',
    attempts: 0, nextAttemptAt: 0, createdAt: 0, reason: '' });
  await db.walletRecords.put({ key: 'settings/x', value: 1 });
  db.close();
  return seen;
};
`;

describe.skipIf(!can.ok)('A7: durability in real Chromium', () => {
  let browser: Browser | undefined;
  let server: Server | undefined;
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('A7: Chromium reports strict durability for the wallet database writes', async () => {
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
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => 'writeAndReport' in window);
    const seen = await page.evaluate(() =>
      (
        window as unknown as { writeAndReport(): Promise<{ mode: string; durability: string }[]> }
      ).writeAndReport(),
    );
    const writes = seen.filter((s) => s.mode === 'readwrite');
    expect(writes.length).toBeGreaterThanOrEqual(3);
    for (const w of writes) expect(w.durability).toBe('strict');
  });
});

// A7 in real Chromium: the wallet database's write transactions are `strict`, as the browser
// itself reports (IDBTransaction.durability), not only as Dexie was asked. Chromium's default is
// `relaxed`: a commit reported before it is flushed, lost on a power cut.
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { canRunChromium, launchChromium, servePage, type ServedPage } from './browser';

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
  let served: ServedPage | undefined;
  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it('A7: Chromium reports strict durability for the wallet database writes', async () => {
    served = await servePage({ contents: PAGE });
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(served.url);
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

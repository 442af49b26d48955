// A6 in real Chromium: one running wallet per browser profile. Two tabs of one profile share
// the IndexedDB and so the validator key; the Web Lock lets the first run and tells the second
// where the wallet is open, and lets it run once the first has closed.
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { canRunChromium, launchChromium, servePage, type ServedPage } from './browser';

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
  let page: ServedPage | undefined;
  afterAll(async () => {
    await browser?.close();
    await page?.close();
  });

  it('A6: a second tab of the profile does not run the node, and may once the first is closed', async () => {
    page = await servePage({ contents: PAGE });
    browser = await launchChromium();
    const profile = await browser.newContext();
    const open = async (): Promise<Page> => {
      const tab = await profile.newPage();
      await tab.goto(page!.url);
      await tab.waitForFunction(() => 'claim' in window);
      return tab;
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
    await other.goto(page.url);
    await other.waitForFunction(() => 'claim' in window);
    expect(await claim(other)).toBe('running');
  });
});

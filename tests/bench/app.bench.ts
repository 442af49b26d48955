// The wallet app in the system Chromium, as built by `npm run build` and served by `freehold
// start`: cold start to interactive (a fresh profile: no cache, no service worker), the
// JavaScript the first screen loads (gzip), and the renderer's JS heap with 3 chains joined.
import { gzipSync } from 'node:zlib';
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { canRunChromium, launchChromium } from '../e2e/browser';
import { buildApp, startWalletServer } from '../e2e/walletServer';
import { median, report, round } from './report';

const COLD_STARTS = 7;
const PASSWORD = 'bench password 1';

async function coldStart(browser: Browser, url: string): Promise<{ ms: number; jsGzip: number }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts: Promise<number>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script')
      scripts.push(response.body().then((b) => gzipSync(b).byteLength));
  });
  await page.goto(url);
  await page.getByRole('button', { name: 'Create a new identity' }).waitFor();
  const ms = await page.evaluate(
    () => performance.getEntriesByName('freehold:interactive')[0]?.startTime ?? NaN,
  );
  const jsGzip = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
  await context.close();
  return { ms, jsGzip };
}

async function foundChain(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Screens' })
    .getByRole('button', { name: 'Chains' })
    .click();
  await page.getByRole('button', { name: 'Found a chain' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Found chain' }).click();
  await page.getByText('Chain founded').waitFor();
}

async function heapWithThreeChains(browser: Browser, url: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(url);
  await page.getByRole('button', { name: 'Restore from a recovery phrase' }).click();
  await page
    .getByLabel('Recovery phrase', { exact: true })
    .fill(
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
    );
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Password again', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Restore identity' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
  for (const name of ['Household', 'Cooperative', 'Registry']) await foundChain(page, name);
  await page.waitForTimeout(20_000); // each chain makes a block a second meanwhile
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
  const chains = await page.getByRole('combobox', { name: 'Chain' }).locator('option').count();
  await context.close();
  return { usedMb: heap.usedSize / 2 ** 20, totalMb: heap.totalSize / 2 ** 20, chains };
}

export async function appBenches(): Promise<void> {
  const chromium = canRunChromium();
  if (!chromium.ok) {
    report({ bench: 'app.skipped', value: 0, unit: 'n/a', why: chromium.why });
    return;
  }
  const app = await buildApp();
  const server = await startWalletServer(app, false);
  const browser = await launchChromium();
  try {
    const starts: { ms: number; jsGzip: number }[] = [];
    await coldStart(browser, server.url); // warms the server's disk cache, not the browser's
    for (let i = 0; i < COLD_STARTS; i++) starts.push(await coldStart(browser, server.url));
    report({
      bench: 'app.coldStart',
      value: round(median(starts.map((s) => s.ms))),
      unit: 'ms',
      runs: COLD_STARTS,
      range: [
        round(Math.min(...starts.map((s) => s.ms))),
        round(Math.max(...starts.map((s) => s.ms))),
      ],
      measure: 'navigation start to the first screen rendered with the vault read (fresh profile)',
      target: '< 1500',
    });
    report({
      bench: 'app.firstScreenJs',
      value: round(starts[0]!.jsGzip / 1024),
      unit: 'KB gzip',
      measure: 'every script the first screen loads, gzip -6',
      target: '<= 600',
    });
    const heap = await heapWithThreeChains(browser, server.url);
    report({
      bench: 'app.heap3Chains',
      value: round(heap.usedMb),
      unit: 'MB',
      chains: heap.chains,
      heapTotalMb: round(heap.totalMb),
      measure: 'JS heap in use after GC, 3 chains founded and running 20 s',
      target: '<= 150',
    });
  } finally {
    await browser.close();
    await server.stop();
    rmSync(app, { recursive: true, force: true });
  }
}

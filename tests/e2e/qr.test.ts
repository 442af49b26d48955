// The QR scanner end to end: every kind of code the wallet shows (an invite of a 1-validator
// chain, of the 4-validator demo chain, with 3 peers, and a did:key receive code) saved as a
// pixel-exact screenshot and read back through the scanner's "from a picture" path, offline
// from the service worker's cache, and under the desktop app's Content-Security-Policy.
import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/appProtocol';
import { decodeInvite } from '../../src/node/invite';
import { canRunChromium, launchChromium } from './browser';
import { buildApp, startWalletServer, type WalletServer } from './walletServer';

const chromium = canRunChromium();
if (!chromium.ok) console.warn(`Skipping the QR scanner tests: ${chromium.why}.`);

const PASSWORD = 'kitchen table 42';
const NOT_FOUND = 'No QR code was found in that picture.';

let browser: Browser;
let server: WalletServer;
let app: string;
let pictures: string;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function newPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 860 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

const nav = (page: Page, screen: string) =>
  page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: screen }).click();

/** A fresh identity from a new phrase: restoring skips the write-down check, not needed here. */
async function restoreIdentity(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Restore from a recovery phrase' }).click();
  await page.getByLabel('Recovery phrase', { exact: true }).fill(generateMnemonic(wordlist, 256));
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Password again', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Restore identity' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
}

/** Opens a chain's invite and returns its text once it names `peers` peers. */
async function inviteOf(page: Page, chain: string, peers: number): Promise<string> {
  await nav(page, 'Chains');
  const card = page.getByRole('region', { name: chain });
  let text = '';
  await expect
    .poll(
      async () => {
        // The invite is made when opened: reopen it until the node knows enough addresses.
        if (text) await card.getByRole('button', { name: 'Hide invite' }).click();
        await card.getByRole('button', { name: 'Invite someone' }).click();
        text = await card.getByLabel('Invite', { exact: true }).inputValue();
        return decodeInvite(text).peers.length;
      },
      { timeout: 60_000, interval: 1000 },
    )
    .toBe(peers);
  return text;
}

/** A screenshot of a QR code exactly as the app draws it: its own size, one pixel per pixel. */
async function shoot(page: Page, label: string | RegExp, name: string): Promise<string> {
  const path = join(pictures, `${name}.png`);
  await page.getByRole('img', { name: label }).screenshot({ path });
  return path;
}

/** What the scanner reads from a picture: the text it puts in the invite field, or its error. */
async function scan(page: Page, picture: string): Promise<string> {
  await nav(page, 'Wallet'); // leaving the screen resets the join form
  await nav(page, 'Chains');
  await page.getByRole('button', { name: 'Join by invite' }).click();
  await page.getByRole('button', { name: 'Scan a QR code' }).click();
  await page.getByLabel('Choose a picture of the code', { exact: true }).setInputFiles(picture);
  const field = page.getByLabel('Invite', { exact: true });
  const error = page.locator('.scanner').getByRole('alert');
  let read = '';
  await expect
    .poll(
      async () => {
        read = (await field.inputValue()) || ((await error.count()) ? await error.innerText() : '');
        return read !== '';
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return read;
}

describe.skipIf(!chromium.ok)('QR scanner (system Chromium)', () => {
  const codes: { kind: string; text: string; picture: string }[] = [];

  beforeAll(async () => {
    pictures = mkdtempSync(join(tmpdir(), 'freehold-qr-'));
    app = await buildApp();
    server = await startWalletServer(app, true);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
    if (app) rmSync(app, { recursive: true, force: true });
    if (pictures) rmSync(pictures, { recursive: true, force: true });
  }, 60_000);

  it('shows an invite of each kind and a receive code', async () => {
    const alice = await newPage();
    await alice.goto(server.url);
    await restoreIdentity(alice);
    await nav(alice, 'Chains');
    await alice.getByRole('button', { name: 'Found a chain' }).click();
    await alice.getByLabel('Name', { exact: true }).fill('Kitchen table');
    await alice.getByRole('button', { name: 'Found chain' }).click();
    await alice.getByText('Chain founded').waitFor();
    // The household node and this browser's own addresses: the 3 peers an invite names at most.
    const own = await inviteOf(alice, 'Kitchen table', 3);
    codes.push({
      kind: '1-validator chain, 3 peers',
      text: own,
      picture: await shoot(alice, 'Invite to Kitchen table as a QR code', 'own-chain'),
    });

    await alice.getByRole('button', { name: 'Join by invite' }).click();
    const join = alice.getByRole('region', { name: 'Join a chain' });
    await join.getByLabel('Invite', { exact: true }).fill(server.invite);
    await join.getByRole('button', { name: 'Join chain' }).click();
    await alice.getByText('Joined.').waitFor();
    const demo = await inviteOf(alice, 'Demo village', 3);
    expect(decodeInvite(demo).genesis.validators.length).toBe(4);
    codes.push({
      kind: '4-validator chain, 3 peers',
      text: demo,
      picture: await shoot(alice, 'Invite to Demo village as a QR code', 'demo-chain'),
    });

    await nav(alice, 'Wallet');
    await alice
      .getByRole('group', { name: 'Send or receive' })
      .getByRole('button', { name: 'Receive' })
      .click();
    const did = (await alice.locator('.receive code.did').textContent())!.trim();
    expect(did.startsWith('did:key:')).toBe(true);
    codes.push({
      kind: 'did:key',
      text: did,
      picture: await shoot(alice, /^QR code of the address of /, 'did'),
    });
    for (const c of codes) console.log(`${c.kind}: ${c.text.length} characters`);
    expect(codes.map((c) => c.text.length).some((n) => n > 1200)).toBe(true);
  }, 240_000);

  it('B5: reads each of them from a picture, offline, without fetching from anywhere else', async () => {
    const bob = await newPage();
    const requests: string[] = [];
    bob.on('request', (r) => requests.push(r.url()));
    await bob.goto(server.url);
    await expect
      .poll(() =>
        bob.evaluate(() => (navigator.serviceWorker.controller ? 'controlled' : 'not yet')),
      )
      .toBe('controlled');
    await bob.context().setOffline(true);
    await restoreIdentity(bob);
    // The scanner (its code and its wasm) is loaded only when opened, not with the first screen.
    expect(requests.filter((u) => /\.wasm$|QrScanner/.test(u))).toEqual([]);
    expect(codes).toHaveLength(3);
    for (const c of codes) expect(await scan(bob, c.picture), c.kind).toBe(c.text);
    expect(requests.some((u) => u.endsWith('.wasm'))).toBe(true);
    expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
  }, 180_000);

  it("B5: reads them under the desktop app's Content-Security-Policy", async () => {
    // No service worker here, so every response passes through the route that adds the header.
    const carol = await newPage({ serviceWorkers: 'block' });
    await carol.route(server.url, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers(), 'content-security-policy': CONTENT_SECURITY_POLICY };
      await route.fulfill({ response, headers });
    });
    const violations: string[] = [];
    carol.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
    });
    await carol.goto(server.url);
    await restoreIdentity(carol);
    expect(codes).toHaveLength(3);
    for (const c of codes) expect(await scan(carol, c.picture), c.kind).toBe(c.text);
    expect(violations).toEqual([]);
  }, 180_000);

  it('B5: a picture without a code says so', async () => {
    const dave = await newPage();
    await dave.goto(server.url);
    await restoreIdentity(dave);
    const blank = join(pictures, 'blank.png');
    await dave.getByRole('navigation', { name: 'Screens' }).screenshot({ path: blank });
    expect(readFileSync(blank).length).toBeGreaterThan(0);
    expect(await scan(dave, blank)).toBe(NOT_FOUND);
  }, 120_000);

  it('left no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

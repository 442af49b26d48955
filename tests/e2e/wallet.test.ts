// The wallet app end to end, as a person uses it: the built app served by `freehold start
// --demo`, driven by Playwright in the system Chromium, with real IndexedDB, real WebCrypto,
// real libp2p (WebSockets to the household node and the demo validators, WebRTC between
// browsers). Every screen is scanned for accessibility and saved as a screenshot under
// test-results/screens/.
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canRunChromium, launchChromium } from './browser';
import { buildApp, startWalletServer, type WalletServer } from './walletServer';

const chromium = canRunChromium();
if (!chromium.ok) console.warn(`Skipping the wallet app tests: ${chromium.why}.`);

const PASSWORD = 'kitchen table 42';
const SCREENS_DIR = resolve(import.meta.dirname, '../../test-results/screens');
const UI_MS = 30_000;

let browser: Browser;
let server: WalletServer;
let app: string;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
/** Warnings and errors the pages logged: printed when a test fails. */
const consoleLines: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 860 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(UI_MS);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error')
      consoleLines.push(`${m.type()}: ${m.text()}`);
  });
  await page.goto(server.url);
  return page;
}

const nav = (page: Page, screen: string) =>
  page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: screen }).click();

async function createIdentity(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Create a new identity' }).click();
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Password again', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create identity' }).click();
  const phrase = page.getByRole('list', { name: 'Recovery phrase' });
  await phrase.waitFor();
  const words = (await phrase.getByRole('listitem').allTextContents()).map((t) =>
    t.replace(/^\s*\d+\s*/, '').trim(),
  );
  expect(words).toHaveLength(24);
  await page.getByRole('button', { name: 'I have written them down' }).click();
  for (const label of await page.locator('label', { hasText: /^Word \d+$/ }).allTextContents()) {
    const n = Number(label.replace('Word ', ''));
    await page.getByLabel(label, { exact: true }).fill(words[n - 1]!);
  }
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
  return words.join(' ');
}

async function didOf(page: Page): Promise<string> {
  await nav(page, 'Identities');
  return (await page.locator('code.did.wrap').first().textContent())!.trim();
}

async function send(page: Page, to: string, amount: string): Promise<void> {
  await nav(page, 'Wallet');
  await page.getByLabel('To', { exact: true }).fill(to);
  await page.getByLabel('Amount', { exact: true }).fill(amount);
  await page.getByRole('button', { name: 'Review payment' }).click();
  await expect.poll(() => page.getByText('Review the payment').count()).toBe(1);
  await page.getByRole('button', { name: 'Sign and send' }).click();
  await page.getByText('Payment signed').waitFor();
}

/** The balance cell of the first account, e.g. "12.50 COIN". */
const balanceText = async (page: Page): Promise<string> => {
  const cell = page.locator('table.table tbody tr').first().locator('td.num').first();
  return ((await cell.textContent()) ?? '').replace(/\s+/g, ' ').trim();
};

/** The message shown next to the field labelled `label`, once there is one. */
const fieldError = (page: Page, label: string) =>
  page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).getByRole('alert');

/** Whether the page scrolls sideways (a phone-width window must not). */
const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.scrollingElement!.scrollWidth > window.innerWidth);

/** The text of the element that has focus. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

const shots = new Set<string>();
/** Saves a screenshot and runs the accessibility scan: no serious or critical violation. */
async function check(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300); // let the store's throttled refresh land
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
  shots.add(name);
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(bad, `accessibility on ${name}`).toEqual([]);
}

describe.skipIf(!chromium.ok)('wallet app (system Chromium, real IndexedDB and libp2p)', () => {
  beforeAll(async () => {
    rmSync(SCREENS_DIR, { recursive: true, force: true });
    mkdirSync(SCREENS_DIR, { recursive: true });
    app = await buildApp();
    server = await startWalletServer(app, true);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
    if (app) rmSync(app, { recursive: true, force: true });
  }, 60_000);

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    // What each page showed when a step failed: the first thing to look at in CI.
    console.warn(`Page console before "${context.task.name}" failed:\n${consoleLines.join('\n')}`);
    const dir = join(SCREENS_DIR, '..', 'failures');
    mkdirSync(dir, { recursive: true });
    for (const [i, c] of contexts.entries())
      for (const [j, p] of c.pages().entries())
        await p
          .screenshot({ path: join(dir, `${context.task.name.slice(0, 40)}-${i}-${j}.png`) })
          .catch(() => undefined);
  });

  let alice: Page;
  let bob: Page;
  let aliceMnemonic: string;
  let aliceDid: string;
  let invite: string;
  let bobDid: string;

  it('first run, found a chain, pay; a second browser joins by invite and receives; reload keeps it', async () => {
    alice = await newPage();
    await check(alice, '01-first-run');
    aliceMnemonic = await createIdentity(alice);
    aliceDid = await didOf(alice);
    await check(alice, '02-identities');

    await nav(alice, 'Wallet');
    await alice.getByRole('button', { name: 'Found or join a chain' }).waitFor();
    await nav(alice, 'Chains');
    await alice.getByRole('button', { name: 'Found a chain' }).click();
    await alice.getByLabel('Name', { exact: true }).fill('Kitchen table');
    await check(alice, '03-found-chain');
    await alice.getByRole('button', { name: 'Found chain' }).click();
    await alice.getByText('Chain founded').waitFor();
    await expect.poll(() => alice.getByText('1 of 1 must agree').count()).toBeGreaterThan(0);

    bob = await newPage();
    await createIdentity(bob);
    bobDid = await didOf(bob);

    await send(alice, bobDid, '12.50');
    await nav(alice, 'Activity');
    await alice.getByText('Final').first().waitFor();
    await check(alice, '04-activity');
    await nav(alice, 'Wallet');
    await expect.poll(() => balanceText(alice)).toBe('987.50 COIN');
    await check(alice, '05-wallet');

    await nav(alice, 'Chains');
    await alice.getByRole('button', { name: 'Invite someone' }).click();
    invite = await alice.getByLabel('Invite', { exact: true }).inputValue();
    expect(invite.startsWith('freehold:')).toBe(true);
    await check(alice, '06-chains-invite');

    // Bob reads the invite from a picture of Alice's QR code (no camera in headless Chromium).
    const qr = alice.getByRole('img', { name: 'Invite to Kitchen table as a QR code' });
    await qr.evaluate((svg) => {
      svg.setAttribute('width', '900');
      svg.setAttribute('height', '900');
    });
    const picture = join(app, 'invite-qr.png');
    await qr.screenshot({ path: picture });
    await nav(bob, 'Chains');
    await bob.getByRole('button', { name: 'Join by invite' }).click();
    await bob.getByRole('button', { name: 'Scan a QR code' }).click();
    await bob.getByLabel('Choose a picture of the code', { exact: true }).setInputFiles(picture);
    await expect.poll(() => bob.getByLabel('Invite', { exact: true }).inputValue()).toBe(invite);
    // Before joining, the invite says where it leads, in plain words.
    await expect
      .poll(() => bob.locator('.preview').textContent())
      .toMatch(/Kitchen table.*1 validator.*1 of 1 must agree/);
    await check(bob, '07-join');
    await bob.getByRole('button', { name: 'Join chain' }).click();
    await bob.getByText('Joined.').waitFor();
    await nav(bob, 'Wallet');
    await expect.poll(() => balanceText(bob), { timeout: 60_000 }).toBe('12.50 COIN');
    await nav(bob, 'Activity');
    await bob.getByText('Received').waitFor();

    await bob.reload();
    await bob.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await bob.getByRole('button', { name: 'Unlock' }).click();
    await nav(bob, 'Wallet');
    await expect.poll(() => balanceText(bob)).toBe('12.50 COIN');
    await nav(bob, 'Activity');
    await bob.getByText('Received').waitFor();
  }, 240_000);

  it('B1: every wrong input on Send says why next to its field, and the form stays usable', async () => {
    await nav(alice, 'Wallet');
    const cases: [to: string, amount: string, field: string, says: RegExp][] = [
      ['did:key:z6MkNOTANADDRESS', '1', 'To', /not a Freehold address/],
      ['', '1', 'To', /Enter the address/],
      [bobDid, '5000', 'Amount', /holds only 987\.50 COIN/],
      [bobDid, '1.234', 'Amount', /at most 2 digits after the point/],
      [bobDid, '−3', 'Amount', /a number such as 12\.50/],
      [bobDid, '-3', 'Amount', /a number such as 12\.50/],
      [bobDid, '0', 'Amount', /more than zero/],
      [bobDid, 'abc', 'Amount', /a number such as 12\.50/],
      [bobDid, '', 'Amount', /Enter an amount/],
    ];
    for (const [to, amount, field, says] of cases) {
      await alice.getByLabel('To', { exact: true }).fill(to);
      await alice.getByLabel('Amount', { exact: true }).fill(amount);
      await alice.getByRole('button', { name: 'Review payment' }).click();
      await expect
        .poll(() => fieldError(alice, field).textContent(), { timeout: 5000 })
        .toMatch(says);
      await expect
        .poll(() => alice.getByLabel(field, { exact: true }).getAttribute('aria-invalid'))
        .toBe('true');
      // Usable again: not stuck on "Working…", and the field to correct has focus.
      await expect
        .poll(() => alice.getByRole('button', { name: 'Review payment' }).isEnabled())
        .toBe(true);
      expect(await alice.evaluate(() => document.activeElement?.id)).toBe(
        await alice.getByLabel(field, { exact: true }).getAttribute('id'),
      );
    }
    await check(alice, 'b1-send-error');
    await alice.getByLabel('To', { exact: true }).fill(bobDid);
    await alice.getByLabel('Amount', { exact: true }).fill('1');
    await alice.getByRole('button', { name: 'Review payment' }).click();
    await alice.getByText('Review the payment').waitFor();
    await alice.getByRole('button', { name: 'Change' }).click();

    // The other forms say it next to the field too.
    await nav(alice, 'Chains');
    await alice.getByRole('button', { name: 'Join by invite' }).click();
    await alice.getByLabel('Invite', { exact: true }).fill('freehold:AAAA');
    await alice.getByRole('button', { name: 'Join chain' }).click();
    await fieldError(alice, 'Invite').waitFor();
    await alice.getByRole('button', { name: 'Found a chain' }).click();
    await alice.getByRole('button', { name: 'Found chain' }).click();
    await expect.poll(() => fieldError(alice, 'Name').textContent()).toMatch(/a name/);
    await nav(alice, 'Records');
    await alice.getByRole('button', { name: 'Register a title' }).click();
    await alice.getByRole('button', { name: 'Register title' }).click();
    await expect.poll(() => fieldError(alice, 'Identifier').textContent()).toMatch(/identifier/);
    await alice.getByRole('button', { name: 'Close' }).click();
    await nav(alice, 'Governance');
    await alice.getByRole('button', { name: 'New proposal' }).click();
    await alice.getByRole('button', { name: 'Propose' }).click();
    await expect.poll(() => fieldError(alice, 'Title').textContent()).toMatch(/title/);
    await nav(alice, 'Settings');
    await alice.getByLabel('Current password', { exact: true }).fill('not the password');
    await alice.getByLabel('New password', { exact: true }).fill('another one 42');
    await alice.getByLabel('New password again', { exact: true }).fill('another one 42');
    await alice.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() => fieldError(alice, 'Current password').textContent())
      .toBe('The password is not correct.');
    await expect
      .poll(() => alice.getByRole('button', { name: 'Change password' }).isEnabled())
      .toBe(true);
    await check(alice, 'b1-settings-error');
  }, 120_000);

  it('locks and unlocks; a wrong password says so plainly', async () => {
    await alice.getByRole('button', { name: 'Lock', exact: true }).click();
    await alice.getByRole('heading', { name: 'Locked' }).waitFor();
    // B6: the lock screen is ready to type the password into.
    const password = await alice.getByLabel('Password', { exact: true }).getAttribute('id');
    await expect.poll(() => alice.evaluate(() => document.activeElement?.id)).toBe(password);
    await check(alice, '08-locked');
    await alice.getByLabel('Password', { exact: true }).fill('not the password');
    await alice.getByRole('button', { name: 'Unlock' }).click();
    await alice.getByRole('alert').getByText('The password is not correct.').waitFor();
    await check(alice, '09-wrong-password');
    await alice.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await alice.getByRole('button', { name: 'Unlock' }).click();
    await nav(alice, 'Wallet');
    await expect.poll(() => balanceText(alice)).toBe('987.50 COIN');
  }, 120_000);

  it('records, governance, network and settings screens', async () => {
    await nav(alice, 'Records');
    await alice.getByRole('button', { name: 'Register a title' }).click();
    await alice.getByLabel('Identifier', { exact: true }).fill('plot-17');
    await alice.getByLabel('Description', { exact: true }).fill('Garden plot by the well');
    await alice.getByRole('button', { name: 'Register title' }).click();
    await alice.getByRole('button', { name: 'plot-17' }).click();
    await alice.getByText('Proven', { exact: true }).waitFor();
    await check(alice, '10-records');
    await nav(alice, 'Governance');
    await alice.getByRole('button', { name: 'New proposal' }).click();
    await alice.getByLabel('Title', { exact: true }).fill('Buy a shared ladder');
    await alice.getByLabel('What is decided', { exact: true }).fill('We buy one ladder for all.');
    await alice.getByRole('button', { name: 'Propose' }).click();
    await alice.getByRole('button', { name: 'Vote yes' }).click();
    await expect.poll(() => alice.getByText('1 yes').count(), { timeout: 20_000 }).toBe(1);
    await check(alice, '11-governance');
    await nav(alice, 'Network');
    await check(alice, '12-network');
    await nav(alice, 'Settings');
    await check(alice, '13-settings');
  }, 120_000);

  it('B6: a title transfer has a review step; focus goes to the result; activity is by block', async () => {
    await nav(alice, 'Records');
    await alice.getByRole('button', { name: 'plot-17' }).click();
    await alice.getByLabel('New owner', { exact: true }).fill('not an address');
    await alice.getByRole('button', { name: 'Review transfer' }).click();
    await expect.poll(() => fieldError(alice, 'New owner').textContent()).toMatch(/not a Freehold/);
    await alice.getByLabel('New owner', { exact: true }).fill(bobDid);
    await alice.getByRole('button', { name: 'Review transfer' }).click();
    const review = alice.getByLabel('Review the transfer');
    await expect.poll(() => review.textContent()).toContain(bobDid);
    await check(alice, 'b6-transfer-review');
    await alice.getByRole('button', { name: 'Sign and transfer' }).click();
    await alice.getByText('Transfer signed').waitFor();
    await expect.poll(() => focused(alice)).toContain('Transfer signed');

    await nav(alice, 'Activity');
    await expect
      .poll(() => alice.locator('.activity-row').first().textContent())
      .toMatch(/Transferred title “plot-17”.*Final/);
    const blocks = (await alice.locator('.activity-row').allTextContents()).map((t) =>
      Number(/block (\d+)/.exec(t)?.[1] ?? Infinity),
    );
    expect(blocks).toEqual([...blocks].sort((a, b) => b - a));
  }, 120_000);

  it('queues a payment offline and makes it final when back online', async () => {
    await nav(bob, 'Chains');
    await bob.getByRole('button', { name: 'Join by invite' }).click();
    await bob.getByLabel('Invite', { exact: true }).fill(server.invite);
    await bob.getByRole('button', { name: 'Join chain' }).click();
    await bob.getByText('Joined.').waitFor();
    await nav(bob, 'Wallet');
    await bob.getByRole('button', { name: 'Get 100 demo COIN' }).click();
    await expect.poll(() => balanceText(bob), { timeout: 60_000 }).toBe('100.00 COIN');

    await bob.context().setOffline(true);
    await expect
      .poll(() =>
        bob
          .getByRole('status')
          .getByText(/^Offline/)
          .count(),
      )
      .toBe(1);
    await send(bob, aliceDid, '2.00');
    await nav(bob, 'Activity');
    await bob.getByText('Queued offline').waitFor();
    await expect
      .poll(() => bob.getByText('Offline — 1 transaction queued', { exact: false }).count())
      .toBe(1);
    await check(bob, '14-offline-queued');

    await bob.context().setOffline(false);
    await expect
      .poll(() => bob.locator('.activity-row', { hasText: 'Sent' }).first().textContent(), {
        timeout: 60_000,
      })
      .toContain('Final');
    await nav(bob, 'Wallet');
    await expect.poll(() => balanceText(bob)).toBe('98.00 COIN');
  }, 180_000);

  it('B2: a queued payment shows as pending and can be cancelled before it is sent', async () => {
    await bob.context().setOffline(true);
    await bob
      .getByRole('status')
      .getByText(/^Offline/)
      .waitFor();
    await send(bob, aliceDid, '3.00');
    await nav(bob, 'Wallet');
    await expect.poll(() => balanceText(bob)).toBe('95.00 COIN');
    const pending = bob.locator('table.table tbody tr').first().locator('td.num').nth(1);
    await expect.poll(() => pending.textContent()).toMatch(/−3\.00\s*COIN/);
    // What is pending cannot be spent a second time.
    await bob.getByLabel('To', { exact: true }).fill(aliceDid);
    await bob.getByLabel('Amount', { exact: true }).fill('96');
    await bob.getByRole('button', { name: 'Review payment' }).click();
    await expect
      .poll(() => fieldError(bob, 'Amount').textContent())
      .toMatch(/95\.00 COIN available/);
    await check(bob, 'b2-available-pending');

    await nav(bob, 'Activity');
    const row = bob.locator('.activity-row', { hasText: 'Queued offline' });
    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => bob.locator('.activity-row').first().textContent())
      .toMatch(/Cancelled on this device before it was sent.*Cancelled/);
    await check(bob, 'b2-cancelled');
    await nav(bob, 'Wallet');
    await expect.poll(() => balanceText(bob)).toBe('98.00 COIN');
    await bob.context().setOffline(false);
  }, 120_000);

  it('B6: at phone width (390 px) no screen scrolls sideways', async () => {
    await bob.setViewportSize({ width: 390, height: 844 });
    const wide: string[] = [];
    for (const screen of [
      'Wallet',
      'Activity',
      'Records',
      'Governance',
      'Chains',
      'Identities',
      'Network',
      'Settings',
    ]) {
      await nav(bob, screen);
      await bob.waitForTimeout(300);
      if (await scrollsSideways(bob)) wide.push(screen);
      await bob.screenshot({
        path: join(SCREENS_DIR, `b6-390-${screen.toLowerCase()}.png`),
        fullPage: true,
      });
    }
    await nav(bob, 'Chains');
    await bob.getByRole('button', { name: 'Invite someone' }).first().click();
    if (await scrollsSideways(bob)) wide.push('Chains with an invite');
    expect(wide).toEqual([]);
    await bob.setViewportSize({ width: 1200, height: 860 });
  }, 120_000);

  it('restores from the recovery phrase in a fresh browser and recovers balances from peers', async () => {
    // Alice's device is lost: only one device may sign with a validator's key at a time.
    await alice.context().close();
    const carol = await newPage();
    await carol.getByRole('button', { name: 'Restore from a recovery phrase' }).click();
    await carol.getByLabel('Recovery phrase', { exact: true }).fill(aliceMnemonic);
    await carol.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await carol.getByLabel('Password again', { exact: true }).fill(PASSWORD);
    await check(carol, '15-restore');
    await carol.getByRole('button', { name: 'Restore identity' }).click();
    expect(await didOf(carol)).toBe(aliceDid);
    await nav(carol, 'Chains');
    await carol.getByRole('button', { name: 'Join by invite' }).click();
    await carol.getByLabel('Invite', { exact: true }).fill(invite);
    await carol.getByRole('button', { name: 'Join chain' }).click();
    await nav(carol, 'Wallet');
    await expect.poll(() => balanceText(carol), { timeout: 60_000 }).toBe('987.50 COIN');
  }, 180_000);

  it('opens with no network after the first visit (service worker), data intact', async () => {
    const worker = () =>
      bob.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return `${registration?.active?.state ?? 'none'} ${navigator.serviceWorker.controller ? 'controlling' : 'not controlling'}`;
      });
    await expect.poll(worker).toBe('activated controlling');
    await bob.context().setOffline(true);
    await bob.reload();
    await bob.getByRole('heading', { name: 'Locked' }).waitFor();
    await bob.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await bob.getByRole('button', { name: 'Unlock' }).click();
    // The page came from the service worker: anything it does not keep is out of reach.
    const reach = await bob.evaluate(() =>
      fetch(`./not-kept-${Date.now()}`).then(
        () => 'reached',
        () => 'out of reach',
      ),
    );
    expect(reach).toBe('out of reach');
    // Chromium 150 does not carry the emulated offline state into a reloaded document
    // (navigator.onLine is true again), so the banner may say either; the 'Offline' wording
    // itself is checked by the queued-payment tests above, which go offline without a reload.
    await bob
      .getByRole('status')
      .getByText(/^(Offline|No peers reachable) — nothing waiting/)
      .waitFor();
    await nav(bob, 'Wallet');
    await expect.poll(() => balanceText(bob)).toMatch(/COIN$/);
    await bob.context().setOffline(false);
  }, 120_000);

  it('exports a wallet file and imports it in a fresh browser', async () => {
    await nav(bob, 'Settings');
    await bob.getByLabel('Password for the export', { exact: true }).fill(PASSWORD);
    const [download] = await Promise.all([
      bob.waitForEvent('download'),
      bob.getByRole('button', { name: 'Export wallet file' }).click(),
    ]);
    const file = join(app, 'bob.freehold');
    await download.saveAs(file);

    const dave = await newPage();
    await dave.getByRole('button', { name: 'Import a wallet file' }).click();
    await dave.getByLabel('Wallet file', { exact: true }).setInputFiles(file);
    await dave.getByLabel('Password', { exact: true }).fill('not the password');
    await dave.getByRole('button', { name: 'Import', exact: true }).click();
    await dave.getByRole('alert').getByText('The password is not correct.').waitFor();
    await check(dave, '16-import-wrong-password');
    await dave.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await dave.getByRole('button', { name: 'Import', exact: true }).click();
    expect(await didOf(dave)).toBe(bobDid);
    await nav(dave, 'Wallet');
    const picker = dave.getByLabel('Chain', { exact: true });
    await expect.poll(() => picker.locator('option').count()).toBe(2);
    await picker.selectOption({ label: 'Kitchen table' });
    await expect.poll(() => balanceText(dave), { timeout: 60_000 }).toBe('12.50 COIN');
  }, 180_000);

  it('B4, B3: restore names the wrong word; a reload while the words are shown keeps a reminder until they are confirmed', async () => {
    const erin = await newPage();
    await erin.setViewportSize({ width: 390, height: 844 });
    expect(await scrollsSideways(erin)).toBe(false);
    await erin.getByRole('button', { name: 'Restore from a recovery phrase' }).click();
    const words = aliceMnemonic.split(' ');
    const typo = words.map((w, i) => (i === 6 ? `${w.slice(0, -1)}qz` : w)).join(' ');
    await erin.getByLabel('Recovery phrase', { exact: true }).fill(typo);
    await erin.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await erin.getByLabel('Password again', { exact: true }).fill(PASSWORD);
    await erin.getByRole('button', { name: 'Restore identity' }).click();
    await expect
      .poll(() => fieldError(erin, 'Recovery phrase').textContent())
      .toBe(`Word 7, “${words[6]!.slice(0, -1)}qz”, is not in the word list.`);
    expect(await scrollsSideways(erin)).toBe(false);
    await check(erin, 'b4-restore-wrong-word');
    await erin.getByRole('button', { name: 'Back' }).click();

    await erin.getByRole('button', { name: 'Create a new identity' }).click();
    await erin.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await erin.getByLabel('Password again', { exact: true }).fill(PASSWORD);
    await erin.getByRole('button', { name: 'Create identity' }).click();
    await erin.getByRole('list', { name: 'Recovery phrase' }).waitFor();
    await erin.reload(); // the words were on screen: the check must not be skipped this way
    await erin.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await erin.getByRole('button', { name: 'Unlock' }).click();
    await nav(erin, 'Wallet');
    await erin.getByRole('heading', { name: 'Back up your recovery phrase' }).waitFor();
    expect(await scrollsSideways(erin)).toBe(false);
    await check(erin, 'b3-backup-reminder');
    await erin.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await erin.getByRole('button', { name: 'Show the words' }).click();
    const phrase = erin.getByRole('list', { name: 'Recovery phrase' });
    await phrase.waitFor();
    const shown = (await phrase.getByRole('listitem').allTextContents()).map((t) =>
      t.replace(/^\s*\d+\s*/, '').trim(),
    );
    await erin.getByRole('button', { name: 'I have written them down' }).click();
    const labels = await erin.locator('label', { hasText: /^Word \d+$/ }).allTextContents();
    await erin.getByLabel(labels[0]!, { exact: true }).fill('wrong');
    await erin.getByRole('button', { name: 'Confirm' }).click();
    await fieldError(erin, labels[0]!).waitFor();
    for (const label of labels)
      await erin.getByLabel(label, { exact: true }).fill(shown[Number(label.slice(5)) - 1]!);
    await erin.getByRole('button', { name: 'Confirm' }).click();
    await erin.getByText('Recovery phrase confirmed').waitFor();
    await expect.poll(() => focused(erin)).toContain('Recovery phrase confirmed');
    await erin.reload();
    await erin.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await erin.getByRole('button', { name: 'Unlock' }).click();
    await nav(erin, 'Wallet');
    await erin.getByRole('button', { name: 'Found or join a chain' }).waitFor();
    expect(await erin.getByRole('heading', { name: 'Back up your recovery phrase' }).count()).toBe(
      0,
    );

    // B6: wiping takes exactly WIPE.
    await nav(erin, 'Settings');
    await erin.getByLabel('Type WIPE to confirm', { exact: true }).fill('wipe');
    await erin.getByRole('button', { name: 'Wipe this device' }).click();
    await fieldError(erin, 'Type WIPE to confirm').waitFor();
    await erin.getByLabel('Type WIPE to confirm', { exact: true }).fill('WIPE');
    await erin.getByRole('button', { name: 'Wipe this device' }).click();
    await erin.getByRole('button', { name: 'Create a new identity' }).waitFor();
  }, 180_000);

  it('left no page errors and saved a screenshot of every screen', () => {
    expect(pageErrors).toEqual([]);
    for (const screen of ['first-run', 'identities', 'wallet', 'activity', 'records', 'governance'])
      expect([...shots].some((s) => s.endsWith(screen))).toBe(true);
  });
});

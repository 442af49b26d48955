// Browser to browser, in the system Chromium (Playwright), real IndexedDB, real libp2p: two
// pages each run a validator of a 2-of-2 chain. They meet through a headless node's circuit
// relay over a WebSocket on loopback (each learns the other's address from its announcement
// there), set up WebRTC through it, commit blocks and transact; then the relay is stopped and
// they go on over the direct WebRTC connection alone.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGenesis } from '../../src/chain/genesis';
import { encode } from '../../src/codec/cbor';
import { bytesToHex } from '../../src/crypto/bytes';
import type { PeerLink } from '../../src/net/Network';
import type { ChainStatus, NodeEvent } from '../../src/node/createChainNode';
import { hostKey, NodeProcess, type HostKey } from '../helpers/nodeProcess';
import { canRunChromium, launchChromium, serveNodePage, type ServedPage } from './browser';
import type { PageStart } from './page/nodePage';

const chromium = canRunChromium();
if (!chromium.ok) console.warn(`Skipping the browser tests: ${chromium.why}.`);

const BLOCK_INTERVAL_MS = 300;

/** Polls `read` in the test until `ok` holds, or fails saying what it waited for. */
async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`No ${what} within ${ms} ms; last seen: ${JSON.stringify(last)}`);
}

const status = (page: Page): Promise<ChainStatus> => page.evaluate(() => window.freehold.status());
const links = (page: Page): Promise<PeerLink[]> => page.evaluate(() => window.freehold.links());
const events = (page: Page): Promise<NodeEvent[]> => page.evaluate(() => window.freehold.events());
const balance = (page: Page, account: HostKey): Promise<string> =>
  page.evaluate(([a]) => window.freehold.balance(a!, 'COIN'), [bytesToHex(account.publicKey)]);

const outboxStatus = async (page: Page, txId: string): Promise<string | undefined> =>
  (await events(page))
    .filter((e) => e.type === 'outbox' && e.txId === txId)
    .map((e) => (e.type === 'outbox' ? e.status : undefined))
    .at(-1);

const committedHashes = async (page: Page): Promise<Map<number, string>> =>
  new Map(
    (await events(page)).flatMap((e) => (e.type === 'committed' ? [[e.height, e.hash]] : [])),
  );

describe.skipIf(!chromium.ok)(
  'browser to browser over WebRTC (system Chromium, real libp2p)',
  () => {
    let dir: string;
    let relay: NodeProcess;
    let served: ServedPage;
    let browser: Browser;
    const pages: Page[] = [];
    const keys: HostKey[] = [];
    const pageErrors: string[] = [];
    const peerIds: string[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'freehold-webrtc-'));
      keys.push(await hostKey('browser validator A'), await hostKey('browser validator B'));
      const relayKey = await hostKey('household relay');
      const genesis = createGenesis({
        name: 'Two browsers',
        genesisTime: Date.now(),
        validators: keys.map((k, i) => ({ key: k.publicKey, power: 1, name: `page${i}` })),
        assets: [{ symbol: 'COIN', name: 'Coin', decimals: 0, minter: null }],
        balances: keys.map((k) => ({ account: k.publicKey, asset: 'COIN', amount: 1000n })),
      });
      const genesisFile = join(dir, 'genesis.cbor');
      writeFileSync(genesisFile, encode(genesis));
      writeFileSync(join(dir, 'relay.key.json'), JSON.stringify(relayKey.file));

      relay = new NodeProcess('relay', null, '127.0.0.1', relayKey, [
        ...['--data', join(dir, 'relay'), '--genesis', genesisFile, '--role', 'full'],
        ...['--key', join(dir, 'relay.key.json'), '--relay', '--no-mdns'],
        ...['--listen', '/ip4/127.0.0.1/tcp/0/ws'],
      ]);
      relay.start();
      const listening = await relay.waitFor('listening', (e) => e.event === 'listening', 30_000);
      const relayAddress = (listening.addresses as string[]).find((a) => a.includes('/ws/'))!;

      served = await serveNodePage();
      browser = await launchChromium();
      for (const [i, key] of keys.entries()) {
        // A context each: separate IndexedDB, separate WebRTC stacks, as two devices would have.
        const page = await (await browser.newContext()).newPage();
        page.on('pageerror', (error) => pageErrors.push(`page ${i}: ${error.message}`));
        await page.goto(served.url);
        await page.waitForFunction(() => 'freehold' in window);
        const start: PageStart = {
          genesis: bytesToHex(encode(genesis)),
          secretKey: bytesToHex(key.secretKey),
          role: 'validator',
          relays: [relayAddress],
          database: `freehold-page${i}`,
          blockIntervalMs: BLOCK_INTERVAL_MS,
        };
        const started = await page.evaluate((s) => window.freehold.start(s), start);
        peerIds.push(started.peerId);
        pages.push(page);
      }
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await served?.close();
      await relay?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('meets through the relay, transacts, and goes on over direct WebRTC without it', async () => {
      const [a, b] = pages as [Page, Page];
      const [keyA, keyB] = keys as [HostKey, HostKey];

      // Nobody passes addresses by hand: each page takes a slot on the relay, announces its
      // WebRTC address through it, and the other dials that.
      const peerB = peerIds[1]!;
      await until(
        'a WebRTC link between A and B, found through the relay',
        () => links(a),
        (ls) => ls.some((l) => l.peer === peerB && l.transport === 'webrtc'),
        60_000,
      );

      // Both validators are needed for every block (2 of 2): blocks mean they hear each other.
      await until(
        'blocks on both pages',
        () => Promise.all([status(a), status(b)]),
        (ss) => ss.every((s) => s.height >= 2),
      );
      const sent = await a.evaluate(
        ([to]) => window.freehold.transfer(to!, '25', 'COIN'),
        [bytesToHex(keyB.publicKey)],
      );
      await until(
        'the transfer final on A',
        () => outboxStatus(a, sent),
        (s) => s === 'final',
      );
      await until(
        'B credited',
        () => balance(b, keyB),
        (v) => v === '1025',
      );

      // The relay goes away; the pages keep their direct connection and the chain goes on.
      await relay.stop();
      expect(relay.exited).toBe(0);
      await until(
        'the relay gone from both pages',
        () => Promise.all([links(a), links(b)]),
        (ls) => ls.every((l) => l.every((x) => x.transport === 'webrtc')),
      );
      const before = (await status(a)).height;
      const back = await b.evaluate(
        ([to]) => window.freehold.transfer(to!, '10', 'COIN'),
        [bytesToHex(keyA.publicKey)],
      );
      await until(
        'the transfer back final on B',
        () => outboxStatus(b, back),
        (s) => s === 'final',
      );
      await until(
        'A credited',
        () => balance(a, keyA),
        (v) => v === '985',
      );
      await until(
        '3 blocks without the relay',
        () => Promise.all([status(a), status(b)]),
        (ss) => ss.every((s) => s.height >= before + 3),
      );

      const left = await links(a);
      expect(left.length).toBeGreaterThan(0);
      for (const link of left) expect(link).toMatchObject({ peer: peerB, transport: 'webrtc' });
      const [hashesA, hashesB] = await Promise.all([committedHashes(a), committedHashes(b)]);
      const common = [...hashesA.keys()].filter((h) => hashesB.has(h));
      expect(common.length).toBeGreaterThan(3);
      for (const h of common) expect(hashesA.get(h)).toBe(hashesB.get(h));
      expect(pageErrors).toEqual([]);
    }, 120_000);
  },
);

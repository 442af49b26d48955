// B2: a payment that can never apply says so, and one still queued can be taken back. The node
// runs on the memory chain store and a libp2p network with no peers (a lone validator commits
// by itself; a full node commits nothing, so what it sends stays queued).
import { afterEach, describe, expect, it } from 'vitest';
import type { ChainRole, OutboxItem } from '../../src/chain/ChainStore';
import { chainIdOf } from '../../src/chain/genesis';
import {
  decodeTransaction,
  encodeTransaction,
  signTransaction,
  txIdOf,
} from '../../src/chain/transaction';
import { bytesToHex } from '../../src/crypto/bytes';
import { nobleVerifier, sign } from '../../src/crypto/ed25519';
import { cancelOutboxItem } from '../../src/node/cancelOutboxItem';
import type { NodeEvent, Signer } from '../../src/node/createChainNode';
import { createNode, type FreeholdNode } from '../../src/node/createNode';
import { REASON } from '../../src/node/outboxVerdicts';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { testGenesis, testKey, type TestKey } from '../helpers/chainFixture';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

type OutboxEvent = Extract<NodeEvent, { type: 'outbox' }>;

const validator = testKey('b2 validator');
const spender = testKey('b2 spender');
const shop = testKey('b2 shop');
const genesis = testGenesis([validator], {
  balances: [
    { account: validator.publicKey, asset: 'COIN', amount: 1_000_000n },
    { account: spender.publicKey, asset: 'COIN', amount: 100n },
  ],
});
const signer = (k: TestKey): Signer => ({
  publicKey: k.publicKey,
  sign: (m) => sign(m, k.secretKey),
});
const pay = (amount: bigint) =>
  ({ kind: 'transfer', asset: 'COIN', to: shop.publicKey, amount }) as const;

const nodes: FreeholdNode[] = [];
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.stop().catch(() => undefined);
});

async function open(role: ChainRole, events: NodeEvent[]) {
  const node = createNode({
    store: createMemoryChainStore(),
    network: await loopbackNetwork(),
    verifier: nobleVerifier,
    blockIntervalMs: 50,
    onEvent: (e) => events.push(e),
  });
  nodes.push(node);
  return node.join(genesis, role, signer(validator));
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const settled = (events: NodeEvent[], item: OutboxItem): OutboxEvent | undefined =>
  events.find(
    (e): e is OutboxEvent =>
      e.type === 'outbox' &&
      e.txId === bytesToHex(item.txId) &&
      (e.status === 'final' || e.status === 'rejected'),
  );

describe('B2: outbox verdicts and cancel (memory store, libp2p with no peers)', () => {
  it('B2: (memory store, lone validator) an overspending payment is rejected with the reason, later ones of its account say why, and the account pays again', async () => {
    const events: NodeEvent[] = [];
    const chain = await open('validator', events);
    // Two payments signed offline that together spend more than the 100 held, and one after.
    const first = await chain.send(signer(spender), pay(70n));
    const second = await chain.send(signer(spender), pay(50n));
    const third = await chain.send(signer(spender), pay(10n));
    await until('a verdict on all three', () =>
      [first, second, third].every((i) => settled(events, i)),
    );
    expect(settled(events, first)).toMatchObject({ status: 'final' });
    expect(settled(events, second)).toMatchObject({ status: 'rejected', reason: REASON.funds });
    expect(settled(events, third)).toMatchObject({ status: 'rejected', reason: REASON.earlier });
    expect(chain.status().outbox).toBe(0);
    // Given up on means gone from the mempool too: the next payment takes the free nonce.
    const fourth = await chain.send(signer(spender), pay(20n));
    expect(decodeTransaction(fourth.bytes).tx.nonce).toBe(1);
    await until('the next payment final', () => settled(events, fourth)?.status === 'final');
    expect(chain.balance(spender.publicKey, 'COIN')).toBe(10n);
  });

  it('B2: (memory store, full node offline) a queued payment is cancelled with the later ones of its account', async () => {
    const events: NodeEvent[] = [];
    const chain = await open('full', events);
    const first = await chain.send(signer(spender), pay(30n));
    const second = await chain.send(signer(spender), pay(20n));
    expect(chain.status().outbox).toBe(2);
    const removed = await chain.cancel(first.txId);
    expect(removed.map(bytesToHex)).toEqual([first, second].map((i) => bytesToHex(i.txId)));
    expect(chain.status().outbox).toBe(0);
    expect(chain.nextNonce(spender.publicKey)).toBe(0);
    await expect(chain.cancel(first.txId)).rejects.toMatchObject({ name: 'CannotCancelError' });
  });

  it('B2: a payment already sent to a peer cannot be cancelled (pure)', () => {
    const tx = signTransaction(
      { chainId: chainIdOf(genesis), sender: spender.publicKey, nonce: 0, body: pay(5n) },
      (m) => sign(m, spender.secretKey),
    );
    const item: OutboxItem = {
      txId: txIdOf(tx),
      chainId: new Uint8Array(32),
      bytes: encodeTransaction(tx),
      status: 'sent',
      attempts: 1,
      nextAttemptAt: 0,
      createdAt: 0,
      reason: '',
    };
    expect(() => cancelOutboxItem([item], item.txId)).toThrow(
      expect.objectContaining({ name: 'CannotCancelError' }),
    );
    expect(cancelOutboxItem([{ ...item, status: 'queued' }], item.txId)).toHaveLength(1);
  });
});

// The outbox of a node with nobody to talk to (real libp2p with no peers, real SQLite on
// disk): what is signed offline survives a restart and becomes final once a validator can
// commit it; two transactions with one nonce (one identity on two devices) end one final and
// one rejected, with the reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChainRole } from '../../src/chain/ChainStore';
import type { Genesis } from '../../src/chain/genesis';
import { signTransaction } from '../../src/chain/transaction';
import { bytesToHex } from '../../src/crypto/bytes';
import { nobleVerifier, sign } from '../../src/crypto/ed25519';
import type { NodeEvent, Signer } from '../../src/node/createChainNode';
import { createNode, type FreeholdNode } from '../../src/node/createNode';
import { createSqliteChainStore } from '../../src/store/createSqliteChainStore';
import { testGenesis, testKey, type TestKey } from '../helpers/chainFixture';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

type OutboxEvent = Extract<NodeEvent, { type: 'outbox' }>;

describe('outbox (real SQLite on disk, libp2p with no peers)', () => {
  const dirs: string[] = [];
  const nodes: FreeholdNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop().catch(() => undefined);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const validator = testKey('outbox validator');
  const friend = testKey('outbox friend');
  const signer = (k: TestKey): Signer => ({
    publicKey: k.publicKey,
    sign: (m) => sign(m, k.secretKey),
  });

  async function open(file: string, genesis: Genesis, role: ChainRole, events: NodeEvent[]) {
    const node = createNode({
      store: createSqliteChainStore(file),
      network: await loopbackNetwork(),
      verifier: nobleVerifier,
      blockIntervalMs: 100,
      onEvent: (e) => events.push(e),
    });
    nodes.push(node);
    const chain = await node.join(genesis, role, signer(validator));
    return { node, chain };
  }

  const settled = (events: NodeEvent[], txId: string): OutboxEvent | undefined =>
    events.find(
      (e): e is OutboxEvent =>
        e.type === 'outbox' && e.txId === txId && (e.status === 'final' || e.status === 'rejected'),
    );

  async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('keeps a transaction signed offline across a restart, then it becomes final', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'freehold-outbox-'));
    dirs.push(dir);
    const file = join(dir, 'store.sqlite');
    const genesis = testGenesis([validator]);

    // First run: a full node, so nothing can commit; the transfer waits in the outbox.
    const first: NodeEvent[] = [];
    const a = await open(file, genesis, 'full', first);
    const item = await a.chain.send(signer(validator), {
      kind: 'transfer',
      asset: 'COIN',
      to: friend.publicKey,
      amount: 7n,
    });
    const txId = bytesToHex(item.txId);
    await new Promise((r) => setTimeout(r, 300));
    expect(a.chain.status().outbox).toBe(1);
    expect(settled(first, txId)).toBeUndefined();
    await a.node.stop();
    nodes.splice(nodes.indexOf(a.node), 1);

    // On disk between the runs: the item, still waiting.
    const store = createSqliteChainStore(file);
    const kept = await store.listOutbox();
    await store.close();
    expect(kept.map((o) => [bytesToHex(o.txId), o.status])).toEqual([[txId, 'queued']]);

    // Second run on the same file, as the chain's validator: the kept item is what commits
    // (nothing else ever gave this node the transaction).
    const second: NodeEvent[] = [];
    const b = await open(file, genesis, 'validator', second);
    await until('the transfer final', () => settled(second, txId) !== undefined);
    expect(settled(second, txId)).toMatchObject({ status: 'final' });
    expect(b.chain.status().outbox).toBe(0);
    expect(b.chain.balance(friend.publicKey, 'COIN')).toBe(7n);
  });

  it('ends two transactions with one nonce as one final and one rejected, saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'freehold-outbox-'));
    dirs.push(dir);
    const events: NodeEvent[] = [];
    // The friend's two devices sign different transfers with the same nonce; the chain, run
    // here by its one validator, orders them.
    const solo = testGenesis([validator], {
      balances: [validator, friend].map((k) => ({
        account: k.publicKey,
        asset: 'COIN',
        amount: 1000n,
      })),
    });
    const { chain } = await open(join(dir, 'store.sqlite'), solo, 'validator', events);
    const twin = (amount: bigint) =>
      signTransaction(
        {
          chainId: chain.chainId,
          sender: friend.publicKey,
          nonce: 0,
          body: { kind: 'transfer', asset: 'COIN', to: validator.publicKey, amount },
        },
        (m) => sign(m, friend.secretKey),
      );
    const one = bytesToHex((await chain.submit(twin(1n))).txId);
    const other = bytesToHex((await chain.submit(twin(2n))).txId);
    await until('both settled', () => !!settled(events, one) && !!settled(events, other));
    const outcomes = [settled(events, one)!, settled(events, other)!];
    expect(outcomes.map((o) => o.status).sort()).toEqual(['final', 'rejected']);
    expect(outcomes.find((o) => o.status === 'rejected')!.reason).toMatch(/same nonce/);
    expect(chain.status().outbox).toBe(0);
    const spent = outcomes[0]!.status === 'final' ? 1n : 2n;
    expect(chain.balance(friend.publicKey, 'COIN')).toBe(1000n - spent);
  });

  it('A9: a transaction final before a crash that kept its outbox item is reported final, not rejected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'freehold-outbox-'));
    dirs.push(dir);
    const file = join(dir, 'store.sqlite');
    const genesis = testGenesis([validator]);
    const first: NodeEvent[] = [];
    const a = await open(file, genesis, 'validator', first);
    const item = await a.chain.send(signer(validator), {
      kind: 'transfer',
      asset: 'COIN',
      to: friend.publicKey,
      amount: 7n,
    });
    const txId = bytesToHex(item.txId);
    await until('the transfer final', () => settled(first, txId)?.status === 'final');
    await a.node.stop();
    nodes.splice(nodes.indexOf(a.node), 1);

    // The crash fell between the block's commit and the outbox's delete: the item is back.
    const store = createSqliteChainStore(file);
    await store.putOutbox({ ...item, status: 'sent' });
    await store.close();

    const second: NodeEvent[] = [];
    const b = await open(file, genesis, 'validator', second);
    await until('the item settled', () => settled(second, txId) !== undefined);
    const height = b.chain.status().height;
    await until('two more blocks', () => b.chain.status().height >= height + 2);
    expect(second.filter((e) => e.type === 'outbox' && e.txId === txId)).toEqual([
      { type: 'outbox', chain: bytesToHex(b.chain.chainId), txId, status: 'final', reason: '' },
    ]);
    expect(b.chain.status().outbox).toBe(0);
  });
});

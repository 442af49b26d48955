// Peers that lie about the head, serve a fork, or run the same validator key: a node over real
// libp2p on loopback (both ends in this process, in-memory stores) must end on the honest head,
// refuse what the invite's checkpoint contradicts, and stop signing when its key signs elsewhere.
import { afterEach, describe, expect, it } from 'vitest';
import { blockHashOf, type CommitCertificate } from '../../src/chain/block';
import { createGenesis } from '../../src/chain/genesis';
import { bytesToHex } from '../../src/crypto/bytes';
import { nobleVerifier, sign } from '../../src/crypto/ed25519';
import type { Network } from '../../src/net/Network';
import type { NodeEvent } from '../../src/node/createChainNode';
import { createNode, type FreeholdNode } from '../../src/node/createNode';
import {
  answers,
  errorFrame,
  MAX_FRAME_BYTES,
  MAX_REQUEST_BYTES,
  readSyncRequest,
  SYNC_PROTOCOL,
} from '../../src/node/syncProtocol';
import { encodeAnnouncement, topicOf } from '../../src/node/topics';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import {
  GENESIS_TIME,
  TestChain,
  testGenesis,
  testKey,
  type TestKey,
} from '../helpers/chainFixture';
import { loopbackNetwork } from '../helpers/loopbackNetwork';
import { servingPeer as servePeer } from '../helpers/servingPeer';

const HEIGHT = 12;
const validators = [0, 1, 2, 3].map((i) => testKey(`hostile peers validator ${i}`));

function preparedChain(amount = 5n): TestChain {
  const chain = new TestChain(testGenesis(validators), validators[0]!);
  for (let h = 1; h <= HEIGHT; h++) {
    const from = validators[h % 4]!;
    const to = validators[(h + 1) % 4]!;
    chain.commit([chain.tx(from, { kind: 'transfer', asset: 'COIN', to: to.publicKey, amount })]);
  }
  return chain;
}

const certificatesOf = (chain: TestChain): CommitCertificate[] =>
  chain.lightBlocks.map((l) => l.commit);

const servingPeer = (chain: TestChain): Promise<Network> =>
  servePeer(chain.blocks, certificatesOf(chain));

/**
 * A liar: claims a head at height 10^9 on the headers topic and in its head answer, signed by a
 * validator set nobody knows, and serves no block.
 */
async function lyingPeer(chain: TestChain): Promise<{ network: Network; stop: () => void }> {
  const network = await loopbackNetwork();
  const header = {
    ...chain.head!,
    height: 1_000_000_000,
    validatorsHash: new Uint8Array(32).fill(0xee),
  };
  const certificate = {
    ...chain.lastCommit!,
    height: header.height,
    blockHash: blockHashOf(header),
  };
  network.serve(
    SYNC_PROTOCOL,
    function* (bytes) {
      if (readSyncRequest(bytes).kind === 'head')
        yield answers.head({ height: header.height, header, certificate });
    },
    { maxRequestBytes: MAX_REQUEST_BYTES, maxFrameBytes: MAX_FRAME_BYTES },
  );
  const topic = topicOf(chain.chainId, 'headers');
  network.subscribe(topic, { maxBytes: 1 << 20, validate: () => 'accept', deliver: () => {} });
  const timer = setInterval(() => {
    void network.publish(topic, encodeAnnouncement({ header, certificate })).catch(() => 0);
  }, 300);
  return { network, stop: () => clearInterval(timer) };
}

async function until<T>(what: string, read: () => T | undefined | false, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('hostile peers (real libp2p on loopback, in-memory stores)', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function node(bootstrap: Network[], events: NodeEvent[]): Promise<FreeholdNode> {
    const n = createNode({
      store: createMemoryChainStore(),
      network: await loopbackNetwork(bootstrap.map((b) => b.addresses()[0]!)),
      verifier: nobleVerifier,
      tickMs: 200,
      onEvent: (e) => events.push(e),
    });
    cleanup.push(() => n.stop());
    return n;
  }

  const signer = (k: TestKey) => ({
    publicKey: k.publicKey,
    sign: (m: Uint8Array) => sign(m, k.secretKey),
  });

  it('A3: with a liar claiming height 10^9 and an honest peer at 12, the node reaches 12 and a restored validator signs', async () => {
    const chain = preparedChain();
    const honest = await servingPeer(chain);
    const liar = await lyingPeer(chain);
    cleanup.push(
      () => honest.stop(),
      () => liar.network.stop(),
      liar.stop,
    );
    const events: NodeEvent[] = [];
    const n = await node([liar.network, honest], events);
    const c = await n.join(chain.genesis, 'validator', signer(validators[0]!), {
      syncBeforeSigning: true,
      doubleSignCheckMs: 500,
    });
    await until('height 12', () => c.status().height === HEIGHT);
    expect(c.status().hash).toBe(bytesToHex(blockHashOf(chain.head!)));
    // The liar's claim is no target, and does not hold the validator back.
    expect(c.status().target).toBe(HEIGHT);
    await until('signing', () => events.find((e) => e.type === 'signing'));
    expect(c.status().signing).toBe(true);
    // Claiming a head it could not serve cost the liar.
    await until('the liar penalised', () => n.network.standing(liar.network.peerId).points > 0);
  });

  it('A3: an honest peer that answers "busy" or "not found" is not penalised for it', async () => {
    const chain = preparedChain();
    const busy = await loopbackNetwork();
    busy.serve(
      SYNC_PROTOCOL,
      function* (bytes) {
        yield readSyncRequest(bytes).kind === 'head'
          ? errorFrame('rateLimited', 'Too many requests; slow down.')
          : errorFrame('notFound', 'A light node keeps no blocks.');
      },
      { maxRequestBytes: MAX_REQUEST_BYTES, maxFrameBytes: MAX_FRAME_BYTES },
    );
    const honest = await servingPeer(chain);
    cleanup.push(
      () => busy.stop(),
      () => honest.stop(),
    );
    const n = await node([busy, honest], []);
    const c = await n.join(chain.genesis, 'full');
    await until('height 12', () => c.status().height === HEIGHT);
    await until('the busy peer asked', () => n.network.connectedPeers().includes(busy.peerId));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(n.network.standing(busy.peerId).points).toBe(0);
  });

  it('A12: refuses a chain that contradicts the checkpoint of the invite', async () => {
    const chain = preparedChain();
    const honest = await servingPeer(chain);
    cleanup.push(() => honest.stop());
    const events: NodeEvent[] = [];
    const n = await node([honest], events);
    const c = await n.join(chain.genesis, 'full', undefined, {
      checkpoint: { height: 5, hash: new Uint8Array(32).fill(1) },
    });
    const fault = await until('a fault', () => events.find((e) => e.type === 'peerFault'));
    expect(fault.type === 'peerFault' && fault.reason).toMatch(/invite vouches for/);
    expect(c.status().height).toBe(0);
  });

  it('A12: takes a chain that holds the checkpoint of the invite', async () => {
    const chain = preparedChain();
    const honest = await servingPeer(chain);
    cleanup.push(() => honest.stop());
    const n = await node([honest], []);
    const c = await n.join(chain.genesis, 'full', undefined, {
      checkpoint: { height: 5, hash: blockHashOf(chain.blocks[4]!.header) },
    });
    await until('height 12', () => c.status().height === HEIGHT);
  });

  it('A12: two certified chains from one genesis (the set signed a fork) stop catch-up', async () => {
    const a = await servingPeer(preparedChain(5n));
    const b = await servingPeer(preparedChain(6n));
    cleanup.push(
      () => a.stop(),
      () => b.stop(),
    );
    const events: NodeEvent[] = [];
    const n = await node([a, b], events);
    const c = await n.join(testGenesis(validators), 'full');
    await until('a fork warning', () =>
      events.find((e) => e.type === 'warning' && /fork/.test(e.message)),
    );
    expect(c.status().signingHalted).toMatch(/fork/);
  });

  it('A12: a validator that meets a fork of its own head stops signing for the rest of its run', async () => {
    const a = await servingPeer(preparedChain(5n));
    const b = await servingPeer(preparedChain(6n));
    cleanup.push(
      () => a.stop(),
      () => b.stop(),
    );
    const events: NodeEvent[] = [];
    const n = await node([a], events);
    const c = await n.join(testGenesis(validators), 'validator', signer(validators[0]!), {
      syncBeforeSigning: true,
      doubleSignCheckMs: 300,
    });
    await until('signing at 13', () => events.find((e) => e.type === 'signing'));
    // Another peer holds another block at this height, certified by the same set.
    await n.network.dial(b.addresses()[0]!);
    await until('signing halted', () => events.find((e) => e.type === 'signingHalted'));
    expect(c.status().signingHalted).toMatch(/fork|certified blocks/);
    // Ticks go by (200 ms each) with nothing ahead of it: it must not start signing again.
    await b.stop();
    await new Promise((r) => setTimeout(r, 2_000));
    expect(events.filter((e) => e.type === 'signing')).toHaveLength(1);
    expect(c.status().signing).toBe(false);
  });

  it('A6: a restored key that sees its own key voting elsewhere never signs, and says why', async () => {
    const key = testKey('hostile peers lone validator');
    const genesis = createGenesis({
      name: 'One device',
      genesisTime: GENESIS_TIME,
      validators: [{ key: key.publicKey, power: 1, name: 'kitchen' }],
      assets: [{ symbol: 'COIN', name: 'Coin', decimals: 2, minter: null }],
      balances: [],
    });
    const eventsA: NodeEvent[] = [];
    const a = await node([], eventsA);
    const first = await a.join(genesis, 'validator', signer(key));
    await until('a block on the first device', () => first.status().height >= 2);
    const eventsB: NodeEvent[] = [];
    const b = await node([a.network], eventsB);
    const second = await b.join(genesis, 'validator', signer(key), {
      syncBeforeSigning: true,
      doubleSignCheckMs: 3_000,
    });
    const halted = await until('signing halted', () =>
      eventsB.find((e) => e.type === 'signingHalted'),
    );
    expect(halted.type === 'signingHalted' && halted.reason).toMatch(/another device/);
    expect(second.status().signingHalted).toMatch(/another device/);
    const at = first.status().height;
    await until('the first device goes on', () => first.status().height >= at + 2);
    expect(eventsB.some((e) => e.type === 'signing')).toBe(false);
    expect(second.status().signing).toBe(false);
  });
});

// A7: a validator that loses power right after it publishes a vote comes back (same key, same
// SQLite file) and never signs against what it sent. The power cut is modelled at the ports:
// once the first vote is handed to the network, the old node's network drops everything and
// its store never completes another write (nothing after that instant reaches the disk); the
// node is abandoned without stop(). A 2-of-2 chain, so one vote cannot decide the height.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blockHashOf } from '../../src/chain/block';
import type { ChainStore } from '../../src/chain/ChainStore';
import { chainIdOf, genesisValidatorSet } from '../../src/chain/genesis';
import { signVote, type Vote, type VoteBody } from '../../src/chain/vote';
import { bytesToHex, equalBytes } from '../../src/crypto/bytes';
import { nobleVerifier, sign } from '../../src/crypto/ed25519';
import { proposerOf } from '../../src/consensus/proposer';
import {
  decodeConsensusMessage,
  encodeConsensusMessage,
  type ConsensusMessage,
  type Proposal,
} from '../../src/consensus/messages';
import type { Network, TopicHandler } from '../../src/net/Network';
import { createChainNode, type ChainNode } from '../../src/node/createChainNode';
import { topicOf } from '../../src/node/topics';
import { createSqliteChainStore } from '../../src/store/createSqliteChainStore';
import { testGenesis, testKey, type TestKey } from '../helpers/chainFixture';

/** A network with no peers: it records what the node publishes and lets the test deliver. */
function isolatedNetwork(onPublish: (topic: string, data: Uint8Array) => void) {
  const handlers = new Map<string, TopicHandler>();
  const network: Network = {
    peerId: 'self',
    addresses: () => [],
    connectedPeers: () => [],
    links: () => [],
    subscribe: (topic, handler) => void handlers.set(topic, handler),
    unsubscribe: (topic) => void handlers.delete(topic),
    publish: (topic, data) => {
      onPublish(topic, data);
      return Promise.resolve(0);
    },
    topicPeers: () => [],
    serve: () => undefined,
    request: () => Promise.reject(new Error('no peers')),
    dial: () => Promise.reject(new Error('no peers')),
    keepDialling: () => undefined,
    setOffline: () => undefined,
    penalise: () => undefined,
    standing: () => ({ points: 0, banned: false }),
    onPeer: () => () => undefined,
    stop: () => Promise.resolve(),
  };
  /** A message from a peer, through the node's own validator as gossip would deliver it. */
  const deliver = async (topic: string, data: Uint8Array): Promise<void> => {
    const handler = handlers.get(topic)!;
    expect(await handler.validate(data, 'peer')).toBe('accept');
    handler.deliver(data, 'peer');
  };
  return { network, deliver };
}

const WRITES = [
  'addChain',
  'removeChain',
  'commitBlock',
  'commitBlocks',
  'putCertificate',
  'putConsensusState',
  'putOutbox',
  'deleteOutbox',
  'putPeer',
] as const;

/** The store as the disk sees it: after `cut()`, no write ever completes. */
function powerCutStore(store: ChainStore): { store: ChainStore; cut: () => void } {
  let cut = false;
  const wrapped = { ...store };
  type Write = (...args: unknown[]) => Promise<void>;
  for (const name of WRITES) {
    const write = (store[name] as Write).bind(store);
    (wrapped[name] as Write) = (...args) =>
      cut ? new Promise<void>(() => undefined) : write(...args);
  }
  return { store: wrapped, cut: () => (cut = true) };
}

const signer = (key: TestKey) => ({
  publicKey: key.publicKey,
  sign: (m: Uint8Array) => sign(m, key.secretKey),
});

/** Never fires during the test: the restarted node moves only on the messages given to it. */
const SLOW = { proposeMs: 600_000, prevoteMs: 600_000, precommitMs: 600_000, deltaMs: 0 };

const dir = mkdtempSync(join(tmpdir(), 'freehold-crash-'));
const opened: ChainStore[] = [];
afterAll(async () => {
  for (const s of opened) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('A7: a validator that crashes right after publishing a vote', () => {
  it('A7: restarts from its write-ahead record and never signs against the vote it sent', async () => {
    const [a, b] = [testKey('crash a'), testKey('crash b')];
    const genesis = testGenesis([a, b]);
    const chainId = chainIdOf(genesis);
    const consensus = topicOf(chainId, 'consensus');
    // The victim proposes at height 1, round 0: it signs a proposal and a prevote at once.
    const first = proposerOf(genesisValidatorSet(genesis), 1, 0).publicKey;
    const [victim, other] = equalBytes(first, a.publicKey) ? [a, b] : [b, a];
    const path = join(dir, 'victim.sqlite');

    // Before the cut.
    const disk = createSqliteChainStore(path);
    opened.push(disk);
    const power = powerCutStore(disk);
    const sent: ConsensusMessage[] = [];
    let crashed = false;
    let onCrash!: () => void;
    const crash = new Promise<void>((resolve) => (onCrash = resolve));
    const before = isolatedNetwork((topic, data) => {
      if (crashed || topic !== consensus) return;
      const m = decodeConsensusMessage(data);
      sent.push(m);
      if (m.kind === 'vote') {
        crashed = true;
        power.cut();
        onCrash();
      }
    });
    const abandoned: ChainNode = createChainNode({
      genesis,
      role: 'validator',
      store: power.store,
      network: before.network,
      validatorKey: signer(victim),
      verifier: nobleVerifier,
      timeouts: SLOW,
      tickMs: 50,
    });
    void abandoned.start();
    await crash;

    const proposal = sent.find((m) => m.kind === 'proposal')?.proposal as Proposal;
    const vote = sent.find((m) => m.kind === 'vote')?.vote as Vote;
    expect(vote).toMatchObject({ type: 'prevote', height: 1, round: 0 });
    const proposed = blockHashOf(proposal.block.header);
    expect(vote.blockHash).toEqual(proposed);

    // After the restart: a new store on the same file, a new node with the same key and a clock
    // that has moved on (a fresh proposal would differ from the one sent).
    const reopened = createSqliteChainStore(path);
    opened.push(reopened);
    const signed: Vote[] = [];
    const committed: string[] = [];
    const after = isolatedNetwork((topic, data) => {
      if (topic !== consensus) return;
      const m = decodeConsensusMessage(data);
      if (m.kind === 'vote') signed.push(m.vote);
    });
    const node = createChainNode({
      genesis,
      role: 'validator',
      store: reopened,
      network: after.network,
      validatorKey: signer(victim),
      verifier: nobleVerifier,
      timeouts: SLOW,
      tickMs: 50,
      now: () => Date.now() + 60_000,
      onEvent: (e) => {
        if (e.type === 'committed') committed.push(e.hash);
      },
    });
    await node.start();
    // It sends its prevote again (a tick re-sends what it signed at this height).
    await expect.poll(() => signed.length).toBeGreaterThan(0);
    const against = (v: Vote) =>
      v.height === 1 && v.round === 0 && v.blockHash !== null && !equalBytes(v.blockHash, proposed);
    expect(signed.filter(against)).toEqual([]);

    // The other validator answers the proposal that was sent, and relays the prevotes it holds
    // (the restored engine keeps locks, not vote counts): the height completes with that block.
    const from = (body: VoteBody) =>
      encodeConsensusMessage({
        kind: 'vote',
        vote: signVote(chainId, body, other.publicKey, signer(other).sign),
      });
    await after.deliver(consensus, encodeConsensusMessage({ kind: 'proposal', proposal }));
    const at = { height: 1, round: 0, blockHash: proposed };
    await after.deliver(consensus, encodeConsensusMessage({ kind: 'vote', vote }));
    await after.deliver(consensus, from({ type: 'prevote', ...at }));
    await after.deliver(consensus, from({ type: 'precommit', ...at }));
    await expect.poll(() => committed).toEqual([bytesToHex(proposed)]);
    expect(signed.filter(against)).toEqual([]);
    expect(signed.some((v) => v.type === 'precommit' && v.round === 0)).toBe(true);
    await node.stop();
  });
});

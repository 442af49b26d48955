// The sync protocol's codec and limits, and the consensus write-ahead state: pure, no network.
import { describe, expect, it } from 'vitest';
import { encode } from '../../src/codec/cbor';
import { blockHashOf } from '../../src/chain/block';
import { signVote } from '../../src/chain/vote';
import { sign } from '../../src/crypto/ed25519';
import { decodeWal, encodeWal } from '../../src/node/consensusWal';
import {
  answers,
  createRateLimiter,
  encodeSyncRequest,
  errorFrame,
  MAX_BLOCKS_PER_REQUEST,
  readAnswer,
  readSyncRequest,
} from '../../src/node/syncProtocol';
import { createPenaltyBook } from '../../src/net/penalties';
import { TestChain, testGenesis, testKey } from '../helpers/chainFixture';

const chainId = new Uint8Array(32).fill(3);

describe('sync protocol requests', () => {
  it('round-trip every kind of request', () => {
    const requests = [
      { kind: 'head', chainId },
      { kind: 'headers', chainId, from: 1, to: 1024 },
      { kind: 'blocks', chainId, from: 5, to: 5 + MAX_BLOCKS_PER_REQUEST - 1 },
      { kind: 'lightBlock', chainId, height: 9 },
      { kind: 'proof', chainId, name: 'balance:ab:COIN' },
      { kind: 'evidence', chainId },
    ] as const;
    for (const r of requests) expect(readSyncRequest(encodeSyncRequest(r))).toEqual(r);
  });

  it('refuse malformed, oversized and out-of-range requests with a DecodeError', () => {
    const bad = [
      new Uint8Array([0xff, 0x00, 0x13]),
      encode({ kind: 'blocks', chainId, from: 1, to: 1 + MAX_BLOCKS_PER_REQUEST }),
      encode({ kind: 'blocks', chainId, from: 9, to: 3 }),
      encode({ kind: 'blocks', chainId, from: 0, to: 3 }),
      encode({ kind: 'head', chainId: new Uint8Array(31) }),
      encode({ kind: 'mempool', chainId }),
      encode({ kind: 'head', chainId, extra: 1 }),
      encode({ kind: 'proof', chainId, name: 'x'.repeat(300) }),
      new Uint8Array(2048),
    ];
    for (const bytes of bad)
      expect(() => readSyncRequest(bytes)).toThrow(
        expect.objectContaining({ name: 'DecodeError' }) as Error,
      );
  });
});

describe('sync protocol answers', () => {
  it('carry blocks with certificates and heads, and turn error frames into typed errors', () => {
    const alice = testKey('alice');
    const chain = new TestChain(testGenesis([alice]), alice);
    const { block } = chain.commit([]);
    const certificate = {
      height: 1,
      round: 0,
      blockHash: blockHashOf(block.header),
      signatures: [],
    };
    const back = readAnswer.block(answers.block({ block, certificate }));
    expect(blockHashOf(back.block.header)).toEqual(blockHashOf(block.header));
    expect(readAnswer.head(answers.head({ height: 1, header: block.header, certificate }))).toEqual(
      { height: 1, header: block.header, certificate },
    );
    expect(() =>
      readAnswer.head(answers.head({ height: 2, header: block.header, certificate })),
    ).toThrow('does not agree');
    expect(() => readAnswer.block(errorFrame('rateLimited', 'slow down'))).toThrow(
      expect.objectContaining({ code: 'rateLimited' }) as Error,
    );
  });
});

describe('rate limiter and penalty book', () => {
  it('the rate limiter allows a burst per peer, then the refill rate', () => {
    let t = 0;
    const allow = createRateLimiter(2, 3, () => t);
    expect([1, 2, 3, 4].map(() => allow('p'))).toEqual([true, true, true, false]);
    expect(allow('q')).toBe(true);
    t = 500;
    expect([allow('p'), allow('p')]).toEqual([true, false]);
  });

  it('points add up to a ban that lasts, and decay with good behaviour', () => {
    let t = 0;
    const book = createPenaltyBook({ banAt: 100, banMs: 60_000, decayPerMinute: 10, now: () => t });
    for (let i = 0; i < 9; i++) expect(book.add('p', 10, 'rejected on tx')).toBe(false);
    expect(book.add('p', 10, 'rejected on tx')).toBe(true);
    expect(book.banned('p')).toBe(true);
    expect(book.reasons('p')).toEqual({ 'rejected on tx': 10 });
    t = 61_000;
    expect(book.banned('p')).toBe(false);
    expect(book.points('p')).toBeCloseTo(100 - (61_000 / 60_000) * 10);
    expect(book.points('stranger')).toBe(0);
  });
});

describe('consensus write-ahead state', () => {
  it('round-trips the locks and the signed messages, and refuses damaged bytes', () => {
    const alice = testKey('alice');
    const chain = new TestChain(testGenesis([alice]), alice);
    const { block } = chain.commit([]);
    const vote = signVote(
      chain.state.chainId,
      { type: 'prevote', height: 2, round: 1, blockHash: blockHashOf(block.header) },
      alice.publicKey,
      (m) => sign(m, alice.secretKey),
    );
    const wal = {
      snapshot: {
        height: 2,
        round: 1,
        step: 'precommit' as const,
        lockedValue: block,
        lockedRound: 1,
        validValue: null,
        validRound: -1,
      },
      own: [{ kind: 'vote' as const, vote }],
    };
    const back = decodeWal(encodeWal(wal));
    expect(back.snapshot.lockedRound).toBe(1);
    expect(back.snapshot.validRound).toBe(-1);
    expect(blockHashOf(back.snapshot.lockedValue!.header)).toEqual(blockHashOf(block.header));
    expect(back.own).toEqual(wal.own);
    expect(() => decodeWal(encode({ height: 2 }))).toThrow(
      expect.objectContaining({ name: 'DecodeError' }) as Error,
    );
  });
});

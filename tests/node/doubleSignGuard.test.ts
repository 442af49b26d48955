// The double-sign guard (pure): a vote or certificate signature of this key that this node did
// not publish stops signing for good; history and its own signatures do not.
import { describe, expect, it } from 'vitest';
import { createDoubleSignGuard } from '../../src/node/doubleSignGuard';
import type { Vote } from '../../src/chain/vote';
import type { CommitCertificate } from '../../src/chain/block';

const key = new Uint8Array(32).fill(7);
const other = new Uint8Array(32).fill(8);
const sig = (n: number): Uint8Array => new Uint8Array(64).fill(n);
const vote = (height: number, signature: Uint8Array, validator = key): Vote => ({
  type: 'prevote',
  height,
  round: 0,
  blockHash: new Uint8Array(32),
  validator,
  signature,
});
const certificate = (height: number, signature: Uint8Array): CommitCertificate => ({
  height,
  round: 0,
  blockHash: new Uint8Array(32),
  signatures: [
    { validator: other, signature: sig(99) },
    { validator: key, signature },
  ],
});
const guard = () =>
  createDoubleSignGuard({ key, startHeight: 10, startedAt: 1_000, quietMs: 3_000 });

describe('double-sign guard', () => {
  it('A6: listens for the quiet period before it lets a restarted key sign', () => {
    const g = guard();
    expect(g.maySign(3_999)).toBe(false);
    expect(g.maySign(4_000)).toBe(true);
  });

  it('A6: a vote of this key that this node did not make halts signing, with the reason', () => {
    const g = guard();
    expect(g.vote(vote(11, sig(1)))).toMatch(/prevote at height 11 on another device/);
    expect(g.maySign(10_000)).toBe(false);
    expect(g.halted()).toMatch(/another device/);
  });

  it("A6: this node's own votes, other validators' votes and history do not", () => {
    const g = guard();
    g.own(11, [sig(1)]);
    expect(g.vote(vote(11, sig(1)))).toBeUndefined();
    expect(g.vote(vote(11, sig(2), other))).toBeUndefined();
    expect(g.vote(vote(10, sig(3)))).toBeUndefined(); // at or below the start height
    expect(g.halted()).toBeUndefined();
  });

  it('A6: a proposal of this key that this node did not make halts signing', () => {
    const g = guard();
    g.own(11, [sig(1)]);
    const proposal = {
      height: 11,
      round: 0,
      validRound: -1,
      proposer: key,
      signature: sig(1),
      block: {} as never,
    };
    expect(g.proposal(proposal)).toBeUndefined();
    expect(g.proposal({ ...proposal, signature: sig(2) })).toMatch(/proposed a block at height 11/);
  });

  it('A6: a certificate with a signature of this key it did not make halts signing', () => {
    const g = guard();
    expect(g.certificate(certificate(12, sig(4)))).toMatch(/block 12/);
    expect(g.maySign(10_000)).toBe(false);
  });

  it('A6: a certificate at or below the start height is history; its own signatures are its own', () => {
    const g = guard();
    expect(g.certificate(certificate(10, sig(4)))).toBeUndefined();
    g.own(13, [sig(5)]);
    expect(g.certificate(certificate(13, sig(5)))).toBeUndefined();
    expect(g.halted()).toBeUndefined();
  });

  it('forgets its own signatures of heights long past, and keeps the recent ones', () => {
    const g = guard();
    g.own(11, [sig(1)]);
    g.own(11 + 64, [sig(2)]);
    expect(g.vote(vote(11 + 64, sig(2)))).toBeUndefined();
    expect(g.vote(vote(11, sig(1)))).toMatch(/another device/);
  });
});

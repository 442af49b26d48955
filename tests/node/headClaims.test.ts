// What peers say of the chain's head (pure): only verified heads count, unverified ones are
// hints tried last, a peer never lowers its verified claim, and the map stays bounded.
import { describe, expect, it } from 'vitest';
import { createHeadClaims } from '../../src/node/headClaims';

const hash = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const all = (): boolean => true;

describe('head claims', () => {
  it('A3: an unverified claim, however high, is not a target', () => {
    const claims = createHeadClaims();
    claims.unverified('liar', 1_000_000_000);
    claims.verified('honest', 12, hash(1));
    expect(claims.target(0, all)).toBe(12);
  });

  it('A3: verified claims are tried before unverified ones, then the highest first', () => {
    const claims = createHeadClaims();
    claims.unverified('liar', 1_000_000_000);
    claims.verified('a', 10, hash(1));
    claims.verified('b', 12, hash(2));
    expect(claims.above(0, all).map((c) => c.peer)).toEqual(['b', 'a', 'liar']);
  });

  it('leaves out peers that are cut off, and heads at or below the given height', () => {
    const claims = createHeadClaims();
    claims.verified('a', 10, hash(1));
    claims.verified('banned', 20, hash(2));
    const usable = (p: string): boolean => p !== 'banned';
    expect(claims.above(0, usable).map((c) => c.peer)).toEqual(['a']);
    expect(claims.above(10, usable)).toEqual([]);
    expect(claims.target(0, usable)).toBe(10);
  });

  it('an unverified claim never replaces a verified one of the same peer', () => {
    const claims = createHeadClaims();
    claims.verified('a', 10, hash(1));
    claims.unverified('a', 99);
    expect(claims.above(0, all)).toEqual([
      { peer: 'a', height: 10, verified: true, hash: '01'.repeat(32) },
    ]);
  });

  it('A12: two certified heads at one height that differ are a fork', () => {
    const claims = createHeadClaims();
    expect(claims.verified('a', 12, hash(1))).toBeUndefined();
    expect(claims.verified('c', 12, hash(1))).toBeUndefined();
    expect(claims.verified('b', 12, hash(2))).toMatchObject({ height: 12 });
  });

  it('A3: stays bounded, evicting unverified claims first', () => {
    const claims = createHeadClaims(4);
    claims.verified('v1', 5, hash(1));
    for (let i = 0; i < 100; i++) claims.unverified(`junk${i}`, 1000 + i);
    expect(claims.size()).toBe(4);
    expect(claims.target(0, all)).toBe(5);
  });

  it('forgets a peer', () => {
    const claims = createHeadClaims();
    claims.verified('a', 10, hash(1));
    claims.forget('a');
    expect(claims.target(0, all)).toBe(0);
  });
});

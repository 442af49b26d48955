// Invites (pure, in memory): the genesis and peers go round, and anything else is a typed error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainIdOf } from '../../src/chain/genesis';
import { encode } from '../../src/codec/cbor';
import { bytesToHex } from '../../src/crypto/bytes';
import {
  decodeInvite,
  encodeInvite,
  INVITE_PREFIX,
  InvalidInviteError,
  MAX_INVITE_PEERS,
} from '../../src/node/invite';
import { testGenesis, testKey } from '../helpers/chainFixture';
import { base64urlnopad } from '@scure/base';

const genesis = testGenesis([testKey('invite a'), testKey('invite b')]);
const peer = '/ip4/192.168.1.20/tcp/4001/p2p/12D3KooWGzh9mB8AnXqzWbLZ8RpWQ9GJpCB9yW6RcF4GyT7zE1kK';

const problemOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInviteError);
    return (error as InvalidInviteError).problem;
  }
  throw new Error('no error');
};
const raw = (value: unknown): string => INVITE_PREFIX + base64urlnopad.encode(encode(value));

describe('invites (pure)', () => {
  it('carry the genesis and the peers there and back, spaces around ignored', () => {
    const text = encodeInvite({ genesis, peers: [peer] });
    expect(text.startsWith(INVITE_PREFIX)).toBe(true);
    const back = decodeInvite(`  ${text}\n`);
    expect(bytesToHex(back.chainId)).toBe(bytesToHex(chainIdOf(genesis)));
    expect(bytesToHex(chainIdOf(back.genesis))).toBe(bytesToHex(chainIdOf(genesis)));
    expect(back.peers).toEqual([peer]);
  });

  it('say what is wrong with a bad one', () => {
    expect(problemOf(() => decodeInvite('did:key:z6Mk'))).toBe('notAnInvite');
    expect(problemOf(() => decodeInvite(`${INVITE_PREFIX}!!!`))).toBe('unreadable');
    expect(problemOf(() => decodeInvite(raw({ v: 2, genesis, peers: [] })))).toBe(
      'unsupportedVersion',
    );
    expect(problemOf(() => decodeInvite(raw({ v: 1, genesis: { name: 'x' }, peers: [] })))).toBe(
      'unreadable',
    );
    expect(problemOf(() => decodeInvite(raw({ v: 1, genesis, peers: ['not an address'] })))).toBe(
      'badPeers',
    );
    expect(problemOf(() => decodeInvite(raw({ v: 1, genesis, peers: [42] })))).toBe('badPeers');
    const many = Array.from({ length: MAX_INVITE_PEERS + 1 }, () => peer);
    expect(problemOf(() => decodeInvite(raw({ v: 1, genesis, peers: many })))).toBe('badPeers');
    expect(problemOf(() => encodeInvite({ genesis, peers: ['/ip4/10.0.0.1/tcp/1'] }))).toBe(
      'badPeers',
    );
  });

  it('turn any damage into InvalidInviteError and nothing else', () => {
    const good = encodeInvite({ genesis, peers: [peer] });
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.string({ maxLength: 4 }), (at, junk) => {
        const damaged = good.slice(0, Math.max(INVITE_PREFIX.length, at)) + junk;
        try {
          decodeInvite(damaged);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInviteError);
        }
      }),
      { numRuns: 300 },
    );
  });
});

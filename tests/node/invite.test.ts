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
const checkpoint = { height: 1234, hash: new Uint8Array(32).fill(7) };
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
    expect(problemOf(() => decodeInvite(raw({ v: 3, genesis, peers: [] })))).toBe(
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

  it('A12: carry a checkpoint there and back; one without reads and writes as before', () => {
    const text = encodeInvite({ genesis, peers: [peer], checkpoint });
    const back = decodeInvite(text);
    expect(back.checkpoint?.height).toBe(checkpoint.height);
    expect(bytesToHex(back.checkpoint!.hash)).toBe(bytesToHex(checkpoint.hash));
    expect(back.peers).toEqual([peer]);
    // An invite without a checkpoint is the version 1 invite, byte for byte.
    const old = raw({ v: 1, genesis, peers: [peer] });
    expect(encodeInvite({ genesis, peers: [peer] })).toBe(old);
    expect(decodeInvite(old).checkpoint).toBeUndefined();
  });

  it('A12: refuse a bad checkpoint, saying why', () => {
    const withCheckpoint = (value: unknown) => raw({ v: 2, genesis, peers: [], checkpoint: value });
    const reason = (value: unknown): string => {
      try {
        decodeInvite(withCheckpoint(value));
      } catch (error) {
        expect((error as InvalidInviteError).problem).toBe('badCheckpoint');
        return (error as InvalidInviteError).shortMessage;
      }
      throw new Error('accepted');
    };
    const { hash } = checkpoint;
    for (const height of [0, -1, 2n ** 53n, '5', null])
      expect(reason({ height, hash })).toMatch(/height .* whole number from 1/);
    for (const bad of [hash.slice(0, 31), new Uint8Array(33), bytesToHex(hash), [1, 2]])
      expect(reason({ height: 5, hash: bad })).toMatch(/hash .* 32 bytes/);
    expect(reason({ height: 5 })).toMatch(/checkpoint .* not valid/);
    expect(reason({ height: 5, hash, time: 1 })).toMatch(/checkpoint .* not valid/);
    expect(reason('5')).toMatch(/checkpoint .* not valid/);
    expect(
      problemOf(() => encodeInvite({ genesis, peers: [], checkpoint: { height: 0, hash } })),
    ).toBe('badCheckpoint');
    // A checkpoint belongs to version 2, and version 2 has one.
    expect(problemOf(() => decodeInvite(raw({ v: 1, genesis, peers: [], checkpoint })))).toBe(
      'unreadable',
    );
    expect(problemOf(() => decodeInvite(raw({ v: 2, genesis, peers: [] })))).toBe('unreadable');
  });

  it('A12: turn any checkpoint value into a checkpoint or InvalidInviteError', () => {
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true }), (value) => {
        let text: string;
        try {
          text = raw({ v: 2, genesis, peers: [], checkpoint: value });
        } catch {
          return; // not encodable as canonical CBOR (floats, undefined): no invite carries it
        }
        try {
          decodeInvite(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidInviteError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('turn any damage into InvalidInviteError and nothing else', () => {
    const good = encodeInvite({ genesis, peers: [peer], checkpoint });
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

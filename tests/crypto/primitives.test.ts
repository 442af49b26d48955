// The small primitives every id and signature rests on (pure): tagged hashes, ids and signed
// bytes checked against their definitions computed independently (node:crypto), byte helpers,
// did:key refusals, and the fractions thresholds are compared with.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base58 } from '@scure/base';
import { decode, encode } from '../../src/codec/cbor';
import { idOf, idOfBytes, shortId } from '../../src/codec/ids';
import { signingBytes } from '../../src/codec/signingBytes';
import {
  abytes,
  bytesKey,
  compareBytes,
  equalBytes,
  InvalidBytesError,
  wipe,
} from '../../src/crypto/bytes';
import { fromDidKey, InvalidDidError, toDidKey } from '../../src/crypto/didKey';
import { taggedHash } from '../../src/crypto/hash';
import { exceeds, formatFraction, ONE_HALF, reaches, TWO_THIRDS } from '../../src/chain/fraction';
import { hashValidatorSet } from '../../src/chain/validatorSet';
import { testKey } from '../helpers/chainFixture';

const sha256 = (...parts: (Uint8Array | string)[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('tagged hashes, ids and signed bytes (pure)', () => {
  it('a tagged hash is SHA-256 of the tag, a zero byte, then the parts', () => {
    expect(taggedHash('freehold/1/x', bytes(1, 2), bytes(3))).toEqual(
      sha256('freehold/1/x', bytes(0), bytes(1, 2, 3)),
    );
    // Many tags (more than are kept prepared) each still hash by their own prefix.
    for (let i = 0; i < 70; i++) {
      expect(taggedHash(`tag ${i}`, bytes(i))).toEqual(sha256(`tag ${i}`, bytes(0), bytes(i)));
    }
  });

  it('an id is the tagged hash of its kind over the canonical encoding', () => {
    const value = { b: 2, a: [1, 'x'] };
    expect(idOf('record', value)).toEqual(sha256('freehold/1/record', bytes(0), encode(value)));
    expect(idOfBytes('header', bytes(9))).toEqual(sha256('freehold/1/header', bytes(0), bytes(9)));
  });

  it('a validator set’s hash is its id, and handing it out does not expose the kept one', () => {
    const set = {
      validators: [{ publicKey: testKey('prim').publicKey, power: 1, name: '' }],
      threshold: TWO_THIRDS,
    };
    const first = hashValidatorSet(set);
    expect(first).toEqual(sha256('freehold/1/validators', bytes(0), encode(set)));
    first.fill(0);
    expect(hashValidatorSet(set)).toEqual(sha256('freehold/1/validators', bytes(0), encode(set)));
  });

  it('a short id is the first 40 bits in Crockford base32, in two groups of four', () => {
    expect(shortId(new Uint8Array(32))).toBe('0000-0000');
    expect(shortId(new Uint8Array(32).fill(0xff))).toBe('ZZZZ-ZZZZ');
    expect(shortId(bytes(0x08, 0x42, 0x10, 0x84, 0x21, 0xff))).toBe('1111-1111');
  });

  it('signed bytes name the protocol, the chain and the kind before the payload', () => {
    const chainId = new Uint8Array(32).fill(5);
    expect(decode(signingBytes(chainId, 'prevote', { height: 3 }))).toEqual([
      'freehold/1',
      chainId,
      'prevote',
      { height: 3 },
    ]);
    expect(() => signingBytes(chainId.subarray(1), 'prevote', {})).toThrow(InvalidBytesError);
  });
});

describe('byte helpers (pure)', () => {
  it('abytes wants bytes, of the length given when one is', () => {
    expect(abytes(bytes(1, 2))).toEqual(bytes(1, 2));
    expect(abytes(bytes(1, 2), 2)).toEqual(bytes(1, 2));
    expect(() => abytes([1, 2])).toThrow(InvalidBytesError);
    let caught: unknown;
    try {
      abytes(bytes(1), 2, 'key');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidBytesError);
    expect((caught as InvalidBytesError).details).toBe('got 1 bytes');
  });

  it('equalBytes and compareBytes look at every byte and at length', () => {
    expect(equalBytes(bytes(1, 2, 3), bytes(1, 2, 3))).toBe(true);
    expect(equalBytes(bytes(1, 2, 3), bytes(1, 2, 4))).toBe(false);
    expect(equalBytes(bytes(1, 2), bytes(1, 2, 0))).toBe(false);
    expect(compareBytes(bytes(1, 2), bytes(1, 3))).toBeLessThan(0);
    expect(compareBytes(bytes(1, 3), bytes(1, 2))).toBeGreaterThan(0);
    expect(compareBytes(bytes(1), bytes(1, 0))).toBeLessThan(0);
    expect(compareBytes(bytes(1, 0), bytes(1))).toBeGreaterThan(0);
    expect(compareBytes(bytes(1, 2), bytes(1, 2))).toBe(0);
  });

  it('wipe zeroes every buffer it is given, and skips the missing ones', () => {
    const a = bytes(1, 2);
    const b = bytes(3);
    wipe(a, undefined, b);
    expect([...a, ...b]).toEqual([0, 0, 0]);
  });

  it('bytesKey gives one character per byte', () => {
    expect(bytesKey(bytes(65, 66, 0))).toBe('AB\u0000');
    expect(bytesKey(bytes())).toBe('');
  });
});

describe('did:key (pure)', () => {
  const key = testKey('did').publicKey;
  const did = (raw: Uint8Array) => `did:key:z${base58.encode(raw)}`;

  it('round-trips an ed25519 key', () => {
    expect(fromDidKey(toDidKey(key))).toEqual(key);
    expect(toDidKey(key)).toBe(did(Uint8Array.from([0xed, 0x01, ...key])));
  });

  it('keeps the decoder’s complaint as the cause of a base58 refusal', () => {
    let caught: unknown;
    try {
      fromDidKey('did:key:z0OIl');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidDidError);
    expect((caught as Error).cause).toBeInstanceOf(Error);
  });

  it.each([
    ['a key of 31 bytes', () => toDidKey(key.subarray(1))],
    ['something that is not text', () => fromDidKey(5 as unknown as string)],
    ['another method', () => fromDidKey(toDidKey(key).replace('did:key:', 'did:web:'))],
    ['another multibase', () => fromDidKey(toDidKey(key).replace('did:key:z', 'did:key:f'))],
    ['invalid base58', () => fromDidKey('did:key:z0OIl')],
    ['another key type', () => fromDidKey(did(Uint8Array.from([0xec, 0x01, ...key])))],
    ['another codec byte', () => fromDidKey(did(Uint8Array.from([0xed, 0x02, ...key])))],
    [
      'a key one byte short',
      () => fromDidKey(did(Uint8Array.from([0xed, 0x01, ...key.subarray(1)]))),
    ],
    ['a key one byte long', () => fromDidKey(did(Uint8Array.from([0xed, 0x01, ...key, 0])))],
    [
      'a key no signature can verify under',
      () => fromDidKey(did(Uint8Array.from([0xed, 0x01, ...new Uint8Array(32)]))),
    ],
  ])('refuses %s', (_label, read) => {
    expect(read).toThrow(InvalidDidError);
  });
});

describe('fractions (pure)', () => {
  it('exceeds is strictly more, reaches is at least', () => {
    expect(exceeds(2, 3, TWO_THIRDS)).toBe(false);
    expect(exceeds(3, 4, TWO_THIRDS)).toBe(true);
    expect(reaches(2, 3, TWO_THIRDS)).toBe(true);
    expect(reaches(1, 3, TWO_THIRDS)).toBe(false);
    // 5 of 8 against 2/3: 15 < 16, so neither.
    expect([exceeds(5, 8, TWO_THIRDS), reaches(5, 8, TWO_THIRDS)]).toEqual([false, false]);
    expect(reaches(4n, 8n, ONE_HALF)).toBe(true);
  });

  it('the named fractions are what they say, and print as n/d', () => {
    expect([ONE_HALF, TWO_THIRDS]).toEqual([
      { numerator: 1, denominator: 2 },
      { numerator: 2, denominator: 3 },
    ]);
    expect(formatFraction({ numerator: 3, denominator: 4 })).toBe('3/4');
  });
});

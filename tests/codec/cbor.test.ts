// Property tests for the canonical codec (pure, in memory).
import { encode as cborgEncode, rfc8949EncodeOptions } from 'cborg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode, DecodeError } from '../../src/codec/cbor';
import { signingBytes } from '../../src/codec/signingBytes';
import { bytesToHex } from '../../src/crypto/bytes';
import { decodeTransaction } from '../../src/chain/transaction';
import { decodeBlock } from '../../src/chain/block';
import { readGenesis } from '../../src/chain/genesis';
import { expectOnlyTypedErrors } from '../helpers/fuzzDecoder';

/** Values inside the canonical form: integers, u64/i64 bigints, text, bytes, lists, maps. */
const canonicalValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }),
    fc.string(),
    fc.uint8Array({ maxLength: 80 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Decoded integers come back as number when safe and bigint beyond; compare by value. */
function normalise(v: unknown): unknown {
  if (
    typeof v === 'bigint' &&
    v >= BigInt(Number.MIN_SAFE_INTEGER) &&
    v <= BigInt(Number.MAX_SAFE_INTEGER)
  )
    return Number(v);
  if (Array.isArray(v)) return v.map(normalise);
  if (v instanceof Uint8Array) return Array.from(v);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  return v;
}

function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reversedKeys(x)]),
    );
  }
  return v;
}

function onlyTyped(run: () => unknown, ...names: string[]): void {
  try {
    run();
  } catch (e) {
    expect(names).toContain((e as Error).name);
  }
}

describe('canonical CBOR codec', () => {
  it('round-trips every canonical value', () => {
    fc.assert(
      fc.property(canonicalValue, (v) => {
        expect(normalise(decode(encode(v)))).toEqual(normalise(v));
      }),
    );
  });

  it('gives one encoding per value, whatever the key order', () => {
    fc.assert(
      fc.property(canonicalValue, (v) => {
        expect(encode(reversedKeys(v))).toEqual(encode(v));
        expect(encode(decode(encode(v)))).toEqual(encode(v));
      }),
    );
  });

  it("orders map keys exactly as cborg's RFC 8949 sorter does, for any text keys", () => {
    const keys = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.dictionary(keys, fc.nat(), { maxKeys: 12 }), (map) => {
        expect(bytesToHex(encode(map))).toBe(bytesToHex(cborgEncode(map, rfc8949EncodeOptions)));
      }),
      { numRuns: 500 },
    );
  });

  it('decoding random bytes throws only DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) =>
        onlyTyped(() => decode(bytes), 'DecodeError'),
      ),
      { numRuns: 2000 },
    );
  });

  it('decoders of protocol messages fed random or mutated bytes throw only their typed error', () => {
    const valid = encode({
      tx: {
        chainId: new Uint8Array(32),
        sender: new Uint8Array(32),
        nonce: 0,
        body: { kind: 'vote', proposalId: 1, choice: 'yes' },
      },
      signature: new Uint8Array(64),
    });
    expectOnlyTypedErrors(valid, [
      { decode: decodeTransaction, errors: ['MalformedTransactionError'] },
      { decode: decodeBlock, errors: ['DecodeError'] },
      { decode: (b) => readGenesis(decode(b)), errors: ['DecodeError', 'InvalidGenesisError'] },
    ]);
  });

  it.each([
    ['non-minimal integer', '1817'],
    ['unsorted map keys', 'a2616201616101'],
    ['indefinite-length list', '9f01ff'],
    ['float', 'fb3ff8000000000000'],
    ['undefined', 'f7'],
    ['trailing bytes', '0101'],
    ['duplicate keys', 'a2616101616102'],
    ['unknown tag', 'c11a514b67b0'],
    ['a __proto__ key (prototype pollution)', 'a1695f5f70726f746f5f5fa168706f6c6c7574656401'],
  ])('rejects %s', (_label, hex) => {
    expect(() => decode(Uint8Array.from(Buffer.from(hex, 'hex')))).toThrow(DecodeError);
  });

  it.each([10, 100, 2500, 3000, 5000, 20000])(
    'nesting %i deep is a DecodeError, never a stack overflow',
    (depth) => {
      const bytes = new Uint8Array(depth + 1).fill(0x81);
      bytes[depth] = 0x00;
      if (depth < 32) expect(decode(bytes)).toBeDefined();
      else expect(() => decode(bytes)).toThrow(DecodeError);
      expect(() => decodeTransaction(bytes)).toThrow(
        expect.objectContaining({ name: 'MalformedTransactionError' }),
      );
    },
  );

  it('refuses to encode what has no canonical form', () => {
    for (const v of [1.5, undefined, new Map(), { a: undefined }, 2n ** 64n]) {
      expect(() => encode(v)).toThrow(expect.objectContaining({ name: 'EncodeError' }));
    }
  });

  it('signing bytes separate chains and kinds', () => {
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(2);
    const payload = { x: 1 };
    const all = [
      signingBytes(a, 'transaction', payload),
      signingBytes(b, 'transaction', payload),
      signingBytes(a, 'prevote', payload),
    ];
    expect(new Set(all.map((x) => Buffer.from(x).toString('hex'))).size).toBe(3);
  });
});

// The shape readers every decoder is built from (pure): each refuses the one wrong shape it is
// for with a DecodeError, and accepts the edge of its range.
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/codec/cbor';
import {
  asArray,
  asBytes,
  asNullable,
  asObject,
  asOneOf,
  asRecord,
  asSafeUint,
  asString,
  asUint,
} from '../../src/codec/read';

/** The DecodeError `read` throws, or undefined when it accepts. */
function refusal(read: () => unknown): DecodeError | undefined {
  try {
    read();
    return undefined;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return e;
  }
}
const refuses = (read: () => unknown): boolean => refusal(read) !== undefined;

describe('shape readers (pure)', () => {
  it('asObject wants a plain map with exactly its keys, and any of the optional ones', () => {
    for (const notAMap of [null, [], new Uint8Array(2), 5, 'text', undefined]) {
      expect(refuses(() => asObject(notAMap, 'm', []))).toBe(true);
    }
    expect(asObject({ a: 1 }, 'm', ['a'])).toEqual({ a: 1 });
    expect(refuses(() => asObject({}, 'm', ['a']))).toBe(true);
    expect(refuses(() => asObject({ a: 1, b: 2 }, 'm', ['a']))).toBe(true);
    expect(asObject({ a: 1, b: 2 }, 'm', ['a'], ['b', 'c'])).toEqual({ a: 1, b: 2 });
    expect(asObject({ a: 1 }, 'm', ['a'], ['b'])).toEqual({ a: 1 });
    // A key inherited from the prototype is not the message's own.
    expect(refuses(() => asObject(Object.create({ a: 1 }) as object, 'm', ['a']))).toBe(true);
  });

  it('asRecord takes any text keys, up to its count', () => {
    expect(asRecord({ x: 1, y: 2 }, 'r', 2)).toEqual({ x: 1, y: 2 });
    expect(refuses(() => asRecord({ x: 1, y: 2, z: 3 }, 'r', 2))).toBe(true);
    expect(refuses(() => asRecord([1], 'r', 2))).toBe(true);
  });

  it('asBytes wants bytes, of the length given when one is', () => {
    expect(asBytes(new Uint8Array(3), 'b')).toHaveLength(3);
    expect(asBytes(new Uint8Array(32), 'b', 32)).toHaveLength(32);
    expect(refuses(() => asBytes(new Uint8Array(31), 'b', 32))).toBe(true);
    expect(refuses(() => asBytes(new Uint8Array(33), 'b', 32))).toBe(true);
    expect(refuses(() => asBytes([1, 2, 3], 'b'))).toBe(true);
    expect(refuses(() => asBytes('abc', 'b'))).toBe(true);
  });

  it('asString wants text between its two lengths, both included', () => {
    expect(asString('abc', 's', 3)).toBe('abc');
    expect(asString('a', 's', 3, 1)).toBe('a');
    expect(asString('', 's', 3)).toBe('');
    expect(refuses(() => asString('abcd', 's', 3))).toBe(true);
    expect(refuses(() => asString('', 's', 3, 1))).toBe(true);
    expect(refuses(() => asString(5, 's', 3))).toBe(true);
  });

  it('asUint takes safe numbers and bigints from 0 to its maximum, as bigint', () => {
    expect(asUint(0, 'u')).toBe(0n);
    expect(asUint(Number.MAX_SAFE_INTEGER, 'u')).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(asUint(0n, 'u')).toBe(0n);
    expect(asUint(2n ** 64n - 1n, 'u')).toBe(2n ** 64n - 1n);
    expect(asUint(10n, 'u', 10n)).toBe(10n);
    for (const bad of [-1, 1.5, 2 ** 53, -1n, 2n ** 64n, '5', null]) {
      expect(
        refuses(() => asUint(bad, 'u')),
        String(bad),
      ).toBe(true);
    }
    expect(refuses(() => asUint(11n, 'u', 10n))).toBe(true);
  });

  it('asSafeUint takes whole numbers from 0 to 2^53 − 1, and nothing else', () => {
    expect(asSafeUint(0, 'n')).toBe(0);
    expect(asSafeUint(Number.MAX_SAFE_INTEGER, 'n')).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of [-1, 0.5, 2 ** 53, 5n, '5', null]) {
      expect(
        refuses(() => asSafeUint(bad, 'n')),
        String(bad),
      ).toBe(true);
    }
  });

  it('asArray wants a list of at most its length', () => {
    expect(asArray([1, 2], 'l', 2)).toEqual([1, 2]);
    expect(refuses(() => asArray([1, 2, 3], 'l', 2))).toBe(true);
    expect(refuses(() => asArray({ 0: 1 }, 'l', 2))).toBe(true);
  });

  it('asOneOf wants one of its words', () => {
    expect(asOneOf('yes', 'c', ['yes', 'no'])).toBe('yes');
    expect(refuses(() => asOneOf('maybe', 'c', ['yes', 'no']))).toBe(true);
    expect(refuses(() => asOneOf(1, 'c', ['yes', 'no']))).toBe(true);
  });

  it('asNullable reads anything but null', () => {
    expect(asNullable(null, () => 'read')).toBeNull();
    expect(asNullable(0, (v) => `read ${String(v)}`)).toBe('read 0');
  });

  it('says in its details what it got instead', () => {
    expect(refusal(() => asBytes(null, 'b'))?.details).toBe('got null');
    expect(refusal(() => asBytes(new Uint8Array(3), 'b', 32))?.details).toBe('got 3 bytes');
    expect(refusal(() => asSafeUint('5', 'n'))?.details).toBe('got string');
  });
});

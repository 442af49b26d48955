// The codec's limits and canonical-form rules, one at a time, each at its boundary: the largest
// input and the deepest nesting that decode, and one byte or one level more that do not.
import { describe, expect, it } from 'vitest';
import { Token, Type, rfc8949EncodeOptions } from 'cborg';
import fc from 'fast-check';
import {
  canonicalKeyOrder,
  DecodeError,
  MAX_DECODE_BYTES,
  MAX_DECODE_DEPTH,
  decode,
  encode,
} from '../../src/codec/cbor';

const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

/** A value nested `levels` deep: lists, maps, or the two in turn. */
function nested(levels: number, shape: 'list' | 'map' | 'mixed'): unknown {
  let value: unknown = 0;
  for (let i = 0; i < levels; i++) {
    const asMap = shape === 'map' || (shape === 'mixed' && i % 2 === 1);
    value = asMap ? { k: value } : [value];
  }
  return value;
}

/** A byte string whose canonical encoding is exactly `size` bytes long. */
function encodedOfSize(size: number): Uint8Array {
  const head = 5; // 0x5a and a four-byte length, for strings of 65,536 bytes or more
  const bytes = encode(new Uint8Array(size - head));
  expect(bytes.length).toBe(size);
  return bytes;
}

describe('CBOR decoding limits', () => {
  it('decodes an input of exactly the largest size, and refuses one byte more', () => {
    expect((decode(encodedOfSize(MAX_DECODE_BYTES)) as Uint8Array).length).toBe(
      MAX_DECODE_BYTES - 5,
    );
    expect(() => decode(encodedOfSize(MAX_DECODE_BYTES + 1))).toThrow(
      expect.objectContaining({
        name: 'DecodeError',
        shortMessage: 'Input is larger than allowed.',
      }),
    );
  });

  it('holds a caller’s own smaller limit, to the byte', () => {
    const bytes = encodedOfSize(70_000);
    expect(decode(bytes, 70_000)).toBeInstanceOf(Uint8Array);
    expect(() => decode(bytes, 69_999)).toThrow(/larger than allowed/);
  });

  for (const shape of ['list', 'map', 'mixed'] as const) {
    it(`decodes ${shape}s nested ${MAX_DECODE_DEPTH} deep and refuses one level more`, () => {
      expect(decode(encode(nested(MAX_DECODE_DEPTH, shape)))).toEqual(
        nested(MAX_DECODE_DEPTH, shape),
      );
      expect(() => decode(encode(nested(MAX_DECODE_DEPTH + 1, shape)))).toThrow(
        new DecodeError(`Lists and maps nest at most ${MAX_DECODE_DEPTH} deep.`),
      );
    });
  }

  it('refuses input that is not bytes', () => {
    expect(() => decode('a1' as unknown as Uint8Array)).toThrow(/must be bytes/);
  });
});

describe('CBOR canonical form', () => {
  it('refuses a value it decodes but cannot encode, naming the encoder’s refusal as cause', () => {
    expect(() => decode(hex('f93e00'))).toThrow(
      expect.objectContaining({
        shortMessage: 'CBOR holds a value outside the canonical form.',
        cause: expect.objectContaining({ name: 'EncodeError' }) as unknown,
      }),
    );
  });

  // Each is refused by its own check (the decoder's strict option, or the re-encoding), so a
  // check turned off shows here even where another one would still refuse the input.
  const malformed = 'Malformed CBOR.';
  it.each([
    ['an integer in a longer form than needed', '1801', malformed, /more bytes than necessary/],
    ['a length in a longer form than needed', '5801ff', malformed, /more bytes than necessary/],
    ['map keys out of order', 'a2616201616101', 'CBOR is not in canonical form.', undefined],
    ['a duplicate map key', 'a2616101616102', malformed, /repeat map key/],
    ['trailing bytes', '0000', malformed, /too many terminals/],
    ['a float', 'f93e00', 'CBOR holds a value outside the canonical form.', undefined],
    ['NaN', 'f97e00', malformed, /NaN/],
    ['infinity', 'f97c00', malformed, /Infinity/],
    ['undefined', 'f7', malformed, /undefined values/],
    ['an indefinite-length byte string', '5f41ff', malformed, /indefinite length/],
  ])('refuses %s', (_what, bytes, shortMessage, details) => {
    let refusal: unknown;
    try {
      decode(hex(bytes));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DecodeError);
    expect(refusal).toMatchObject({ shortMessage });
    if (details) expect((refusal as DecodeError).details).toMatch(details);
    else expect((refusal as DecodeError).details).toBeUndefined();
  });

  it('decodes integers past 2^53 as bigint, and a 64-bit one exactly', () => {
    expect(decode(hex('1bffffffffffffffff'))).toBe(2n ** 64n - 1n);
    expect(decode(hex('1b0020000000000000'))).toBe(2n ** 53n);
    expect(encode(2n ** 53n)).toEqual(hex('1b0020000000000000'));
  });

  it('refuses a "__proto__" key at any depth, so a peer cannot choose inherited fields', () => {
    // {"__proto__": 1} and {"a": {"__proto__": 1}}
    expect(() => decode(hex('a1695f5f70726f746f5f5f01'))).toThrow(/__proto__/);
    expect(() => decode(hex('a16161a1695f5f70726f746f5f5f01'))).toThrow(/__proto__/);
  });

  it('hands out plain byte arrays that own their memory', () => {
    const input = encode({ b: new Uint8Array([1, 2, 3]) });
    const decoded = decode(input) as { b: Uint8Array };
    expect(Object.getPrototypeOf(decoded.b)).toBe(Uint8Array.prototype);
    expect(Object.getPrototypeOf(input)).toBe(Uint8Array.prototype);
    input.fill(0);
    expect(decoded.b).toEqual(new Uint8Array([1, 2, 3]));
    const list = decode(encode([new Uint8Array([4])])) as Uint8Array[];
    expect(Object.getPrototypeOf(list[0])).toBe(Uint8Array.prototype);
  });

  it('orders keys shortest first, then bytewise, non-ASCII keys included', () => {
    expect(encode({ bb: 1, a: 2, c: 3 })).toEqual(hex('a361610261630362626201'));
    expect(encode({ é: 1, z: 2 })).toEqual(hex('a2617a0262c3a901'));
    // 'é' is one UTF-16 unit but two UTF-8 bytes: by encoded bytes 'ab' comes first.
    expect(encode({ é: 2, ab: 1 })).toEqual(hex('a262616201' + '62c3a902'));
    expect(encode({ 'a~': 1, a: 2 })).toEqual(hex('a261610262617e01'));
  });

  it('says which rule an unencodable value breaks, and keeps the cause of a codec failure', () => {
    expect(() => encode(0.5)).toThrow(
      expect.objectContaining({
        name: 'EncodeError',
        shortMessage: 'Only safe integers can be encoded; use bigint for large values.',
      }),
    );
    const thrown = (run: () => unknown): Error => {
      try {
        run();
      } catch (error) {
        return error as Error;
      }
      throw new Error('nothing was thrown');
    };
    const tooLarge = thrown(() => encode(2n ** 64n));
    expect(tooLarge.name).toBe('EncodeError');
    expect(tooLarge.cause).toBeInstanceOf(Error);
    const malformed = thrown(() => decode(hex('ff')));
    expect(malformed).toMatchObject({ name: 'DecodeError', shortMessage: 'Malformed CBOR.' });
    expect(malformed.cause).toBeInstanceOf(Error);
  });

  it('refuses to encode unsafe integers, floats, undefined and Maps, each by name', () => {
    expect(() => encode(2 ** 53)).toThrow(/safe integers/);
    expect(() => encode(0.5)).toThrow(/safe integers/);
    expect(() => encode(undefined)).toThrow(/undefined/);
    expect(() => encode(new Map())).toThrow(/Maps/);
    expect(encode(2 ** 53 - 1)).toEqual(hex('1b001fffffffffffff'));
  });

  it('orders two keys as RFC 8949 does, equal keys included, on the fast path or off it', () => {
    const entry = (key: string): Token[] => [new Token(Type.string, key, 0)];
    const rfc = rfc8949EncodeOptions.mapSorter!;
    const agree = (x: string, y: string) => {
      const ours = canonicalKeyOrder(entry(x), entry(y));
      expect(Math.sign(ours), `${x} vs ${y}`).toBe(Math.sign(rfc(entry(x), entry(y))));
    };
    for (const [x, y] of [
      ['b', 'a'],
      ['a', 'b'],
      ['a', 'a'],
      ['ab', 'é'],
      ['é', 'ab'],
      ['zz', 'aaa'],
    ]) {
      agree(x!, y!);
    }
    const key = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    );
    fc.assert(
      fc.property(key, key, (x, y) => agree(x, y) === undefined && agree(x, x) === undefined),
    );
  });
});

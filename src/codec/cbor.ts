/**
 * @module cbor — the one canonical encoding for everything that is signed or hashed.
 * Deterministic CBOR (RFC 8949 §4.2.1, core deterministic encoding) through cborg:
 * shortest integer forms, definite lengths, map keys sorted bytewise, no floats, no undefined.
 * Decoding accepts only bytes that re-encode to themselves, so one value has one encoding.
 */
import { decode as cborgDecode, encode as cborgEncode, rfc8949EncodeOptions, Token } from 'cborg';
import type { EncodeOptions } from 'cborg';
import { FreeholdError } from '../FreeholdError';
import { equalBytes } from '../crypto/bytes';

export class EncodeError extends FreeholdError {
  override name = 'EncodeError' as const;
}

export class DecodeError extends FreeholdError {
  override name = 'DecodeError' as const;
}

/** Largest input the decoder will look at, a guard against memory exhaustion. */
export const MAX_DECODE_BYTES = 16 * 1024 * 1024;

/** Deepest nesting of lists and maps any Freehold message has, with room to spare. */
export const MAX_DECODE_DEPTH = 32;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

const rfc8949Sorter = rfc8949EncodeOptions.mapSorter!;

/** A key's text when it is printable ASCII: its UTF-8 bytes are its characters. */
function printableKey(entry: (Token | Token[])[]): string | undefined {
  const token = entry[0];
  // A map key is always a Token; the guard is for the type. Its mutants (never return, always
  // return, the test inverted) can only send a key to the general sorter, which orders it the
  // same, so they change speed and nothing a test can see.
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: equivalent, see above
  if (!(token instanceof Token)) return undefined;
  const text: unknown = token.value;
  return typeof text === 'string' && PRINTABLE_ASCII.test(text) ? text : undefined;
}

/**
 * RFC 8949's key order (bytewise over the encoded keys), without encoding the keys: for text
 * keys the encoded length grows with the UTF-8 length, so shorter keys come first and keys of
 * one length compare by their bytes, which for ASCII is JavaScript's string order. Anything
 * else (a non-ASCII key) takes cborg's general sorter, which encodes both keys.
 */
export function canonicalKeyOrder(e1: (Token | Token[])[], e2: (Token | Token[])[]): number {
  const x = printableKey(e1);
  const y = printableKey(e2);
  if (x === undefined || y === undefined) return rfc8949Sorter(e1, e2);
  return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

const ENCODE_OPTIONS: EncodeOptions = {
  ...rfc8949EncodeOptions,
  mapSorter: canonicalKeyOrder,
  typeEncoders: {
    number(value: unknown) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new EncodeError('Only safe integers can be encoded; use bigint for large values.', {
          details: `got ${String(value)}`,
        });
      }
      return null; // let cborg encode the integer
    },
    undefined() {
      throw new EncodeError('undefined cannot be encoded; omit the field or use null.');
    },
    Map() {
      throw new EncodeError('Maps are not part of the canonical form; use a plain object.');
    },
  },
};

const DECODE_OPTIONS = {
  strict: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowInfinity: false,
  allowNaN: false,
  allowBigInt: true,
  rejectDuplicateMapKeys: true,
  useMaps: false,
} as const;

/**
 * A plain Uint8Array that owns its memory. In Node, cborg hands out Buffers (views into a shared
 * pool, whose `slice()` does not copy) and decodes byte strings as views into the input; copying
 * at the codec's edge means no caller can be surprised by aliasing.
 */
function own(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/** Copies byte strings out of the input, and refuses a "__proto__" key: assigned to a plain
 * object it would set the object's prototype, letting a peer choose inherited fields. */
function ownBytesIn(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) return own(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DECODE_DEPTH) {
    throw new DecodeError(`Lists and maps nest at most ${MAX_DECODE_DEPTH} deep.`);
  }
  if (Array.isArray(value)) return value.map((v) => ownBytesIn(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    throw new DecodeError('A map key "__proto__" is not allowed.');
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__') throw new DecodeError('A map key "__proto__" is not allowed.');
    out[k] = ownBytesIn(v, depth + 1);
  }
  return out;
}

/** Canonical bytes of `value`. */
export function encode(value: unknown): Uint8Array {
  try {
    return own(cborgEncode(value, ENCODE_OPTIONS));
  } catch (cause) {
    if (cause instanceof EncodeError) throw cause;
    throw new EncodeError('Value cannot be encoded canonically.', {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
}

/** Decodes canonical bytes; anything else (malformed, trailing, non-canonical) is a DecodeError. */
export function decode(bytes: Uint8Array, maxBytes = MAX_DECODE_BYTES): unknown {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError('Input must be bytes.');
  if (bytes.length > maxBytes) {
    throw new DecodeError('Input is larger than allowed.', {
      details: `${bytes.length} bytes > ${maxBytes}`,
    });
  }
  let value: unknown;
  try {
    value = cborgDecode(bytes, DECODE_OPTIONS);
  } catch (cause) {
    throw new DecodeError('Malformed CBOR.', {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });
  }
  // Depth first: the canonical check below re-encodes, which recurses as deep as the input.
  const owned = ownBytesIn(value);
  let again: Uint8Array;
  try {
    again = encode(owned);
  } catch (cause) {
    throw new DecodeError('CBOR holds a value outside the canonical form.', { cause });
  }
  if (!equalBytes(again, bytes)) throw new DecodeError('CBOR is not in canonical form.');
  return owned;
}

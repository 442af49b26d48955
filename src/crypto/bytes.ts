/**
 * @module bytes — small byte helpers and boundary assertions (in the manner of noble's `abytes`).
 */
import {
  bytesToHex,
  concatBytes,
  hexToBytes,
  randomBytes,
  utf8ToBytes,
} from '@noble/hashes/utils.js';
import { FreeholdError } from '../FreeholdError';

export { bytesToHex, concatBytes, hexToBytes, randomBytes, utf8ToBytes };

/** Source of randomness, injected so the core stays deterministic under test. */
export type RandomBytes = (length: number) => Uint8Array;

export class InvalidBytesError extends FreeholdError {
  override name = 'InvalidBytesError' as const;
}

/** Asserts `value` is a Uint8Array (of `length` bytes when given) and returns it. */
export function abytes(value: unknown, length?: number, label = 'value'): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new InvalidBytesError(`${label} must be bytes.`);
  }
  if (length !== undefined && value.length !== length) {
    throw new InvalidBytesError(`${label} must be ${length} bytes.`, {
      details: `got ${value.length} bytes`,
    });
  }
  return value;
}

/** Constant-time equality for equal-length inputs (length itself is not secret). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** Lexicographic order of byte strings. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Overwrites secret material in place. JS cannot promise the engine kept no copy; this is best effort. */
export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}

/** A cheap Map key for bytes (one char per byte); not for display. */
export function bytesKey(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i] as number);
  return s;
}

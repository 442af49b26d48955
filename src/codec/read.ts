/**
 * @module read — shape checks for decoded values. Each helper asserts one field and names it
 * in the DecodeError, so a peer's bad message says what was wrong without crashing anything.
 */
import { DecodeError } from './cbor';

export type Path = string;

function fail(path: Path, expected: string, value: unknown): never {
  const got =
    value === null ? 'null' : value instanceof Uint8Array ? `${value.length} bytes` : typeof value;
  throw new DecodeError(`Field ${path} must be ${expected}.`, { details: `got ${got}` });
}

function asMap(value: unknown, path: Path): Record<string, unknown> {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    value instanceof Uint8Array
  ) {
    fail(path, 'a map', value);
  }
  return value as Record<string, unknown>;
}

/** A plain object with exactly the `required` keys, plus any of `optional`. */
export function asObject(
  value: unknown,
  path: Path,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  const obj = asMap(value, path);
  for (const key of required) {
    if (!Object.hasOwn(obj, key)) throw new DecodeError(`Field ${path}.${key} is missing.`);
  }
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key)) {
      throw new DecodeError(`Field ${path}.${key} is not expected.`);
    }
  }
  return obj;
}

/** A map with text keys chosen by the writer (balances, metadata), at most `maxEntries` of them. */
export function asRecord(value: unknown, path: Path, maxEntries: number): Record<string, unknown> {
  const obj = asMap(value, path);
  if (Object.keys(obj).length > maxEntries) {
    throw new DecodeError(`Field ${path} has more than ${maxEntries} entries.`);
  }
  return obj;
}

export function asBytes(value: unknown, path: Path, length?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) fail(path, 'bytes', value);
  if (length !== undefined && value.length !== length) fail(path, `${length} bytes`, value);
  return value;
}

export function asString(value: unknown, path: Path, maxLength: number, minLength = 0): string {
  if (typeof value !== 'string') fail(path, 'text', value);
  if (value.length > maxLength || value.length < minLength) {
    throw new DecodeError(`Field ${path} must be ${minLength} to ${maxLength} characters.`);
  }
  return value;
}

/** An unsigned integer as bigint (decoders give number or bigint; state keeps bigint). */
export function asUint(value: unknown, path: Path, max: bigint = 2n ** 64n - 1n): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'bigint' && value >= 0n) {
    if (value > max) fail(path, `at most ${max}`, value);
    return value;
  }
  fail(path, 'an unsigned integer', value);
}

/** An unsigned safe integer as number (heights, counts, times in ms). */
export function asSafeUint(value: unknown, path: Path): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  fail(path, 'an unsigned safe integer', value);
}

export function asArray(value: unknown, path: Path, maxLength: number): unknown[] {
  if (!Array.isArray(value)) fail(path, 'a list', value);
  if (value.length > maxLength) fail(path, `a list of at most ${maxLength}`, value);
  return value;
}

export function asOneOf<T extends string>(value: unknown, path: Path, options: readonly T[]): T {
  if (typeof value !== 'string' || !options.includes(value as T)) {
    fail(path, `one of ${options.join(', ')}`, value);
  }
  return value as T;
}

export function asNullable<T>(value: unknown, read: (v: unknown) => T): T | null {
  return value === null ? null : read(value);
}

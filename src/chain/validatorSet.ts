/**
 * @module validatorSet — who validates a height, with what power, and the threshold their
 * signatures must pass. Its hash goes in every header (validators hash, next validators hash),
 * so a light client follows set and threshold changes by hash alone.
 */
import { asArray, asBytes, asObject, asSafeUint, asString } from '../codec/read';
import { idOf } from '../codec/ids';
import { compareBytes, equalBytes } from '../crypto/bytes';
import { readFraction, type Fraction } from './fraction';

export const MAX_VALIDATORS = 1000;
export const MAX_POWER = 1_000_000_000;
export const MAX_NAME_LENGTH = 64;

export interface Validator {
  publicKey: Uint8Array;
  power: number;
  /** A label for people ("Kitchen Pi"); not checked for uniqueness. */
  name: string;
}

export interface ValidatorSet {
  /** Sorted by public key bytes: one set, one encoding, one hash. */
  validators: Validator[];
  /** A commit needs signatures of more than this fraction of total power. */
  threshold: Fraction;
}

export function sortValidators(validators: readonly Validator[]): Validator[] {
  return [...validators].sort((a, b) => compareBytes(a.publicKey, b.publicKey));
}

export function totalPower(set: ValidatorSet): number {
  return set.validators.reduce((sum, v) => sum + v.power, 0);
}

export function findValidator(set: ValidatorSet, publicKey: Uint8Array): Validator | undefined {
  return set.validators.find((v) => equalBytes(v.publicKey, publicKey));
}

/** Hashes by set object: protocol values are never mutated, so a set's hash is fixed. */
const setHashes = new WeakMap<ValidatorSet, Uint8Array>();

export function hashValidatorSet(set: ValidatorSet): Uint8Array {
  let hash = setHashes.get(set);
  if (!hash) setHashes.set(set, (hash = idOf('validators', set)));
  return hash.slice();
}

export function readValidator(value: unknown, path: string): Validator {
  const v = asObject(value, path, ['publicKey', 'power', 'name']);
  return {
    publicKey: asBytes(v.publicKey, `${path}.publicKey`, 32),
    power: asSafeUint(v.power, `${path}.power`),
    name: asString(v.name, `${path}.name`, MAX_NAME_LENGTH),
  };
}

export function readValidatorSet(value: unknown, path = 'validatorSet'): ValidatorSet {
  const v = asObject(value, path, ['validators', 'threshold']);
  return {
    validators: asArray(v.validators, `${path}.validators`, MAX_VALIDATORS).map((x, i) =>
      readValidator(x, `${path}.validators[${i}]`),
    ),
    threshold: readFraction(v.threshold, `${path}.threshold`),
  };
}

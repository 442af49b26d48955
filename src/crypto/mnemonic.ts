/**
 * @module mnemonic — BIP-39 mnemonics (English wordlist), through @scure/bip39.
 * Entropy is what the vault keeps: it is bytes, so it can be wiped; the words are derived on demand.
 */
import {
  entropyToMnemonic,
  mnemonicToEntropy,
  mnemonicToSeedSync,
  validateMnemonic,
} from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { FreeholdError } from '../FreeholdError';
import { randomBytes, type RandomBytes } from './bytes';

export class InvalidMnemonicError extends FreeholdError {
  override name = 'InvalidMnemonicError' as const;
}

/** 12 words (128 bits) or 24 words (256 bits). */
export type MnemonicStrength = 128 | 256;

export function generateMnemonic(
  strength: MnemonicStrength = 256,
  random: RandomBytes = randomBytes,
): string {
  return entropyToMnemonic(random(strength / 8), wordlist);
}

/** Normalises spacing and case; throws if the words or their checksum are wrong. */
export function normalizeMnemonic(mnemonic: string): string {
  const words = mnemonic.normalize('NFKD').trim().toLowerCase().split(/\s+/);
  const normalized = words.join(' ');
  // BIP-39 allows 12, 15, 18, 21 or 24 words; Freehold creates 12 or 24 but restores any.
  if (![12, 15, 18, 21, 24].includes(words.length)) {
    throw new InvalidMnemonicError('A recovery phrase has 12, 15, 18, 21 or 24 words.', {
      details: `got ${words.length} words`,
    });
  }
  const unknown = words.filter((w) => !wordlist.includes(w)).length;
  if (unknown > 0) {
    throw new InvalidMnemonicError(`${unknown} word(s) are not in the BIP-39 English list.`);
  }
  if (!validateMnemonic(normalized, wordlist)) {
    throw new InvalidMnemonicError(
      'The recovery phrase checksum does not match: check the words and their order.',
    );
  }
  return normalized;
}

export function mnemonicEntropy(mnemonic: string): Uint8Array {
  return mnemonicToEntropy(normalizeMnemonic(mnemonic), wordlist);
}

export function entropyMnemonic(entropy: Uint8Array): string {
  return entropyToMnemonic(entropy, wordlist);
}

/** BIP-39 seed: PBKDF2-HMAC-SHA512(mnemonic, "mnemonic" ‖ passphrase, 2048). */
export function mnemonicSeed(mnemonic: string, passphrase = ''): Uint8Array {
  return mnemonicToSeedSync(normalizeMnemonic(mnemonic), passphrase);
}

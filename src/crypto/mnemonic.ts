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
  // Named by position, as the person wrote them down: numbered from 1.
  const unknown = words.flatMap((w, i) => (wordlist.includes(w) ? [] : [i + 1]));
  if (unknown.length > 0) {
    const [first] = unknown as [number];
    const more = unknown.length - 1;
    throw new InvalidMnemonicError(
      `Word ${first}, “${words[first - 1]}”, is not in the word list.` +
        (more > 0 ? ` ${more} more word${more > 1 ? 's are' : ' is'} not either.` : ''),
      { details: `unknown words at positions ${unknown.join(', ')}` },
    );
  }
  if (!validateMnemonic(normalized, wordlist)) {
    throw new InvalidMnemonicError(
      'Every word is in the list, but together they fail the phrase’s built-in check: a word is ' +
        'wrong or two are swapped. Compare each word and its position with your copy.',
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

// Published vectors, vendored under tests/vectors with their sources: BIP-39, SLIP-0010,
// RFC 8032 §7.1, did:key, and the ed25519 speccheck edge cases.
import { describe, expect, it } from 'vitest';
import bip39 from '../vectors/bip39-english.json';
import slip10 from '../vectors/slip10-ed25519.json';
import rfc8032 from '../vectors/rfc8032-ed25519.json';
import didKey from '../vectors/did-key-ed25519.json';
import speccheck from '../vectors/ed25519-speccheck.json';
import { bytesToHex, hexToBytes } from '../../src/crypto/bytes';
import { mnemonicEntropy, entropyMnemonic, mnemonicSeed } from '../../src/crypto/mnemonic';
import { deriveEd25519 } from '../../src/crypto/slip10';
import {
  createWebCryptoVerifier,
  getPublicKey,
  nobleVerifier,
  sign,
  verify,
} from '../../src/crypto/ed25519';
import { fromDidKey, toDidKey } from '../../src/crypto/didKey';
import { base58 } from '@scure/base';

describe('BIP-39 English reference vectors', () => {
  it.each(bip39.vectors)('$mnemonic', (v) => {
    expect(entropyMnemonic(hexToBytes(v.entropy))).toBe(v.mnemonic);
    expect(bytesToHex(mnemonicEntropy(v.mnemonic))).toBe(v.entropy);
    expect(bytesToHex(mnemonicSeed(v.mnemonic, bip39.passphrase))).toBe(v.seed);
  });
});

describe('SLIP-0010 ed25519 vectors 1 and 2', () => {
  const cases = slip10.vectors.flatMap((v) =>
    v.chains.map((c) => ({ ...c, seed: v.seed, name: v.name })),
  );
  it.each(cases)('$name $path', (c) => {
    const path = c.path.replace(/H/g, "'");
    const key = deriveEd25519(hexToBytes(c.seed), path);
    expect(bytesToHex(key.chainCode)).toBe(c.chainCode);
    expect(bytesToHex(key.secretKey)).toBe(c.privateKey);
    // SLIP-0010 prints ed25519 public keys with a 0x00 prefix byte.
    expect('00' + bytesToHex(key.publicKey)).toBe(c.publicKey);
  });

  it('refuses non-hardened steps', () => {
    expect(() => deriveEd25519(new Uint8Array(16), 'm/0')).toThrow(
      expect.objectContaining({ name: 'InvalidDerivationPathError' }),
    );
  });
});

describe('RFC 8032 §7.1 Ed25519 vectors', () => {
  it.each(rfc8032.vectors)('$name', (v) => {
    const sk = hexToBytes(v.secretKey);
    const msg = hexToBytes(v.message);
    expect(bytesToHex(getPublicKey(sk))).toBe(v.publicKey);
    expect(bytesToHex(sign(msg, sk))).toBe(v.signature);
    expect(verify(hexToBytes(v.signature), msg, hexToBytes(v.publicKey))).toBe(true);
  });
});

describe('did:key ed25519 examples', () => {
  it.each(didKey.vectors)('$did', (v) => {
    const pub = fromDidKey(v.did);
    expect(toDidKey(pub)).toBe(v.did);
    if ('publicKeyBase58' in v && typeof v.publicKeyBase58 === 'string') {
      expect(bytesToHex(pub)).toBe(bytesToHex(base58.decode(v.publicKeyBase58)));
    }
    if ('publicKeyJwkX' in v && typeof v.publicKeyJwkX === 'string') {
      expect(Buffer.from(pub).toString('base64url')).toBe(v.publicKeyJwkX);
    }
  });

  it('rejects other key types and garbage with InvalidDidError', () => {
    for (const bad of [
      'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme',
      'did:web:x',
      'did:key:z0OIl',
    ]) {
      expect(() => fromDidKey(bad)).toThrow(expect.objectContaining({ name: 'InvalidDidError' }));
    }
  });
});

describe('one verification rule on both paths (speccheck edge cases + RFC 8032)', () => {
  // Freehold's rule (see src/crypto/ed25519.ts): canonical S, canonical A not of small order,
  // cofactorless equation on the R bytes. Expected verdicts follow the speccheck table:
  // 0,1 small A; 2,3 accepted (cofactorless holds); 4,5 cofactorless fails; 6,7 S ≥ L;
  // 8,9 non-canonical R; 10,11 non-canonical (small) A.
  const expected = [
    false,
    false,
    true,
    true,
    false,
    false,
    false,
    false,
    false,
    false,
    false,
    false,
  ];
  const items = speccheck.vectors.map((v) => ({
    signature: hexToBytes(v.signature),
    message: hexToBytes(v.message),
    publicKey: hexToBytes(v.publicKey),
  }));

  it('noble path gives the rule verdicts, before and after a key gets its precomputed table', async () => {
    // Keys get a table after repeated use; twelve rounds cross that line for every key here.
    for (let round = 0; round < 12; round++) {
      expect(await nobleVerifier.verifyBatch(items)).toEqual(expected);
    }
  });

  it('WebCrypto path (Node OpenSSL) gives the same verdicts', async () => {
    const native = await createWebCryptoVerifier();
    expect(native, 'Node 22 has Ed25519 in WebCrypto').toBeDefined();
    expect(await native!.verifyBatch(items)).toEqual(expected);
    const good = rfc8032.vectors.map((v) => ({
      signature: hexToBytes(v.signature),
      message: hexToBytes(v.message),
      publicKey: hexToBytes(v.publicKey),
    }));
    const tampered = good.map((g) => ({ ...g, message: Uint8Array.from([...g.message, 1]) }));
    expect(await native!.verifyBatch([...good, ...tampered])).toEqual(
      await nobleVerifier.verifyBatch([...good, ...tampered]),
    );
    expect(await native!.verifyBatch(good)).toEqual(good.map(() => true));
  });
});

// Ed25519 verification against Wycheproof's 151 published cases (C2SP/wycheproof, verbatim in
// tests/vectors), on both paths (noble and Node's WebCrypto), and what each path does with
// input of the wrong shape or a runtime that fails: a verdict of false, never a throw.
import { describe, expect, it } from 'vitest';
import wycheproof from '../vectors/wycheproof-ed25519.json';
import { hexToBytes } from '../../src/crypto/bytes';
import {
  createWebCryptoVerifier,
  isAcceptedPublicKey,
  nobleVerifier,
  passesPrechecks,
  sign,
  verify,
  type SignatureItem,
} from '../../src/crypto/ed25519';
import { testKey } from '../helpers/chainFixture';

const cases = wycheproof.testGroups.flatMap((g) =>
  g.tests.map((t) => ({
    id: t.tcId,
    valid: t.result === 'valid',
    item: {
      signature: hexToBytes(t.sig),
      message: hexToBytes(t.msg),
      publicKey: hexToBytes(g.publicKey.pk),
    },
  })),
);

describe('Ed25519 against Wycheproof (noble and WebCrypto)', () => {
  it('holds all 151 cases', () => {
    expect(cases).toHaveLength(151);
    expect(cases.filter((c) => c.valid).length).toBeGreaterThan(0);
    expect(cases.filter((c) => !c.valid).length).toBeGreaterThan(0);
  });

  it('noble gives Wycheproof’s verdict on every case', async () => {
    for (const c of cases) {
      const { signature, message, publicKey } = c.item;
      expect(verify(signature, message, publicKey), `tcId ${c.id}`).toBe(c.valid);
    }
    expect(await nobleVerifier.verifyBatch(cases.map((c) => c.item))).toEqual(
      cases.map((c) => c.valid),
    );
    expect(nobleVerifier.name).toBe('noble');
  });

  it('WebCrypto gives Wycheproof’s verdict on every case', async () => {
    const native = await createWebCryptoVerifier();
    expect(native?.name).toBe('webcrypto');
    expect(await native!.verifyBatch(cases.map((c) => c.item))).toEqual(cases.map((c) => c.valid));
  });
});

describe('Ed25519 input of the wrong shape (noble and WebCrypto)', () => {
  const key = testKey('shapes');
  const message = Uint8Array.of(1, 2, 3);
  const signature = sign(message, key.secretKey);
  const misshapen: [string, SignatureItem][] = [
    [
      'a signature that is a list',
      { signature: [...signature] as never, message, publicKey: key.publicKey },
    ],
    ['a key that is a list', { signature, message, publicKey: [...key.publicKey] as never }],
    [
      'a signature one byte short',
      { signature: signature.subarray(1), message, publicKey: key.publicKey },
    ],
    [
      'a signature one byte long',
      { signature: Uint8Array.from([...signature, 0]), message, publicKey: key.publicKey },
    ],
    ['a key one byte short', { signature, message, publicKey: key.publicKey.subarray(1) }],
    [
      'a key one byte long',
      { signature, message, publicKey: Uint8Array.from([...key.publicKey, 0]) },
    ],
  ];

  it.each(misshapen)('refuses %s, without throwing', async (_label, item) => {
    expect(verify(item.signature, item.message, item.publicKey)).toBe(false);
    expect(passesPrechecks(item.signature, item.publicKey)).toBe(false);
    const native = await createWebCryptoVerifier();
    expect(await native!.verifyBatch([item])).toEqual([false]);
    expect(verify(signature, message, key.publicKey)).toBe(true);
  });

  it('accepts a key only as 32 bytes of a usable point', () => {
    expect(isAcceptedPublicKey(key.publicKey)).toBe(true);
    expect(isAcceptedPublicKey([...key.publicKey] as never)).toBe(false);
    expect(isAcceptedPublicKey(key.publicKey.subarray(1))).toBe(false);
    expect(isAcceptedPublicKey(new Uint8Array(32))).toBe(false);
    expect(passesPrechecks(signature, key.publicKey)).toBe(true);
  });

  it('keeps its verdicts for a key used many times (the key gets a precomputed table)', () => {
    for (let i = 0; i < 20; i++) {
      expect(verify(signature, message, key.publicKey)).toBe(true);
      expect(verify(signature, Uint8Array.of(i + 9), key.publicKey)).toBe(false);
    }
  });
});

describe('a WebCrypto that fails (stand-in SubtleCrypto)', () => {
  const real = globalThis.crypto.subtle;
  const key = testKey('failing subtle');
  const message = Uint8Array.of(7);
  const item = { signature: sign(message, key.secretKey), message, publicKey: key.publicKey };

  it('is not offered when it cannot import an Ed25519 key', async () => {
    const noEd25519 = {
      importKey: () => Promise.reject(new Error('Ed25519 not supported')),
    } as unknown as SubtleCrypto;
    expect(await createWebCryptoVerifier(noEd25519)).toBeUndefined();
  });

  it('gives false for a signature whose check throws', async () => {
    const throwing = {
      importKey: real.importKey.bind(real),
      verify: () => Promise.reject(new Error('engine failure')),
    } as unknown as SubtleCrypto;
    const verifier = await createWebCryptoVerifier(throwing);
    expect(await verifier!.verifyBatch([item])).toEqual([false]);
  });
});

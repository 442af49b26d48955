// Keys and seeds from outside (an address typed or pasted, a seed handed to derivation) are
// checked at the boundary and refused with typed errors, never accepted half-valid.
import { base58 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { concatBytes, hexToBytes } from '../../src/crypto/bytes';
import { fromDidKey, toDidKey } from '../../src/crypto/didKey';
import { getPublicKey } from '../../src/crypto/ed25519';
import { deriveEd25519 } from '../../src/crypto/slip10';

const didOf = (key: Uint8Array): string =>
  'did:key:z' + base58.encode(concatBytes(new Uint8Array([0xed, 0x01]), key));

describe('A13: did:key and SLIP-0010 input checks', () => {
  it('A13(c): fromDidKey refuses 32 bytes that are not a usable Ed25519 point', () => {
    const good = getPublicKey(new Uint8Array(32).fill(7));
    expect(fromDidKey(toDidKey(good))).toEqual(good);
    const refused = [
      // y = 2 has no x on the curve: not a point at all.
      hexToBytes('0200000000000000000000000000000000000000000000000000000000000000'),
      // y = p + 1: a non-canonical encoding of (0, 1).
      hexToBytes('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'),
      // The identity (small order): no signature under it can ever move funds.
      hexToBytes('0100000000000000000000000000000000000000000000000000000000000000'),
    ];
    for (const key of refused) {
      expect(() => fromDidKey(didOf(key))).toThrow(
        expect.objectContaining({ name: 'InvalidDidError' }),
      );
    }
  });

  it('A13(d): deriveEd25519 gives typed errors for an out-of-range index or a wrong seed', () => {
    const seed = new Uint8Array(32).fill(1);
    expect(deriveEd25519(seed, "m/0'/2147483647'").publicKey).toHaveLength(32);
    for (const path of ["m/2147483648'", "m/0'/99999999999999999999'"]) {
      expect(() => deriveEd25519(seed, path), path).toThrow(
        expect.objectContaining({ name: 'InvalidDerivationPathError' }),
      );
    }
    for (const bad of [new Uint8Array(15), new Uint8Array(65), new Uint8Array(0)]) {
      expect(() => deriveEd25519(bad, "m/0'"), `${bad.length} bytes`).toThrow(
        expect.objectContaining({ name: 'InvalidSeedError' }),
      );
    }
    expect(() => deriveEd25519('seed' as unknown as Uint8Array, "m/0'")).toThrow(
      expect.objectContaining({ name: 'InvalidSeedError' }),
    );
  });
});

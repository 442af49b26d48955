// The light client against a chain built in memory with real signatures; sets change by governance.
import { describe, expect, it } from 'vitest';
import { blockHashOf } from '../../src/chain/block';
import { encodeEntry, entryName, type Balance } from '../../src/chain/stateEntries';
import { verifyCommit } from '../../src/consensus/verifyCommit';
import {
  verifyAdjacent,
  verifyBackwards,
  verifyNonAdjacent,
  verifyToTarget,
} from '../../src/light/verifyLightBlock';
import { verifyEntry } from '../../src/light/verifyEntry';
import { createWebCryptoVerifier } from '../../src/crypto/ed25519';
import { TestChain, testGenesis, type TestKey } from '../helpers/chainFixture';
import { a, at, b, c, d, e, problemOf, rotatingChain } from './rotatingChain';

describe('light client (in memory, real signatures)', () => {
  const chain = rotatingChain();

  it('follows every header sequentially, across both set changes', async () => {
    let trusted = at(chain, 1);
    for (let h = 2; h <= 10; h++) trusted = await verifyAdjacent(trusted, at(chain, h));
    expect(trusted.header.height).toBe(10);
    expect(trusted.validators.validators).toHaveLength(4);
    expect(at(chain, 4).validators.validators).toHaveLength(7);
  });

  it('rejects a certificate one vote of power short of the threshold', async () => {
    const weighted = new TestChain(
      testGenesis([a, b, c, d], {
        validators: [
          { key: a.publicKey, power: 3 },
          { key: b.publicKey, power: 3 },
          { key: c.publicKey, power: 2 },
          { key: d.publicKey, power: 1 },
        ],
      }),
      a,
      [a, b, c, d],
    );
    weighted.commit();
    weighted.commit();
    const block = at(weighted, 2);
    const keep = (keys: TestKey[]) =>
      block.commit.signatures.filter((s) =>
        keys.some((k) => Buffer.from(k.publicKey).equals(Buffer.from(s.validator))),
      );
    // Total 9; more than 2/3 is more than 6. b + c + d = 6 falls one vote of power short.
    const short = { ...block, commit: { ...block.commit, signatures: keep([b, c, d]) } };
    expect(await problemOf(verifyAdjacent(at(weighted, 1), short))).toBe('invalidCommit');
    const enough = { ...block, commit: { ...block.commit, signatures: keep([a, b, d]) } };
    expect((await verifyAdjacent(at(weighted, 1), enough)).header.height).toBe(2);
  });

  it('rejects a certificate signed by a validator removed at an earlier height', async () => {
    const block = at(chain, 9);
    // a was removed from height 8 on; a certificate carrying a's signature is not of this set.
    const forged = chain.certify(block.header, at(chain, 4).validators);
    const withRemoved = { ...block, commit: forged };
    expect(await problemOf(verifyAdjacent(at(chain, 8), withRemoved))).toBe('invalidCommit');
    expect(() =>
      verifyCommit(forged, block.validators, {
        chainId: chain.chainId,
        height: 9,
        blockHash: blockHashOf(block.header),
      }),
    ).toThrow(expect.objectContaining({ problem: 'unknownSigner' }));
  });

  it('rejects a valid certificate for a different block hash', async () => {
    const block = at(chain, 3);
    const otherCertificate = at(chain, 2).commit;
    expect(
      await problemOf(
        verifyAdjacent(at(chain, 2), { ...block, commit: { ...otherCertificate, height: 3 } }),
      ),
    ).toBe('invalidCommit');
    const altered = { ...block, header: { ...block.header, time: block.header.time + 1 } };
    expect(await problemOf(verifyAdjacent(at(chain, 2), altered))).toBe('invalidCommit');
  });

  it('rejects a skip with less than the trust level, then bisection succeeds', async () => {
    // Trusting {a,b,c,d}; height 10 is signed by {d,e,f,g}: 1/4 of the trusted power.
    expect(await problemOf(verifyNonAdjacent(at(chain, 1), at(chain, 10)))).toBe('notEnoughTrust');
    const fetched: number[] = [];
    const verified = await verifyToTarget(at(chain, 1), at(chain, 10), (h) => {
      fetched.push(h);
      return Promise.resolve(at(chain, h));
    });
    expect(verified.header.height).toBe(10);
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.length).toBeLessThan(8); // bisection, not every header
  });

  it('accepts older headers only through the hash links', () => {
    const headers = [9, 8, 7].map((h) => at(chain, h).header);
    expect(verifyBackwards(at(chain, 10).header, headers).map((h) => h.height)).toEqual([9, 8, 7]);
    const forged = { ...headers[1]!, time: headers[1]!.time + 5 };
    expect(() => verifyBackwards(at(chain, 10).header, [headers[0]!, forged])).toThrow(
      expect.objectContaining({ problem: 'brokenLink' }),
    );
    expect(() => verifyBackwards(at(chain, 10).header, [headers[1]!])).toThrow(
      expect.objectContaining({ problem: 'notAdjacent' }),
    );
  });

  it('checks state by proof against a verified header; a wrong value fails', () => {
    const header = at(chain, 10).header;
    const name = entryName.balance(a.publicKey, 'COIN');
    const { value, proof } = chain.state.prove(name);
    expect((verifyEntry(header, name, value, proof) as Balance).amount).toBe(1_000_000n);
    const inflated = encodeEntry({ amount: 2_000_000n });
    expect(() => verifyEntry(header, name, inflated, proof)).toThrow(
      expect.objectContaining({ problem: 'invalidProof' }),
    );
    const missing = chain.state.prove(entryName.balance(e.publicKey, 'COIN'));
    expect(verifyEntry(header, missing.name, null, missing.proof)).toBeUndefined();
  });

  it('gives the same verdicts through the WebCrypto batch verifier', async () => {
    const verifier = (await createWebCryptoVerifier())!;
    expect(
      (
        await verifyToTarget(at(chain, 1), at(chain, 10), (h) => Promise.resolve(at(chain, h)), {
          verifier,
        })
      ).header.height,
    ).toBe(10);
    const bad = {
      ...at(chain, 3),
      commit: {
        ...at(chain, 3).commit,
        signatures: at(chain, 3).commit.signatures.map((s) => ({
          ...s,
          signature: new Uint8Array(64).fill(1),
        })),
      },
    };
    expect(await problemOf(verifyAdjacent(at(chain, 2), bad, { verifier }))).toBe('invalidCommit');
  });
});

// One rule broken at a time: each light block here is valid in every way but one forged field
// (its certificate re-signed with real keys for exactly what it claims), and each test checks
// for that exact rejection. In memory, real signatures.
import { describe, expect, it } from 'vitest';
import { blockHashOf, type BlockHeader, type CommitCertificate } from '../../src/chain/block';
import { hashValidatorSet, type ValidatorSet } from '../../src/chain/validatorSet';
import { signVote } from '../../src/chain/vote';
import { bytesKey } from '../../src/crypto/bytes';
import { createWebCryptoVerifier, sign, type BatchVerifier } from '../../src/crypto/ed25519';
import { checkNotExpired } from '../../src/light/checkTrustingPeriod';
import { trustFromCheckpoint } from '../../src/light/trustFromCheckpoint';
import { verifyEntry } from '../../src/light/verifyEntry';
import { entryName } from '../../src/chain/stateEntries';
import {
  BisectionLimitError,
  defaultMaxFetches,
  verifyAdjacent,
  verifyBackwards,
  verifyNonAdjacent,
  verifyToTarget,
  type LightBlock,
} from '../../src/light/verifyLightBlock';
import { TestChain, testGenesis, testKey, type TestKey } from '../helpers/chainFixture';
import { a, at, b, c, d, e, f, g, problemOf, rotatingChain } from './rotatingChain';

const chain = rotatingChain();
const [x, y, z] = ['x', 'y', 'z'].map((n) => testKey(`attacker-${n}`)) as [
  TestKey,
  TestKey,
  TestKey,
];
const keys = new Map([a, b, c, d, e, f, g, x, y, z].map((k) => [bytesKey(k.publicKey), k]));

/** Precommits of every member of `set` for exactly this header, on the header's own chain id. */
function certify(header: BlockHeader, set: ValidatorSet): CommitCertificate {
  const blockHash = blockHashOf(header);
  const body = { type: 'precommit' as const, height: header.height, round: 0, blockHash };
  const signatures = set.validators.map((v) => {
    const key = keys.get(bytesKey(v.publicKey))!;
    const vote = signVote(header.chainId, body, key.publicKey, (m) => sign(m, key.secretKey));
    return { validator: vote.validator, signature: vote.signature };
  });
  return { height: header.height, round: 0, blockHash, signatures };
}

/** The light block at `height` with `changes` to its header, certified by its own set anew. */
function forged(height: number, changes: Partial<BlockHeader>, signers?: ValidatorSet): LightBlock {
  const block = at(chain, height);
  const header = { ...block.header, ...changes };
  return { ...block, header, commit: certify(header, signers ?? block.validators) };
}

const attackers: ValidatorSet = {
  validators: [x, y, z].map((k) => ({ publicKey: k.publicKey, power: 1, name: '' })),
  threshold: { numerator: 2, denominator: 3 },
};

describe('light client, one rule broken (in memory, real signatures)', () => {
  it('the certify helper makes certificates the client accepts', async () => {
    const honest = forged(3, {});
    expect((await verifyAdjacent(at(chain, 2), honest)).header.height).toBe(3);
    expect((await verifyNonAdjacent(at(chain, 1), forged(3, {}))).header.height).toBe(3);
  });

  it('refuses a next header signed by a set the trusted header did not announce', async () => {
    // Everything about it is consistent: the set it names, the set that signed, the link.
    const own = hashValidatorSet(attackers);
    const block: LightBlock = {
      ...forged(3, { validatorsHash: own, nextValidatorsHash: own }, attackers),
      validators: attackers,
      nextValidators: attackers,
    };
    await expect(verifyAdjacent(at(chain, 2), block)).rejects.toMatchObject({
      problem: 'wrongValidators',
      shortMessage: 'The header is signed by a set the trusted header did not announce.',
    });
  });

  it('refuses a certificate where one signature is good and the rest are not', async () => {
    const block = at(chain, 3);
    const signatures = block.commit.signatures.map((s, i) =>
      i === 0 ? s : { ...s, signature: s.signature.map((byte) => byte ^ 1) },
    );
    const oneGood = { ...block, commit: { ...block.commit, signatures } };
    expect(await problemOf(verifyAdjacent(at(chain, 2), oneGood))).toBe('invalidCommit');
    const verifier = (await createWebCryptoVerifier())!;
    expect(await problemOf(verifyAdjacent(at(chain, 2), oneGood, { verifier }))).toBe(
      'invalidCommit',
    );
    // And one bad signature among good ones, through both verifiers.
    const lastBad = block.commit.signatures.map((s, i, all) =>
      i < all.length - 1 ? s : { ...s, signature: s.signature.map((byte) => byte ^ 1) },
    );
    const oneBad = { ...block, commit: { ...block.commit, signatures: lastBad } };
    expect(await problemOf(verifyAdjacent(at(chain, 2), oneBad))).toBe('invalidCommit');
    expect(await problemOf(verifyAdjacent(at(chain, 2), oneBad, { verifier }))).toBe(
      'invalidCommit',
    );
  });

  it('takes the batch verifier’s word when one is given', async () => {
    const refusesAll: BatchVerifier = {
      name: 'refuses every signature',
      verifyBatch: (items) => Promise.resolve(items.map(() => false)),
    };
    expect((await verifyAdjacent(at(chain, 2), at(chain, 3))).header.height).toBe(3);
    expect(
      await problemOf(verifyAdjacent(at(chain, 2), at(chain, 3), { verifier: refusesAll })),
    ).toBe('invalidCommit');
  });

  it('refuses a next header that does not link to the trusted one', async () => {
    const block = forged(3, { previousHash: new Uint8Array(32).fill(7) });
    expect(await problemOf(verifyAdjacent(at(chain, 2), block))).toBe('brokenLink');
  });

  it('refuses a header of another chain, adjacent or skipped to', async () => {
    const other = new Uint8Array(32).fill(9);
    expect(await problemOf(verifyAdjacent(at(chain, 2), forged(3, { chainId: other })))).toBe(
      'wrongChain',
    );
    expect(await problemOf(verifyNonAdjacent(at(chain, 1), forged(3, { chainId: other })))).toBe(
      'wrongChain',
    );
  });

  it('refuses a header not later than the trusted one, equal time included', async () => {
    const trusted = at(chain, 2);
    for (const time of [trusted.header.time, trusted.header.time - 1]) {
      expect(await problemOf(verifyAdjacent(trusted, forged(3, { time })))).toBe('timeNotAfter');
      expect(
        await problemOf(verifyNonAdjacent(at(chain, 1), forged(3, { time: time - 1000 }))),
      ).toBe('timeNotAfter');
    }
  });

  it('refuses on the skipping path a header not newer than the trusted one', async () => {
    expect(await problemOf(verifyNonAdjacent(at(chain, 8), at(chain, 5)))).toBe('notNewer');
    expect(await problemOf(verifyNonAdjacent(at(chain, 5), at(chain, 5)))).toBe('notNewer');
  });

  it('refuses a header whose height does not follow the trusted one', async () => {
    expect(await problemOf(verifyAdjacent(at(chain, 1), at(chain, 3)))).toBe('notAdjacent');
  });

  it('refuses on the skipping path sets that do not match the header', async () => {
    const block = at(chain, 3);
    const wrongSet = { ...block, validators: at(chain, 9).validators };
    expect(await problemOf(verifyNonAdjacent(at(chain, 1), wrongSet))).toBe('wrongValidators');
    const wrongNext = { ...block, nextValidators: at(chain, 9).nextValidators };
    expect(await problemOf(verifyNonAdjacent(at(chain, 1), wrongNext))).toBe('wrongValidators');
    expect(await problemOf(verifyAdjacent(at(chain, 2), wrongNext))).toBe('wrongValidators');
  });

  it('counts a trusted signer once, however often the certificate repeats it', async () => {
    // Trusting {a,b,c,d}; 10 is signed by {d,e,f,g}: d alone is 1/4 of the trusted power, short
    // of the 1/3 a skip needs. Listing d twice must not count as 2/4.
    const block = at(chain, 10);
    const dSignature = block.commit.signatures.find(
      (s) => bytesKey(s.validator) === bytesKey(d.publicKey),
    )!;
    const repeated = {
      ...block,
      commit: { ...block.commit, signatures: [...block.commit.signatures, dSignature] },
    };
    expect(await problemOf(verifyNonAdjacent(at(chain, 1), repeated))).toBe('notEnoughTrust');
  });

  it('skips only with more than the trust level, not exactly it', async () => {
    // Trusting {a,b,c,d} at 1 (next set the same): header 3, with a certificate by b, c, d only
    // (3/4 of its set, more than its 2/3 threshold): 3/4 > 2/3 passes, 3/4 = 3/4 does not.
    const block = at(chain, 3);
    const signatures = block.commit.signatures.filter(
      (s) => bytesKey(s.validator) !== bytesKey(a.publicKey),
    );
    const threeOfFour = { ...block, commit: { ...block.commit, signatures } };
    const level = (numerator: number, denominator: number) => ({
      trustLevel: { numerator, denominator },
    });
    expect((await verifyNonAdjacent(at(chain, 1), threeOfFour, level(2, 3))).header.height).toBe(3);
    expect(await problemOf(verifyNonAdjacent(at(chain, 1), threeOfFour, level(3, 4)))).toBe(
      'notEnoughTrust',
    );
  });

  it('walks back only along the same chain, one height at a time, by hash', () => {
    const trusted = at(chain, 10).header;
    const nine = at(chain, 9).header;
    expect(() => verifyBackwards(trusted, [{ ...nine, chainId: new Uint8Array(32) }])).toThrow(
      expect.objectContaining({ problem: 'wrongChain' }),
    );
    expect(() => verifyBackwards(trusted, [nine, at(chain, 7).header])).toThrow(
      expect.objectContaining({ problem: 'notAdjacent' }),
    );
    expect(() => verifyBackwards(trusted, [{ ...nine, time: nine.time + 1 }])).toThrow(
      expect.objectContaining({ problem: 'brokenLink' }),
    );
    expect(verifyBackwards(trusted, [nine, at(chain, 8).header]).map((h) => h.height)).toEqual([
      9, 8,
    ]);
  });

  it('trusts a checkpoint block only with the sets its header names, both of them', async () => {
    const block = at(chain, 5);
    const checkpoint = { height: 5, hash: blockHashOf(block.header) };
    const other = at(chain, 9).validators;
    for (const wrong of [
      { ...block, validators: other },
      { ...block, nextValidators: other },
    ]) {
      expect(await problemOf(trustFromCheckpoint(wrong, checkpoint, chain.chainId))).toBe(
        'wrongValidators',
      );
    }
    expect(await problemOf(trustFromCheckpoint(block, checkpoint, chain.chainId))).toBe('accepted');
  });

  it('refuses a clock that is not a time, rather than skip the period check', () => {
    const header = at(chain, 1).header;
    for (const now of [Number.NaN, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => checkNotExpired(header, { now })).toThrow(RangeError);
    }
    expect(() => checkNotExpired(header, { now: header.time })).not.toThrow();
  });

  it('refuses a state proof of one entry offered for another', () => {
    const header = at(chain, 10).header;
    const mine = chain.state.prove(entryName.balance(a.publicKey, 'COIN'));
    const name = entryName.balance(b.publicKey, 'COIN');
    expect(() => verifyEntry(header, name, mine.value, mine.proof)).toThrow(
      expect.objectContaining({ problem: 'invalidProof' }),
    );
    expect(() => verifyEntry(at(chain, 1).header, mine.name, mine.value, mine.proof)).toThrow(
      expect.objectContaining({ problem: 'invalidProof' }),
    );
  });

  it('keeps the certificate’s own refusal as the cause of invalidCommit', async () => {
    const block = at(chain, 3);
    const twice = {
      ...block.commit,
      signatures: [...block.commit.signatures, block.commit.signatures[0]!],
    };
    const error = await verifyAdjacent(at(chain, 2), { ...block, commit: twice }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      problem: 'invalidCommit',
      cause: { problem: 'duplicateSigner' },
    });
  });

  it('refuses a checkpoint block dated past the clock’s drift', async () => {
    const block = at(chain, 5);
    const checkpoint = { height: 5, hash: blockHashOf(block.header) };
    const now = block.header.time - 10 * 60 * 1000;
    expect(await problemOf(trustFromCheckpoint(block, checkpoint, chain.chainId, { now }))).toBe(
      'accepted',
    );
    expect(
      await problemOf(trustFromCheckpoint(block, checkpoint, chain.chainId, { now: now - 1 })),
    ).toBe('fromFuture');
  });

  it('bisects only when trust is short: any other refusal of the target ends the run unasked', async () => {
    const asked: number[] = [];
    const fetch = (h: number) => {
      asked.push(h);
      return Promise.resolve(at(chain, h));
    };
    const wrongSet = { ...at(chain, 10), validators: at(chain, 1).validators };
    expect(await problemOf(verifyToTarget(at(chain, 1), wrongSet, fetch))).toBe('wrongValidators');
    expect(asked).toEqual([]);
  });

  it('stops at exactly the default number of fetches for the range it verifies', async () => {
    // Certificates by 3 of 4 validators, and a trust level no skip can meet: every height
    // between is needed, far more than the default allows for a range of 31.
    const keys = ['p', 'q', 'r', 's'].map((n) => testKey(`fetch-limit-${n}`));
    const long = new TestChain(testGenesis(keys), keys[0]!, keys.slice(0, 3));
    for (let h = 1; h <= 36; h++) long.commit();
    const block = (h: number) => long.lightBlocks[h - 1]!;
    let fetches = 0;
    const run = verifyToTarget(block(5), block(36), (h) => (fetches++, Promise.resolve(block(h))), {
      trustLevel: { numerator: 99, denominator: 100 },
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BisectionLimitError);
    expect(defaultMaxFetches(31)).toBe(18);
    expect((error as BisectionLimitError).fetches).toBe(18);
    expect(fetches).toBe(18);
  });
});

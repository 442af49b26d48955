// Commit certificates, one rule broken at a time: each certificate here is valid in every way
// but one, signed with real keys for exactly what it claims, and checked for that exact problem,
// through the synchronous verifier and the batch (WebCrypto) one alike.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommitCertificate } from '../../src/chain/block';
import type { ValidatorSet } from '../../src/chain/validatorSet';
import { signVote, type VoteType } from '../../src/chain/vote';
import { createWebCryptoVerifier, sign, type BatchVerifier } from '../../src/crypto/ed25519';
import {
  InvalidCommitError,
  verifyCommit,
  verifyCommitBatch,
  type CommitExpectation,
} from '../../src/consensus/verifyCommit';
import { testKey, type TestKey } from '../helpers/chainFixture';

const chainId = new Uint8Array(32).fill(3);
const blockHash = new Uint8Array(32).fill(4);
const [p, q, r, s] = ['p', 'q', 'r', 's'].map((n) => testKey(`commit-${n}`)) as [
  TestKey,
  TestKey,
  TestKey,
  TestKey,
];
/** Powers 3, 3, 2, 1: total 9; more than 2/3 is more than 6. */
const set: ValidatorSet = {
  validators: [
    { publicKey: p.publicKey, power: 3, name: '' },
    { publicKey: q.publicKey, power: 3, name: '' },
    { publicKey: r.publicKey, power: 2, name: '' },
    { publicKey: s.publicKey, power: 1, name: '' },
  ],
  threshold: { numerator: 2, denominator: 3 },
};
const expected: CommitExpectation = { chainId, height: 7, blockHash };

interface Signed {
  height?: number;
  round?: number;
  hash?: Uint8Array;
  type?: VoteType;
  chain?: Uint8Array;
}

function signature(key: TestKey, signed: Signed = {}) {
  const vote = signVote(
    signed.chain ?? chainId,
    {
      type: signed.type ?? 'precommit',
      height: signed.height ?? 7,
      round: signed.round ?? 0,
      blockHash: signed.hash ?? blockHash,
    },
    key.publicKey,
    (m) => sign(m, key.secretKey),
  );
  return { validator: vote.validator, signature: vote.signature };
}

function certificate(signers: TestKey[], signed: Signed = {}): CommitCertificate {
  return {
    height: signed.height ?? 7,
    round: signed.round ?? 0,
    blockHash: signed.hash ?? blockHash,
    signatures: signers.map((k) => signature(k, signed)),
  };
}

let verifier: BatchVerifier;
beforeAll(async () => {
  verifier = (await createWebCryptoVerifier())!;
});

/** The problem both verifiers find, or 'accepted' when both accept; they must agree. */
async function problemOf(commit: CommitCertificate, expect_: CommitExpectation = expected) {
  const verdict = (run: () => unknown) => {
    try {
      run();
      return 'accepted';
    } catch (error) {
      if (error instanceof InvalidCommitError) return error.problem;
      throw error;
    }
  };
  const sync = verdict(() => verifyCommit(commit, set, expect_));
  let batch = 'accepted';
  try {
    await verifyCommitBatch(commit, set, expect_, verifier);
  } catch (error) {
    if (!(error instanceof InvalidCommitError)) throw error;
    batch = error.problem;
  }
  expect(batch).toBe(sync);
  return sync;
}

describe('commit certificates, one rule broken (real signatures)', () => {
  it('accepts more than the threshold of power, through both verifiers', async () => {
    expect(await problemOf(certificate([p, q, s]))).toBe('accepted'); // 7 of 9
    expect(await problemOf(certificate([p, q, r, s], { round: 2 }))).toBe('accepted');
  });

  it('refuses exactly the threshold: 6 of 9 is not more than 2/3', async () => {
    expect(await problemOf(certificate([p, q]))).toBe('notEnoughPower');
    expect(await problemOf(certificate([q, r, s]))).toBe('notEnoughPower');
    // The power it had and needed is in the details; a short refusal carries none.
    const short = () => verifyCommit(certificate([p, q]), set, expected);
    expect(short).toThrow(expect.objectContaining({ details: '6 of 9, needs more than 2/3' }));
    const wrong = () => verifyCommit(certificate([p, q, r], { height: 8 }), set, expected);
    expect(wrong).toThrow(expect.objectContaining({ details: undefined, problem: 'wrongHeight' }));
  });

  it("refuses one validator's signature repeated to reach the threshold", async () => {
    const once = signature(p);
    const repeated = { ...certificate([q]), signatures: [signature(q), once, once] }; // 3 + 3 + 3
    expect(await problemOf(repeated)).toBe('duplicateSigner');
  });

  it('refuses a certificate for another height, signed for that height', async () => {
    expect(await problemOf(certificate([p, q, r, s], { height: 8 }))).toBe('wrongHeight');
  });

  it('refuses a certificate for another block, signed for that block', async () => {
    const other = new Uint8Array(32).fill(5);
    expect(await problemOf(certificate([p, q, r, s], { hash: other }))).toBe('wrongBlock');
  });

  it('refuses a signer outside the set, even with enough power besides', async () => {
    const outsider = testKey('commit-outsider');
    expect(await problemOf(certificate([p, q, r, outsider]))).toBe('unknownSigner');
  });

  it('refuses signatures of a prevote, another round, or another chain', async () => {
    const prevotes = {
      ...certificate([p, q, r]),
      signatures: certificate([p, q, r], { type: 'prevote' }).signatures,
    };
    expect(await problemOf(prevotes)).toBe('badSignature');
    const otherRound = {
      ...certificate([p, q, r]),
      signatures: certificate([p, q, r], { round: 1 }).signatures,
    };
    expect(await problemOf(otherRound)).toBe('badSignature');
    const otherChain = certificate([p, q, r], { chain: new Uint8Array(32).fill(8) });
    expect(await problemOf(otherChain)).toBe('badSignature');
  });

  it('refuses a certificate with one bad signature among good ones', async () => {
    const good = certificate([p, q, r, s]);
    for (const bad of [0, 3]) {
      const signatures = good.signatures.map((g, i) =>
        i === bad ? { ...g, signature: g.signature.map((byte) => byte ^ 1) } : g,
      );
      expect(await problemOf({ ...good, signatures })).toBe('badSignature');
    }
  });

  it('checks structure before any signature: a bad signature on a short certificate is short', async () => {
    const short = certificate([p, q]);
    const signatures = short.signatures.map((g) => ({ ...g, signature: new Uint8Array(64) }));
    expect(await problemOf({ ...short, signatures })).toBe('notEnoughPower');
  });
});

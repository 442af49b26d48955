// Cold light sync: from a trusted first block to the verified head of a 100,000-block chain
// whose validator set changes 10 times (8 of 21 validators replaced each time, so trust in the
// starting set runs out and the client must bisect).
//
// A light client reads headers, certificates and validator sets, never state: the chain here is
// real in all of those (hash links, set hashes following the schedule, real signatures) while
// its state and tx roots are placeholders no light client opens. Certificates are signed when a
// height is first asked for, as a peer would serve them, and cached; the timed run starts after
// a warm-up pass, with a fresh verifier, so it times the client alone.
import { blockHashOf, type BlockHeader, type CommitCertificate } from '../../src/chain/block';
import { chainIdOf } from '../../src/chain/genesis';
import { hashValidatorSet, sortValidators, type ValidatorSet } from '../../src/chain/validatorSet';
import { createWebCryptoVerifier, sign } from '../../src/crypto/ed25519';
import { signVote } from '../../src/chain/vote';
import { verifyToTarget, type LightBlock } from '../../src/light/verifyLightBlock';
import { testGenesis, testKey, type TestKey } from '../helpers/chainFixture';
import { report, round } from './report';

const HEIGHT = 100_000;
const CHANGES = 10;
const SIZE = 21;
const REPLACED = 8;

function buildChain() {
  const pool: TestKey[] = Array.from({ length: SIZE + CHANGES * REPLACED }, (_, i) =>
    testKey(`light-sync-${i}`),
  );
  const byKey = new Map(pool.map((k) => [Buffer.from(k.publicKey).toString('hex'), k]));
  const setOf = (epoch: number): ValidatorSet => ({
    validators: sortValidators(
      pool
        .slice(epoch * REPLACED, epoch * REPLACED + SIZE)
        .map((k) => ({ publicKey: k.publicKey, power: 1, name: '' })),
    ),
    threshold: { numerator: 2, denominator: 3 },
  });
  const genesis = testGenesis(pool.slice(0, SIZE));
  const chainId = chainIdOf(genesis);
  const epochAt = (h: number): number =>
    Math.min(CHANGES, Math.floor(((h - 1) * CHANGES) / (HEIGHT - 1)));
  const sets = Array.from({ length: CHANGES + 1 }, (_, e) => setOf(e));
  const setHashes = sets.map(hashValidatorSet);
  const headers: BlockHeader[] = [];
  let previousHash = chainId;
  for (let h = 1; h <= HEIGHT; h++) {
    const header: BlockHeader = {
      chainId,
      height: h,
      time: 1_790_000_000_000 + h * 1000,
      previousHash,
      txRoot: new Uint8Array(32),
      stateRoot: new Uint8Array(32),
      validatorsHash: setHashes[epochAt(h)]!,
      nextValidatorsHash: setHashes[epochAt(h + 1)]!,
      proposer: sets[epochAt(h)]!.validators[0]!.publicKey,
      lastCommitHash: new Uint8Array(32),
      evidenceHash: new Uint8Array(32),
    };
    headers.push(header);
    previousHash = blockHashOf(header);
  }
  const certificates = new Map<number, CommitCertificate>();
  const lightBlock = (h: number): LightBlock => {
    const header = headers[h - 1]!;
    const validators = sets[epochAt(h)]!;
    let commit = certificates.get(h);
    if (!commit) {
      const blockHash = blockHashOf(header);
      const signatures = validators.validators.map((v) => {
        const key = byKey.get(Buffer.from(v.publicKey).toString('hex'))!;
        const vote = signVote(
          chainId,
          { type: 'precommit', height: h, round: 0, blockHash },
          key.publicKey,
          (m) => sign(m, key.secretKey),
        );
        return { validator: vote.validator, signature: vote.signature };
      });
      certificates.set(h, (commit = { height: h, round: 0, blockHash, signatures }));
    }
    return { header, commit, validators, nextValidators: sets[epochAt(h + 1)]! };
  };
  return { lightBlock };
}

export async function lightSyncBenches(): Promise<void> {
  const t0 = performance.now();
  const { lightBlock } = buildChain();
  const buildMs = performance.now() - t0;
  const sync = async (verifierFresh: boolean) => {
    const verifier = verifierFresh ? await createWebCryptoVerifier() : undefined;
    let fetched = 0;
    const start = performance.now();
    const head = await verifyToTarget(
      lightBlock(1),
      lightBlock(HEIGHT),
      (h) => {
        fetched++;
        return Promise.resolve(lightBlock(h));
      },
      verifier ? { verifier } : {},
    );
    return { ms: performance.now() - start, fetched, height: head.header.height };
  };
  await sync(true); // warm-up: the "peer" signs the certificates the client will ask for
  const cold = await sync(true);
  report({
    bench: 'light.sync.cold',
    value: round(cold.ms),
    unit: 'ms',
    blocks: HEIGHT,
    set_changes: CHANGES,
    validators: SIZE,
    headers_fetched: cold.fetched + 1,
    verified_height: cold.height,
    verifier: 'webcrypto',
    chain_build_ms: round(buildMs),
    target_ms: 1000,
  });
}

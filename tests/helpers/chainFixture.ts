// Deterministic keys and a small chain for tests: real ed25519 signatures, no randomness.
import type { DuplicateVoteEvidence } from '../../src/chain/evidence';
import { sha256 } from '../../src/crypto/hash';
import { getPublicKey, sign } from '../../src/crypto/ed25519';
import { bytesKey, utf8ToBytes } from '../../src/crypto/bytes';
import { entryName } from '../../src/chain/stateEntries';
import type { ValidatorSet } from '../../src/chain/validatorSet';
import { signVote } from '../../src/chain/vote';
import { verifyCommit } from '../../src/consensus/verifyCommit';
import type { LightBlock } from '../../src/light/verifyLightBlock';
import { createGenesis, type Genesis, type GenesisInput } from '../../src/chain/genesis';
import { ChainState } from '../../src/chain/ChainState';
import { signTransaction, type SignedTransaction, type TxBody } from '../../src/chain/transaction';
import { buildBlock, executeBlock } from '../../src/chain/applyBlock';
import {
  blockHashOf,
  type Block,
  type BlockHeader,
  type CommitCertificate,
} from '../../src/chain/block';

export interface TestKey {
  name: string;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** Every test key made, so a test chain can sign certificates for whichever set validates. */
const registry = new Map<string, TestKey>();

export function testKey(name: string): TestKey {
  const secretKey = sha256(utf8ToBytes(`freehold test key ${name}`));
  const key = { name, secretKey, publicKey: getPublicKey(secretKey) };
  registry.set(bytesKey(key.publicKey), key);
  return key;
}

export const GENESIS_TIME = 1_790_000_000_000;

export function testGenesis(validators: TestKey[], overrides: Partial<GenesisInput> = {}): Genesis {
  return createGenesis({
    name: 'Test Co-op',
    genesisTime: GENESIS_TIME,
    validators: validators.map((v) => ({ key: v.publicKey, power: 1, name: v.name })),
    assets: [{ symbol: 'COIN', name: 'Co-op coin', decimals: 2, minter: null }],
    balances: validators.map((v) => ({ account: v.publicKey, asset: 'COIN', amount: 1_000_000n })),
    ...overrides,
  });
}

/** A chain under test: state, head, and helpers to sign and commit blocks. */
export class TestChain {
  readonly state: ChainState;
  head: BlockHeader | null = null;
  lastCommit: CommitCertificate | null = null;
  readonly blocks: Block[] = [];
  /** With signers: each committed block as a light client sees it, certificate included. */
  readonly lightBlocks: LightBlock[] = [];
  private readonly nonces = new Map<string, number>();
  private readonly signers: Map<string, TestKey>;

  constructor(
    readonly genesis: Genesis,
    readonly proposer: TestKey,
    /** Keys that sign certificates when they validate a height; by default every test key. */
    signers?: TestKey[],
  ) {
    this.state = ChainState.fromGenesis(genesis).state;
    this.signers = signers ? new Map(signers.map((k) => [bytesKey(k.publicKey), k])) : registry;
  }

  /** Precommits of every known signer in `set` for the block: a certificate as consensus makes it. */
  certify(header: BlockHeader, set: ValidatorSet, round = 0): CommitCertificate {
    const blockHash = blockHashOf(header);
    const signatures = set.validators.flatMap((v) => {
      const key = this.signers.get(bytesKey(v.publicKey));
      if (!key) return [];
      const vote = signVote(
        this.chainId,
        { type: 'precommit', height: header.height, round, blockHash },
        key.publicKey,
        (m) => sign(m, key.secretKey),
      );
      return [{ validator: vote.validator, signature: vote.signature }];
    });
    return { height: header.height, round, blockHash, signatures };
  }

  get chainId(): Uint8Array {
    return this.state.chainId;
  }

  tx(from: TestKey, body: TxBody, nonce?: number): SignedTransaction {
    const n = nonce ?? this.nonces.get(from.name) ?? 0;
    if (nonce === undefined) this.nonces.set(from.name, n + 1);
    return signTransaction({ chainId: this.chainId, sender: from.publicKey, nonce: n, body }, (m) =>
      sign(m, from.secretKey),
    );
  }

  /** Builds the next block from candidates and evidence (as a proposer would) and commits it. */
  commit(candidates: SignedTransaction[] = [], evidence: DuplicateVoteEvidence[] = []) {
    const time = (this.head?.time ?? GENESIS_TIME) + 1000;
    const built = buildBlock(this.state, {
      parent: this.head,
      time,
      proposer: this.proposer.publicKey,
      candidates,
      lastCommit: this.lastCommit,
      evidence,
    });
    const validators = this.state.read(entryName.validators) as ValidatorSet;
    const nextValidators = this.state.read(entryName.nextValidators) as ValidatorSet;
    const diff = executeBlock(this.state, built.block, this.head, {
      verifyLastCommit: verifyCommit,
    });
    this.blocks.push(built.block);
    this.head = built.block.header;
    this.lastCommit = this.certify(this.head, validators);
    this.lightBlocks.push({
      header: this.head,
      commit: this.lastCommit,
      validators,
      nextValidators,
    });
    return { ...built, diff };
  }
}

// The consensus engine alone, driven message by message: four test validators (real keys, real
// signatures), blocks built on their genesis, and helpers to read what the engine put out.
import { buildBlock } from '../../src/chain/applyBlock';
import { blockHashOf, type Block } from '../../src/chain/block';
import { ChainState } from '../../src/chain/ChainState';
import { genesisValidatorSet } from '../../src/chain/genesis';
import type { Vote } from '../../src/chain/vote';
import { signVote } from '../../src/chain/vote';
import type { ValidatorSet } from '../../src/chain/validatorSet';
import { bytesKey } from '../../src/crypto/bytes';
import { sign } from '../../src/crypto/ed25519';
import {
  createConsensusEngine,
  type EngineInit,
  type EngineOutput,
} from '../../src/consensus/createConsensusEngine';
import { proposalSigningBytes, type ConsensusMessage } from '../../src/consensus/messages';
import { proposerOf } from '../../src/consensus/proposer';
import { GENESIS_TIME, testGenesis, testKey, type TestKey } from '../helpers/chainFixture';
import { lazy } from '../helpers/lazy';

export const keys = ['p', 'q', 'r', 's'].map((n) => testKey(`engine-${n}`));
const genesis = lazy(() => testGenesis(keys));
const state = lazy(() => ChainState.fromGenesis(genesis).state);
/** The four keys with power 1 each, threshold 2/3: a quorum is three, f+1 is two. */
export const equalSet = lazy(() => genesisValidatorSet(genesis));
export const chainId = (): Uint8Array => state.chainId;

export const keyOf = (publicKey: Uint8Array): TestKey =>
  keys.find((k) => bytesKey(k.publicKey) === bytesKey(publicKey))!;

/** Who proposes (height 1 unless given) round r of `set`. */
export const proposerKey = (r: number, set: ValidatorSet = equalSet, height = 1): TestKey =>
  keyOf(proposerOf(set, height, r).publicKey);

/** A valid block for height 1; different times make different values. */
export const blockAt = (offset: number): Block =>
  buildBlock(state, {
    parent: null,
    time: GENESIS_TIME + offset,
    proposer: keys[0]!.publicKey,
    candidates: [],
    lastCommit: null,
  }).block;

export const hashOf = (block: Block): Uint8Array => blockHashOf(block.header);

export interface ProposalOptions {
  validRound?: number;
  height?: number;
  /** Who signs and sends it: by default whoever proposes that round of the equal set. */
  from?: TestKey;
  /** What the signature covers, when a test forges it over other fields. */
  signed?: Partial<{ height: number; round: number; validRound: number; block: Block }>;
  set?: ValidatorSet;
}

export function proposal(round: number, block: Block, o: ProposalOptions = {}): ConsensusMessage {
  const height = o.height ?? 1;
  const validRound = o.validRound ?? -1;
  const from = o.from ?? proposerKey(round, o.set, height);
  const signed = { height, round, validRound, block, ...o.signed };
  const signature = sign(
    proposalSigningBytes(chainId(), { ...signed, blockHash: hashOf(signed.block) }),
    from.secretKey,
  );
  const p = { height, round, block, validRound, proposer: from.publicKey, signature };
  return { kind: 'proposal', proposal: p };
}

export function voteBy(
  key: TestKey,
  type: 'prevote' | 'precommit',
  round: number,
  block: Block | null,
  height = 1,
): ConsensusMessage {
  const blockHash = block ? hashOf(block) : null;
  const vote = signVote(chainId(), { type, height, round, blockHash }, key.publicKey, (m) =>
    sign(m, key.secretKey),
  );
  return { kind: 'vote', vote };
}

export interface EngineOptions extends Partial<Omit<EngineInit, 'self'>> {
  /** The validator running the engine; null for an observer. */
  me?: TestKey | null;
}

/** An engine at height 1 over the equal set, started; `outputs` holds what start() put out. */
export function startEngine(o: EngineOptions = {}) {
  const me = o.me === undefined ? keys[0]! : o.me;
  const engine = createConsensusEngine({
    chainId: chainId(),
    height: 1,
    validators: equalSet,
    getValue: () => blockAt(1),
    isValid: () => true,
    ...o,
    self: me && { publicKey: me.publicKey, sign: (m) => sign(m, me.secretKey) },
  });
  return { engine, me, outputs: engine.start() };
}

/** A key that proposes none of rounds 0–2 at height 1 of the equal set. */
export const bystander = (): TestKey =>
  keys.find((k) => ![0, 1, 2].some((r) => proposerKey(r) === k))!;

export const others = (me: TestKey | null): TestKey[] => keys.filter((k) => k !== me);

export const votesIn = (outputs: EngineOutput[]): Vote[] =>
  outputs.flatMap((o) =>
    o.type === 'broadcast' && o.message.kind === 'vote' ? [o.message.vote] : [],
  );

/** Our votes as "prevote r hash-or-nil", comparable at a glance. */
export const castIn = (outputs: EngineOutput[]): string[] =>
  votesIn(outputs).map(
    (v) => `${v.type} ${v.round} ${v.blockHash ? bytesKey(v.blockHash).slice(0, 8) : 'nil'}`,
  );

export const cast = (type: string, round: number, block: Block | null): string =>
  `${type} ${round} ${block ? bytesKey(hashOf(block)).slice(0, 8) : 'nil'}`;

export const scheduledIn = (outputs: EngineOutput[]): string[] =>
  outputs.flatMap((o) =>
    o.type === 'schedule'
      ? [`${o.timeout.step} h${o.timeout.height} r${o.timeout.round} ${o.delayMs}ms`]
      : [],
  );

export const rejectedIn = (outputs: EngineOutput[]): string[] =>
  outputs.flatMap((o) => (o.type === 'rejected' ? [o.reason] : []));

/** Feeds each message in turn and gathers every output. */
export const feed = (
  engine: { onMessage(m: ConsensusMessage): EngineOutput[] },
  messages: ConsensusMessage[],
): EngineOutput[] => messages.flatMap((m) => engine.onMessage(m));

/**
 * @module stateEntries — everything the state holds, how each entry is named, and how its
 * bytes are read back. Entry names are "namespace:id"; in the tree an entry lives under
 * H("freehold/1/state-key" ‖ 0 ‖ name) with value hash H("freehold/1/state-value" ‖ 0 ‖ bytes),
 * so a light client can check any entry by proof against a verified state root.
 */
import { DecodeError, decode, encode } from '../codec/cbor';
import {
  asArray,
  asBytes,
  asNullable,
  asObject,
  asOneOf,
  asSafeUint,
  asString,
  asUint,
} from '../codec/read';
import { bytesToHex, utf8ToBytes } from '../crypto/bytes';
import { taggedHash } from '../crypto/hash';
import { MAX_AMOUNT, MAX_DECIMALS, readGovernanceRules, type GovernanceRules } from './genesis';
import { readValidatorSet, type ValidatorSet } from './validatorSet';
import { readBody, readMetadata, type ProposalAction, type VoteChoice } from './transaction';
import { readEvidence, type DuplicateVoteEvidence } from './evidence';
import { MAX_NAME_LENGTH } from './validatorSet';

export interface Account {
  /** Transactions applied from this account so far; the next must carry this nonce. */
  nonce: number;
}

/**
 * One account's holding of one asset: its own entry, so a balance is proven alone and nobody
 * can bloat another's account by sending it many kinds of asset.
 */
export interface Balance {
  amount: bigint;
}

export interface Asset {
  symbol: string;
  name: string;
  decimals: number;
  supply: bigint;
  minter: Uint8Array | null;
  /** Who issued it by transaction; null for assets of the genesis. */
  issuer: Uint8Array | null;
}

export interface TitleRecord {
  recordId: string;
  owner: Uint8Array;
  contentHash: Uint8Array;
  metadata: Record<string, string>;
  registeredHeight: number;
  updatedHeight: number;
  transfers: number;
  /** The transaction that last registered or moved it: the link to its history. */
  lastTxId: Uint8Array;
}

export type ProposalStatus = 'open' | 'passed' | 'rejected' | 'failed';

export interface Tally {
  yes: bigint;
  no: bigint;
  abstain: bigint;
  total: bigint;
}

export interface Proposal {
  id: number;
  proposer: Uint8Array;
  title: string;
  action: ProposalAction;
  startHeight: number;
  endHeight: number;
  /** Sorted by voter key; one vote per voter, final once cast. */
  votes: { voter: Uint8Array; choice: VoteChoice }[];
  status: ProposalStatus;
  /** Why a proposal was rejected or failed, in plain words; empty while open or when passed. */
  outcome: string;
  tally: Tally | null;
}

export interface ChainParams {
  name: string;
  governance: GovernanceRules;
  proposalCount: number;
  openProposals: number[];
}

/** Evidence of double signing a block carried into the state: shown by the app, provable. */
export interface EvidenceRecord {
  evidence: DuplicateVoteEvidence;
  /** The block that carried it. */
  includedHeight: number;
}

/**
 * The validator sets of recent heights, oldest first, each with the first height it signed:
 * what evidence from an earlier height is checked against. Only changes add an item.
 */
export interface ValidatorHistory {
  sets: { since: number; set: ValidatorSet }[];
}

/** The set that signs blocks at `height`, if the history still reaches back that far. */
export function validatorsAt(history: ValidatorHistory, height: number): ValidatorSet | undefined {
  let found: ValidatorSet | undefined;
  for (const item of history.sets) if (item.since <= height) found = item.set;
  return found;
}

export type EntryName = string;

/** Limits the rules enforce when writing and the readers enforce when reading: never apart. */
export const MAX_VOTES_PER_PROPOSAL = 10_000;
export const MAX_OPEN_PROPOSALS = 100;
/** Validator sets the history keeps; evidence from before the oldest is too old to include. */
export const MAX_VALIDATOR_HISTORY = 16;

export const entryName = {
  account: (publicKey: Uint8Array): EntryName => `account:${bytesToHex(publicKey)}`,
  balance: (publicKey: Uint8Array, symbol: string): EntryName =>
    `balance:${bytesToHex(publicKey)}:${symbol}`,
  asset: (symbol: string): EntryName => `asset:${symbol}`,
  record: (recordId: string): EntryName => `record:${recordId}`,
  proposal: (id: number): EntryName => `proposal:${id}`,
  params: 'chain:params' as EntryName,
  validators: 'chain:validators' as EntryName,
  nextValidators: 'chain:nextValidators' as EntryName,
  /** The set that signed the latest block: its certificate travels in the next block. */
  lastValidators: 'chain:lastValidators' as EntryName,
  validatorHistory: 'chain:validatorHistory' as EntryName,
  evidence: (id: Uint8Array): EntryName => `evidence:${bytesToHex(id)}`,
};

export function stateKeyOf(name: EntryName): Uint8Array {
  return taggedHash('freehold/1/state-key', utf8ToBytes(name));
}

export function stateValueHash(bytes: Uint8Array): Uint8Array {
  return taggedHash('freehold/1/state-value', bytes);
}

export type StateValue =
  | Account
  | Balance
  | Asset
  | TitleRecord
  | Proposal
  | ChainParams
  | ValidatorSet
  | ValidatorHistory
  | EvidenceRecord;

export function encodeEntry(value: StateValue): Uint8Array {
  return encode(value);
}

export function readAccount(value: unknown): Account {
  const a = asObject(value, 'account', ['nonce']);
  return { nonce: asSafeUint(a.nonce, 'account.nonce') };
}

export function readBalance(value: unknown): Balance {
  const b = asObject(value, 'balance', ['amount']);
  return { amount: asUint(b.amount, 'balance.amount', MAX_AMOUNT) };
}

export function readAsset(value: unknown): Asset {
  const a = asObject(value, 'asset', ['symbol', 'name', 'decimals', 'supply', 'minter', 'issuer']);
  const decimals = asSafeUint(a.decimals, 'asset.decimals');
  if (decimals > MAX_DECIMALS)
    throw new DecodeError(`Field asset.decimals must be at most ${MAX_DECIMALS}.`);
  return {
    symbol: asString(a.symbol, 'asset.symbol', 12),
    name: asString(a.name, 'asset.name', MAX_NAME_LENGTH),
    decimals,
    supply: asUint(a.supply, 'asset.supply', MAX_AMOUNT),
    minter: asNullable(a.minter, (m) => asBytes(m, 'asset.minter', 32)),
    issuer: asNullable(a.issuer, (m) => asBytes(m, 'asset.issuer', 32)),
  };
}

export function readTitleRecord(value: unknown): TitleRecord {
  const r = asObject(value, 'record', [
    'recordId',
    'owner',
    'contentHash',
    'metadata',
    'registeredHeight',
    'updatedHeight',
    'transfers',
    'lastTxId',
  ]);
  const metadata = readMetadata(r.metadata, 'record.metadata');
  return {
    recordId: asString(r.recordId, 'record.recordId', 128, 1),
    owner: asBytes(r.owner, 'record.owner', 32),
    contentHash: asBytes(r.contentHash, 'record.contentHash', 32),
    metadata,
    registeredHeight: asSafeUint(r.registeredHeight, 'record.registeredHeight'),
    updatedHeight: asSafeUint(r.updatedHeight, 'record.updatedHeight'),
    transfers: asSafeUint(r.transfers, 'record.transfers'),
    lastTxId: asBytes(r.lastTxId, 'record.lastTxId', 32),
  };
}

export function readProposal(value: unknown): Proposal {
  const p = asObject(value, 'proposal', [
    'id',
    'proposer',
    'title',
    'action',
    'startHeight',
    'endHeight',
    'votes',
    'status',
    'outcome',
    'tally',
  ]);
  // The action is read with the transaction's reader, so both agree on every shape.
  const body = readBody({ kind: 'propose', title: p.title, action: p.action }, 'proposal');
  if (body.kind !== 'propose') throw new Error('unreachable');
  return {
    id: asSafeUint(p.id, 'proposal.id'),
    proposer: asBytes(p.proposer, 'proposal.proposer', 32),
    title: body.title,
    action: body.action,
    startHeight: asSafeUint(p.startHeight, 'proposal.startHeight'),
    endHeight: asSafeUint(p.endHeight, 'proposal.endHeight'),
    votes: asArray(p.votes, 'proposal.votes', MAX_VOTES_PER_PROPOSAL).map((v, i) => {
      const o = asObject(v, `proposal.votes[${i}]`, ['voter', 'choice']);
      return {
        voter: asBytes(o.voter, `proposal.votes[${i}].voter`, 32),
        choice: asOneOf(o.choice, `proposal.votes[${i}].choice`, ['yes', 'no', 'abstain'] as const),
      };
    }),
    status: asOneOf(p.status, 'proposal.status', ['open', 'passed', 'rejected', 'failed'] as const),
    outcome: asString(p.outcome, 'proposal.outcome', 500),
    tally: asNullable(p.tally, (t) => {
      const o = asObject(t, 'proposal.tally', ['yes', 'no', 'abstain', 'total']);
      return {
        yes: asUint(o.yes, 'proposal.tally.yes', 2n ** 128n),
        no: asUint(o.no, 'proposal.tally.no', 2n ** 128n),
        abstain: asUint(o.abstain, 'proposal.tally.abstain', 2n ** 128n),
        total: asUint(o.total, 'proposal.tally.total', 2n ** 128n),
      };
    }),
  };
}

export function readChainParams(value: unknown): ChainParams {
  const p = asObject(value, 'params', ['name', 'governance', 'proposalCount', 'openProposals']);
  return {
    name: asString(p.name, 'params.name', MAX_NAME_LENGTH),
    governance: readGovernanceRules(p.governance, 'params.governance'),
    proposalCount: asSafeUint(p.proposalCount, 'params.proposalCount'),
    openProposals: asArray(p.openProposals, 'params.openProposals', MAX_OPEN_PROPOSALS).map(
      (x, i) => asSafeUint(x, `params.openProposals[${i}]`),
    ),
  };
}

export function readValidatorHistory(value: unknown): ValidatorHistory {
  const h = asObject(value, 'validatorHistory', ['sets']);
  return {
    sets: asArray(h.sets, 'validatorHistory.sets', MAX_VALIDATOR_HISTORY).map((item, i) => {
      const path = `validatorHistory.sets[${i}]`;
      const o = asObject(item, path, ['since', 'set']);
      return { since: asSafeUint(o.since, `${path}.since`), set: readValidatorSet(o.set, path) };
    }),
  };
}

export function readEvidenceRecord(value: unknown): EvidenceRecord {
  const r = asObject(value, 'evidenceRecord', ['evidence', 'includedHeight']);
  return {
    evidence: readEvidence(r.evidence, 'evidenceRecord.evidence'),
    includedHeight: asSafeUint(r.includedHeight, 'evidenceRecord.includedHeight'),
  };
}

/** Reads an entry's bytes by its name's namespace; used when loading and by light clients. */
export function decodeEntry(name: EntryName, bytes: Uint8Array): StateValue {
  const value = decode(bytes);
  const ns = name.slice(0, name.indexOf(':'));
  switch (ns) {
    case 'account':
      return readAccount(value);
    case 'balance':
      return readBalance(value);
    case 'asset':
      return readAsset(value);
    case 'record':
      return readTitleRecord(value);
    case 'proposal':
      return readProposal(value);
    case 'evidence':
      return readEvidenceRecord(value);
    case 'chain':
      if (name === entryName.params) return readChainParams(value);
      if (name === entryName.validatorHistory) return readValidatorHistory(value);
      return readValidatorSet(value, name);
    default:
      throw new DecodeError(`Unknown state namespace "${ns}".`);
  }
}

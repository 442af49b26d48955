/**
 * @module StateTxn — a layer of uncommitted writes over the state. A transaction is applied in
 * a child layer that is merged only if every rule passes, so a rejected transaction leaves no
 * trace; a block is applied in a layer that is committed only if its state root matches.
 * Values read here are shared with the layers below: code never mutates them, it writes anew.
 */
import type { ValidatorSet } from './validatorSet';
import {
  entryName,
  type Account,
  type Asset,
  type Balance,
  type ChainParams,
  type EntryName,
  type EvidenceRecord,
  type Proposal,
  type ValidatorHistory,
  type StateValue,
  type TitleRecord,
  validatorsAt,
} from './stateEntries';

export interface StateReader {
  read(name: EntryName): StateValue | undefined;
}

export const EMPTY_ACCOUNT: Account = Object.freeze({ nonce: 0 });

export class StateTxn implements StateReader {
  private readonly writes = new Map<EntryName, StateValue | null>();
  private writeCount = 0;

  constructor(
    private readonly parent: StateReader,
    /** Height of the block being applied. */
    readonly height: number,
    /** Its time, in ms. */
    readonly time: number,
  ) {}

  read(name: EntryName): StateValue | undefined {
    if (this.writes.has(name)) return this.writes.get(name) ?? undefined;
    return this.parent.read(name);
  }

  write(name: EntryName, value: StateValue | null): void {
    this.writes.set(name, value);
    this.writeCount++;
  }

  /** Grows with every write: tells whether a layer changed since it was last looked at. */
  get revision(): number {
    return this.writeCount;
  }

  child(): StateTxn {
    return new StateTxn(this, this.height, this.time);
  }

  /** Merges this layer's writes into its parent layer. */
  mergeInto(parent: StateTxn): void {
    for (const [name, value] of this.writes) parent.write(name, value);
  }

  /** The writes of this layer (null marks a deletion). */
  changes(): ReadonlyMap<EntryName, StateValue | null> {
    return this.writes;
  }

  account(publicKey: Uint8Array): Account {
    return (this.read(entryName.account(publicKey)) as Account | undefined) ?? EMPTY_ACCOUNT;
  }

  setAccount(publicKey: Uint8Array, account: Account): void {
    this.write(entryName.account(publicKey), account.nonce === 0 ? null : account);
  }

  balance(publicKey: Uint8Array, symbol: string): bigint {
    return (this.read(entryName.balance(publicKey, symbol)) as Balance | undefined)?.amount ?? 0n;
  }

  /** A zero balance is no entry at all. */
  setBalance(publicKey: Uint8Array, symbol: string, amount: bigint): void {
    this.write(entryName.balance(publicKey, symbol), amount === 0n ? null : { amount });
  }

  asset(symbol: string): Asset | undefined {
    return this.read(entryName.asset(symbol)) as Asset | undefined;
  }

  setAsset(asset: Asset): void {
    this.write(entryName.asset(asset.symbol), asset);
  }

  record(recordId: string): TitleRecord | undefined {
    return this.read(entryName.record(recordId)) as TitleRecord | undefined;
  }

  setRecord(record: TitleRecord): void {
    this.write(entryName.record(record.recordId), record);
  }

  proposal(id: number): Proposal | undefined {
    return this.read(entryName.proposal(id)) as Proposal | undefined;
  }

  setProposal(proposal: Proposal): void {
    this.write(entryName.proposal(proposal.id), proposal);
  }

  params(): ChainParams {
    return this.read(entryName.params) as ChainParams;
  }

  setParams(params: ChainParams): void {
    this.write(entryName.params, params);
  }

  /** Committed after block h: the set that signs block h + 1 (while applying h, the one signing h). */
  validators(): ValidatorSet {
    return this.read(entryName.validators) as ValidatorSet;
  }

  /** Committed after block h: the set that signs block h + 2, with every change passed so far. */
  nextValidators(): ValidatorSet {
    return this.read(entryName.nextValidators) as ValidatorSet;
  }

  /** Committed after block h: the set that signed block h, whose certificate block h + 1 carries. */
  lastValidators(): ValidatorSet {
    return this.read(entryName.lastValidators) as ValidatorSet;
  }

  setLastValidators(set: ValidatorSet): void {
    this.write(entryName.lastValidators, set);
  }

  setValidators(set: ValidatorSet): void {
    this.write(entryName.validators, set);
  }

  setNextValidators(set: ValidatorSet): void {
    this.write(entryName.nextValidators, set);
  }

  validatorHistory(): ValidatorHistory {
    return this.read(entryName.validatorHistory) as ValidatorHistory;
  }

  setValidatorHistory(history: ValidatorHistory): void {
    this.write(entryName.validatorHistory, history);
  }

  /** The set that signed block `height`, if the history still reaches back that far. */
  validatorsAt(height: number): ValidatorSet | undefined {
    return validatorsAt(this.validatorHistory(), height);
  }

  evidence(id: Uint8Array): EvidenceRecord | undefined {
    return this.read(entryName.evidence(id)) as EvidenceRecord | undefined;
  }

  setEvidence(id: Uint8Array, record: EvidenceRecord): void {
    this.write(entryName.evidence(id), record);
  }
}

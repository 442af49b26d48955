/**
 * @module genesis — what a chain is: its name, validators and threshold, governance rules, and
 * initial assets and balances. The chain id is the hash of the canonical genesis, so two
 * communities can never be confused and nothing signed for one chain verifies on another.
 */
import { FreeholdError } from '../FreeholdError';
import { DecodeError } from '../codec/cbor';
import { idOf, shortId } from '../codec/ids';
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
import { bytesToHex, compareBytes } from '../crypto/bytes';
import { fromDidKey } from '../crypto/didKey';
import { isAcceptedPublicKey } from '../crypto/ed25519';
import { readFraction, TWO_THIRDS, type Fraction } from './fraction';
import {
  MAX_NAME_LENGTH,
  MAX_POWER,
  MAX_VALIDATORS,
  readValidator,
  sortValidators,
  type Validator,
  type ValidatorSet,
} from './validatorSet';

export const PROTOCOL = 'freehold/1';
export const MAX_AMOUNT = 2n ** 64n - 1n;
export const MAX_DECIMALS = 18;
export const MAX_ASSETS = 256;
export const MAX_BALANCES = 100_000;
export const MAX_VOTING_PERIOD = 1_000_000;
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9]{1,11}$/;

export type GenesisField =
  | 'protocol'
  | 'name'
  | 'genesisTime'
  | 'validators'
  | 'threshold'
  | 'governance'
  | 'assets'
  | 'balances';

export type GenesisProblem =
  | 'missing'
  | 'outOfRange'
  | 'duplicate'
  | 'zeroPower'
  | 'invalidKey'
  | 'unknownAsset'
  | 'notCanonical'
  | 'invalidFormat';

/** An invalid genesis, naming the field and the problem so the app can point at it. */
export class InvalidGenesisError extends FreeholdError {
  override name = 'InvalidGenesisError' as const;
  readonly field: GenesisField;
  readonly problem: GenesisProblem;
  constructor(
    field: GenesisField,
    problem: GenesisProblem,
    shortMessage: string,
    details?: string,
  ) {
    super(shortMessage, details === undefined ? {} : { details });
    this.field = field;
    this.problem = problem;
  }
}

/** Who votes on proposals, and how a vote is decided. */
export interface GovernanceRules {
  /** Validators vote with their power, or holders of `voterAsset` with their balance at close. */
  voters: 'validators' | 'holders';
  voterAsset: string | null;
  /** Blocks from the proposal's block to its close. */
  votingPeriod: number;
  /** Turnout (yes + no + abstain) must reach this fraction of all weight. */
  quorum: Fraction;
  /** Yes must be more than this fraction of yes + no. */
  passThreshold: Fraction;
}

export interface AssetDefinition {
  symbol: string;
  name: string;
  decimals: number;
  /** Who may mint more later; null for a fixed supply. */
  minter: Uint8Array | null;
}

export interface GenesisBalance {
  account: Uint8Array;
  asset: string;
  amount: bigint;
}

export interface Genesis {
  protocol: typeof PROTOCOL;
  name: string;
  /** Milliseconds since the Unix epoch; every block's time comes after it. */
  genesisTime: number;
  validators: Validator[];
  threshold: Fraction;
  governance: GovernanceRules;
  assets: AssetDefinition[];
  balances: GenesisBalance[];
}

export const DEFAULT_GOVERNANCE: GovernanceRules = {
  voters: 'validators',
  voterAsset: null,
  votingPeriod: 10,
  quorum: { numerator: 1, denominator: 2 },
  passThreshold: { numerator: 1, denominator: 2 },
};

/** What a person founding a chain provides; keys may be given as did:key. */
export interface GenesisInput {
  name: string;
  genesisTime: number;
  validators: { key: Uint8Array | string; power?: number; name?: string }[];
  threshold?: Fraction;
  governance?: Partial<GovernanceRules>;
  assets?: AssetDefinition[];
  balances?: { account: Uint8Array | string; asset: string; amount: bigint }[];
}

function keyOf(key: Uint8Array | string): Uint8Array {
  return typeof key === 'string' ? fromDidKey(key) : key;
}

/** Builds the canonical genesis (sorted, normalised) from a founder's input, and validates it. */
export function createGenesis(input: GenesisInput): Genesis {
  let genesis: Genesis;
  try {
    genesis = {
      protocol: PROTOCOL,
      name: input.name.trim(),
      genesisTime: input.genesisTime,
      validators: sortValidators(
        input.validators.map((v) => ({
          publicKey: keyOf(v.key),
          power: v.power ?? 1,
          name: (v.name ?? '').trim(),
        })),
      ),
      threshold: input.threshold ?? TWO_THIRDS,
      governance: { ...DEFAULT_GOVERNANCE, ...input.governance },
      assets: [...(input.assets ?? [])].sort((a, b) =>
        a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0,
      ),
      balances: sortBalances(
        (input.balances ?? []).map((b) => ({
          account: keyOf(b.account),
          asset: b.asset,
          amount: b.amount,
        })),
      ),
    };
  } catch (cause) {
    if (cause instanceof InvalidGenesisError) throw cause;
    throw new InvalidGenesisError(
      'validators',
      'invalidKey',
      'A key in the genesis is not a valid did:key.',
      String(cause),
    );
  }
  validateGenesis(genesis);
  return genesis;
}

function sortBalances(balances: GenesisBalance[]): GenesisBalance[] {
  return [...balances].sort((a, b) =>
    a.asset === b.asset ? compareBytes(a.account, b.account) : a.asset < b.asset ? -1 : 1,
  );
}

function fractionIn(
  f: Fraction,
  min: Fraction,
  minInclusive: boolean,
  maxBelowOne: boolean,
): boolean {
  if (f.denominator < 1 || f.denominator > 1000 || f.numerator < 0) return false;
  const lhs = f.numerator * min.denominator;
  const rhs = min.numerator * f.denominator;
  if (minInclusive ? lhs < rhs : lhs <= rhs) return false;
  return maxBelowOne ? f.numerator < f.denominator : f.numerator <= f.denominator;
}

export function validateGovernance(g: GovernanceRules, assets: readonly AssetDefinition[]): void {
  const fail = (problem: GenesisProblem, message: string): never => {
    throw new InvalidGenesisError('governance', problem, message);
  };
  if (g.voters === 'holders') {
    if (g.voterAsset === null || !assets.some((a) => a.symbol === g.voterAsset)) {
      fail('unknownAsset', 'Holders vote with an asset of this chain: choose which.');
    }
  } else if (g.voters !== 'validators' || g.voterAsset !== null) {
    fail('invalidFormat', 'Voters are either the validators or the holders of an asset.');
  }
  if (
    !Number.isSafeInteger(g.votingPeriod) ||
    g.votingPeriod < 1 ||
    g.votingPeriod > MAX_VOTING_PERIOD
  ) {
    fail('outOfRange', `The voting period is 1 to ${MAX_VOTING_PERIOD} blocks.`);
  }
  if (!fractionIn(g.quorum, { numerator: 0, denominator: 1 }, false, false)) {
    fail('outOfRange', 'The quorum is a fraction above 0 and at most 1.');
  }
  if (!fractionIn(g.passThreshold, { numerator: 1, denominator: 2 }, true, true)) {
    fail('outOfRange', 'The pass threshold is at least 1/2 and below 1.');
  }
}

/** Checks a threshold: at least 1/2 (two quorums always overlap) and below 1 (reachable). */
export function isValidThreshold(t: Fraction): boolean {
  return fractionIn(t, { numerator: 1, denominator: 2 }, true, true);
}

export function validateValidators(validators: readonly Validator[]): void {
  if (validators.length === 0) {
    throw new InvalidGenesisError('validators', 'missing', 'A chain needs at least one validator.');
  }
  if (validators.length > MAX_VALIDATORS) {
    throw new InvalidGenesisError(
      'validators',
      'outOfRange',
      `A chain has at most ${MAX_VALIDATORS} validators.`,
    );
  }
  for (let i = 0; i < validators.length; i++) {
    const v = validators[i] as Validator;
    if (!isAcceptedPublicKey(v.publicKey)) {
      throw new InvalidGenesisError(
        'validators',
        'invalidKey',
        `Validator ${i + 1} has an invalid public key.`,
      );
    }
    if (v.power === 0) {
      throw new InvalidGenesisError(
        'validators',
        'zeroPower',
        `Validator ${i + 1} has no voting power.`,
      );
    }
    if (!Number.isSafeInteger(v.power) || v.power < 0 || v.power > MAX_POWER) {
      throw new InvalidGenesisError(
        'validators',
        'outOfRange',
        `Voting power is 1 to ${MAX_POWER}.`,
      );
    }
    if (v.name.length > MAX_NAME_LENGTH) {
      throw new InvalidGenesisError(
        'validators',
        'outOfRange',
        `A validator's name has at most ${MAX_NAME_LENGTH} characters.`,
      );
    }
    if (i > 0) {
      const order = compareBytes((validators[i - 1] as Validator).publicKey, v.publicKey);
      if (order === 0) {
        throw new InvalidGenesisError(
          'validators',
          'duplicate',
          `The same key is listed twice as a validator.`,
          bytesToHex(v.publicKey),
        );
      }
      if (order > 0) {
        throw new InvalidGenesisError(
          'validators',
          'notCanonical',
          'Validators must be sorted by public key.',
        );
      }
    }
  }
}

export function validateGenesis(g: Genesis): void {
  if (g.protocol !== PROTOCOL) {
    throw new InvalidGenesisError(
      'protocol',
      'invalidFormat',
      `This genesis is for another protocol (${String(g.protocol)}).`,
    );
  }
  if (
    typeof g.name !== 'string' ||
    g.name.trim() !== g.name ||
    g.name.length < 1 ||
    g.name.length > MAX_NAME_LENGTH
  ) {
    throw new InvalidGenesisError(
      'name',
      'outOfRange',
      `A chain's name has 1 to ${MAX_NAME_LENGTH} characters.`,
    );
  }
  if (!Number.isSafeInteger(g.genesisTime) || g.genesisTime < 0) {
    throw new InvalidGenesisError(
      'genesisTime',
      'outOfRange',
      'The genesis time is a moment in milliseconds since 1970.',
    );
  }
  validateValidators(g.validators);
  if (!isValidThreshold(g.threshold)) {
    throw new InvalidGenesisError(
      'threshold',
      'outOfRange',
      'The threshold is at least 1/2 of voting power and below all of it.',
    );
  }
  if (g.assets.length > MAX_ASSETS) {
    throw new InvalidGenesisError(
      'assets',
      'outOfRange',
      `A genesis defines at most ${MAX_ASSETS} assets.`,
    );
  }
  for (let i = 0; i < g.assets.length; i++) {
    const a = g.assets[i] as AssetDefinition;
    validateAssetDefinition(a, (problem, message) => {
      throw new InvalidGenesisError('assets', problem, message);
    });
    if (i > 0) {
      const prev = (g.assets[i - 1] as AssetDefinition).symbol;
      if (prev === a.symbol)
        throw new InvalidGenesisError('assets', 'duplicate', `Asset ${a.symbol} is defined twice.`);
      if (prev > a.symbol)
        throw new InvalidGenesisError('assets', 'notCanonical', 'Assets must be sorted by symbol.');
    }
  }
  validateGovernance(g.governance, g.assets);
  if (g.balances.length > MAX_BALANCES) {
    throw new InvalidGenesisError(
      'balances',
      'outOfRange',
      `A genesis holds at most ${MAX_BALANCES} balances.`,
    );
  }
  const supply = new Map<string, bigint>();
  for (let i = 0; i < g.balances.length; i++) {
    const b = g.balances[i] as GenesisBalance;
    if (!g.assets.some((a) => a.symbol === b.asset)) {
      throw new InvalidGenesisError(
        'balances',
        'unknownAsset',
        `Balance ${i + 1} is in ${b.asset}, which is not defined.`,
      );
    }
    if (!(b.account instanceof Uint8Array) || b.account.length !== 32) {
      throw new InvalidGenesisError(
        'balances',
        'invalidKey',
        `Balance ${i + 1} has an invalid account.`,
      );
    }
    if (typeof b.amount !== 'bigint' || b.amount <= 0n || b.amount > MAX_AMOUNT) {
      throw new InvalidGenesisError(
        'balances',
        'outOfRange',
        `Balance ${i + 1} must be above zero and at most 2^64 − 1.`,
      );
    }
    const total = (supply.get(b.asset) ?? 0n) + b.amount;
    if (total > MAX_AMOUNT) {
      throw new InvalidGenesisError(
        'balances',
        'outOfRange',
        `The supply of ${b.asset} would exceed 2^64 − 1.`,
      );
    }
    supply.set(b.asset, total);
    if (i > 0) {
      const p = g.balances[i - 1] as GenesisBalance;
      const order =
        p.asset === b.asset ? compareBytes(p.account, b.account) : p.asset < b.asset ? -1 : 1;
      if (order === 0)
        throw new InvalidGenesisError(
          'balances',
          'duplicate',
          `An account has two ${b.asset} balances.`,
        );
      if (order > 0)
        throw new InvalidGenesisError(
          'balances',
          'notCanonical',
          'Balances must be sorted by asset, then account.',
        );
    }
  }
}

/** `fail` throws the caller's own typed error for the problem found. */
export function validateAssetDefinition(
  a: AssetDefinition,
  fail: (problem: GenesisProblem, message: string) => never,
): void {
  if (!SYMBOL_PATTERN.test(a.symbol)) {
    fail(
      'invalidFormat',
      'An asset symbol is 2 to 12 capital letters or digits, starting with a letter.',
    );
  }
  if (a.name.trim() !== a.name || a.name.length < 1 || a.name.length > MAX_NAME_LENGTH) {
    fail('outOfRange', `An asset's name has 1 to ${MAX_NAME_LENGTH} characters.`);
  }
  if (!Number.isSafeInteger(a.decimals) || a.decimals < 0 || a.decimals > MAX_DECIMALS) {
    fail('outOfRange', `An asset has 0 to ${MAX_DECIMALS} decimals.`);
  }
  if (a.minter !== null && (!(a.minter instanceof Uint8Array) || a.minter.length !== 32)) {
    fail('invalidKey', 'The minter must be an account key or nobody.');
  }
}

export function chainIdOf(genesis: Genesis): Uint8Array {
  return idOf('genesis', genesis);
}

/** "Maple Co-op · 7K3Q-9XW2": the chain's name with the short form of its id. */
export function chainLabel(genesis: Genesis, chainId = chainIdOf(genesis)): string {
  return `${genesis.name} · ${shortId(chainId)}`;
}

export function genesisValidatorSet(genesis: Genesis): ValidatorSet {
  return { validators: genesis.validators, threshold: genesis.threshold };
}

export function readGovernanceRules(value: unknown, path: string): GovernanceRules {
  const g = asObject(value, path, [
    'voters',
    'voterAsset',
    'votingPeriod',
    'quorum',
    'passThreshold',
  ]);
  return {
    voters: asOneOf(g.voters, `${path}.voters`, ['validators', 'holders'] as const),
    voterAsset: asNullable(g.voterAsset, (v) => asString(v, `${path}.voterAsset`, 12)),
    votingPeriod: asSafeUint(g.votingPeriod, `${path}.votingPeriod`),
    quorum: readFraction(g.quorum, `${path}.quorum`),
    passThreshold: readFraction(g.passThreshold, `${path}.passThreshold`),
  };
}

export function readAssetDefinition(value: unknown, path: string): AssetDefinition {
  const a = asObject(value, path, ['symbol', 'name', 'decimals', 'minter']);
  return {
    symbol: asString(a.symbol, `${path}.symbol`, 12),
    name: asString(a.name, `${path}.name`, MAX_NAME_LENGTH),
    decimals: asSafeUint(a.decimals, `${path}.decimals`),
    minter: asNullable(a.minter, (v) => asBytes(v, `${path}.minter`, 32)),
  };
}

/** Reads a decoded genesis (from an invite or a file) and validates it. */
export function readGenesis(value: unknown): Genesis {
  let g: Genesis;
  try {
    const v = asObject(value, 'genesis', [
      'protocol',
      'name',
      'genesisTime',
      'validators',
      'threshold',
      'governance',
      'assets',
      'balances',
    ]);
    g = {
      protocol: asOneOf(v.protocol, 'genesis.protocol', [PROTOCOL] as const),
      name: asString(v.name, 'genesis.name', MAX_NAME_LENGTH),
      genesisTime: asSafeUint(v.genesisTime, 'genesis.genesisTime'),
      validators: asArray(v.validators, 'genesis.validators', MAX_VALIDATORS).map((x, i) =>
        readValidator(x, `genesis.validators[${i}]`),
      ),
      threshold: readFraction(v.threshold, 'genesis.threshold'),
      governance: readGovernanceRules(v.governance, 'genesis.governance'),
      assets: asArray(v.assets, 'genesis.assets', MAX_ASSETS).map((x, i) =>
        readAssetDefinition(x, `genesis.assets[${i}]`),
      ),
      balances: asArray(v.balances, 'genesis.balances', MAX_BALANCES).map((x, i) => {
        const b = asObject(x, `genesis.balances[${i}]`, ['account', 'asset', 'amount']);
        return {
          account: asBytes(b.account, `genesis.balances[${i}].account`, 32),
          asset: asString(b.asset, `genesis.balances[${i}].asset`, 12),
          amount: asUint(b.amount, `genesis.balances[${i}].amount`),
        };
      }),
    };
  } catch (cause) {
    if (cause instanceof DecodeError) {
      throw new InvalidGenesisError(
        'protocol',
        'invalidFormat',
        'This is not a valid genesis.',
        cause.shortMessage,
      );
    }
    throw cause;
  }
  validateGenesis(g);
  return g;
}

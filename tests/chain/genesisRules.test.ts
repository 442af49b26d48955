// Genesis rules one by one (pure): a genesis valid in every way but one field is refused with
// that field and that problem, and the edge of each range is still accepted.
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/codec/cbor';
import {
  chainIdOf,
  chainLabel,
  createGenesis,
  InvalidGenesisError,
  MAX_AMOUNT,
  readGenesis,
  validateGenesis,
  type AssetDefinition,
  type Genesis,
  type GenesisBalance,
  type GovernanceRules,
} from '../../src/chain/genesis';
import { sortValidators, type Validator } from '../../src/chain/validatorSet';
import { shortId } from '../../src/codec/ids';
import { testGenesis, testKey } from '../helpers/chainFixture';

const [alice, bob, carol] = ['alice', 'bob', 'carol'].map(testKey) as [
  ReturnType<typeof testKey>,
  ReturnType<typeof testKey>,
  ReturnType<typeof testKey>,
];
const base = (): Genesis => testGenesis([alice, bob]);
const coin = (): AssetDefinition => base().assets[0]!;

/** `field/problem` of the refusal, or 'ok'. */
function verdict(g: Genesis): string {
  try {
    validateGenesis(g);
    return 'ok';
  } catch (e) {
    if (!(e instanceof InvalidGenesisError)) throw e;
    return `${e.field}/${e.problem}`;
  }
}

const withValidators = (validators: Validator[]): Genesis => ({ ...base(), validators });
const validator = (over: Partial<Validator>): Validator => ({ ...base().validators[0]!, ...over });
const withAssets = (assets: AssetDefinition[]): Genesis => ({ ...base(), assets, balances: [] });
const asset = (over: Partial<AssetDefinition>): Genesis => withAssets([{ ...coin(), ...over }]);
const governance = (over: Partial<GovernanceRules>): Genesis => ({
  ...base(),
  governance: { ...base().governance, ...over },
});
const balances = (list: GenesisBalance[]): Genesis => ({ ...base(), balances: list });
const balance = (over: Partial<GenesisBalance>): GenesisBalance => ({
  account: alice.publicKey,
  asset: 'COIN',
  amount: 1n,
  ...over,
});
const sortedAccounts = [alice, bob, carol]
  .map((k) => k.publicKey)
  .sort((x, y) => Buffer.compare(x, y));

describe('genesis rules, one broken at a time (pure)', () => {
  it.each([
    [
      'another protocol',
      { ...base(), protocol: 'freehold/2' } as unknown as Genesis,
      'protocol/invalidFormat',
    ],
    ['a name with spaces around it', { ...base(), name: ' Co-op' }, 'name/outOfRange'],
    ['an empty name', { ...base(), name: '' }, 'name/outOfRange'],
    ['a name of 65 characters', { ...base(), name: 'n'.repeat(65) }, 'name/outOfRange'],
    ['a name that is not text', { ...base(), name: 7 } as unknown as Genesis, 'name/outOfRange'],
    ['a fractional genesis time', { ...base(), genesisTime: 1.5 }, 'genesisTime/outOfRange'],
    ['a genesis time before 1970', { ...base(), genesisTime: -1 }, 'genesisTime/outOfRange'],
  ])('refuses %s', (_label, g, expected) => {
    expect(verdict(g)).toBe(expected);
  });

  it('accepts the edges: a one-character name, one of 64, genesis time 0', () => {
    expect(verdict({ ...base(), name: 'n' })).toBe('ok');
    expect(verdict({ ...base(), name: 'n'.repeat(64) })).toBe('ok');
    expect(verdict({ ...base(), genesisTime: 0 })).toBe('ok');
  });

  it.each([
    ['no validators', [], 'validators/missing'],
    ['1001 validators', Array<Validator>(1001).fill(validator({})), 'validators/outOfRange'],
    // 1000 is allowed by count, so the same key listed again is what is refused.
    [
      '1000 validators, all the same',
      Array<Validator>(1000).fill(validator({})),
      'validators/duplicate',
    ],
    [
      'a key not on the curve',
      [validator({ publicKey: new Uint8Array(32) })],
      'validators/invalidKey',
    ],
    ['power 0', [validator({ power: 0 })], 'validators/zeroPower'],
    ['power −1', [validator({ power: -1 })], 'validators/outOfRange'],
    ['fractional power', [validator({ power: 1.5 })], 'validators/outOfRange'],
    ['power above 10⁹', [validator({ power: 1_000_000_001 })], 'validators/outOfRange'],
    ['a name of 65 characters', [validator({ name: 'v'.repeat(65) })], 'validators/outOfRange'],
    ['validators out of key order', [...base().validators].reverse(), 'validators/notCanonical'],
  ])('refuses %s', (_label, validators, expected) => {
    expect(verdict(withValidators(validators))).toBe(expected);
  });

  it('accepts a validator with power 10⁹ and a name of 64 characters', () => {
    expect(
      verdict(withValidators([validator({ power: 1_000_000_000, name: 'v'.repeat(64) })])),
    ).toBe('ok');
  });

  it.each([
    ['below 1/2', { numerator: 1, denominator: 3 }, 'threshold/outOfRange'],
    ['all of the power', { numerator: 1, denominator: 1 }, 'threshold/outOfRange'],
    ['a zero denominator', { numerator: 0, denominator: 0 }, 'threshold/outOfRange'],
    ['a denominator above 1000', { numerator: 600, denominator: 1001 }, 'threshold/outOfRange'],
    [
      'a negative numerator over a negative denominator',
      { numerator: -2, denominator: -3 },
      'threshold/outOfRange',
    ],
    ['exactly 1/2', { numerator: 1, denominator: 2 }, 'ok'],
    ['999/1000', { numerator: 999, denominator: 1000 }, 'ok'],
  ])('a threshold %s: %s', (_label, threshold, expected) => {
    expect(verdict({ ...base(), threshold })).toBe(expected);
  });

  it.each([
    ['a lower-case symbol', { symbol: 'Coin' }, 'assets/invalidFormat'],
    ['a one-letter symbol', { symbol: 'C' }, 'assets/invalidFormat'],
    ['a 13-character symbol', { symbol: 'C'.repeat(13) }, 'assets/invalidFormat'],
    ['a symbol starting with a digit', { symbol: '1C' }, 'assets/invalidFormat'],
    ['a symbol with a trailing space', { symbol: 'COIN ' }, 'assets/invalidFormat'],
    ['a name with spaces around it', { name: ' Coin' }, 'assets/outOfRange'],
    ['an empty name', { name: '' }, 'assets/outOfRange'],
    ['a name of 65 characters', { name: 'c'.repeat(65) }, 'assets/outOfRange'],
    ['19 decimals', { decimals: 19 }, 'assets/outOfRange'],
    ['−1 decimals', { decimals: -1 }, 'assets/outOfRange'],
    ['fractional decimals', { decimals: 0.5 }, 'assets/outOfRange'],
    ['a minter of 31 bytes', { minter: new Uint8Array(31) }, 'assets/invalidKey'],
    [
      'a minter that is not bytes',
      { minter: 'alice' as unknown as Uint8Array },
      'assets/invalidKey',
    ],
    [
      'the edges: 12-character symbol, 64-character name, 18 decimals, a minter',
      { symbol: 'C12345678901', name: 'c'.repeat(64), decimals: 18, minter: alice.publicKey },
      'ok',
    ],
    [
      'the other edges: 2-character symbol, 0 decimals',
      { symbol: 'C1', decimals: 0, name: 'c' },
      'ok',
    ],
  ])('an asset with %s', (_label, over, expected) => {
    expect(verdict(asset(over))).toBe(expected);
  });

  it('refuses more than 256 assets, two of one symbol, and assets out of order', () => {
    const symbols = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        ...coin(),
        symbol: `A${String(i).padStart(3, '0')}`,
      }));
    expect(verdict(withAssets(symbols(257)))).toBe('assets/outOfRange');
    expect(verdict(withAssets(symbols(256)))).toBe('ok');
    expect(verdict(withAssets([coin(), coin()]))).toBe('assets/duplicate');
    expect(verdict(withAssets(symbols(2).reverse()))).toBe('assets/notCanonical');
  });

  it.each([
    [
      'holders with no asset named',
      { voters: 'holders', voterAsset: null },
      'governance/unknownAsset',
    ],
    [
      'holders of an asset not defined',
      { voters: 'holders', voterAsset: 'GOLD' },
      'governance/unknownAsset',
    ],
    ['holders of a defined asset', { voters: 'holders', voterAsset: 'COIN' }, 'ok'],
    [
      'validators with an asset named',
      { voters: 'validators', voterAsset: 'COIN' },
      'governance/invalidFormat',
    ],
    ['voters of another kind', { voters: 'elders' }, 'governance/invalidFormat'],
    ['a voting period of 0', { votingPeriod: 0 }, 'governance/outOfRange'],
    ['a fractional voting period', { votingPeriod: 1.5 }, 'governance/outOfRange'],
    ['a voting period above 1,000,000', { votingPeriod: 1_000_001 }, 'governance/outOfRange'],
    ['voting periods of 1 and 1,000,000', { votingPeriod: 1 }, 'ok'],
    ['the longest voting period', { votingPeriod: 1_000_000 }, 'ok'],
    ['a quorum of 0', { quorum: { numerator: 0, denominator: 1 } }, 'governance/outOfRange'],
    ['a quorum above all', { quorum: { numerator: 3, denominator: 2 } }, 'governance/outOfRange'],
    ['a quorum of all', { quorum: { numerator: 1, denominator: 1 } }, 'ok'],
    ['a quorum of 1/1000', { quorum: { numerator: 1, denominator: 1000 } }, 'ok'],
    [
      'a quorum over 1001',
      { quorum: { numerator: 1, denominator: 1001 } },
      'governance/outOfRange',
    ],
    [
      'a pass threshold below 1/2',
      { passThreshold: { numerator: 1, denominator: 3 } },
      'governance/outOfRange',
    ],
    ['a pass threshold of 1/2', { passThreshold: { numerator: 1, denominator: 2 } }, 'ok'],
    [
      'a pass threshold of all',
      { passThreshold: { numerator: 2, denominator: 2 } },
      'governance/outOfRange',
    ],
  ])('governance with %s', (_label, over, expected) => {
    expect(verdict(governance(over as Partial<GovernanceRules>))).toBe(expected);
  });

  it.each([
    ['in an asset not defined', [balance({ asset: 'GOLD' })], 'balances/unknownAsset'],
    [
      'for an account of 31 bytes',
      [balance({ account: new Uint8Array(31) })],
      'balances/invalidKey',
    ],
    [
      'for an account that is not bytes',
      [balance({ account: 'alice' as unknown as Uint8Array })],
      'balances/invalidKey',
    ],
    ['of zero', [balance({ amount: 0n })], 'balances/outOfRange'],
    ['of −1', [balance({ amount: -1n })], 'balances/outOfRange'],
    ['above 2^64 − 1', [balance({ amount: MAX_AMOUNT + 1n })], 'balances/outOfRange'],
    [
      'that is a number, not a bigint',
      [balance({ amount: 5 as unknown as bigint })],
      'balances/outOfRange',
    ],
    ['of exactly 2^64 − 1', [balance({ amount: MAX_AMOUNT })], 'ok'],
    [
      'that together pass 2^64 − 1',
      [
        balance({ account: sortedAccounts[0]!, amount: MAX_AMOUNT }),
        balance({ account: sortedAccounts[1]!, amount: 1n }),
      ],
      'balances/outOfRange',
    ],
    [
      'that together reach exactly 2^64 − 1',
      [
        balance({ account: sortedAccounts[0]!, amount: MAX_AMOUNT - 1n }),
        balance({ account: sortedAccounts[1]!, amount: 1n }),
      ],
      'ok',
    ],
    ['twice for one account', [balance({}), balance({})], 'balances/duplicate'],
    [
      'out of account order',
      [balance({ account: sortedAccounts[1]! }), balance({ account: sortedAccounts[0]! })],
      'balances/notCanonical',
    ],
  ])('a balance %s', (_label, list, expected) => {
    expect(verdict(balances(list))).toBe(expected);
  });

  it('orders balances by asset first, then by account', () => {
    const g = { ...base(), assets: [coin(), { ...coin(), symbol: 'GOLD' }] };
    const late = balance({ account: sortedAccounts[0]!, asset: 'GOLD' });
    const early = balance({ account: sortedAccounts[1]!, asset: 'COIN' });
    expect(verdict({ ...g, balances: [early, late] })).toBe('ok');
    expect(verdict({ ...g, balances: [late, early] })).toBe('balances/notCanonical');
    // Supplies are per asset: 2^64 − 1 of each is fine.
    const full = [
      { ...early, amount: MAX_AMOUNT },
      { ...late, amount: MAX_AMOUNT },
    ];
    expect(verdict({ ...g, balances: full })).toBe('ok');
  });

  it('refuses more than 100,000 balances before looking at any', () => {
    expect(verdict(balances(Array<GenesisBalance>(100_001).fill(balance({}))))).toBe(
      'balances/outOfRange',
    );
    expect(verdict(balances(Array<GenesisBalance>(100_000).fill(balance({}))))).toBe(
      'balances/duplicate',
    );
  });
});

describe('a genesis as a founder writes it (pure)', () => {
  it('sorts validators, assets and balances, trims names, and gives power 1 by default', () => {
    const g = createGenesis({
      name: '  Maple Co-op ',
      genesisTime: 5,
      validators: [
        { key: carol.publicKey, name: ' Kitchen Pi ' },
        { key: alice.publicKey },
        { key: bob.publicKey, power: 3 },
      ],
      assets: [
        { symbol: 'ZED', name: 'Zed', decimals: 0, minter: null },
        { symbol: 'BEE', name: 'Bee', decimals: 0, minter: null },
        { symbol: 'MID', name: 'Mid', decimals: 0, minter: null },
      ],
      balances: [
        { account: sortedAccounts[1]!, asset: 'MID', amount: 1n },
        { account: sortedAccounts[0]!, asset: 'MID', amount: 1n },
        { account: sortedAccounts[2]!, asset: 'BEE', amount: 1n },
      ],
    });
    expect(g.name).toBe('Maple Co-op');
    expect(g.validators).toEqual(sortValidators(g.validators));
    expect(g.validators.find((v) => v.publicKey === carol.publicKey)?.name).toBe('Kitchen Pi');
    expect(g.validators.map((v) => v.power).sort()).toEqual([1, 1, 3]);
    expect(g.validators.find((v) => v.publicKey === alice.publicKey)?.name).toBe('');
    expect(g.assets.map((a) => a.symbol)).toEqual(['BEE', 'MID', 'ZED']);
    expect(g.balances.map((b) => [b.asset, b.account])).toEqual([
      ['BEE', sortedAccounts[2]],
      ['MID', sortedAccounts[0]],
      ['MID', sortedAccounts[1]],
    ]);
    expect(g.threshold).toEqual({ numerator: 2, denominator: 3 });
  });

  it('names a key that is not a did:key as the validators’ invalid key', () => {
    const e = (() => {
      try {
        createGenesis({ name: 'Home', genesisTime: 0, validators: [{ key: 'did:key:zNope' }] });
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(InvalidGenesisError);
    expect([(e as InvalidGenesisError).field, (e as InvalidGenesisError).problem]).toEqual([
      'validators',
      'invalidKey',
    ]);
  });

  it('reads a decoded genesis back, and names bytes that are no genesis as its format', () => {
    const g = base();
    expect(chainIdOf(readGenesis(decode(encode(g))))).toEqual(chainIdOf(g));
    for (const junk of [7, { ...g, extra: 1 }, { ...g, name: 5 }]) {
      let caught: unknown;
      try {
        readGenesis(junk);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidGenesisError);
      expect((caught as InvalidGenesisError).problem).toBe('invalidFormat');
    }
  });

  it('labels a chain by its name and the short form of its id', () => {
    const g = base();
    expect(chainLabel(g)).toBe(`Test Co-op · ${shortId(chainIdOf(g))}`);
  });
});

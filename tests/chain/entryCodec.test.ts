// State entries and transactions as bytes (pure, real signatures): every kind survives its
// encoding exactly, and bytes a peer forged in one field are refused with a DecodeError or the
// transaction's own typed error.
import { describe, expect, it } from 'vitest';
import { DecodeError, decode, encode } from '../../src/codec/cbor';
import { DEFAULT_GOVERNANCE } from '../../src/chain/genesis';
import { MalformedTransactionError } from '../../src/chain/rejections';
import { decodeEntry, encodeEntry, entryName, type StateValue } from '../../src/chain/stateEntries';
import {
  MAX_METADATA_ENTRIES,
  MAX_METADATA_KEY_BYTES,
  MAX_METADATA_VALUE_BYTES,
  MAX_RECORD_ID_BYTES,
  MAX_TEXT_BYTES,
  MAX_TITLE_BYTES,
  MAX_TRANSACTION_BYTES,
  decodeTransaction,
  encodeTransaction,
  readSignedTransaction,
  signTransaction,
  txIdOf,
  txIdOfBytes,
  txSizeOf,
  utf8Length,
  type ProposalAction,
  type TxBody,
} from '../../src/chain/transaction';
import { signVote } from '../../src/chain/vote';
import { sign } from '../../src/crypto/ed25519';
import { testKey } from '../helpers/chainFixture';

const alice = testKey('codec alice');
const bob = testKey('codec bob');
const chainId = new Uint8Array(32).fill(4);
const hash = new Uint8Array(32).fill(9);
const set = {
  validators: [{ publicKey: alice.publicKey, power: 2, name: 'Kitchen Pi' }],
  threshold: { numerator: 2, denominator: 3 },
};
const voteOf = (round: number) =>
  signVote(chainId, { type: 'prevote', height: 3, round, blockHash: hash }, alice.publicKey, (m) =>
    sign(m, alice.secretKey),
  );
const actions: ProposalAction[] = [
  { type: 'addValidator', publicKey: bob.publicKey, power: 3, name: 'Barn' },
  { type: 'removeValidator', publicKey: alice.publicKey },
  { type: 'setPower', publicKey: alice.publicKey, power: 7 },
  { type: 'setThreshold', threshold: { numerator: 3, denominator: 4 } },
  { type: 'setGovernance', rules: { ...DEFAULT_GOVERNANCE, votingPeriod: 20 } },
  { type: 'text', text: 'Paint the barn.' },
];

/** One entry of every kind, built inside a test (mutation runs credit it to that test). */
const entries = (): [string, StateValue][] => [
  [entryName.account(alice.publicKey), { nonce: 3 }],
  [entryName.balance(alice.publicKey, 'COIN'), { amount: 2n ** 64n - 1n }],
  [
    entryName.asset('COIN'),
    {
      symbol: 'COIN',
      name: 'Co-op coin',
      decimals: 18,
      supply: 100n,
      minter: alice.publicKey,
      issuer: null,
    },
  ],
  [
    entryName.record('plot-7'),
    {
      recordId: 'plot-7',
      owner: bob.publicKey,
      contentHash: hash,
      metadata: { area: '1200 m²' },
      registeredHeight: 1,
      updatedHeight: 5,
      transfers: 1,
      lastTxId: hash,
    },
  ],
  ...actions.map((action, i): [string, StateValue] => [
    entryName.proposal(i + 1),
    {
      id: i + 1,
      proposer: alice.publicKey,
      title: `Change ${i + 1}`,
      action,
      startHeight: 2,
      endHeight: 12,
      votes: [
        { voter: alice.publicKey, choice: 'yes' },
        { voter: bob.publicKey, choice: 'abstain' },
      ],
      status: i % 2 === 0 ? 'passed' : 'open',
      outcome: '',
      tally: i % 2 === 0 ? { yes: 2n, no: 0n, abstain: 1n, total: 5n } : null,
    },
  ]),
  [
    entryName.params,
    { name: 'Maple', governance: DEFAULT_GOVERNANCE, proposalCount: 6, openProposals: [2, 4] },
  ],
  [entryName.validators, set],
  [entryName.nextValidators, set],
  [entryName.lastValidators, set],
  [entryName.validatorHistory, { sets: [{ since: 1, set }] }],
  [
    entryName.evidence(hash),
    { evidence: { voteA: voteOf(0), voteB: voteOf(1) }, includedHeight: 4 },
  ],
];

/** An entry's value with one field replaced, as a peer could send it. */
const spoiled = (value: StateValue, field: string, to: unknown): Uint8Array =>
  encode({ ...(value as object), [field]: to });

const refuses = (read: () => unknown): boolean => {
  try {
    read();
    return false;
  } catch (e) {
    if (e instanceof DecodeError || e instanceof MalformedTransactionError) return true;
    throw e;
  }
};

describe('state entries as bytes (pure)', () => {
  it('every kind survives its encoding', () => {
    for (const [name, value] of entries()) {
      expect(decodeEntry(name as never, encodeEntry(value)), name).toEqual(value);
    }
  });

  it('every kind refuses a field it does not know, and each field missing', () => {
    for (const [name, value] of entries()) {
      expect(
        refuses(() => decodeEntry(name as never, spoiled(value, 'extra', 1))),
        name,
      ).toBe(true);
      for (const field of Object.keys(value)) {
        const rest = { ...(value as unknown as Record<string, unknown>) };
        delete rest[field];
        expect(
          refuses(() => decodeEntry(name as never, encode(rest))),
          `${name} ${field}`,
        ).toBe(true);
      }
    }
  });

  it('refuses an entry of a namespace it does not know', () => {
    expect(refuses(() => decodeEntry('mystery:1', encode({ nonce: 1 })))).toBe(true);
  });

  it('refuses an asset of more than 18 decimals, or with a minter that is no key', () => {
    const asset = entries()[2]![1];
    expect(
      refuses(() => decodeEntry(entryName.asset('COIN'), spoiled(asset, 'decimals', 19))),
    ).toBe(true);
    expect(
      refuses(() =>
        decodeEntry(entryName.asset('COIN'), spoiled(asset, 'minter', hash.subarray(1))),
      ),
    ).toBe(true);
    expect(
      refuses(() => decodeEntry(entryName.asset('COIN'), spoiled(asset, 'issuer', 'bob'))),
    ).toBe(true);
  });

  it('refuses a proposal with an unknown status or vote choice, or a tally that is no count', () => {
    const [name, proposal] = entries()[4]!;
    const read = (field: string, to: unknown) => () =>
      decodeEntry(name, spoiled(proposal, field, to));
    expect(refuses(read('status', 'maybe'))).toBe(true);
    expect(refuses(read('votes', [{ voter: alice.publicKey, choice: 'maybe' }]))).toBe(true);
    expect(refuses(read('votes', [{ voter: alice.publicKey, choice: 'yes', extra: 1 }]))).toBe(
      true,
    );
    expect(refuses(read('tally', { yes: -1, no: 0, abstain: 0, total: 1 }))).toBe(true);
    expect(refuses(read('tally', { yes: 1, no: 0, abstain: 0 }))).toBe(true);
    expect(refuses(read('outcome', 'x'.repeat(501)))).toBe(true);
    expect(refuses(read('action', { type: 'text', text: '', extra: 1 }))).toBe(true);
  });

  it('refuses validator history entries and parameters that are not what they claim', () => {
    const history = entries().find(([n]) => n === entryName.validatorHistory)![1];
    expect(
      refuses(() =>
        decodeEntry(entryName.validatorHistory, spoiled(history, 'sets', [{ since: -1, set }])),
      ),
    ).toBe(true);
    expect(
      refuses(() =>
        decodeEntry(
          entryName.validatorHistory,
          spoiled(history, 'sets', [{ since: 1, set, x: 1 }]),
        ),
      ),
    ).toBe(true);
    const params = entries().find(([n]) => n === entryName.params)![1];
    expect(
      refuses(() => decodeEntry(entryName.params, spoiled(params, 'openProposals', [-1]))),
    ).toBe(true);
  });
});

const body = (over: Partial<Record<string, unknown>> & { kind: string }): TxBody => over as TxBody;
const bodies: TxBody[] = [
  { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount: 2n ** 64n - 1n },
  { kind: 'mint', asset: 'COIN', to: bob.publicKey, amount: 1n },
  { kind: 'issueAsset', symbol: 'GOLD', name: 'Gold', decimals: 2, supply: 10n, minter: null },
  {
    kind: 'issueAsset',
    symbol: 'GOLD',
    name: 'Gold',
    decimals: 0,
    supply: 0n,
    minter: alice.publicKey,
  },
  {
    kind: 'registerRecord',
    recordId: 'r'.repeat(MAX_RECORD_ID_BYTES),
    contentHash: hash,
    metadata: { k: 'v' },
  },
  { kind: 'transferRecord', recordId: 'r', to: bob.publicKey },
  ...actions.map((action): TxBody => ({
    kind: 'propose',
    title: 't'.repeat(MAX_TITLE_BYTES),
    action,
  })),
  { kind: 'vote', proposalId: 4, choice: 'abstain' },
];
const signed = (b: TxBody) =>
  signTransaction({ chainId, sender: alice.publicKey, nonce: 2, body: b }, (m) =>
    sign(m, alice.secretKey),
  );
/** The signed transaction as a decoded map with its body's fields replaced. */
const withBody = (b: TxBody, over: Record<string, unknown>) => {
  const s = signed(b);
  return { ...s, tx: { ...s.tx, body: { ...b, ...over } } };
};

describe('transactions as bytes (pure, real signatures)', () => {
  it.each(bodies.map((b) => [b.kind, b] as const))('a %s survives its encoding', (_kind, b) => {
    const s = signed(b);
    const bytes = encodeTransaction(s);
    expect(decodeTransaction(bytes)).toEqual(s);
    expect(txSizeOf(s)).toBe(bytes.length);
    expect(txIdOf(s)).toEqual(txIdOfBytes(bytes));
  });

  it.each([
    ['transfer', { amount: 2n ** 64n }],
    ['transfer', { asset: 'C'.repeat(13) }],
    ['transfer', { to: hash.subarray(1) }],
    ['transfer', { extra: 1 }],
    ['issueAsset', { symbol: 'G'.repeat(13) }],
    ['issueAsset', { name: 'n'.repeat(65) }],
    ['issueAsset', { decimals: -1 }],
    ['issueAsset', { supply: -1 }],
    ['issueAsset', { minter: 'alice' }],
    ['registerRecord', { recordId: '' }],
    ['registerRecord', { recordId: 'é'.repeat(65) }],
    ['registerRecord', { contentHash: hash.subarray(1) }],
    ['registerRecord', { metadata: { '': 'v' } }],
    ['registerRecord', { metadata: { ['k'.repeat(MAX_METADATA_KEY_BYTES + 1)]: 'v' } }],
    ['registerRecord', { metadata: { k: 'v'.repeat(MAX_METADATA_VALUE_BYTES + 1) } }],
    [
      'registerRecord',
      {
        metadata: Object.fromEntries(
          Array.from({ length: MAX_METADATA_ENTRIES + 1 }, (_, i) => [`k${i}`, 'v']),
        ),
      },
    ],
    ['registerRecord', { metadata: { k: 5 } }],
    ['transferRecord', { recordId: '' }],
    ['transferRecord', { to: null }],
    ['propose', { title: '' }],
    ['propose', { title: 't'.repeat(MAX_TITLE_BYTES + 1) }],
    ['propose', { action: { type: 'coup' } }],
    ['propose', { action: { type: 'text', text: 'x'.repeat(MAX_TEXT_BYTES + 1) } }],
    ['propose', { action: { type: 'text', text: 'hi', power: 1 } }],
    [
      'propose',
      { action: { type: 'addValidator', publicKey: hash.subarray(1), power: 1, name: '' } },
    ],
    ['propose', { action: { type: 'addValidator', publicKey: hash, power: -1, name: '' } }],
    [
      'propose',
      { action: { type: 'addValidator', publicKey: hash, power: 1, name: 'n'.repeat(65) } },
    ],
    ['propose', { action: { type: 'removeValidator', publicKey: hash, power: 1 } }],
    ['propose', { action: { type: 'setPower', publicKey: hash, power: -1 } }],
    ['propose', { action: { type: 'setThreshold', threshold: { numerator: 1 } } }],
    [
      'propose',
      { action: { type: 'setGovernance', rules: { ...DEFAULT_GOVERNANCE, voters: 'elders' } } },
    ],
    ['vote', { choice: 'maybe' }],
    ['vote', { proposalId: -1 }],
    ['gift', {}],
  ] as [string, Record<string, unknown>][])('refuses a %s, case %#', (kind, over) => {
    const base = bodies.find((b) => b.kind === kind) ?? body({ kind });
    const raw = withBody(base, over);
    expect(refuses(() => readSignedTransaction(raw))).toBe(true);
    // 2^64 has no canonical encoding: the reader alone can be handed it.
    if (!Object.values(over).includes(2n ** 64n)) {
      expect(refuses(() => decodeTransaction(encode(raw)))).toBe(true);
    }
  });

  it('refuses a transaction whose envelope is wrong', () => {
    const s = signed(bodies[0]!);
    for (const bad of [
      { ...s, signature: s.signature.subarray(1) },
      { ...s, extra: 1 },
      { ...s, tx: { ...s.tx, chainId: hash.subarray(1) } },
      { ...s, tx: { ...s.tx, sender: 'alice' } },
      { ...s, tx: { ...s.tx, nonce: -1 } },
      { ...s, tx: { ...s.tx, extra: 1 } },
    ]) {
      expect(refuses(() => decodeTransaction(encode(bad)))).toBe(true);
    }
  });

  it('names malformed bytes as a malformed transaction, with what the decoder found', () => {
    let caught: unknown;
    try {
      decodeTransaction(encode({ tx: 1, signature: 2 }));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MalformedTransactionError);
    expect((caught as MalformedTransactionError).details).toMatch(/signedTx\.tx/);
  });

  it('refuses more than 16 KiB before decoding, and takes exactly 16 KiB to the decoder', () => {
    const big = new Uint8Array(MAX_TRANSACTION_BYTES + 1);
    expect(refuses(() => decodeTransaction(big))).toBe(true);
    let caught: unknown;
    try {
      decodeTransaction(encode(new Uint8Array(MAX_TRANSACTION_BYTES - 3)));
    } catch (e) {
      caught = e;
    }
    // Within the limit the bytes are decoded, and found not to be a transaction.
    expect((caught as MalformedTransactionError).details).toMatch(/map/);
  });

  it('counts UTF-8 bytes as the encoder writes them', () => {
    const encoder = new TextEncoder();
    for (const text of [
      '',
      'abc',
      'é',
      '€',
      '😀',
      'a😀b',
      '\ud800',
      '\udc00',
      '\ud800x',
      'x\ud800',
      '\u07ff',
      '\u0800',
      '\u007f',
      '\u0080',
      '\udbff\udfff',
    ]) {
      expect(utf8Length(text), JSON.stringify(text)).toBe(encoder.encode(text).length);
    }
    expect(decode(encode('é'))).toBe('é');
  });
});

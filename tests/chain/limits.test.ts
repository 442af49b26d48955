// Limits that keep blocks small enough to sync: transaction text measured in UTF-8 bytes (what
// the encoding stores), and the proposer's byte budget that the block rules enforce.
import { describe, expect, it } from 'vitest';
import { applyTransaction } from '../../src/chain/applyTransaction';
import { buildBlock, InvalidBlockError, validateBlock } from '../../src/chain/applyBlock';
import {
  blockSizeOf,
  commitHashOf,
  encodeBlock,
  evidenceHashOf,
  MAX_BLOCK_BYTES,
  txRootOf,
  type Block,
} from '../../src/chain/block';
import { endBlock } from '../../src/chain/endBlock';
import {
  decodeTransaction,
  encodeTransaction,
  txIdOf,
  type SignedTransaction,
  type TxBody,
} from '../../src/chain/transaction';
import { hashValidatorSet } from '../../src/chain/validatorSet';
import { verifyCommit } from '../../src/consensus/verifyCommit';
import { GENESIS_TIME, TestChain, testGenesis, testKey } from '../helpers/chainFixture';
import { lazy } from '../helpers/lazy';

const alice = testKey('limits alice');

/** Decodes a transaction with `body` the way a peer's bytes are read; the error name, or 'ok'. */
function readBack(chain: TestChain, body: TxBody): string {
  try {
    decodeTransaction(encodeTransaction(chain.tx(alice, body, 0)));
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('A1: transaction text limits count UTF-8 bytes', () => {
  const chain = lazy(() => new TestChain(testGenesis([alice]), alice));
  const text = (t: string): TxBody => ({
    kind: 'propose',
    title: 'Words',
    action: { type: 'text', text: t },
  });
  const record = (value: string): TxBody => ({
    kind: 'registerRecord',
    recordId: 'plot-1',
    contentHash: new Uint8Array(32),
    metadata: { note: value },
  });

  it('A1: 4000 three-byte characters (12,000 bytes) are over the 4000-byte text limit', () => {
    expect(readBack(chain, text('a'.repeat(4000)))).toBe('ok');
    expect(readBack(chain, text('€'.repeat(1333)))).toBe('ok');
    expect(readBack(chain, text('€'.repeat(4000)))).toBe('MalformedTransactionError');
    expect(readBack(chain, text('€'.repeat(1334)))).toBe('MalformedTransactionError');
  });

  it('A1: a metadata value, a record id and a title are limited in bytes too', () => {
    expect(readBack(chain, record('€'.repeat(85)))).toBe('ok');
    expect(readBack(chain, record('€'.repeat(86)))).toBe('MalformedTransactionError');
    expect(readBack(chain, record('😀'.repeat(64)))).toBe('ok');
    expect(readBack(chain, record('😀'.repeat(65)))).toBe('MalformedTransactionError');
    const id = (recordId: string): TxBody => ({ ...record(''), recordId }) as TxBody;
    expect(readBack(chain, id('é'.repeat(64)))).toBe('ok');
    expect(readBack(chain, id('é'.repeat(65)))).toBe('MalformedTransactionError');
    const title = (t: string): TxBody => ({ ...text('x'), title: t }) as TxBody;
    expect(readBack(chain, title('ж'.repeat(60)))).toBe('ok');
    expect(readBack(chain, title('ж'.repeat(61)))).toBe('MalformedTransactionError');
  });
});

/** The budget as the brief states it: 8 MiB less room for the sync and gossip envelopes. */
const BUDGET = MAX_BLOCK_BYTES - 256 * 1024;

/** Records of about 4.9 KB each (16 full metadata entries), 1800 of them: over 8 MiB. */
function heavyRecords(chain: TestChain): SignedTransaction[] {
  const metadata: Record<string, string> = {};
  for (let i = 0; i < 16; i++) metadata[`key-${i}`.padEnd(32, '.')] = String(i % 10).repeat(256);
  return Array.from({ length: 1800 }, (_, i) =>
    chain.tx(alice, {
      kind: 'registerRecord',
      recordId: `heavy-${i}`,
      contentHash: new Uint8Array(32),
      metadata,
    }),
  );
}

/** Signatures are real; checking 1800 of them again in each test would only cost time. */
const trusted = () => true;

describe('A1: the proposer byte budget', () => {
  const chain = lazy(() => new TestChain(testGenesis([alice]), alice));
  const candidates = lazy(() => heavyRecords(chain));
  const time = GENESIS_TIME + 1000;

  it('A1: buildBlock stops adding transactions at the byte budget', () => {
    const { block, rejected } = buildBlock(chain.state, {
      parent: null,
      time,
      proposer: alice.publicKey,
      candidates,
      lastCommit: null,
      maxTransactions: 10_000,
      verifySignature: trusted,
    });
    const size = encodeBlock(block).length;
    expect(size).toBeLessThanOrEqual(BUDGET);
    // Stopped near the budget, not early: one more record would not fit.
    expect(size + 5000).toBeGreaterThan(BUDGET);
    expect(block.transactions).toEqual(candidates.slice(0, block.transactions.length));
    expect(rejected).toEqual([]); // what did not fit is for a later block, not invalid
    expect(blockSizeOf(block)).toBe(size);
    validateBlock(chain.state, block, null, {
      verifyLastCommit: verifyCommit,
      verifySignature: trusted,
    });
  });

  it('A1: a block over the budget is refused, valid in every other way', () => {
    // Built as a proposer that ignores the budget would: every candidate, true roots.
    const s = chain.state;
    const txn = s.begin(1, time);
    for (const tx of candidates)
      applyTransaction(txn, tx, { chainId: s.chainId, txId: txIdOf(tx), verifySignature: trusted });
    const validatorsHash = hashValidatorSet(txn.validators());
    const nextValidatorsHash = hashValidatorSet(txn.nextValidators());
    endBlock(txn);
    const block: Block = {
      header: {
        chainId: s.chainId,
        height: 1,
        time,
        previousHash: s.chainId,
        txRoot: txRootOf(candidates),
        stateRoot: s.previewRoot(txn),
        validatorsHash,
        nextValidatorsHash,
        proposer: alice.publicKey,
        lastCommitHash: commitHashOf(null),
        evidenceHash: evidenceHashOf([]),
      },
      transactions: candidates,
      lastCommit: null,
      evidence: [],
    };
    expect(encodeBlock(block).length).toBeGreaterThan(BUDGET);
    let error: unknown;
    try {
      validateBlock(s, block, null, { verifyLastCommit: verifyCommit, verifySignature: trusted });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidBlockError);
    expect((error as InvalidBlockError).reason).toBe('tooLarge');
    expect(s.height).toBe(0);
  });
});

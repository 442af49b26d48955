// Blocks through their bytes: every part of a block survives encoding (transactions, the
// parent's certificate, evidence), the decoder holds its size limit to the byte, and the size
// the proposer counts without encoding is the size of the encoding. In memory, real signatures.
import { describe, expect, it } from 'vitest';
import {
  MAX_BLOCK_BYTES,
  blockHashOf,
  blockSizeOf,
  commitHashOf,
  decodeBlock,
  encodeBlock,
  ZERO_HASH,
  type Block,
} from '../../src/chain/block';
import type { DuplicateVoteEvidence } from '../../src/chain/evidence';
import { signVote } from '../../src/chain/vote';
import { encode } from '../../src/codec/cbor';
import { bytesToHex } from '../../src/crypto/bytes';
import { sign } from '../../src/crypto/ed25519';
import { TestChain, testGenesis, testKey } from '../helpers/chainFixture';

const alice = testKey('codec alice');
const bob = testKey('codec bob');

function chainWithTransactions(): { chain: TestChain; block: Block } {
  const chain = new TestChain(testGenesis([alice, bob]), alice);
  chain.commit();
  const pay = (amount: bigint) =>
    chain.tx(alice, { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount });
  const { block } = chain.commit([pay(1n), pay(2n)]);
  return { chain, block };
}

function doubleVote(chain: TestChain): DuplicateVoteEvidence {
  const vote = (fill: number) =>
    signVote(
      chain.chainId,
      { type: 'prevote', height: 1, round: 0, blockHash: new Uint8Array(32).fill(fill) },
      bob.publicKey,
      (m) => sign(m, bob.secretKey),
    );
  return { voteA: vote(1), voteB: vote(2) };
}

describe('blocks through their bytes', () => {
  it('a block with transactions, its parent’s certificate and evidence decodes to itself', () => {
    const { chain, block } = chainWithTransactions();
    expect(block.transactions).toHaveLength(2);
    expect(block.lastCommit).not.toBeNull();
    const full: Block = { ...block, evidence: [doubleVote(chain)] };
    const again = decodeBlock(encodeBlock(full));
    expect(again).toEqual(full);
    expect(encodeBlock(again)).toEqual(encodeBlock(full));
  });

  it('the certificate hash binds the certificate; the first block’s is zero', () => {
    const { block } = chainWithTransactions();
    const c = block.lastCommit!;
    expect(commitHashOf(null)).toEqual(ZERO_HASH);
    expect(commitHashOf(c)).not.toEqual(ZERO_HASH);
    expect(commitHashOf({ ...c, round: c.round + 1 })).not.toEqual(commitHashOf(c));
    expect(commitHashOf({ ...c, signatures: c.signatures.slice(1) })).not.toEqual(commitHashOf(c));
    expect(block.header.lastCommitHash).toEqual(commitHashOf(c));
  });

  it('the block hash covers every header field, and no caller can change it', () => {
    const { block } = chainWithTransactions();
    const h = block.header;
    const hash = Uint8Array.from(blockHashOf(h));
    blockHashOf(h).fill(0);
    expect(blockHashOf(h)).toEqual(hash);
    for (const [field, value] of Object.entries(h)) {
      const changed =
        value instanceof Uint8Array ? value.map((b: number) => b ^ 1) : (value as number) + 1;
      expect(blockHashOf({ ...h, [field]: changed }), field).not.toEqual(hash);
    }
  });

  it('decodes a block of exactly the largest size far enough to read its shape, not one byte more', () => {
    // Not a block, but bytes of the size: the size check comes before any decoding.
    const filler = (size: number) => encode(new Uint8Array(size - 5));
    expect(() => decodeBlock(filler(MAX_BLOCK_BYTES))).toThrow(/Field block must be a map/);
    expect(() => decodeBlock(filler(MAX_BLOCK_BYTES + 1))).toThrow(
      `A block is at most ${MAX_BLOCK_BYTES} bytes.`,
    );
  });

  it('refuses a block with a field missing, added, or of the wrong shape', () => {
    const { block } = chainWithTransactions();
    const missing: Partial<Block> = { ...block };
    delete missing.evidence;
    expect(() => decodeBlock(encode(missing))).toThrow(/evidence is missing/);
    expect(() => decodeBlock(encode({ ...block, extra: 1 }))).toThrow(/extra is not expected/);
    const shortHash = { ...block.header, txRoot: new Uint8Array(31) };
    expect(() => decodeBlock(encode({ ...block, header: shortHash }))).toThrow(/txRoot/);
    const badSignature = {
      ...block.lastCommit!,
      signatures: [{ ...block.lastCommit!.signatures[0]!, signature: new Uint8Array(63) }],
    };
    expect(() => decodeBlock(encode({ ...block, lastCommit: badSignature }))).toThrow(/signature/);
  });

  it('counts its size without encoding, for every length of transaction list', () => {
    const { block } = chainWithTransactions();
    const tx = block.transactions[0]!;
    for (const n of [0, 1, 23, 24, 255, 256, 1000]) {
      const sized: Block = { ...block, transactions: Array.from({ length: n }, () => tx) };
      expect(blockSizeOf(sized), `${n} transactions`).toBe(encodeBlock(sized).length);
    }
    const first: Block = { ...block, lastCommit: null, evidence: [] };
    expect(blockSizeOf(first)).toBe(encodeBlock(first).length);
  });

  it('hashes a header and a certificate as every version of Freehold has (protocol vectors)', () => {
    // Changing a domain tag or a field's encoding forks every chain: these values are fixed.
    const b = (n: number) => new Uint8Array(32).fill(n);
    const header = {
      chainId: b(1),
      height: 7,
      time: 1_790_000_000_000,
      previousHash: b(2),
      txRoot: b(3),
      stateRoot: b(4),
      validatorsHash: b(5),
      nextValidatorsHash: b(6),
      proposer: b(7),
      lastCommitHash: b(8),
      evidenceHash: b(9),
    };
    expect(bytesToHex(blockHashOf(header))).toBe(
      'bd222420d71781035240ee39c1450d57c25f4514a43d0b4e86c787ea2b37694b',
    );
    const signatures = [{ validator: b(7), signature: new Uint8Array(64).fill(10) }];
    expect(bytesToHex(commitHashOf({ height: 6, round: 1, blockHash: b(2), signatures }))).toBe(
      '961144f50f3b79fcdb8953755c81bd397f84fc4e57015ed466b7fcf5dfe4ef24',
    );
  });
});

// A proposal travels as a small signed envelope and an opaque body (pure, real signatures): the
// envelope is read without the body, the body is decoded only on request and must match the
// header, and write-ahead records in the older whole-block form still read.
import { describe, expect, it } from 'vitest';
import { encode } from '../../src/codec/cbor';
import { sign } from '../../src/crypto/ed25519';
import { blockHashOf } from '../../src/chain/block';
import {
  decodeConsensusMessage,
  decodeStoredConsensusMessage,
  encodeConsensusMessage,
  openProposal,
  proposalSigningBytes,
  readConsensusEnvelope,
  type Proposal,
} from '../../src/consensus/messages';
import { TestChain, testGenesis, testKey } from '../helpers/chainFixture';

const key = testKey('envelope proposer');
const other = testKey('envelope payee');

function proposal(): Proposal {
  const chain = new TestChain(testGenesis([key, other]), key);
  chain.commit();
  const { block } = chain.commit([
    chain.tx(key, { kind: 'transfer', asset: 'COIN', to: other.publicKey, amount: 3n }),
  ]);
  const p = { height: 2, round: 0, validRound: -1, blockHash: blockHashOf(block.header) };
  const signature = sign(proposalSigningBytes(chain.chainId, p), key.secretKey);
  return { height: 2, round: 0, validRound: -1, block, proposer: key.publicKey, signature };
}

describe('proposal envelopes', () => {
  it('round-trip through their bytes', () => {
    const p = proposal();
    expect(
      decodeConsensusMessage(encodeConsensusMessage({ kind: 'proposal', proposal: p })),
    ).toEqual({ kind: 'proposal', proposal: p });
  });

  it('A4: the envelope of a proposal is read without decoding its body', () => {
    const p = proposal();
    const { block, ...signed } = p;
    // A body that is not even CBOR: reading the envelope never looks inside it.
    const bytes = encode({
      proposal: { ...signed, header: block.header, body: new Uint8Array(4096).fill(0xff) },
    });
    const envelope = readConsensusEnvelope(bytes);
    expect(envelope.kind === 'proposal' && envelope.proposal.height).toBe(2);
    expect(() => decodeConsensusMessage(bytes)).toThrow(
      expect.objectContaining({ name: 'DecodeError' }),
    );
  });

  it('A4: a body that does not match its header is refused when opened', () => {
    const p = proposal();
    const { block, ...signed } = p;
    const body = encode({ transactions: [], lastCommit: block.lastCommit, evidence: [] });
    const envelope = readConsensusEnvelope(
      encode({ proposal: { ...signed, header: block.header, body } }),
    );
    if (envelope.kind !== 'proposal') throw new Error('not a proposal');
    expect(() => openProposal(envelope.proposal)).toThrow(/does not match its header/);
  });

  it('a write-ahead record holding a proposal in the older whole-block form still reads', () => {
    const p = proposal();
    expect(decodeStoredConsensusMessage(encode({ proposal: p }))).toEqual({
      kind: 'proposal',
      proposal: p,
    });
    expect(() => readConsensusEnvelope(encode({ proposal: p }))).toThrow(
      expect.objectContaining({ name: 'DecodeError' }),
    );
  });
});

// What a node's consensus topic validator does with a peer's bytes (a capture network in
// memory: the test hands the validator bytes as gossip would, real signatures, memory store).
import { describe, expect, it } from 'vitest';
import { encode } from '../../src/codec/cbor';
import { sign } from '../../src/crypto/ed25519';
import { blockHashOf, type Block } from '../../src/chain/block';
import { buildBlock } from '../../src/chain/applyBlock';
import { ChainState } from '../../src/chain/ChainState';
import { proposalSigningBytes } from '../../src/consensus/messages';
import { testGenesis, testKey } from '../helpers/chainFixture';
import { startCaptureNode } from '../helpers/captureNetwork';

const proposer = testKey('gossip test proposer');
const genesis = testGenesis([proposer]);

const startFullNode = () => startCaptureNode(genesis);

function signedEnvelope(block: Block, height: number, body: Uint8Array): Uint8Array {
  const chainId = block.header.chainId;
  const p = { height, round: 0, validRound: -1, blockHash: blockHashOf(block.header) };
  const signature = sign(proposalSigningBytes(chainId, p), proposer.secretKey);
  return encode({
    proposal: {
      height,
      round: 0,
      validRound: -1,
      proposer: proposer.publicKey,
      signature,
      header: block.header,
      body,
    },
  });
}

describe('consensus gossip validation (capture network, memory store)', () => {
  const first = (): Block => {
    const { state } = ChainState.fromGenesis(genesis);
    return buildBlock(state, {
      parent: null,
      time: genesis.genesisTime + 1000,
      proposer: proposer.publicKey,
      candidates: [],
      lastCommit: null,
    }).block;
  };

  it('A4: a large proposal for a far height is ignored, its body never decoded', async () => {
    const { node, handler } = await startFullNode();
    const far = { ...first().header, height: 50 };
    const bytes = signedEnvelope(
      { ...first(), header: far },
      50,
      new Uint8Array(4 << 20).fill(0xff),
    );
    expect(await handler.validate(bytes, 'peer')).toBe('ignore');
    await node.stop();
  });

  it("A4: the rightful proposer's proposal is accepted; one whose body was swapped is rejected", async () => {
    const { node, network, handler } = await startFullNode();
    const block = first();
    const { transactions, lastCommit, evidence } = block;
    const body = encode({ transactions, lastCommit, evidence });
    const swapped = encode({ transactions, lastCommit, evidence: [], extra: 1 });
    expect(await handler.validate(signedEnvelope(block, 1, swapped), 'relayer')).toBe('reject');
    // A forged body under a signed header cost a decode: one is enough to be cut off.
    expect(network.standing('relayer').banned).toBe(true);
    expect(await handler.validate(signedEnvelope(block, 1, body), 'honest')).toBe('accept');
    // Once opened, the same proposal with another body is refused without decoding it.
    const other = encode({ transactions, lastCommit, evidence });
    const longer = new Uint8Array([...other, 0]);
    expect(await handler.validate(signedEnvelope(block, 1, longer), 'relayer')).toBe('reject');
    expect(network.standing('honest').points).toBe(0);
    await node.stop();
  });
});

// What a hostile peer can make a node spend on the consensus topic before it is cut off: the
// node's real topic validator fed the worst messages each way costs it (a capture network in
// memory; real CBOR, real signatures, real hashing).
import { encode } from '../../src/codec/cbor';
import { sign } from '../../src/crypto/ed25519';
import { blockHashOf, MAX_BLOCK_TRANSACTIONS } from '../../src/chain/block';
import { buildBlock } from '../../src/chain/applyBlock';
import { ChainState } from '../../src/chain/ChainState';
import type { SignedTransaction } from '../../src/chain/transaction';
import { proposalSigningBytes } from '../../src/consensus/messages';
import { DEFAULT_PENALTIES } from '../../src/net/penalties';
import { REJECT_POINTS } from '../../src/net/libp2pNetwork';
import { testGenesis, testKey } from '../helpers/chainFixture';
import { startCaptureNode } from '../helpers/captureNetwork';
import { median, report, round } from './report';

const cpuMs = (f: () => unknown): number => {
  const before = process.cpuUsage();
  f();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};

export async function hostileBenches(): Promise<void> {
  const proposer = testKey('hostile bench proposer');
  const genesis = testGenesis([proposer]);
  const { network, node, handler } = await startCaptureNode(genesis);
  const validate = (data: Uint8Array, from: string) => handler.validate(data, from);
  const { block } = buildBlock(ChainState.fromGenesis(genesis).state, {
    parent: null,
    time: genesis.genesisTime + 1000,
    proposer: proposer.publicKey,
    candidates: [],
    lastCommit: null,
  });
  const envelope = (height: number, body: Uint8Array): Uint8Array => {
    const header = { ...block.header, height };
    const signed = { height, round: 0, validRound: -1 };
    const blockHash = blockHashOf(header);
    const signature = sign(
      proposalSigningBytes(node.chainId, { ...signed, blockHash }),
      proposer.secretKey,
    );
    return encode({
      proposal: { ...signed, proposer: proposer.publicKey, signature, header, body },
    });
  };
  // The most decoding one body can cost: as many transactions as a block may hold, filling
  // its byte limit, each different so nothing is cached between messages.
  const heavyBody = (salt: number): Uint8Array => {
    const transactions: SignedTransaction[] = [];
    for (let i = 0; i < MAX_BLOCK_TRANSACTIONS; i++) {
      const sender = new Uint8Array(32).fill(i % 251);
      transactions.push({
        tx: {
          chainId: node.chainId,
          sender,
          nonce: salt,
          body: {
            kind: 'registerRecord',
            recordId: `r${salt}-${i}`,
            contentHash: new Uint8Array(32),
            metadata: { a: 'x'.repeat(250), b: 'y'.repeat(250), c: 'z'.repeat(20) },
          },
        },
        signature: new Uint8Array(64).fill(salt % 256),
      });
    }
    return encode({ transactions, lastCommit: null, evidence: [] });
  };

  // Each swapped body is decoded and hashed, then rejected; the peer is penalised as the
  // network adapter does (REJECT_POINTS for a rejected message) and by the node itself.
  const bodies = [1, 2, 3].map(heavyBody);
  const verdicts: string[] = [];
  const perMessage: number[] = [];
  let spent = 0;
  let sent = 0;
  for (const body of bodies) {
    const message = envelope(1, body);
    const ms = cpuMs(() => {
      const verdict = validate(message, 'hostile') as string;
      verdicts.push(verdict);
      if (verdict === 'reject') network.penalise('hostile', REJECT_POINTS, 'rejected');
    });
    perMessage.push(ms);
    spent += ms;
    sent += 1;
    if (network.standing('hostile').banned) break;
  }
  report({
    bench: 'hostile.consensus.cpuBeforeBan',
    value: round(spent),
    unit: 'ms',
    messagesToBan: sent,
    banned: network.standing('hostile').banned,
    perMessageMs: round(median(perMessage)),
    banMinutes: DEFAULT_PENALTIES.banMs / 60_000,
    bodyBytes: bodies[0]!.length,
    verdicts: [...new Set(verdicts)],
    attack:
      'proposals with the rightful proposer’s signed header and a swapped body of 10,000 transactions (about 8 MiB), each decoded, hashed and rejected',
  });

  // A far height is ignored (no points) and must cost next to nothing: its body is not read.
  const far = envelope(1_000, bodies[0]!);
  const farVerdicts: string[] = [];
  const farMs = median(
    [0, 1, 2, 3, 4].map(() => cpuMs(() => farVerdicts.push(validate(far, 'hostile') as string))),
  );
  report({
    bench: 'hostile.consensus.ignoredCpuPerMiB',
    value: round(farMs / (far.length / 2 ** 20), 2),
    unit: 'ms/MiB',
    messageBytes: far.length,
    verdicts: [...new Set(farVerdicts)],
    attack: 'proposals for a far height, never penalised: what they cost is what bandwidth allows',
  });
  await node.stop();
}

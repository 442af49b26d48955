// The deterministic simulator: validators running the real engine, chain rules and store over an
// in-memory network on a seeded virtual clock. Everything random comes from one seed, so a
// failing run replays exactly.
import {
  buildBlock,
  executeBlock,
  validateBlock,
  type VerifyLastCommit,
} from '../../src/chain/applyBlock';
import {
  blockHashOf,
  type Block,
  type BlockHeader,
  type CommitCertificate,
} from '../../src/chain/block';
import { ChainState } from '../../src/chain/ChainState';
import { createGenesis, type Genesis } from '../../src/chain/genesis';
import { signTransaction, txIdOf, type SignedTransaction } from '../../src/chain/transaction';
import type { ChainStore } from '../../src/chain/ChainStore';
import type { ValidatorSet } from '../../src/chain/validatorSet';
import { entryName } from '../../src/chain/stateEntries';
import { bytesKey, bytesToHex, equalBytes } from '../../src/crypto/bytes';
import { nobleVerifier, sign, verify, type BatchVerifier } from '../../src/crypto/ed25519';
import { createVerdictCache, type VerdictCache } from '../../src/chain/createVerdictCache';
import {
  createConsensusEngine,
  type ConsensusEngine,
  type EngineOutput,
  type EngineSnapshot,
  type PrevoteRule,
  type Timeout,
  type TimeoutConfig,
} from '../../src/consensus/createConsensusEngine';
import {
  proposalSigningBytes,
  type ConsensusMessage,
  type Proposal,
} from '../../src/consensus/messages';
import { signVote, type Vote } from '../../src/chain/vote';
import { prepareCommit, verifyCommit } from '../../src/consensus/verifyCommit';
import { proposerOf } from '../../src/consensus/proposer';
import { verifyEvidence, type DuplicateVoteEvidence } from '../../src/chain/evidence';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { testKey, type TestKey } from '../helpers/chainFixture';
import { Prng } from './prng';

/**
 * equivocate: conflicting votes and proposals to two halves of the network.
 * forker: always proposes a fresh value and sends its precommit to one honest node only, the
 *   classic attempt to get two values decided in two rounds: what locks exist to stop.
 * invalidProposal: proposes blocks that break the chain rules. silent: sends nothing.
 */
export type Byzantine = 'equivocate' | 'forker' | 'invalidProposal' | 'silent';

export interface SimOptions {
  seed: number;
  validators: number;
  byzantine: Byzantine[];
  /** Probability a message is lost, or delivered twice. */
  drop: number;
  /** Before GST (the end of the fault window): probability a message is held up for long. */
  lateBeforeGst: number;
  duplicate: number;
  minDelayMs: number;
  maxDelayMs: number;
  partitions: number;
  /** Before GST, regroup the network at random every few hundred ms. */
  churn: boolean;
  /**
   * Before GST, probability that an honest node's links go down right after it commits a block
   * (until GST at the latest): the others must finish the height without its help.
   */
  isolateAfterCommit: number;
  /**
   * Before GST, the adversary targets the lock: in each round it picks one honest node, delivers
   * it the forkers' precommits, and holds up every precommit for a value that node sends, so it
   * alone may decide while the others, locked, go on to later rounds.
   */
  lockAttack: boolean;
  crashes: number;
  /** Heights every honest node must commit after the last fault heals. */
  blocksAfterHeal: number;
  /** Virtual time allowed for that, after the heal. */
  livenessMs: number;
  timeouts: TimeoutConfig;
  prevoteRule?: PrevoteRule;
  /** Transactions to inject, spread over the run (a governance proposal among them if set). */
  transactions: number;
  /** Accounts the transactions come from (each sends in nonce order). */
  users?: number;
  /** When the transactions are submitted: spread over the fault window, or all at the start. */
  submitAllAtStart?: boolean;
  maxTransactionsPerBlock?: number;
  /** How nodes verify transactions entering their mempool (default: noble). */
  verifier?: BatchVerifier;
  /** Called once every injected transaction is committed (the bench reads the wall clock). */
  onAllCommitted?: () => void;
  /** Called when the nodes boot, after the senders have signed their transactions. */
  onStarted?: () => void;
  governanceAdd?: boolean;
}

export interface SimResult {
  seed: number;
  violations: string[];
  committedBlocks: number;
  virtualMs: number;
  /** Heights at which the validator added by governance signed, per honest node. */
  newValidatorFirstSigned: number | null;
  /** Virtual ms from a height's first proposal to each honest node's commit of it. */
  finalityMs: number[];
  proposalPassedAt: number | null;
  /** Evidence items honest nodes' engines produced. */
  evidenceRecorded: number;
  /** Evidence items carried into the chain by committed blocks. */
  evidenceCommitted: number;
}

/** No faults at all: for scenarios and benchmarks that need a quiet network. */
export const CALM_NETWORK = {
  byzantine: [] as Byzantine[],
  drop: 0,
  duplicate: 0,
  lateBeforeGst: 0,
  partitions: 0,
  churn: false,
  isolateAfterCommit: 0,
  lockAttack: false,
  crashes: 0,
} satisfies Partial<SimOptions>;

export const SIM_TIMEOUTS: TimeoutConfig = {
  proposeMs: 300,
  prevoteMs: 150,
  precommitMs: 150,
  deltaMs: 100,
};

/** Options for a seed: fault mix drawn from the seed itself. */
export function optionsForSeed(seed: number, overrides: Partial<SimOptions> = {}): SimOptions {
  const r = new Prng(seed * 7919 + 17);
  const validators = r.pick([4, 4, 4, 5, 7, 7, 10, 21]);
  const f = Math.floor((validators - 1) / 3);
  // A quarter of the seeds run the lock attack with as many forkers as the fault bound allows.
  const lockAttack = r.chance(0.25);
  const byzantine = lockAttack
    ? Array.from({ length: f }, (): Byzantine => 'forker')
    : Array.from({ length: r.int(0, f) }, () =>
        r.pick<Byzantine>(['equivocate', 'forker', 'forker', 'invalidProposal', 'silent']),
      );
  return {
    seed,
    validators,
    byzantine,
    drop: r.pick([0, 0, 0.05, 0.15]),
    lateBeforeGst: r.pick([0, 0.1, 0.3]),
    duplicate: r.pick([0, 0.05, 0.2]),
    minDelayMs: 1,
    maxDelayMs: r.pick([5, 20, 80]),
    partitions: r.int(0, 2),
    churn: r.chance(0.3),
    crashes: byzantine.length < f ? r.int(0, 1) : 0,
    blocksAfterHeal: 3,
    livenessMs: 60_000,
    timeouts: SIM_TIMEOUTS,
    transactions: r.int(0, 12),
    isolateAfterCommit: r.pick([0, 0.3]),
    lockAttack,
    ...overrides,
  };
}

type Envelope =
  | { kind: 'consensus'; message: ConsensusMessage }
  | { kind: 'commit'; block: Block; certificate: CommitCertificate }
  | { kind: 'tx'; tx: SignedTransaction }
  /** "I am at this height": lets peers ahead send a follower the blocks it lacks. */
  | { kind: 'status'; height: number };

type Event =
  | { at: number; seq: number; type: 'deliver'; to: number; from: number; envelope: Envelope }
  | { at: number; seq: number; type: 'timeout'; node: number; epoch: number; timeout: Timeout }
  | { at: number; seq: number; type: 'gossip'; node: number; epoch: number }
  | { at: number; seq: number; type: 'nextHeight'; node: number; epoch: number }
  | { at: number; seq: number; type: 'admit'; node: number; epoch: number }
  | { at: number; seq: number; type: 'fault'; apply: () => void };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

class EventQueue {
  private heap: Event[] = [];
  private seq = 0;

  push(e: DistributiveOmit<Event, 'seq'>): void {
    const item: Event = { ...e, seq: this.seq++ };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  pop(): Event | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }

  private less(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}

/** What survives a crash: the store, and the engine's persisted state (its write-ahead log). */
interface Durable {
  store: ChainStore;
  snapshot: EngineSnapshot | null;
  /** What this node signed at the height it is working on: re-sent until that height is done. */
  own: { height: number; messages: ConsensusMessage[] };
  /** Evidence its engine produced, not yet in a committed block: its proposals carry it. */
  evidence: Map<string, DuplicateVoteEvidence>;
  /** Every (validator, height, round, step) its engine produced evidence for. */
  recorded: Set<string>;
}

interface Live {
  state: ChainState;
  head: BlockHeader | null;
  lastCommit: CommitCertificate | null;
  engine: ConsensusEngine;
  mempool: Map<string, SignedTransaction>;
  /** Signature verdicts of the mempool, reused by block validation and execution. */
  verdicts: VerdictCache;
  /** Messages of the current height already relayed: gossip forwards each once. */
  relayed: Set<string>;
  /**
   * Prevotes of the current height by round, from anyone. Gossip re-sends those of the round
   * whose polka this node knows (its valid round), so a peer that missed a byzantine prevote in
   * that polka still gets it: the paper's gossip assumption, as CometBFT's proof-of-lock gossip.
   */
  prevotes: Map<number, ConsensusMessage[]>;
  /** When we last sent each lagging peer the block of some height ("peer:height" → ms). */
  helped: Map<string, number>;
  /** Transactions received and not yet verified: the next 'admit' event verifies them. */
  incoming: SignedTransaction[];
  /** The last few committed blocks with their certificates, to help peers without the store. */
  recent: Map<number, { block: Block; certificate: CommitCertificate }>;
}

interface SimNode {
  index: number;
  key: TestKey;
  byzantine: Byzantine | null;
  durable: Durable;
  live: Live | null;
  epoch: number;
  /** Conflicting votes this node received at its current height, seen by the simulator itself. */
  seenVotes: Map<string, string>;
  equivocationsSeen: Set<string>;
}

const GOSSIP_MS = 200;
const RECENT_BLOCKS = 8;
/** Pause between committing a block and starting the next height, like a node's block interval. */
const BLOCK_INTERVAL_MS = 500;

export async function simulate(options: SimOptions): Promise<SimResult> {
  const rng = new Prng(options.seed);
  const violations: string[] = [];
  const keys = Array.from({ length: options.validators }, (_, i) => testKey(`sim-validator-${i}`));
  const newcomer = testKey('sim-newcomer');
  const users = Array.from({ length: options.users ?? 2 }, (_, i) => testKey(`sim-user-${i}`));
  const verifier = options.verifier ?? nobleVerifier;
  const genesis: Genesis = createGenesis({
    name: 'Simulated',
    genesisTime: 0,
    validators: keys.map((k, i) => ({ key: k.publicKey, power: 1, name: `v${i}` })),
    governance: { votingPeriod: 3 },
    assets: [{ symbol: 'COIN', name: 'Coin', decimals: 0, minter: null }],
    balances: users.map((u) => ({ account: u.publicKey, asset: 'COIN', amount: 1_000_000n })),
  });
  const chainId = ChainState.fromGenesis(genesis).state.chainId;

  // One cache of signature verdicts for the whole run: every verdict is real (noble), computed
  // once per distinct (signature, message, key) instead of once per receiving node.
  const verdicts = new Map<string, boolean>();
  const verifySignature = (s: Uint8Array, m: Uint8Array, k: Uint8Array): boolean => {
    const id = bytesKey(s) + bytesKey(k) + bytesKey(m);
    let v = verdicts.get(id);
    if (v === undefined) verdicts.set(id, (v = verify(s, m, k)));
    return v;
  };

  /** Certificates carried in blocks, checked like any certificate, through the verdict cache. */
  const verifyLastCommit: VerifyLastCommit = (commit, signers, expected) => {
    const items = prepareCommit(commit, signers, expected);
    if (!items.every((i) => verifySignature(i.signature, i.message, i.publicKey))) {
      throw new Error('A signature in the certificate is not valid.');
    }
  };

  const queue = new EventQueue();
  let now = 0;
  // SIM_TRACE=1 prints every honest vote, decision and sync with its virtual time.
  const trace = (...parts: unknown[]): void => {
    if (process.env.SIM_TRACE) console.log(now, 'node', ...parts);
  };
  const shortHash = (hash: Uint8Array | null): string =>
    hash ? bytesToHex(hash).slice(0, 8) : 'nil';
  let partition: number[] | null = null; // group id per node
  const isolatedUntil = new Map<number, number>(); // node → virtual ms its links come back
  let lastFaultEnd = 0;
  const proposedAt = new Map<number, number>();
  const freshBlocks = new Map<string, Block>();
  const finalityMs: number[] = [];
  let gst = 0;
  const committed = new Map<number, string>(); // height → block hash, across honest nodes
  let committedBlocks = 0;
  let committedTransactions = 0;
  let evidenceCommitted = 0;
  let reportedAll = false;
  let proposalPassedAt: number | null = null;
  let newValidatorFirstSigned: number | null = null;

  // With governance, the newcomer runs a node from the start: it follows, and signs once the
  // chain makes it a validator.
  const nodeKeys = options.governanceAdd ? [...keys, newcomer] : keys;
  const nodes: SimNode[] = nodeKeys.map((key, index) => ({
    index,
    key,
    byzantine: options.byzantine[index] ?? null,
    durable: {
      store: createMemoryChainStore(),
      snapshot: null,
      evidence: new Map(),
      recorded: new Set(),
      own: { height: 0, messages: [] },
    },
    live: null,
    epoch: 0,
    seenVotes: new Map(),
    equivocationsSeen: new Set(),
  }));
  const honest = nodes.filter((n) => n.byzantine === null);

  const send = (from: number, to: number, envelope: Envelope): void => {
    if (from === to) return;
    // Byzantine nodes sit on both sides of any partition: the adversary picks its links.
    const adversarial = nodes[from]?.byzantine || nodes[to]?.byzantine;
    if (partition && partition[from] !== partition[to] && !adversarial) return;
    if (now < (isolatedUntil.get(from) ?? 0) || now < (isolatedUntil.get(to) ?? 0)) return;
    if (heldUp(from, envelope)) return;
    if (rng.chance(options.drop)) return;
    const copies = rng.chance(options.duplicate) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      // Partial synchrony: before GST a message may take far longer than any round's timeouts.
      const late = now < gst && rng.chance(options.lateBeforeGst) ? rng.int(300, 3000) : 0;
      queue.push({
        at: now + late + rng.int(options.minDelayMs, options.maxDelayMs),
        type: 'deliver',
        to,
        from,
        envelope,
      });
    }
  };
  /** The honest node the lock attack lets decide at (height, round), drawn when first needed. */
  const attackTargets = new Map<string, number>();
  const attackTarget = (height: number, round: number): number => {
    const slot = `${height}:${round}`;
    let target = attackTargets.get(slot);
    if (target === undefined) attackTargets.set(slot, (target = rng.pick(honest).index));
    return target;
  };
  const heldUp = (from: number, envelope: Envelope): boolean => {
    if (!options.lockAttack || now >= gst || envelope.kind !== 'consensus') return false;
    const m = envelope.message;
    if (m.kind !== 'vote' || m.vote.type !== 'precommit' || m.vote.blockHash === null) return false;
    return from === attackTarget(m.vote.height, m.vote.round);
  };
  const broadcast = (from: number, envelope: Envelope): void => {
    for (const n of nodes) send(from, n.index, envelope);
  };

  const validatorsAfter = (state: ChainState): ValidatorSet =>
    state.read(entryName.validators) as ValidatorSet;

  const makeEngine = (node: SimNode, state: ChainState): ConsensusEngine => {
    const height = state.height + 1;
    return createConsensusEngine({
      chainId,
      height,
      validators: validatorsAfter(state),
      self:
        node.byzantine === 'silent'
          ? null
          : { publicKey: node.key.publicKey, sign: (m) => sign(m, node.key.secretKey) },
      getValue: () => proposeBlock(node),
      isValid: (block) => {
        const live = node.live!;
        try {
          validateBlock(live.state, block, live.head, {
            verifySignature: live.verdicts.verifySignature,
            verifyLastCommit,
            verifyVoteSignature: verifySignature,
          });
          return true;
        } catch {
          return false;
        }
      },
      verifySignature,
      timeouts: options.timeouts,
      ...(options.prevoteRule && { prevoteRule: options.prevoteRule }),
      ...(node.durable.snapshot &&
        node.durable.snapshot.height === height && { restore: node.durable.snapshot }),
    });
  };

  const proposeBlock = (node: SimNode): Block => {
    const live = node.live!;
    const time = Math.max(now, (live.head?.time ?? 0) + 1);
    const { block } = buildBlock(live.state, {
      parent: live.head,
      time,
      proposer: node.key.publicKey,
      // Like a mempool: each sender's transactions in nonce order (the sort is stable).
      candidates: [...live.mempool.values()].sort((a, b) => a.tx.nonce - b.tx.nonce),
      lastCommit: live.lastCommit,
      maxTransactions: options.maxTransactionsPerBlock ?? 50,
      verifySignature: live.verdicts.verifySignature,
      verifyVoteSignature: verifySignature,
      evidence: [...node.durable.evidence.values()],
    });
    if (node.byzantine === 'invalidProposal') {
      // A block no honest node may accept: it claims a state its transactions do not produce.
      return { ...block, header: { ...block.header, stateRoot: new Uint8Array(32).fill(7) } };
    }
    return block;
  };

  const boot = async (node: SimNode): Promise<void> => {
    const store = node.durable.store;
    let state: ChainState;
    if (!(await store.getChain(chainId))) {
      const g = ChainState.fromGenesis(genesis);
      await store.addChain({ chainId, genesis, role: 'validator', label: '', joinedAt: 0 }, g.diff);
      state = g.state;
    } else {
      const snapshot = (await store.loadState(chainId))!;
      state = ChainState.restore({ chainId, ...snapshot });
    }
    const head = state.height > 0 ? ((await store.getHeader(chainId, state.height)) ?? null) : null;
    const lastCommit =
      state.height > 0 ? ((await store.getCertificate(chainId, state.height)) ?? null) : null;
    node.epoch++;
    node.live = {
      state,
      head,
      lastCommit,
      engine: null as unknown as ConsensusEngine,
      mempool: new Map(),
      verdicts: createVerdictCache(),
      relayed: new Set(),
      prevotes: new Map(),
      helped: new Map(),
      incoming: [],
      recent: new Map(),
    };
    node.live.engine = makeEngine(node, state);
    node.seenVotes.clear();
    handle(node, node.live.engine.start());
    queue.push({ at: now + GOSSIP_MS, type: 'gossip', node: node.index, epoch: node.epoch });
  };

  /** Applies a decided (or synced) block: the real chain rules, then the store. */
  const commitBlock = async (
    node: SimNode,
    block: Block,
    certificate: CommitCertificate,
  ): Promise<void> => {
    const live = node.live;
    // A block both received by sync and decided by the engine: the second arrival has nothing to
    // do. (Found by seed 1247: the node synced block 3, then its engine decided it too.)
    if (!live || block.header.height !== live.state.height + 1) return;
    const hash = blockHashOf(block.header);
    try {
      const diff = executeBlock(live.state, block, live.head, {
        verifySignature: live.verdicts.verifySignature,
        verifyLastCommit,
        verifyVoteSignature: verifySignature,
      });
      await node.durable.store.commitBlock(chainId, { block, blockHash: hash, diff });
      await node.durable.store.putCertificate(chainId, certificate);
    } catch (error) {
      if (node.byzantine === null) {
        violations.push(
          `validity: node ${node.index} could not apply decided block ${block.header.height}: ${(error as Error).message}`,
        );
      }
      return;
    }
    live.head = block.header;
    live.lastCommit = certificate;
    live.recent.set(block.header.height, { block, certificate });
    live.recent.delete(block.header.height - RECENT_BLOCKS);
    for (const e of block.evidence) node.durable.evidence.delete(evidenceSlot(e.voteA));
    if (node.byzantine === null && !committed.has(block.header.height))
      evidenceCommitted += block.evidence.length;
    for (const tx of block.transactions) live.mempool.delete(bytesKey(txIdOf(tx)));
    if (node.byzantine === null) {
      const h = block.header.height;
      const known = committed.get(h);
      const key = bytesToHex(hash);
      const proposed = proposedAt.get(h);
      if (proposed !== undefined) finalityMs.push(now - proposed);
      if (known === undefined) {
        committed.set(h, key);
        committedBlocks++;
        committedTransactions += block.transactions.length;
        if (committedTransactions >= options.transactions && !reportedAll) {
          reportedAll = true;
          options.onAllCommitted?.();
        }
        if (
          newValidatorFirstSigned === null &&
          certificate.signatures.some((s) => equalBytes(s.validator, newcomer.publicKey))
        ) {
          newValidatorFirstSigned = certificate.height;
        }
      } else if (known !== key) {
        violations.push(`agreement: two different blocks committed at height ${h}`);
      }
      // Under the lock attack, the node that decided stays cut off until GST.
      if (options.lockAttack && now < gst) isolatedUntil.set(node.index, gst);
      else if (
        options.isolateAfterCommit > 0 &&
        now < gst &&
        rng.chance(options.isolateAfterCommit)
      ) {
        isolatedUntil.set(node.index, Math.min(gst, now + rng.int(300, 2000)));
      }
      const passed =
        (live.state.read(entryName.proposal(1)) as { status?: string } | undefined)?.status ===
        'passed';
      if (passed && proposalPassedAt === null) proposalPassedAt = h;
    }
    node.seenVotes.clear();
    node.durable.own = { height: block.header.height + 1, messages: [] };
    live.relayed.clear();
    live.prevotes.clear();
    node.durable.snapshot = null;
    queue.push({
      at: now + BLOCK_INTERVAL_MS,
      type: 'nextHeight',
      node: node.index,
      epoch: node.epoch,
    });
  };

  const pendingCommits: Promise<void>[] = [];

  const handle = (node: SimNode, outputs: EngineOutput[]): void => {
    const live = node.live;
    if (!live) return;
    for (const o of outputs) {
      switch (o.type) {
        case 'broadcast':
          if (o.message.kind === 'vote' && node.byzantine === null) {
            const { type, height, round, blockHash } = o.message.vote;
            const { lockedRound, validRound } = live.engine.snapshot();
            trace(node.index, type, height, round, shortHash(blockHash), {
              lockedRound,
              validRound,
            });
          }
          if (o.message.kind === 'proposal' && !proposedAt.has(o.message.proposal.height)) {
            proposedAt.set(o.message.proposal.height, now);
          }
          if (node.durable.own.height !== live.engine.height)
            node.durable.own = { height: live.engine.height, messages: [] };
          node.durable.own.messages.push(o.message);
          sendConsensus(node, o.message);
          break;
        case 'schedule':
          queue.push({
            at: now + o.delayMs,
            type: 'timeout',
            node: node.index,
            epoch: node.epoch,
            timeout: o.timeout,
          });
          break;
        case 'decide':
          trace(
            node.index,
            node.byzantine ?? '',
            'decides',
            o.certificate.height,
            o.certificate.round,
            shortHash(o.certificate.blockHash),
          );
          pendingCommits.push(commitBlock(node, o.block, o.certificate));
          break;
        case 'evidence':
          try {
            verifyEvidence(o.evidence, validatorsAfter(live.state), chainId, verifySignature);
            node.durable.evidence.set(evidenceSlot(o.evidence.voteA), o.evidence);
            node.durable.recorded.add(evidenceSlot(o.evidence.voteA));
          } catch (error) {
            if (node.byzantine === null)
              violations.push(
                `evidence: node ${node.index} produced invalid evidence: ${(error as Error).message}`,
              );
          }
          break;
        case 'rejected':
          break;
      }
    }
    // Persist the engine's state after every step, before anything it sent can matter (a WAL).
    node.durable.snapshot = live.engine.snapshot();
  };

  /** Honest nodes send as they are told; an equivocator sends conflicting halves. */
  const sendConsensus = (node: SimNode, message: ConsensusMessage): void => {
    if (node.byzantine === 'forker') return sendAsForker(node, message);
    if (node.byzantine !== 'equivocate')
      return broadcast(node.index, { kind: 'consensus', message });
    const others = rng.shuffle(nodes.filter((n) => n.index !== node.index).map((n) => n.index));
    const half = Math.ceil(others.length / 2);
    let twin: ConsensusMessage = message;
    if (message.kind === 'vote') {
      const v = message.vote;
      const blockHash = v.blockHash ? null : new Uint8Array(32).fill(rng.int(1, 255));
      twin = {
        kind: 'vote',
        vote: signVote(
          chainId,
          { type: v.type, height: v.height, round: v.round, blockHash },
          v.validator,
          (m) => sign(m, node.key.secretKey),
        ),
      };
    } else {
      const p = message.proposal;
      const block = { ...p.block, header: { ...p.block.header, time: p.block.header.time + 1 } };
      const blockHash = blockHashOf(block.header);
      const proposal: Proposal = {
        ...p,
        block,
        signature: sign(
          proposalSigningBytes(chainId, {
            height: p.height,
            round: p.round,
            blockHash,
            validRound: p.validRound,
          }),
          node.key.secretKey,
        ),
      };
      twin = { kind: 'proposal', proposal };
    }
    others.forEach((to, i) =>
      send(node.index, to, { kind: 'consensus', message: i < half ? message : twin }),
    );
  };

  /** The fresh value a forker proposed at (height, round), which it then votes for. */
  const forkerFresh = new Map<string, Uint8Array>();

  const sendAsForker = (node: SimNode, message: ConsensusMessage): void => {
    const signer = (m: Uint8Array): Uint8Array => sign(m, node.key.secretKey);
    if (message.kind === 'proposal') {
      // Never re-propose a locked value: a fresh block each time (its time makes it new).
      const p = message.proposal;
      const slot = `${p.height}:${p.round}`;
      let block: Block;
      if (!forkerFresh.has(slot)) {
        block = {
          ...p.block,
          header: { ...p.block.header, time: p.block.header.time + 1 + rng.int(0, 1000) },
        };
        forkerFresh.set(slot, blockHashOf(block.header));
        freshBlocks.set(slot, block);
      } else {
        block = freshBlocks.get(slot)!;
      }
      const blockHash = blockHashOf(block.header);
      const proposal: Proposal = {
        ...p,
        block,
        validRound: -1,
        signature: signer(
          proposalSigningBytes(chainId, {
            height: p.height,
            round: p.round,
            blockHash,
            validRound: -1,
          }),
        ),
      };
      return broadcast(node.index, { kind: 'consensus', message: { kind: 'proposal', proposal } });
    }
    const v = message.vote;
    // In a round where it proposed, it votes for its fresh value, whatever its engine chose.
    const fresh = forkerFresh.get(`${v.height}:${v.round}`);
    const vote = (blockHash: Uint8Array | null): ConsensusMessage => ({
      kind: 'vote',
      vote: signVote(
        chainId,
        { type: v.type, height: v.height, round: v.round, blockHash },
        v.validator,
        signer,
      ),
    });
    const value = fresh ?? v.blockHash;
    if (v.type === 'prevote')
      return broadcast(node.index, { kind: 'consensus', message: fresh ? vote(fresh) : message });
    if (value === null) return broadcast(node.index, { kind: 'consensus', message });
    // A precommit for a value goes to one honest node; everyone else is told nil.
    const target = options.lockAttack ? attackTarget(v.height, v.round) : rng.pick(honest).index;
    const forOne = fresh ? vote(fresh) : message;
    const nil = vote(null);
    for (const n of nodes)
      send(node.index, n.index, { kind: 'consensus', message: n.index === target ? forOne : nil });
  };

  /** Rounds of a past height where a forker already voted yes or proposed. */
  const forkerPast = new Set<string>();

  /**
   * The height a forker has just committed is not over for it: there it prevotes and precommits
   * every proposal it sees, and proposes a fresh value in its own rounds. Honest nodes that did
   * not decide yet go on to later rounds, where only their locks keep another value from a
   * quorum.
   */
  const forkAfterCommit = async (node: SimNode, message: ConsensusMessage): Promise<void> => {
    const live = node.live!;
    const m = message.kind === 'vote' ? message.vote : message.proposal;
    if (m.height !== live.state.height) return;
    const signer = (bytes: Uint8Array): Uint8Array => sign(bytes, node.key.secretKey);
    const voteOnce = (blockHash: Uint8Array | null): void => {
      const slot = `${node.index}:${m.height}:${m.round}:${blockHash ? 'value' : 'nil'}`;
      if (forkerPast.has(slot)) return;
      forkerPast.add(slot);
      for (const type of ['prevote', 'precommit'] as const) {
        const vote = signVote(
          chainId,
          { type, height: m.height, round: m.round, blockHash },
          node.key.publicKey,
          signer,
        );
        broadcast(node.index, { kind: 'consensus', message: { kind: 'vote', vote } });
      }
    };
    if (message.kind === 'proposal') {
      // Yes to any value but the committed one; nil to that, so the others' rounds keep turning.
      const blockHash = blockHashOf(message.proposal.block.header);
      voteOnce(equalBytes(blockHash, blockHashOf(live.head!)) ? null : blockHash);
      return;
    }
    voteOnce(null);
    // A vote of round r: propose in r if it is ours, and in r + 1 before the others get there.
    const set = live.state.read(entryName.lastValidators) as ValidatorSet;
    for (const round of [m.round, m.round + 1]) {
      const proposed = `${node.index}:${m.height}:${round}:proposed`;
      const ours = equalBytes(proposerOf(set, m.height, round).publicKey, node.key.publicKey);
      if (!ours || forkerPast.has(proposed)) continue;
      forkerPast.add(proposed);
      const committedBlock = (await node.durable.store.getBlock(chainId, m.height))!;
      const header = {
        ...committedBlock.header,
        time: committedBlock.header.time + 1 + rng.int(0, 1000),
      };
      const body = { height: m.height, round, validRound: -1 };
      const proposal: Proposal = {
        ...body,
        block: { ...committedBlock, header },
        proposer: node.key.publicKey,
        signature: signer(
          proposalSigningBytes(chainId, { ...body, blockHash: blockHashOf(header) }),
        ),
      };
      broadcast(node.index, { kind: 'consensus', message: { kind: 'proposal', proposal } });
      await forkAfterCommit(node, { kind: 'proposal', proposal });
    }
  };

  const evidenceSlot = (v: Vote): string =>
    `${bytesKey(v.validator)}:${v.height}:${v.round}:${v.type}`;

  const trackEquivocation = (node: SimNode, vote: Vote): void => {
    const live = node.live!;
    if (vote.height !== live.engine.height || live.engine.decided) return;
    const slot = evidenceSlot(vote);
    const value = vote.blockHash ? bytesKey(vote.blockHash) : 'nil';
    const earlier = node.seenVotes.get(slot);
    if (earlier === undefined) node.seenVotes.set(slot, value);
    else if (earlier !== value) node.equivocationsSeen.add(slot);
  };

  /** Sends a peer behind the block it lacks, from our store, at most once a second per height. */
  const helpPeer = async (node: SimNode, from: number, height: number): Promise<void> => {
    const live = node.live!;
    const helpedKey = `${from}:${height}`;
    if (from < 0 || now - (live.helped.get(helpedKey) ?? -Infinity) < 1000) return;
    live.helped.set(helpedKey, now);
    const recent = live.recent.get(height);
    const block = recent?.block ?? (await node.durable.store.getBlock(chainId, height));
    const certificate =
      recent?.certificate ?? (await node.durable.store.getCertificate(chainId, height));
    if (block && certificate) send(node.index, from, { kind: 'commit', block, certificate });
  };

  const deliver = async (node: SimNode, from: number, envelope: Envelope): Promise<void> => {
    const live = node.live;
    if (!live) return;
    if (envelope.kind === 'tx') {
      // Like a node's mempool: what arrives together is verified together, in one batch.
      if (live.incoming.length === 0)
        queue.push({ at: now, type: 'admit', node: node.index, epoch: node.epoch });
      live.incoming.push(envelope.tx);
      return;
    }
    if (envelope.kind === 'status') {
      if (envelope.height < live.state.height && node.byzantine === null)
        await helpPeer(node, from, envelope.height + 1);
      return;
    }
    if (envelope.kind === 'commit') {
      const h = envelope.block.header.height;
      if (h !== live.state.height + 1) return;
      try {
        verifyCommit(envelope.certificate, validatorsAfter(live.state), {
          chainId,
          height: h,
          blockHash: blockHashOf(envelope.block.header),
        });
      } catch {
        return;
      }
      trace(node.index, 'syncs', h, 'from', from);
      await commitBlock(node, envelope.block, envelope.certificate);
      return;
    }
    const m = envelope.message.kind === 'vote' ? envelope.message.vote : envelope.message.proposal;
    if (m.height < live.state.height + 1) {
      // Byzantine nodes help no one catch up; a forker goes on working the past height.
      if (node.byzantine === null) await helpPeer(node, from, m.height);
      if (node.byzantine === 'forker') await forkAfterCommit(node, envelope.message);
      return;
    }
    if (envelope.message.kind === 'vote' && node.byzantine === null)
      trackEquivocation(node, envelope.message.vote);
    // Gossip: an honest node forwards each message of its height the first time it sees it, so a
    // message any correct node received reaches every correct node (the paper's assumption).
    const id = bytesKey(m.signature);
    if (node.byzantine === null && m.height === live.state.height + 1 && !live.relayed.has(id)) {
      live.relayed.add(id);
      const message = envelope.message;
      if (message.kind === 'vote' && message.vote.type === 'prevote') {
        let round = live.prevotes.get(message.vote.round);
        if (!round) live.prevotes.set(message.vote.round, (round = []));
        round.push(message);
      }
      broadcast(node.index, envelope);
    }
    handle(node, live.engine.onMessage(envelope.message));
  };

  // Faults: partitions and crashes in the first part of the run, all healed by `faultsEnd`.
  const faultsEnd = 3000 + rng.int(0, 4000);
  gst = faultsEnd; // the end of the fault window plays GST of the partial synchrony model
  for (let p = 0; p < options.partitions; p++) {
    const start = rng.int(0, faultsEnd - 500);
    const end = rng.int(start + 200, faultsEnd);
    const groups = nodes.map(() => rng.int(0, 1));
    queue.push({ at: start, type: 'fault', apply: () => (partition = groups) });
    queue.push({ at: end, type: 'fault', apply: () => (partition = null) });
    lastFaultEnd = Math.max(lastFaultEnd, end);
  }
  if (options.churn) {
    for (let t = rng.int(0, 500); t < faultsEnd; t += rng.int(300, 900)) {
      const groups = nodes.map(() => rng.int(0, 1));
      queue.push({ at: t, type: 'fault', apply: () => (partition = groups) });
    }
    queue.push({ at: faultsEnd, type: 'fault', apply: () => (partition = null) });
    lastFaultEnd = Math.max(lastFaultEnd, faultsEnd);
  }
  const crashable = honest.map((n) => n.index);
  for (let c = 0; c < options.crashes && crashable.length > 0; c++) {
    const victim = nodes[rng.pick(crashable)]!;
    const start = rng.int(0, faultsEnd - 500);
    const end = rng.int(start + 100, faultsEnd);
    queue.push({
      at: start,
      type: 'fault',
      apply: () => {
        victim.live = null; // volatile state gone; the store and the engine's WAL remain
        victim.epoch++;
      },
    });
    queue.push({ at: end, type: 'fault', apply: () => pendingCommits.push(boot(victim)) });
    lastFaultEnd = Math.max(lastFaultEnd, end);
  }
  // Transactions from two users, each signed with the right nonce, submitted over the run.
  const nonces = users.map(() => 0);
  for (let t = 0; t < options.transactions; t++) {
    const u = t % users.length;
    const tx = signTransaction(
      {
        chainId,
        sender: users[u]!.publicKey,
        nonce: nonces[u]!++,
        body: {
          kind: 'transfer',
          asset: 'COIN',
          to: users[(u + 1) % users.length]!.publicKey,
          amount: BigInt(t + 1),
        },
      },
      (m) => sign(m, users[u]!.secretKey),
    );
    const at = options.submitAllAtStart ? 0 : rng.int(0, faultsEnd);
    queue.push({ at, type: 'fault', apply: () => broadcast(-1, { kind: 'tx', tx }) });
  }
  if (options.governanceAdd) {
    const proposer = keys[0]!;
    const propose = signTransaction(
      {
        chainId,
        sender: proposer.publicKey,
        nonce: 0,
        body: {
          kind: 'propose',
          title: 'Add a validator',
          action: {
            type: 'addValidator',
            publicKey: newcomer.publicKey,
            power: 1,
            name: 'newcomer',
          },
        },
      },
      (m) => sign(m, proposer.secretKey),
    );
    queue.push({ at: 10, type: 'fault', apply: () => broadcast(-1, { kind: 'tx', tx: propose }) });
    keys.forEach((k, i) => {
      const vote = signTransaction(
        {
          chainId,
          sender: k.publicKey,
          nonce: i === 0 ? 1 : 0,
          body: { kind: 'vote', proposalId: 1, choice: 'yes' },
        },
        (m) => sign(m, k.secretKey),
      );
      queue.push({ at: 1500, type: 'fault', apply: () => broadcast(-1, { kind: 'tx', tx: vote }) });
    });
  }

  options.onStarted?.();
  for (const n of nodes) await boot(n);

  const heightsAtHeal = new Map<number, number>();
  const deadline = Math.max(lastFaultEnd, faultsEnd) + options.livenessMs;
  let checkedHeal = false;
  for (;;) {
    const e = queue.pop();
    if (!e || e.at > deadline) break;
    now = e.at;
    if (!checkedHeal && now >= Math.max(lastFaultEnd, faultsEnd)) {
      checkedHeal = true;
      for (const n of honest) heightsAtHeal.set(n.index, n.live?.state.height ?? 0);
    }
    switch (e.type) {
      case 'deliver': {
        const node = nodes[e.to]!;
        await deliver(node, e.from, e.envelope);
        break;
      }
      case 'timeout': {
        const node = nodes[e.node]!;
        if (node.live && node.epoch === e.epoch)
          handle(node, node.live.engine.onTimeout(e.timeout));
        break;
      }
      case 'gossip': {
        const node = nodes[e.node]!;
        if (!node.live || node.epoch !== e.epoch) break;
        if (node.durable.own.height === node.live.engine.height) {
          for (const m of node.durable.own.messages) sendConsensus(node, m);
        }
        if (node.byzantine === null) {
          broadcast(node.index, { kind: 'status', height: node.live.state.height });
          // Others' prevotes are many (n² per round): they go out every fifth tick only.
          const validRound = node.live.engine.snapshot().validRound;
          if (Math.floor(now / GOSSIP_MS) % 5 === 0) {
            for (const m of node.live.prevotes.get(validRound) ?? [])
              broadcast(node.index, { kind: 'consensus', message: m });
          }
        }
        queue.push({ at: now + GOSSIP_MS, type: 'gossip', node: node.index, epoch: node.epoch });
        break;
      }
      case 'admit': {
        const live = nodes[e.node]!.live;
        if (!live || nodes[e.node]!.epoch !== e.epoch) break;
        const batch = live.incoming;
        live.incoming = [];
        const verdicts = await live.verdicts.admit(batch, verifier);
        batch.forEach((tx, i) => {
          if (verdicts[i]) live.mempool.set(bytesKey(txIdOf(tx)), tx);
        });
        break;
      }
      case 'nextHeight': {
        const node = nodes[e.node]!;
        const live = node.live;
        // The engine follows the state: after one or several blocks (synced ones too) it moves on to
        // the height after the last committed one, unless it already did.
        if (!live || node.epoch !== e.epoch || live.engine.height > live.state.height) break;
        handle(node, live.engine.nextHeight(live.state.height + 1, validatorsAfter(live.state)));
        break;
      }
      case 'fault':
        e.apply();
        break;
    }
    while (pendingCommits.length) await pendingCommits.shift();
    // A broken safety property needs no more evidence: stop at once (a fork only thrashes on).
    if (violations.length > 0) break;
    if (
      checkedHeal &&
      honest.every(
        (n) =>
          (n.live?.state.height ?? 0) >=
          (heightsAtHeal.get(n.index) ?? 0) + options.blocksAfterHeal,
      )
    ) {
      break;
    }
  }

  // SIM_DEBUG=1 prints every node's final engine state: the first thing to look at for a stall.
  if (process.env.SIM_DEBUG) {
    for (const n of nodes) {
      const e = n.live?.engine;
      const snap = e?.snapshot();
      console.log(
        n.index,
        n.byzantine ?? 'honest',
        'h',
        e?.height,
        'r',
        e?.round,
        e?.step,
        'locked',
        snap?.lockedRound,
        snap?.lockedValue ? bytesToHex(blockHashOf(snap.lockedValue.header)).slice(0, 8) : '-',
        'valid',
        snap?.validRound,
        'decided',
        e?.decided,
        'stateH',
        n.live?.state.height,
      );
    }
  }
  // Liveness: after the last fault healed, every honest node committed new blocks in time.
  for (const n of honest) {
    const at = heightsAtHeal.get(n.index) ?? 0;
    const reached = n.live?.state.height ?? 0;
    if (reached < at + options.blocksAfterHeal) {
      violations.push(
        `liveness: node ${n.index} reached height ${reached}, expected ${at + options.blocksAfterHeal} within ${options.livenessMs} ms after the heal`,
      );
    }
  }
  // Evidence: every equivocation an honest node saw at its height was recorded by its engine.
  for (const n of honest) {
    for (const slot of n.equivocationsSeen) {
      if (!n.durable.recorded.has(slot))
        violations.push(`evidence: node ${n.index} saw an equivocation it did not record`);
    }
  }
  const evidenceRecorded = honest.reduce((s, n) => s + n.durable.recorded.size, 0);
  return {
    finalityMs,
    seed: options.seed,
    violations,
    committedBlocks,
    virtualMs: now,
    newValidatorFirstSigned,
    proposalPassedAt,
    evidenceRecorded,
    evidenceCommitted,
  };
}

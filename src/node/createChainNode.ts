/**
 * @module createChainNode — one chain, run over the Network and ChainStore ports: the wiring
 * of chain rules, the consensus engine and the light client to gossip, sync and storage, on
 * real peers and real time. The simulator does not run this file: it has its own copy of part
 * of this glue, so the seeds prove the engine and the chain rules, not this node.
 *
 * - A validator or full node keeps the whole state, runs the engine (a full node only follows),
 *   gossips transactions, consensus messages, head announcements and evidence, and catches up
 *   through the sync protocol from the peers whose verified heads are ahead (headClaims).
 *   Everything it takes from a peer is verified first.
 * - A light node keeps the latest verified light block only: from the invite's checkpoint or
 *   the genesis validator set on, skipping where trust allows (light/verifyLightBlock).
 * - A validator that signed the chain before listens first, and stops signing when its key
 *   signs elsewhere (doubleSignGuard) or a fork shows.
 * - The outbox keeps what this node submitted until it is final or definitively rejected.
 *
 * All work that changes the node's state runs one task at a time, in arrival order.
 *
 * Far over 400 lines, one closure holding many concerns: the replica issue cuts it into pure
 * files (mempool, gossip rules, catch-up, signing gate, outbox, light follower, serving,
 * pacing) that this host and the simulator both run. Until then, sections are marked below.
 */
import { FreeholdError } from '../FreeholdError';
import { bytesKey, bytesToHex, equalBytes } from '../crypto/bytes';
import { verify, type BatchVerifier } from '../crypto/ed25519';
import {
  buildBlock,
  executeBlock,
  checkBlockLinks,
  executeBlockDeferred,
  validateBlock,
  type VerifyLastCommit,
} from '../chain/applyBlock';
import { applyTransaction } from '../chain/applyTransaction';
import { BadSignatureError, TransactionRejectedError, WrongChainError } from '../chain/rejections';
import { cancelOutboxItem } from './cancelOutboxItem';
import { outboxVerdicts } from './outboxVerdicts';
import { blockHashOf, type Block, type BlockHeader, type CommitCertificate } from '../chain/block';
import { ChainState, type EntryProof } from '../chain/ChainState';
import type { BlockCommit, ChainRole, ChainStore, OutboxItem } from '../chain/ChainStore';
import { createVerdictCache } from '../chain/createVerdictCache';
import { evidenceIdOf, readEvidence, verifyEvidence } from '../chain/evidence';
import type { DuplicateVoteEvidence } from '../chain/evidence';
import { chainIdOf, genesisValidatorSet, type Genesis } from '../chain/genesis';
import {
  entryName,
  validatorsAt,
  type Account,
  type Balance,
  type EntryName,
  type StateValue,
  type ValidatorHistory,
} from '../chain/stateEntries';
import {
  decodeTransaction,
  encodeTransaction,
  signTransaction,
  txIdOf,
  type SignedTransaction,
  type TxBody,
} from '../chain/transaction';
import { findValidator, hashValidatorSet, type ValidatorSet } from '../chain/validatorSet';
import { voteSigningBytes } from '../chain/vote';
import { decode, encode } from '../codec/cbor';
import {
  createConsensusEngine,
  type ConsensusEngine,
  type EngineOutput,
  type TimeoutConfig,
} from '../consensus/createConsensusEngine';
import {
  encodeConsensusMessage,
  openProposal,
  proposalSigningBytes,
  readConsensusEnvelope,
  type ConsensusMessage,
  type Proposal,
} from '../consensus/messages';
import { proposerOf } from '../consensus/proposer';
import { prepareCommit, verifyCommit } from '../consensus/verifyCommit';
import { BisectionLimitError, verifyToTarget, type LightBlock } from '../light/verifyLightBlock';
import { ExpiredTrustError } from '../light/checkTrustingPeriod';
import { trustFromCheckpoint, type Checkpoint } from '../light/trustFromCheckpoint';
import { NetworkError, type Network } from '../net/Network';
import { decodeWal, encodeWal, type ConsensusWal } from './consensusWal';
import { createDoubleSignGuard, type DoubleSignGuard } from './doubleSignGuard';
import { createHeadClaims, MAX_CLAIMS, type HeadClaim } from './headClaims';
import { findIncluded } from './findIncluded';
import { InvalidPeerAnswerError } from './InvalidPeerAnswerError';
import { createMempool, MempoolRefusedError, type MempoolLimits } from './mempool';
import {
  answers,
  encodeSyncRequest,
  errorFrame,
  MAX_BLOCKS_PER_REQUEST,
  MAX_FRAME_BYTES,
  MAX_REQUEST_BYTES,
  readAnswer,
  type BlockAnswer,
  SYNC_PROTOCOL,
  SyncAnswerError,
  type SyncRequest,
} from './syncProtocol';
import {
  decodeAnnouncement,
  encodeAnnouncement,
  TOPIC_MAX_BYTES,
  topicOf,
  type TopicKind,
} from './topics';

export class ChainStoppedError extends FreeholdError {
  override name = 'ChainStoppedError' as const;
  constructor() {
    super('This chain has stopped (the wallet was locked); nothing was signed or sent.');
  }
}

export interface Signer {
  publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export type NodeEvent =
  | { type: 'started'; chain: string; role: ChainRole; height: number }
  | { type: 'committed'; chain: string; height: number; hash: string; txs: number; round: number }
  | { type: 'synced'; chain: string; from: number; to: number; peer: string }
  | { type: 'lightHead'; chain: string; height: number; hash: string; peer: string }
  | { type: 'outbox'; chain: string; txId: string; status: OutboxItem['status']; reason: string }
  | { type: 'evidence'; chain: string; validator: string; height: number }
  | { type: 'peerFault'; chain: string; peer: string; reason: string }
  | { type: 'warning'; chain: string; message: string }
  /** A validator that waited to catch up (syncBeforeSigning) now signs. */
  | { type: 'signing'; chain: string; height: number }
  /** This validator stopped signing: its key signs elsewhere, or a fork was seen. */
  | { type: 'signingHalted'; chain: string; reason: string };

export interface ChainNodeOptions {
  genesis: Genesis;
  role: ChainRole;
  store: ChainStore;
  network: Network;
  /** Signs consensus messages: a validator's key. Absent for full and light nodes. */
  validatorKey?: Signer;
  /**
   * A validator that may have signed this chain elsewhere (a key restored on a new device, a
   * chain joined by invite) follows until it has heard a peer's head and holds nothing older;
   * only then does it sign. Without it, a restored key would sign a fork of its own from the
   * genesis. The founder of a new chain, or a validator restarting, signs at once.
   */
  syncBeforeSigning?: boolean;
  /**
   * How long a validator that signed this chain before (a restart, a restored key) listens for
   * its key signing elsewhere before it signs; default 3 ticks, at least 2 s.
   */
  doubleSignCheckMs?: number;
  /**
   * A recent certified block the invite vouches for: catch-up refuses any chain without it,
   * and a validator signs only once it holds it. Guards a newcomer against retired keys.
   */
  checkpoint?: Checkpoint;
  verifier: BatchVerifier;
  timeouts?: TimeoutConfig;
  /** Pause between committing a block and starting the next height. */
  blockIntervalMs?: number;
  /** Gossip housekeeping: re-sending own messages, announcing the head, retrying the outbox. */
  tickMs?: number;
  maxTransactionsPerBlock?: number;
  /** Bounds of the mempool; the defaults suit a device on a small chain. */
  mempoolLimits?: MempoolLimits;
  now?: () => number;
  onEvent?: (event: NodeEvent) => void;
}

export interface ChainStatus {
  chainId: string;
  role: ChainRole;
  height: number;
  hash: string;
  stateRoot: string;
  round: number;
  peers: number;
  mempool: number;
  outbox: number;
  /** The highest head peers announce (at least `height`): what a sync progress bar aims for. */
  target: number;
  /** Time of the head block (ms since the epoch); the genesis time before the first block. */
  time: number;
  /** A validator taking part in consensus (false while it catches up before signing). */
  signing: boolean;
  /** Why this validator stopped signing (its key in use elsewhere, a fork), or ''. */
  signingHalted: string;
}

export interface HeadProof {
  entry: EntryProof;
  header: BlockHeader;
  certificate: CommitCertificate;
}

export interface ChainNode {
  readonly chainId: Uint8Array;
  start(): Promise<void>;
  status(): ChainStatus;
  /** Queues a signed transaction in the outbox and sends it. */
  submit(tx: SignedTransaction): Promise<OutboxItem>;
  /**
   * Takes back a transaction no peer has yet (still queued), and the later ones of its sender
   * that depend on it; resolves to the ids removed. CannotCancelError once it was sent.
   */
  cancel(txId: Uint8Array): Promise<Uint8Array[]>;
  /** The account's next nonce as this node knows it (full nodes). */
  nextNonce(account: Uint8Array): number;
  /** The account's balance of an asset in the committed state; undefined on a light node. */
  balance(account: Uint8Array, asset: string): bigint | undefined;
  /**
   * Signs `body` for the signer's account with its next nonce and submits it. Sends run one at
   * a time, so two quick sends from one account get consecutive nonces.
   */
  send(signer: Signer, body: TxBody): Promise<OutboxItem>;
  /** A committed state entry (full nodes); undefined when absent or on a light node. */
  read(name: EntryName): StateValue | undefined;
  /** Every committed entry whose name starts with `prefix`: a scan of the state, for views. */
  entries(prefix: string): [EntryName, StateValue][];
  /**
   * Proof of an entry against the head's state root, with the head and the certificate that
   * signs it; undefined on a light node, before the first block, or while a catch-up is open.
   */
  prove(name: EntryName): HeadProof | undefined;
  /** A committed block from the store. */
  block(height: number): Promise<Block | undefined>;
  /** Answers a sync request for this chain (the node facade dispatches by chain id). */
  answer(request: SyncRequest, from: string): AsyncIterable<Uint8Array>;
  stop(): Promise<void>;
}

const EMPTY = new Uint8Array(0);

/** Opened proposals kept: a few per round of the heights in play. */
const MAX_OPENED_PROPOSALS = 64;

/** The height and block hash of a certified block that an invite vouches for. */
export type { Checkpoint };

const signatureOf = (m: ConsensusMessage): Uint8Array =>
  m.kind === 'vote' ? m.vote.signature : m.proposal.signature;
const heightOf = (m: ConsensusMessage): number =>
  m.kind === 'vote' ? m.vote.height : m.proposal.height;

/** What one sync answer may hold: 256 small blocks, or a few of the largest. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
/** Waits for a peer's head, and for a batch of blocks: short, so one slow peer holds no one. */
const HEAD_TIMEOUT_MS = 5_000;
const BLOCKS_TIMEOUT_MS = 30_000;
/** How often a peer is asked for its head after an announcement this node cannot check. */
const PROBE_EVERY_MS = 30_000;
/** Points for a proposal body swapped under a signed header: past the ban line at once. */
const FORGED_BODY_POINTS = 100;
/** Points a peer loses for a head it claimed and could not serve. */
const UNBACKED_CLAIM_POINTS = 10;

/** Blocks applied between two state-root checks, and pauses for I/O, while catching up. */
const SETTLE_EVERY_BLOCKS = 32;
const yieldToEventLoop = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** Points a peer loses for a block, answer or announcement that fails verification. */
const FAULT_POINTS = 25;

const OUTBOX_MAX_BACKOFF_MS = 60_000;

export function createChainNode(options: ChainNodeOptions): ChainNode {
  const { genesis, role, store, network, verifier } = options;
  const chainId = chainIdOf(genesis);
  const chain = bytesToHex(chainId);
  const now = options.now ?? Date.now;
  const tickMs = options.tickMs ?? 1000;
  const blockIntervalMs = options.blockIntervalMs ?? 1000;
  const emit = (event: NodeEvent): void => options.onEvent?.(event);
  const checkpoint = options.checkpoint;
  const topic = (kind: TopicKind): string => topicOf(chainId, kind);

  // Signature verdicts (votes, proposals, certificates): each computed once per node.
  const signatureVerdicts = new Map<string, boolean>();
  const verifySignature = (s: Uint8Array, m: Uint8Array, k: Uint8Array): boolean => {
    const id = bytesKey(s) + bytesKey(k) + bytesKey(m);
    let v = signatureVerdicts.get(id);
    if (v === undefined) {
      if (signatureVerdicts.size > 50_000) signatureVerdicts.clear();
      signatureVerdicts.set(id, (v = verify(s, m, k)));
    }
    return v;
  };
  const verifyLastCommit: VerifyLastCommit = (commit, signers, expected) => {
    const items = prepareCommit(commit, signers, expected);
    if (!items.every((i) => verifySignature(i.signature, i.message, i.publicKey)))
      throw new InvalidPeerAnswerError('A signature in the certificate is not valid.');
  };

  // Full-node state.
  let state: ChainState | null = null;
  let head: BlockHeader | null = null;
  let lastCommit: CommitCertificate | null = null;
  let engine: ConsensusEngine | null = null;
  const ownKey = options.validatorKey?.publicKey ?? new Uint8Array(0);
  const mayValidate = role === 'validator' && options.validatorKey !== undefined;
  let signing = !options.syncBeforeSigning;
  /** Watches for this key signing elsewhere; made at boot, when the start height is known. */
  let guard: DoubleSignGuard = createDoubleSignGuard({
    key: ownKey,
    startHeight: 0,
    startedAt: 0,
    quietMs: 0,
  });
  /** Two certified blocks at one height were seen: catch-up and signing stop. */
  let forked = false;
  /** Signing stopped for the rest of this run (the key signs elsewhere, or a fork). */
  let halted = false;
  /** The write-ahead record read at boot, while its height is still the one in play. */
  let bootWal: ConsensusWal | undefined;
  /**
   * Proof of where the chain lives, for a validator waiting to sign: a peer's signed votes or
   * proposal for the height after this node's head (the chain is live there).
   */
  let sawLiveHeight = false;
  const txVerdicts = createVerdictCache();
  const mempool = createMempool(options.mempoolLimits);
  /**
   * Offers a transaction to the mempool: `from` is the peer that relayed it, null for this
   * node's own. Throws MempoolRefusedError (not held, nobody's fault) or BadSignatureError.
   */
  const hold = (tx: SignedTransaction, from: string | null): void =>
    mempool.admit(tx, {
      state: state!,
      now: now(),
      from,
      verifySignature: txVerdicts.verifySignature,
    });
  /** The same for this node's own: one that is refused (a stale nonce) stays in the outbox. */
  const holdOwn = (tx: SignedTransaction): void => {
    try {
      hold(tx, null);
    } catch (error) {
      if (!(error instanceof MempoolRefusedError)) throw error;
    }
  };
  let own: { height: number; messages: ConsensusMessage[] } = { height: 0, messages: [] };
  const prevotes = new Map<number, ConsensusMessage[]>();
  const pendingEvidence = new Map<string, DuplicateVoteEvidence>();
  const decoded = new WeakMap<Uint8Array, ConsensusMessage>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let syncing = false;
  let stopped = false;
  let ticks = 0;
  let outbox: OutboxItem[] = [];

  // Light-node state.
  let trusted: LightBlock | null = null;
  let lightSyncing = false;
  /** The trusted light block outlived the trusting period: only a fresh checkpoint helps. */
  let expiredTrust = false;

  // One task at a time: deliveries, timeouts, commits and syncs never interleave.
  let queue: Promise<void> = Promise.resolve();
  const run = (task: () => Promise<void> | void): Promise<void> => {
    const next = queue.then(async () => {
      if (!stopped) await task();
    });
    queue = next.catch((error: unknown) =>
      emit({ type: 'warning', chain, message: describeError(error) }),
    );
    return queue;
  };

  /** Like `run`, but the caller learns the outcome: a failed task or a stopped chain rejects. */
  const runChecked = (task: () => Promise<void>): Promise<void> => {
    const next = queue.then(async () => {
      if (stopped) throw new ChainStoppedError();
      await task();
    });
    queue = next.catch(() => undefined);
    return next;
  };

  const later = (ms: number, task: () => Promise<void> | void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void run(task);
    }, ms);
    timers.add(timer);
  };

  const validatorsAfter = (s: ChainState): ValidatorSet =>
    s.read(entryName.validators) as ValidatorSet;

  const fault = (peer: string, reason: string, points = FAULT_POINTS): void => {
    network.penalise(peer, points, reason);
    emit({ type: 'peerFault', chain, peer, reason });
  };

  /** Stops this validator signing for the rest of its run, and says why. */
  const haltSigning = (reason: string): void => {
    if (!mayValidate || halted) return;
    // For the rest of this run: nothing (a quiet tick, a caught-up head) starts signing again.
    halted = true;
    emit({ type: 'signingHalted', chain, reason });
    if (!signing) return;
    signing = false;
    // Followed from here as a full node does: an engine without a key.
    if (engine && state) engine = makeEngine(engine.height, validatorsAfter(state));
  };

  const watchCertificate = (certificate: CommitCertificate): void => {
    const seen = guard.certificate(certificate);
    if (seen) haltSigning(`This validator key is in use on another device: ${seen}.`);
  };

  const haltForFork = (where: string): void => {
    if (forked) return;
    forked = true;
    emit({
      type: 'warning',
      chain,
      message: `Two different certified blocks at one height (${where}): the validators signed a fork. Catching up stops.`,
    });
    haltSigning('Two different certified blocks were seen at one height; signing stopped.');
  };

  // ---------------------------------------------------------------- boot

  const boot = async (): Promise<void> => {
    if (!(await store.getChain(chainId))) {
      const g = ChainState.fromGenesis(genesis);
      await store.addChain({ chainId, genesis, role, label: '', joinedAt: now() }, g.diff);
    }
    outbox = await store.listOutbox(chainId);
    if (role === 'light') return;
    await reloadState();
    if (!state) throw new Error('The chain vanished from the store while opening.');
    // What this node signed before it stopped goes back into its own mempool: a validator
    // proposes it even with nobody else around.
    await reconcileOutbox(state);
    for (const item of outbox) holdOwn(decodeTransaction(item.bytes));
    const walBytes = await store.getConsensusState(chainId);
    const wal = walBytes && decodeWal(walBytes);
    const height = state.height + 1;
    const restore = wal && wal.snapshot.height === height ? wal : undefined;
    bootWal = restore;
    own = restore ? { height, messages: restore.own } : { height, messages: [] };
    // A validator that has signed this chain before (a restart, a restore) listens before it
    // signs: the same key running elsewhere shows itself in that time. The founder of a chain
    // at its first block has nothing to wait for.
    guard = createDoubleSignGuard({
      key: ownKey,
      startHeight: state.height,
      startedAt: now(),
      quietMs: options.doubleSignCheckMs ?? Math.max(3 * tickMs, 2_000),
    });
    for (const m of own.messages) guard.own(heightOf(m), [signatureOf(m)]);
    if (mayValidate && state.height > 0) signing = false;
    engine = makeEngine(height, validatorsAfter(state), restore?.snapshot);
  };

  const makeEngine = (
    height: number,
    validators: ValidatorSet,
    restore?: ReturnType<ConsensusEngine['snapshot']>,
  ): ConsensusEngine =>
    createConsensusEngine({
      chainId,
      height,
      validators,
      self: mayValidate && signing ? options.validatorKey! : null,
      getValue: () => proposeBlock(),
      isValid: (block) => {
        try {
          validateBlock(state!, block, head, {
            verifySignature: txVerdicts.verifySignature,
            verifyLastCommit,
            verifyVoteSignature: verifySignature,
          });
          return true;
        } catch {
          return false;
        }
      },
      verifySignature,
      ...(options.timeouts && { timeouts: options.timeouts }),
      ...(restore && { restore }),
    });

  const proposeBlock = (): Block => {
    const s = state!;
    const time = Math.max(now(), (head?.time ?? s.time) + 1);
    const { block, rejected } = buildBlock(s, {
      parent: head,
      time,
      proposer: options.validatorKey!.publicKey,
      candidates: mempool.candidates(),
      lastCommit,
      maxTransactions: options.maxTransactionsPerBlock ?? 500,
      verifySignature: txVerdicts.verifySignature,
      verifyVoteSignature: verifySignature,
      evidence: [...pendingEvidence.values()],
    });
    // What cannot apply now is dropped rather than tried in every block: a sender whose
    // transaction should apply later sends it again (the outbox does).
    mempool.evict(rejected.map((r) => r.tx));
    return block;
  };

  // ---------------------------------------------------------------- engine outputs

  const handle = async (outputs: EngineOutput[]): Promise<void> => {
    if (!engine) return;
    const outgoing: ConsensusMessage[] = [];
    for (const o of outputs) {
      switch (o.type) {
        case 'broadcast':
          // Known as this node's own before anything else happens (a decision that follows in
          // the same outputs carries this very precommit in its certificate).
          guard.own(heightOf(o.message), [signatureOf(o.message)]);
          outgoing.push(o.message);
          break;
        case 'schedule': {
          const e = engine;
          later(o.delayMs, () => (engine === e ? handle(e.onTimeout(o.timeout)) : undefined));
          break;
        }
        case 'decide':
          await commitDecided(o.block, o.certificate, o.round);
          break;
        case 'evidence':
          takeEvidence(o.evidence, true);
          break;
        case 'rejected':
          break;
      }
    }
    if (outgoing.length === 0) return;
    // Write-ahead: what this validator signed, and its locks, are on disk before anyone sees it.
    if (own.height !== engine.height) own = { height: engine.height, messages: [] };
    own.messages.push(...outgoing);
    await store.putConsensusState(
      chainId,
      encodeWal({ snapshot: engine.snapshot(), own: own.messages }),
    );
    for (const m of outgoing) publish('consensus', encodeConsensusMessage(m));
  };

  const publish = (kind: TopicKind, data: Uint8Array): void => {
    void network.publish(topic(kind), data).catch(() => undefined);
  };

  const commitDecided = async (
    block: Block,
    certificate: CommitCertificate,
    round: number,
  ): Promise<void> => {
    const s = state!;
    if (block.header.height !== s.height + 1) return;
    const blockHash = blockHashOf(block.header);
    const diff = executeBlock(s, block, head, {
      verifySignature: txVerdicts.verifySignature,
      verifyLastCommit,
      verifyVoteSignature: verifySignature,
    });
    try {
      await store.commitBlock(chainId, { block, blockHash, diff, certificate });
    } catch (error) {
      await reloadState();
      throw error;
    }
    // A decision made here, live: a signature of this key in it that this node did not
    // publish was made elsewhere. (Certificates that catch-up brings are history: a restored
    // key's old device made them; the live votes on gossip are what show a second device.)
    watchCertificate(certificate);
    await afterCommit([{ block, blockHash, diff, certificate }], round);
    // The interval paces empty blocks; work that is waiting goes into the next block at once.
    later(workWaiting() ? 0 : blockIntervalMs, nextHeight);
  };

  const afterCommit = async (commits: BlockCommit[], round: number): Promise<void> => {
    const last = commits[commits.length - 1]!;
    bootWal = undefined;
    head = last.block.header;
    lastCommit = last.certificate ?? null;
    own = { height: head.height + 1, messages: [] };
    prevotes.clear();
    opened.clear();
    await store.putConsensusState(chainId, null);
    for (const { block, blockHash } of commits) {
      for (const e of block.evidence) pendingEvidence.delete(bytesKey(evidenceIdOf(e)));
      emit({
        type: 'committed',
        chain,
        height: block.header.height,
        hash: bytesToHex(blockHash),
        txs: block.transactions.length,
        round,
      });
    }
    mempool.prune(state!, now());
    await settleOutbox(commits.map((c) => c.block));
    if (lastCommit)
      publish('headers', encodeAnnouncement({ header: head, certificate: lastCommit }));
  };

  const nextHeight = async (): Promise<void> => {
    if (!engine || !state || engine.height > state.height) return;
    await handle(engine.nextHeight(state.height + 1, validatorsAfter(state)));
  };

  /** Between a commit and the next height: a validator waiting out the block interval. */
  const pausing = (): boolean => !!engine && !!state && engine.height === state.height;

  /** Whether a transaction would go into a block now (right nonce, enough funds, …). */
  const appliesNow = (tx: SignedTransaction): boolean => {
    const s = state!;
    try {
      applyTransaction(s.begin(s.height + 1, Math.max(now(), s.time + 1)), tx, {
        chainId,
        txId: txIdOf(tx),
        verifySignature: txVerdicts.verifySignature,
      });
      return true;
    } catch (error) {
      if (error instanceof TransactionRejectedError) return false;
      throw error;
    }
  };

  /**
   * Work for the next block, so no reason to pause: a transaction in the mempool that would
   * apply now. One that cannot (no funds, a nonce from the future) waits with the pause, or
   * anyone could make blocks come back to back by sending junk.
   */
  const workWaiting = (): boolean => mempool.workWaiting(state!, now(), txVerdicts.verifySignature);

  /** The state, head and head certificate as the store has them. */
  const reloadState = async (): Promise<void> => {
    const snapshot = await store.loadState(chainId);
    if (!snapshot) return;
    state = ChainState.restore({ chainId, ...snapshot });
    head = state.height > 0 ? ((await store.getHeader(chainId, state.height)) ?? null) : null;
    lastCommit =
      state.height > 0 ? ((await store.getCertificate(chainId, state.height)) ?? null) : null;
  };

  // ---------------------------------------------------------------- evidence

  const validatorsAtHeight = (height: number): ValidatorSet | undefined => {
    const history = state?.read(entryName.validatorHistory) as ValidatorHistory | undefined;
    return history && validatorsAt(history, height);
  };

  const takeEvidence = (e: DuplicateVoteEvidence, ours: boolean): void => {
    const id = bytesKey(evidenceIdOf(e));
    if (pendingEvidence.has(id)) return;
    if (state?.read(entryName.evidence(evidenceIdOf(e)))) return;
    pendingEvidence.set(id, e);
    emit({
      type: 'evidence',
      chain,
      validator: bytesToHex(e.voteA.validator),
      height: e.voteA.height,
    });
    if (ours) publish('evidence', encode(e));
  };

  // ---------------------------------------------------------------- gossip validators

  /**
   * A transaction is forwarded only if this node holds it (mempool policy: quotas, a bounded
   * share for free kinds, the sender's whole sequence applies), so junk stops at the first hop.
   * Held here rather than on delivery, so the check and the holding see one state.
   */
  const validateTx = (data: Uint8Array, from: string): 'accept' | 'reject' | 'ignore' => {
    const tx = decodeTransaction(data);
    if (!equalBytes(tx.tx.chainId, chainId)) return 'reject';
    if (!state) return txVerdicts.verifySignature(tx) ? 'accept' : 'reject'; // a light node relays
    try {
      hold(tx, from);
      return 'accept';
    } catch (error) {
      if (error instanceof MempoolRefusedError) return 'ignore';
      if (error instanceof BadSignatureError) return 'reject';
      throw error;
    }
  };

  /** Proposals opened, by signature: a proposal re-sent every tick is decoded once. */
  const opened = new Map<string, { proposal: Proposal; body: Uint8Array }>();

  /**
   * Checks the small signed part of a consensus message before anything large is decoded: the
   * height (one this node is at or about to reach, else ignored, with nothing decoded), the
   * signer's place in the set, the signature over the header's hash; only then a proposal's
   * body, which must match its header. A relayer that swaps a body is rejected for it.
   */
  const validateConsensus = (data: Uint8Array, from: string): 'accept' | 'reject' | 'ignore' => {
    const envelope = readConsensusEnvelope(data);
    if (!engine || !state) return 'ignore';
    // The height in play is the one after the committed state, whether this node has started
    // it or is still pausing after its commit; the one after that is taken too, for the engine
    // to hold until it gets there (a proposer quicker than this node is not lost).
    const height = envelope.kind === 'vote' ? envelope.vote.height : envelope.proposal.height;
    const set =
      height === state.height + 1
        ? validatorsAfter(state)
        : height === state.height + 2
          ? (state.read(entryName.nextValidators) as ValidatorSet)
          : undefined;
    if (!set) return 'ignore';
    if (envelope.kind === 'vote') {
      const v = envelope.vote;
      if (!findValidator(set, v.validator)) return 'reject';
      if (!verifySignature(v.signature, voteSigningBytes(chainId, v), v.validator)) return 'reject';
      decoded.set(data, envelope);
      return 'accept';
    }
    const p = envelope.proposal;
    if (!equalBytes(proposerOf(set, p.height, p.round).publicKey, p.proposer)) return 'reject';
    const blockHash = blockHashOf(p.header);
    const signed = proposalSigningBytes(chainId, { ...p, blockHash });
    if (!verifySignature(p.signature, signed, p.proposer)) return 'reject';
    const id = bytesKey(p.signature);
    let held = opened.get(id);
    if (!held) {
      try {
        held = { proposal: openProposal(p), body: p.body };
      } catch (error) {
        // The rightful proposer's signed header with a body that is not its block: honest
        // peers relay bytes unchanged, so this is a forgery, and decoding it was the most a
        // message can cost. One is enough to be cut off.
        fault(from, `consensus: ${describeError(error)}`, FORGED_BODY_POINTS);
        return 'reject';
      }
      if (opened.size >= MAX_OPENED_PROPOSALS) opened.clear();
      opened.set(id, held);
    } else if (!equalBytes(held.body, p.body)) return 'reject'; // the same header, another body
    decoded.set(data, { kind: 'proposal', proposal: held.proposal });
    return 'accept';
  };

  const claims = createHeadClaims();
  /** The peer the last catch-up came from, and the height last compared with another peer. */
  let lastSource = '';
  let comparedAt = 0;
  const usable = (peer: string): boolean => !network.standing(peer).banned;
  /** When each peer was last asked for its head after an announcement this node could not check. */
  const probedAt = new Map<string, number>();

  /**
   * A peer's head, checked: 'verified' when its certificate verifies against the set this node
   * trusts for its next height (that set signed it: the head exists), 'unverifiable' when it is
   * signed by another set (one this node has not reached yet). Throws when it is wrong.
   */
  const checkHead = (
    header: BlockHeader,
    certificate: CommitCertificate,
  ): 'verified' | 'unverifiable' => {
    if (!equalBytes(header.chainId, chainId))
      throw new InvalidPeerAnswerError('a head of another chain');
    if (
      certificate.height !== header.height ||
      !equalBytes(certificate.blockHash, blockHashOf(header))
    )
      throw new InvalidPeerAnswerError('a certificate for another block');
    const set = state
      ? validatorsAfter(state)
      : role === 'light'
        ? (trusted?.nextValidators ?? genesisValidatorSet(genesis))
        : undefined;
    if (!set || !equalBytes(hashValidatorSet(set), header.validatorsHash)) return 'unverifiable';
    verifyLastCommit(certificate, set, {
      chainId,
      height: header.height,
      blockHash: certificate.blockHash,
    });
    return 'verified';
  };

  const knownHeight = (): number =>
    role === 'light' ? (trusted?.header.height ?? 0) : (state?.height ?? 0);

  /** Records a verified head; two certified heads at one height halt catch-up and signing. */
  const noteVerifiedHead = (peer: string, header: BlockHeader): void => {
    const fork = claims.verified(peer, header.height, blockHashOf(header));
    if (fork) haltForFork(`peers ${fork.peers.join(' and ')} at height ${fork.height}`);
  };

  const validateHeader = (data: Uint8Array, from: string): 'accept' | 'reject' | 'ignore' => {
    const { header, certificate } = decodeAnnouncement(data);
    if (header.height <= knownHeight())
      return equalBytes(header.chainId, chainId) ? 'ignore' : 'reject';
    if (checkHead(header, certificate) === 'verified') {
      noteVerifiedHead(from, header);
      return 'accept';
    }
    // Signed by a set this node cannot check yet: not relayed and not counted. The sender is
    // asked for its own head now and then; what it answers is its own claim, and it must back it.
    const t = now();
    if (t - (probedAt.get(from) ?? -Infinity) >= PROBE_EVERY_MS) {
      if (probedAt.size >= MAX_CLAIMS) probedAt.clear();
      probedAt.set(from, t);
      void probe(from);
    }
    return 'ignore';
  };

  const validateEvidence = (data: Uint8Array): 'accept' | 'reject' | 'ignore' => {
    const e = readEvidence(decode(data, TOPIC_MAX_BYTES.evidence));
    const set = validatorsAtHeight(e.voteA.height);
    if (!set) return 'ignore';
    verifyEvidence(e, set, chainId, verifySignature); // throws: reject
    return 'accept';
  };

  const subscribe = (): void => {
    const handler = (
      kind: TopicKind,
      validate: (data: Uint8Array, from: string) => 'accept' | 'reject' | 'ignore',
      deliver: (data: Uint8Array, from: string) => void,
    ): void =>
      network.subscribe(topic(kind), {
        maxBytes: TOPIC_MAX_BYTES[kind],
        validate: (data, from) => {
          try {
            return validate(data, from);
          } catch {
            return 'reject';
          }
        },
        deliver,
      });

    handler('tx', validateTx, (data) => {
      if (!state) return;
      const tx = decodeTransaction(data);
      if (pausing() && appliesNow(tx)) void run(nextHeight);
    });
    // Announcements only tell who is ahead; the tick decides when to catch up from whom.
    handler('headers', validateHeader, () => undefined);
    if (role === 'light') return;
    handler('consensus', validateConsensus, (data) => {
      const m = decoded.get(data);
      if (!m) return; // delivered only after validation, which keeps what it decoded
      void run(async () => {
        if (!engine) return;
        // The next height's proposer has started it (a proposal from anyone else is refused
        // at validation): start it too rather than wait out the pause, which only paces.
        if (pausing() && m.kind === 'proposal' && m.proposal.height > engine.height)
          await nextHeight();
        const from = m.kind === 'vote' ? m.vote.validator : m.proposal.proposer;
        const at = m.kind === 'vote' ? m.vote.height : m.proposal.height;
        const seen = m.kind === 'vote' ? guard.vote(m.vote) : guard.proposal(m.proposal);
        if (seen) haltSigning(`This validator key is in use on another device: ${seen}.`);
        if (!signing && at === engine.height && !equalBytes(from, ownKey)) {
          sawLiveHeight = true;
          if (readyToSign()) later(0, startSigning);
        }
        if (m.kind === 'vote' && m.vote.type === 'prevote' && m.vote.height === engine.height) {
          let list = prevotes.get(m.vote.round);
          if (!list) prevotes.set(m.vote.round, (list = []));
          list.push(m);
        }
        await handle(engine.onMessage(m));
      });
    });
    handler('evidence', validateEvidence, (data) => {
      const e = readEvidence(decode(data, TOPIC_MAX_BYTES.evidence));
      void run(() => takeEvidence(e, false));
    });
  };

  // ---------------------------------------------------------------- catching up

  /** Block answers decoded while they arrived, so applying them does not decode them again. */
  const checkedBlocks = new WeakMap<Uint8Array, BlockAnswer>();

  const request = (
    peer: string,
    req: SyncRequest,
    maxFrames: number,
    timeoutMs = BLOCKS_TIMEOUT_MS,
  ): Promise<Uint8Array[]> =>
    network.request(peer, SYNC_PROTOCOL, encodeSyncRequest(req), {
      maxRequestBytes: MAX_REQUEST_BYTES,
      maxFrameBytes: MAX_FRAME_BYTES,
      maxFrames,
      maxTotalBytes: MAX_ANSWER_BYTES,
      timeoutMs,
      // Blocks are checked as they arrive: a peer sending junk is cut off at its first bad
      // frame, before the rest of the answer is even read.
      ...(req.kind === 'blocks' && {
        check: (frame: Uint8Array, index: number) => {
          const answer = readAnswer.block(frame);
          const height = answer.block.header.height;
          if (height !== req.from + index)
            throw new InvalidPeerAnswerError(`block ${height} where ${req.from + index} was asked`);
          checkedBlocks.set(frame, answer);
        },
      }),
    });

  /**
   * Asks a peer for its head. A head whose certificate verifies is a claim that counts; one
   * signed by a set this node cannot check yet is a hint only; a wrong one faults the peer.
   */
  const probe = async (peer: string): Promise<void> => {
    let frames: Uint8Array[];
    try {
      frames = await request(peer, { kind: 'head', chainId }, 1, HEAD_TIMEOUT_MS);
    } catch {
      return; // unreachable, or does not speak the protocol: nothing learned
    }
    if (frames.length === 0 || stopped) return;
    let answer;
    try {
      answer = readAnswer.head(frames[0]!);
    } catch (error) {
      // An error answer (busy, a chain it does not follow, a light node) is no fault.
      if (!(error instanceof SyncAnswerError)) fault(peer, 'malformed head answer');
      return;
    }
    if (answer.height === 0 || !answer.header || !answer.certificate) return;
    if (answer.height <= knownHeight()) {
      // A peer at this node's own height with another block certified by the same set shows
      // a fork as plainly as two claims would.
      const mine = head;
      if (mine && answer.height === mine.height) {
        const theirs = blockHashOf(answer.header);
        try {
          if (
            !equalBytes(theirs, blockHashOf(mine)) &&
            checkHead(answer.header, answer.certificate) === 'verified'
          )
            haltForFork(`this node and peer ${peer} at height ${mine.height}`);
        } catch (error) {
          fault(peer, `head answer: ${describeError(error)}`);
        }
      }
      return;
    }
    try {
      if (checkHead(answer.header, answer.certificate) === 'verified')
        noteVerifiedHead(peer, answer.header);
      else claims.unverified(peer, answer.height);
    } catch (error) {
      claims.forget(peer);
      fault(peer, `head answer: ${describeError(error)}`);
      return;
    }
    maybeCatchUp();
  };

  /**
   * Catches up from the peers ahead, best first: verified heads before unverified ones. A peer
   * that gives nothing (times out, refuses, sends what does not verify) loses its claim and the
   * next one is tried, so one liar cannot hold catch-up; one that claimed a head it could not
   * even show a certificate for is penalised as well.
   */
  const catchUp = async (candidates: HeadClaim[]): Promise<void> => {
    if (syncing || forked) return;
    syncing = true;
    try {
      for (const claim of candidates) {
        if (stopped || claim.height <= knownHeight()) continue;
        const before = knownHeight();
        if (role === 'light') await lightSync(claim);
        else await catchUpFrom(claim);
        if (knownHeight() >= claim.height) break;
        // Short of its claim: the claim goes, and an unchecked one costs the peer.
        claims.forget(claim.peer);
        if (!claim.verified && knownHeight() === before)
          fault(claim.peer, 'claimed a head it did not serve', UNBACKED_CLAIM_POINTS);
      }
    } finally {
      syncing = false;
    }
    compareHeads();
  };

  /**
   * After catching up, asks one other peer for its block at this node's head. A different block
   * with a certificate from the same set is a fork signed by that set (its keys leaked or it
   * turned): nothing else a peer sends can show it, so catch-up and signing stop.
   */
  const compareHeads = (): void => {
    if (role === 'light' || !head || forked) return;
    const at = head;
    const set = validatorsAtHeight(at.height);
    // A peer known to hold this height (a verified head at or above it) rather than any peer.
    const other = claims
      .above(at.height - 1, usable)
      .find((c) => c.verified && c.peer !== lastSource)?.peer;
    if (!set || !other || comparedAt === at.height) return;
    void (async () => {
      let frames: Uint8Array[];
      try {
        const req = { kind: 'blocks', chainId, from: at.height, to: at.height } as const;
        frames = await request(other, req, 1, HEAD_TIMEOUT_MS);
      } catch {
        return; // it may not have that height; nothing learnt
      }
      if (!frames[0]) return;
      comparedAt = at.height; // answered: this height is settled, whatever the answer shows
      try {
        const { block, certificate } = readAnswer.block(frames[0]);
        const hash = blockHashOf(block.header);
        if (block.header.height !== at.height || equalBytes(hash, blockHashOf(at))) return;
        verifyLastCommit(certificate, set, { chainId, height: at.height, blockHash: hash });
        haltForFork(`this node and peer ${other} at height ${at.height}`);
      } catch (error) {
        // An error answer (busy, not found) is not a fault; a block that does not verify is.
        if (!(error instanceof SyncAnswerError))
          fault(other, `head comparison: ${describeError(error)}`);
      }
    })();
  };

  const catchUpFrom = async (claim: HeadClaim): Promise<void> => {
    if (!state) return;
    const peer = claim.peer;
    lastSource = peer;
    // The next batch is on its way while this one is applied: the peer reads and sends while
    // this node verifies and writes. A request nobody awaits yet must not be an unhandled
    // rejection, so each is marked handled when made; its error surfaces where it is awaited.
    const fetchFrom = (from: number): Promise<Uint8Array[]> | null => {
      const to = Math.min(claim.height, from + MAX_BLOCKS_PER_REQUEST - 1);
      if (stopped || to < from) return null;
      const frames = request(peer, { kind: 'blocks', chainId, from, to }, to - from + 1);
      frames.catch(() => undefined);
      return frames;
    };
    let next = fetchFrom(state.height + 1);
    try {
      while (next && state) {
        const from = state.height + 1;
        const frames = await next;
        next = frames.length > 0 ? fetchFrom(from + frames.length) : null;
        let done = 0;
        await run(async () => {
          done = await applySynced(peer, frames);
        });
        if (done < frames.length) break; // the rest was refused, or could not be stored
      }
    } catch (error) {
      // A block that failed its check on arrival is the peer's fault; a timeout may not be.
      if (isPeerFault(error)) fault(peer, `sync: ${describeError((error as Error).cause)}`);
      else
        emit({
          type: 'warning',
          chain,
          message: `Catching up from ${peer}: ${describeError(error)}`,
        });
    }
  };

  /**
   * Verifies and applies blocks a peer sent; returns how many it got through (applied, or
   * already held).
   *
   * Blocks come in runs that one validator set validates. The certificate of a run's last block,
   * checked against the set this node already trusts, vouches for every header before it through
   * the hash links, and so for every transaction through the tx roots: the transactions'
   * signatures and the certificates the blocks carry were checked by the validators that signed,
   * and are not checked again (the trust a light client places in a certificate, here for a
   * full node that still executes every block and checks state roots). A set that changes is
   * known from executing the vouched-for blocks before the change, never from the peer.
   */
  const applySynced = async (peer: string, frames: Uint8Array[]): Promise<number> => {
    let list: BlockAnswer[];
    try {
      list = frames.map((f) => checkedBlocks.get(f) ?? readAnswer.block(f));
    } catch (error) {
      fault(peer, `sync: ${describeError(error)}`);
      return 0;
    }
    let done = 0;
    let applied = false;
    while (done < list.length) {
      const height = list[done]!.block.header.height;
      if (height <= state!.height) {
        done++; // consensus got there while the batch was on its way
        continue;
      }
      if (height > state!.height + 1) break; // a gap: the next request starts where this node is
      const n = await applyCertifiedRun(peer, list.slice(done));
      if (n === 0) break;
      done += n;
      applied = true;
    }
    if (applied) await nextHeight();
    return done;
  };

  const applyCertifiedRun = async (peer: string, list: BlockAnswer[]): Promise<number> => {
    const s = state!;
    const set = validatorsAfter(s);
    const setHash = hashValidatorSet(set);
    let end = 0;
    while (end < list.length && equalBytes(list[end]!.block.header.validatorsHash, setHash)) end++;
    const blocks = list.slice(0, end);
    const tip = blocks.at(-1);
    // Before anything is executed: the tip's certificate, and every block tied to the next up
    // to it. From here on each block is vouched for, so whatever the state shows between two
    // of them (the network is let in now and then) is the chain's.
    try {
      if (!tip)
        throw new InvalidPeerAnswerError("a block names a validator set that is not the chain's");
      verifyLastCommit(tip.certificate, set, {
        chainId,
        height: tip.block.header.height,
        blockHash: blockHashOf(tip.block.header),
      });
      let parent = head;
      for (const { block } of blocks) {
        checkBlockLinks(block, chainId, parent);
        parent = block.header;
        if (
          checkpoint?.height === block.header.height &&
          !equalBytes(blockHashOf(block.header), checkpoint.hash)
        )
          throw new InvalidPeerAnswerError(
            `block ${checkpoint.height} is not the one the invite vouches for`,
          );
      }
    } catch (error) {
      fault(peer, `sync: ${describeError(error)}`);
      return 0;
    }
    const commits: BlockCommit[] = [];
    try {
      // State roots are checked every SETTLE_EVERY_BLOCKS, against headers already vouched for,
      // so the state is never left without a root while the network is let in.
      let group: Block[] = [];
      for (const [i, { block }] of blocks.entries()) {
        executeBlockDeferred(s, block, head, {
          verifySignature: () => true,
          verifyLastCommit: () => undefined,
          verifyVoteSignature: verifySignature,
        });
        head = block.header;
        group.push(block);
        if (group.length === SETTLE_EVERY_BLOCKS || i === blocks.length - 1) {
          const settled = s.settle(block.header.stateRoot);
          for (const [k, b] of group.entries()) {
            const last = k === group.length - 1;
            commits.push({
              block: b,
              blockHash: blockHashOf(b.header),
              // A height's certificate is the one the next block carries (its hash is in that
              // header); the tip's is the certificate checked above.
              certificate: blocks[commits.length + 1]?.block.lastCommit ?? tip.certificate,
              diff: last
                ? settled
                : { height: b.header.height, root: b.header.stateRoot, entries: [], nodes: EMPTY },
            });
          }
          group = [];
          await yieldToEventLoop();
        }
      }
    } catch (error) {
      // Vouched-for blocks that do not execute: the validators signed something invalid. Keep
      // nothing of the run.
      await reloadState();
      fault(peer, `sync: ${describeError(error)}`);
      return 0;
    }
    try {
      await store.commitBlocks(chainId, commits);
    } catch (error) {
      await reloadState();
      throw error;
    }
    await afterCommit(commits, tip.certificate.round);
    emit({
      type: 'synced',
      chain,
      from: commits[0]!.block.header.height,
      to: tip.block.header.height,
      peer,
    });
    return commits.length;
  };

  // ---------------------------------------------------------------- light client

  /**
   * Follows a peer's head as a light client: from the invite's checkpoint when it gave one,
   * else from the genesis, then to the head by skipping and bisection, every fetched block at
   * the height asked and the steps bounded. A trusted head older than the trusting period
   * vouches for nothing more: that is not the peer's fault, and the user is told.
   */
  const lightSync = async ({ peer, height: target }: HeadClaim): Promise<void> => {
    if (lightSyncing || expiredTrust) return;
    lightSyncing = true;
    const fetch = async (height: number): Promise<LightBlock> => {
      const frames = await request(peer, { kind: 'lightBlock', chainId, height }, 1);
      if (!frames[0]) throw new InvalidPeerAnswerError(`no light block ${height}`);
      return readAnswer.lightBlock(frames[0]);
    };
    try {
      if (target <= (trusted?.header.height ?? 0)) return;
      // From the genesis alone the first step has no trusting period: a plain invite gives no
      // other root. An invite's checkpoint is what keeps a newcomer off a retired set's fork.
      let sinceGenesis = false;
      if (!trusted) {
        if (checkpoint)
          trusted = await trustFromCheckpoint(await fetch(checkpoint.height), checkpoint, chainId, {
            verifier,
            now: now(),
          });
        else [trusted, sinceGenesis] = [trustFromGenesis(await fetch(1)), true];
      }
      if (target > trusted.header.height) {
        const head = await fetch(target);
        if (head.header.height !== target)
          throw new InvalidPeerAnswerError(
            `asked for the head at ${target}, got ${head.header.height}`,
          );
        trusted = await verifyToTarget(trusted, head, fetch, {
          verifier,
          now: now(),
          ...(sinceGenesis && { trustingPeriodMs: Infinity }),
        });
      }
      emit({
        type: 'lightHead',
        chain,
        height: trusted.header.height,
        hash: bytesToHex(blockHashOf(trusted.header)),
        peer,
      });
    } catch (error) {
      if (error instanceof BisectionLimitError) {
        trusted = error.verified; // verified: progress kept, the rest from another peer
        fault(peer, `light sync: ${describeError(error)}`, UNBACKED_CLAIM_POINTS);
      } else if (error instanceof ExpiredTrustError) {
        expiredTrust = true;
        emit({
          type: 'warning',
          chain,
          message:
            'The last verified block of this chain is too old to check newer ones: join again with a fresh invite.',
        });
      } else if (isPeerFault(error) || !(error instanceof FreeholdError))
        fault(peer, `light sync: ${describeError(error)}`);
    } finally {
      lightSyncing = false;
    }
  };

  /** The first light block, checked against the genesis validator set. */
  const trustFromGenesis = (first: LightBlock): LightBlock => {
    const set = genesisValidatorSet(genesis);
    const h = first.header;
    if (
      h.height !== 1 ||
      !equalBytes(h.chainId, chainId) ||
      !equalBytes(h.previousHash, chainId) ||
      !equalBytes(h.validatorsHash, hashValidatorSet(set)) ||
      !equalBytes(hashValidatorSet(first.nextValidators), h.nextValidatorsHash)
    ) {
      throw new InvalidPeerAnswerError('The first header does not follow from the genesis.');
    }
    verifyCommit(first.commit, set, { chainId, height: 1, blockHash: blockHashOf(h) });
    return { ...first, validators: set };
  };

  // ---------------------------------------------------------------- outbox

  const settleOutbox = async (blocks: Block[]): Promise<void> => {
    const s = state;
    if (outbox.length === 0 || !s) return;
    const verdicts = outboxVerdicts(outbox, blocks, {
      nonceOf: (sender) => (s.read(entryName.account(sender)) as Account | undefined)?.nonce ?? 0,
      whyNot(tx) {
        try {
          applyTransaction(s.begin(s.height + 1, Math.max(now(), s.time + 1)), tx, {
            chainId,
            txId: txIdOf(tx),
            verifySignature: txVerdicts.verifySignature,
          });
          return undefined;
        } catch (error) {
          if (error instanceof TransactionRejectedError) return error;
          throw error;
        }
      },
    });
    for (const v of verdicts) await finishOutbox(v.item, v.status, v.reason);
  };

  const finishOutbox = async (
    item: OutboxItem,
    status: 'final' | 'rejected',
    reason: string,
  ): Promise<void> => {
    outbox = outbox.filter((o) => o !== item);
    // Given up on: out of the mempool too, so this node neither proposes it nor counts its
    // nonce when numbering the account's next transaction.
    mempool.evict([decodeTransaction(item.bytes)]);
    await store.deleteOutbox(item.txId);
    emit({ type: 'outbox', chain, txId: bytesToHex(item.txId), status, reason });
  };

  /**
   * Settles what the chain settled while the outbox was not told: items whose nonce is used
   * are final when a recent block holds them, else rejected (the crash fell between a block's
   * commit and the outbox's delete, or another device used the nonce).
   */
  const reconcileOutbox = async (s: ChainState): Promise<void> => {
    const used = outbox.filter((item) => {
      const tx = decodeTransaction(item.bytes);
      const account = s.read(entryName.account(tx.tx.sender)) as Account | undefined;
      return tx.tx.nonce < (account?.nonce ?? 0);
    });
    if (used.length === 0) return;
    const ids = used.map((i) => i.txId);
    const found = await findIncluded(store, chainId, s.height, ids);
    for (const item of used) {
      if (found.has(bytesKey(item.txId))) await finishOutbox(item, 'final', '');
      else
        await finishOutbox(
          item,
          'rejected',
          'Another transaction with the same nonce became final first; this one never will.',
        );
    }
  };

  /** Sends what is due: every queued item whose backoff has passed, while a peer is there. */
  const retryOutbox = async (): Promise<void> => {
    if (network.connectedPeers().length === 0) return;
    const t = now();
    for (const item of outbox) {
      if (item.nextAttemptAt > t) continue;
      publish('tx', item.bytes);
      item.attempts += 1;
      if (item.status !== 'sent') {
        emit({ type: 'outbox', chain, txId: bytesToHex(item.txId), status: 'sent', reason: '' });
      }
      item.status = 'sent';
      item.nextAttemptAt = t + Math.min(OUTBOX_MAX_BACKOFF_MS, 1000 * 2 ** item.attempts);
      await store.putOutbox(item);
    }
  };

  // ---------------------------------------------------------------- housekeeping

  const tick = async (): Promise<void> => {
    ticks += 1;
    if (engine && state && own.height === engine.height) {
      for (const m of own.messages) publish('consensus', encodeConsensusMessage(m));
    }
    if (engine && ticks % 5 === 0) {
      for (const m of prevotes.get(engine.snapshot().validRound) ?? [])
        publish('consensus', encodeConsensusMessage(m));
    }
    if (head && lastCommit && ticks % 2 === 0)
      publish('headers', encodeAnnouncement({ header: head, certificate: lastCommit }));
    await retryOutbox();
    maybeCatchUp();
    later(tickMs, tick);
  };

  /**
   * Catches up from the peer furthest ahead when this node is more than a block behind, or
   * still one behind a tick after it last heard of it (the engine usually decides that block
   * itself; if it missed the votes, sync fetches it).
   */
  let behindSince: number | null = null;

  /**
   * A waiting validator signs once nothing it has heard of is ahead of it and either it holds
   * a certified block (caught up from a peer: the chain is not just starting) or validators
   * are voting on the height after its head. A peer at height 0 proves nothing: it may simply
   * not have synced yet.
   */
  const readyToSign = (): boolean => {
    if (signing || halted || !state || syncing || stopped) return false;
    // Only verified heads count: a claim anyone can make must not keep a validator from signing.
    if (claims.target(state.height, usable) > state.height) return false;
    if (checkpoint && state.height < checkpoint.height) return false;
    if (!guard.maySign(now())) return false;
    return state.height > 0 || sawLiveHeight;
  };

  /** The waiting validator joins consensus at the next height. */
  const startSigning = async (): Promise<void> => {
    if (!readyToSign() || !state) return;
    signing = true;
    if (!mayValidate) return;
    const height = state.height + 1;
    // What this validator signed and locked before a restart still binds it at that height.
    const restore = bootWal?.snapshot.height === height ? bootWal : undefined;
    own = { height, messages: restore?.own ?? [] };
    engine = makeEngine(height, validatorsAfter(state), restore?.snapshot);
    emit({ type: 'signing', chain, height: state.height + 1 });
    await handle(engine.start());
  };

  const maybeCatchUp = (): void => {
    const known = knownHeight();
    const candidates = claims.above(known, usable);
    const best = candidates[0];
    if (!best) {
      behindSince = null;
      if (readyToSign()) later(0, startSigning);
      return;
    }
    behindSince ??= now();
    if (!best.verified || best.height > known + 1 || now() - behindSince >= tickMs) {
      behindSince = null;
      void catchUp(candidates);
    }
  };

  // ---------------------------------------------------------------- serving peers

  async function* answer(req: SyncRequest): AsyncIterable<Uint8Array> {
    if (role === 'light' || !state) {
      yield errorFrame('notFound', 'A light node keeps no blocks.');
      return;
    }
    const height = state.height;
    switch (req.kind) {
      case 'head': {
        const certificate = height > 0 ? await store.getCertificate(chainId, height) : undefined;
        const header = height > 0 ? await store.getHeader(chainId, height) : undefined;
        yield answers.head(
          header && certificate
            ? { height, header, certificate }
            : { height: 0, header: null, certificate: null },
        );
        return;
      }
      case 'headers':
        for (const h of await store.getHeaders(chainId, req.from, Math.min(req.to, height)))
          yield answers.header(h);
        return;
      case 'blocks':
        for (let h = req.from; h <= Math.min(req.to, height); h++) {
          const block = await store.getBlock(chainId, h);
          const certificate = await store.getCertificate(chainId, h);
          if (!block || !certificate) return;
          yield answers.block({ block, certificate });
        }
        return;
      case 'lightBlock': {
        const header = await store.getHeader(chainId, req.height);
        const commit = await store.getCertificate(chainId, req.height);
        const validators = validatorsAtHeight(req.height);
        const nextValidators = validatorsAtHeight(req.height + 1);
        if (!header || !commit || !validators || !nextValidators) {
          yield errorFrame('notFound', `No light block at ${req.height}.`);
          return;
        }
        yield answers.lightBlock({ header, commit, validators, nextValidators });
        return;
      }
      case 'proof': {
        const proof = state.prove(req.name);
        yield answers.proof({ height, name: req.name, value: proof.value, proof: proof.proof });
        return;
      }
      case 'evidence':
        yield answers.evidence([...pendingEvidence.values()].slice(0, 1000));
        return;
    }
  }

  let unsubscribePeers: (() => void) | undefined;

  let sending: Promise<unknown> = Promise.resolve();

  const self: ChainNode = {
    chainId,

    async start() {
      await boot();
      subscribe();
      unsubscribePeers = network.onPeer((e) => {
        if (e.type === 'connect') void probe(e.peer);
        // A claim lasts as long as the connection: a peer gone cannot hold anyone back.
        else claims.forget(e.peer);
      });
      for (const peer of network.connectedPeers()) void probe(peer);
      emit({ type: 'started', chain, role, height: state?.height ?? 0 });
      if (engine) await run(() => handle(engine!.start()));
      later(tickMs, tick);
    },

    status() {
      const height = role === 'light' ? (trusted?.header.height ?? 0) : (state?.height ?? 0);
      const header = role === 'light' ? trusted?.header : head;
      return {
        chainId: chain,
        role,
        height,
        hash: header ? bytesToHex(blockHashOf(header)) : '',
        stateRoot: header ? bytesToHex(header.stateRoot) : '',
        round: engine?.round ?? 0,
        signing: mayValidate && signing,
        signingHalted: guard.halted() ?? (forked ? 'A fork was seen.' : ''),
        peers: network.connectedPeers().length,
        mempool: mempool.size,
        outbox: outbox.length,
        target: claims.target(height, usable),
        time: header?.time ?? genesis.genesisTime,
      };
    },

    read: (name) => state?.read(name),

    entries(prefix) {
      const found: [EntryName, StateValue][] = [];
      // Filtered as it goes: the state can be large, and views read it on every refresh.
      for (const entry of state?.allEntries() ?? [])
        if (entry[0].startsWith(prefix)) found.push(entry);
      return found;
    },

    prove(name) {
      if (!state?.settled || !head || !lastCommit || head.height !== state.height) return undefined;
      return { entry: state.prove(name), header: head, certificate: lastCommit };
    },

    block: (height) => store.getBlock(chainId, height),

    balance(account, asset) {
      if (!state) return undefined;
      const b = state.read(entryName.balance(account, asset)) as Balance | undefined;
      return b?.amount ?? 0n;
    },

    send(signer, body) {
      const sent = sending.then(() =>
        self.submit(
          signTransaction(
            { chainId, sender: signer.publicKey, nonce: self.nextNonce(signer.publicKey), body },
            (m) => signer.sign(m),
          ),
        ),
      );
      sending = sent.catch(() => undefined);
      return sent;
    },

    async submit(tx) {
      if (!equalBytes(tx.tx.chainId, chainId))
        throw new WrongChainError('This transaction is signed for another chain.');
      const bytes = encodeTransaction(tx);
      const item: OutboxItem = {
        txId: txIdOf(tx),
        chainId,
        bytes,
        status: 'queued',
        attempts: 0,
        nextAttemptAt: now(),
        createdAt: now(),
        reason: '',
      };
      await runChecked(async () => {
        await store.putOutbox(item);
        outbox.push(item);
        if (state) holdOwn(tx);
        emit({ type: 'outbox', chain, txId: bytesToHex(item.txId), status: 'queued', reason: '' });
        // Stored: from here on a failure to send now is retried later, not the caller's error.
        try {
          await retryOutbox();
          if (pausing() && appliesNow(tx)) await nextHeight();
        } catch (error) {
          emit({ type: 'warning', chain, message: describeError(error) });
        }
      });
      return item;
    },

    async cancel(txId) {
      let removed: OutboxItem[] = [];
      await runChecked(async () => {
        removed = cancelOutboxItem(outbox, txId);
        for (const item of removed) {
          outbox = outbox.filter((o) => o !== item);
          mempool.evict([decodeTransaction(item.bytes)]);
          await store.deleteOutbox(item.txId);
        }
      });
      return removed.map((item) => item.txId);
    },

    nextNonce(account) {
      const a = state?.read(entryName.account(account)) as Account | undefined;
      return mempool.nextNonce(account, a?.nonce ?? 0);
    },

    answer: (req) => answer(req),

    async stop() {
      stopped = true;
      unsubscribePeers?.();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const kind of ['tx', 'consensus', 'headers', 'evidence'] as const) {
        try {
          network.unsubscribe(topic(kind));
        } catch {
          // already gone with the network
        }
      }
      await queue;
    },
  };
  return self;
}

/**
 * Whether a failed request is the peer's fault: something it sent failed its check on arrival.
 * An error answer (busy, not found) or a timeout is not: an honest peer can give either.
 */
function isPeerFault(error: unknown): boolean {
  if (error instanceof SyncAnswerError) return false;
  if (!(error instanceof NetworkError)) return error instanceof FreeholdError;
  return error.problem === 'invalid' && !(error.cause instanceof SyncAnswerError);
}

/** An error in a line for the log or a warning event: its short message when it has one. */
export function describeError(error: unknown): string {
  if (error instanceof Error)
    return (error as { shortMessage?: string }).shortMessage ?? error.message;
  return String(error);
}

/**
 * @module createNode — the facade: one store, one network, many chains. It joins chains, serves
 * the sync protocol for all of them (dispatching by chain id, rate-limited per peer), and
 * passes every chain's events to one listener — the UI's event stream, or the headless node's
 * log.
 */
import { bytesToHex } from '../crypto/bytes';
import type { BatchVerifier } from '../crypto/ed25519';
import { DecodeError } from '../codec/cbor';
import type { ChainRecord, ChainRole, ChainStore } from '../chain/ChainStore';
import type { Genesis } from '../chain/genesis';
import { chainIdOf } from '../chain/genesis';
import type { TimeoutConfig } from '../consensus/createConsensusEngine';
import type { Network } from '../net/Network';
import {
  createChainNode,
  type ChainNode,
  type ChainStatus,
  type Checkpoint,
  type NodeEvent,
  type Signer,
} from './createChainNode';
import type { MempoolLimits } from './mempool';
import {
  createRateLimiter,
  errorFrame,
  MAX_FRAME_BYTES,
  MAX_REQUEST_BYTES,
  readSyncRequest,
  SYNC_PROTOCOL,
} from './syncProtocol';

export interface NodeOptions {
  store: ChainStore;
  network: Network;
  verifier: BatchVerifier;
  onEvent?: (event: NodeEvent) => void;
  timeouts?: TimeoutConfig;
  blockIntervalMs?: number;
  tickMs?: number;
  maxTransactionsPerBlock?: number;
  mempoolLimits?: MempoolLimits;
  now?: () => number;
}

export interface FreeholdNode {
  readonly network: Network;
  join(
    genesis: Genesis,
    role: ChainRole,
    validatorKey?: Signer,
    options?: { syncBeforeSigning?: boolean; checkpoint?: Checkpoint; doubleSignCheckMs?: number },
  ): Promise<ChainNode>;
  chain(chainId: Uint8Array): ChainNode | undefined;
  /** The chains this node's store holds, joined now or before a restart. */
  joined(): Promise<ChainRecord[]>;
  /** Stops following a chain and removes everything stored for it. */
  leave(chainId: Uint8Array): Promise<void>;
  status(): ChainStatus[];
  /** Stops every chain (their pending writes finish), then the network and the store. */
  stop(): Promise<void>;
}

/** Sync requests a peer may make per second, and in a burst. */
const REQUESTS_PER_SECOND = 50;
const REQUEST_BURST = 200;

export function createNode(options: NodeOptions): FreeholdNode {
  const { store, network } = options;
  const now = options.now ?? Date.now;
  const chains = new Map<string, ChainNode>();
  const allow = createRateLimiter(REQUESTS_PER_SECOND, REQUEST_BURST, now);

  network.serve(
    SYNC_PROTOCOL,
    async function* (bytes, from) {
      if (!allow(from)) {
        network.penalise(from, 1, 'sync requests over the rate limit');
        yield errorFrame('rateLimited', 'Too many requests; slow down.');
        return;
      }
      let request;
      try {
        request = readSyncRequest(bytes);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        network.penalise(from, 5, 'malformed sync request');
        yield errorFrame('badRequest', error.shortMessage);
        return;
      }
      const chain = chains.get(bytesToHex(request.chainId));
      if (!chain) {
        yield errorFrame('unknownChain', 'This node does not follow that chain.');
        return;
      }
      yield* chain.answer(request, from);
    },
    {
      maxRequestBytes: MAX_REQUEST_BYTES,
      maxFrameBytes: MAX_FRAME_BYTES,
      // Over the network's serving budget a peer is told to slow down, not reset.
      busyFrame: errorFrame('rateLimited', 'Too many requests; slow down.'),
    },
  );

  return {
    network,

    async join(genesis, role, validatorKey, joinOptions = {}) {
      const id = bytesToHex(chainIdOf(genesis));
      const existing = chains.get(id);
      if (existing) return existing;
      const chain = createChainNode({
        genesis,
        role,
        store,
        network,
        verifier: options.verifier,
        ...(validatorKey && { validatorKey }),
        ...(joinOptions.syncBeforeSigning && { syncBeforeSigning: true }),
        ...(joinOptions.checkpoint && { checkpoint: joinOptions.checkpoint }),
        ...(joinOptions.doubleSignCheckMs !== undefined && {
          doubleSignCheckMs: joinOptions.doubleSignCheckMs,
        }),
        ...(options.onEvent && { onEvent: options.onEvent }),
        ...(options.timeouts && { timeouts: options.timeouts }),
        ...(options.blockIntervalMs !== undefined && { blockIntervalMs: options.blockIntervalMs }),
        ...(options.tickMs !== undefined && { tickMs: options.tickMs }),
        ...(options.mempoolLimits && { mempoolLimits: options.mempoolLimits }),
        ...(options.maxTransactionsPerBlock !== undefined && {
          maxTransactionsPerBlock: options.maxTransactionsPerBlock,
        }),
        now,
      });
      chains.set(id, chain);
      await chain.start();
      return chain;
    },

    chain: (chainId) => chains.get(bytesToHex(chainId)),

    joined: () => store.listChains(),

    async leave(chainId) {
      const id = bytesToHex(chainId);
      const chain = chains.get(id);
      chains.delete(id);
      if (chain) await chain.stop();
      await store.removeChain(chainId);
    },

    status: () => [...chains.values()].map((c) => c.status()),

    async stop() {
      for (const c of chains.values()) await c.stop();
      await network.stop();
      await store.close();
    },
  };
}

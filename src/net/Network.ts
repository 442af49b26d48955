/**
 * @module Network — the port through which a node talks to peers: topics (publish/subscribe
 * with a validator that runs before a message is delivered or forwarded) and request/response
 * protocols over streams. No libp2p type crosses it: peers are named by their id strings and
 * messages are bytes, so moving to another libp2p major replaces the adapter alone.
 */
import { FreeholdError } from '../FreeholdError';

/** What a topic validator decides: deliver and forward, drop and score the sender down, or drop. */
export type Verdict = 'accept' | 'reject' | 'ignore';

export interface TopicHandler {
  /** Largest message accepted on the topic; larger ones are rejected before decoding. */
  maxBytes: number;
  /** Decodes and verifies; runs before the message is delivered or forwarded to anyone. */
  validate(data: Uint8Array, from: string): Verdict | Promise<Verdict>;
  /** An accepted message. */
  deliver(data: Uint8Array, from: string): void;
}

export interface ProtocolLimits {
  /** Largest request accepted, in bytes. */
  maxRequestBytes: number;
  /** Largest single response frame, in bytes. */
  maxFrameBytes: number;
}

/** Answers one request with response frames; throwing a RequestError ends the stream with it. */
export type RequestHandler = (
  request: Uint8Array,
  from: string,
) => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** How a protocol is served: its limits, and what a peer over its budget is told. */
export interface ServeOptions extends ProtocolLimits {
  /**
   * The one frame sent instead of an answer when serving is over budget (the protocol's own
   * "slow down" error). Without it such a request is refused by resetting its stream.
   */
  busyFrame?: Uint8Array;
}

export interface RequestOptions extends ProtocolLimits {
  /** Gives up after this long (default 10 s). */
  timeoutMs?: number;
  /** Stops reading after this many frames. */
  maxFrames?: number;
  /**
   * Stops reading before the frame that would take the frames kept over this many bytes, and
   * returns those before it (a range answered in part); rejects 'tooLarge' if not even the first
   * fits. Bounds what one request holds in memory.
   */
  maxTotalBytes?: number;
  /**
   * Runs on each frame as it arrives (with its index), before the next is read: throwing ends the
   * stream at once and the request rejects with a NetworkError 'invalid' carrying the error.
   */
  check?: (frame: Uint8Array, index: number) => void;
}

export type PeerEvent = { type: 'connect' | 'disconnect'; peer: string };

/** How a connection reaches its peer: what the network screen shows next to each peer. */
export type Transport = 'tcp' | 'websocket' | 'webrtc' | 'relay' | 'other';

export interface PeerLink {
  peer: string;
  transport: Transport;
  /** The peer's address as this connection sees it. */
  address: string;
}

export interface Network {
  readonly peerId: string;
  /** Addresses others can dial this node at. */
  addresses(): string[];
  connectedPeers(): string[];
  /** Every open connection, with how it travels (a peer may have more than one). */
  links(): PeerLink[];
  subscribe(topic: string, handler: TopicHandler): void;
  unsubscribe(topic: string): void;
  /** Publishes to the topic's peers; resolves to how many received it directly. */
  publish(topic: string, data: Uint8Array): Promise<number>;
  /** Peers known to be subscribed to a topic. */
  topicPeers(topic: string): string[];
  /**
   * Answers requests on a protocol. Serving has a budget of requests and reply bytes per peer
   * and across all peers: over it a request gets `busyFrame` (or a reset) and the handler is not
   * called, and an answer that runs the budget out mid-way ends after the frame that did it.
   */
  serve(protocol: string, handler: RequestHandler, options: ServeOptions): void;
  request(
    peer: string,
    protocol: string,
    request: Uint8Array,
    options: RequestOptions,
  ): Promise<Uint8Array[]>;
  /** Dials an address (a bootstrap peer, a relay). */
  dial(address: string): Promise<string>;
  /**
   * Adds an address (with /p2p/<id>) to those dialled again while their peer is not connected:
   * the peers of an invite, so a wallet finds them again after being offline. Waits between
   * attempts double from 3 s up to 5 min, and start over when the peer connects or the device
   * comes back online.
   */
  keepDialling(address: string): void;
  /**
   * The platform says the device has no network (or has one again). While offline every
   * connection is closed and none is made; back online, the kept addresses are dialled at once.
   */
  setOffline(offline: boolean): void;
  /** Counts against a peer that sent something bad; enough of it and the peer is cut off. */
  penalise(peer: string, points: number, reason: string): void;
  /** Current penalty points of a peer, and whether it is cut off. */
  standing(peer: string): { points: number; banned: boolean };
  onPeer(listener: (event: PeerEvent) => void): () => void;
  stop(): Promise<void>;
}

/** `invalid`: a frame failed the requester's own check (RequestOptions.check). */
export type NetworkProblem =
  'timeout' | 'tooLarge' | 'unreachable' | 'refused' | 'closed' | 'invalid';

export class NetworkError extends FreeholdError {
  override name = 'NetworkError' as const;
  readonly problem: NetworkProblem;
  constructor(
    problem: NetworkProblem,
    shortMessage: string,
    options: { details?: string; cause?: unknown } = {},
  ) {
    super(shortMessage, options);
    this.problem = problem;
  }
}

/**
 * @module libp2pNetwork — the Network port over a running libp2p 2.x node with gossipsub, the
 * same for Node and the browser (each builds its libp2p with its own transports and hands it
 * here). Gossip validation happens in gossipsub's topic validators, before a message is
 * delivered or forwarded; a rejected message costs its sender penalty points, which gossipsub
 * reads as the application score. Requests are one length-prefixed frame out and a capped
 * number of capped frames back, on a fresh stream each. Peers also announce where they can be
 * reached directly (addressExchange), so browsers on one relay find each other.
 */
import { gossipsub, type GossipsubEvents, type GossipsubOpts } from '@chainsafe/libp2p-gossipsub';
import {
  StrictNoSign,
  TopicValidatorResult,
  type Libp2p,
  type PeerId,
  type PubSub,
  type Stream,
} from '@libp2p/interface';
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import { identify, identifyPush } from '@libp2p/identify';
import { peerIdFromString } from '@libp2p/peer-id';
import { ping } from '@libp2p/ping';
import { multiaddr } from '@multiformats/multiaddr';
import * as lp from 'it-length-prefixed';
import { pipe } from 'it-pipe';
import {
  NetworkError,
  type Network,
  type PeerEvent,
  type Transport,
  type ProtocolLimits,
  type RequestHandler,
  type TopicHandler,
  type Verdict,
} from './Network';
import { exchangeAddresses } from './addressExchange';
import type { PenaltyBook } from './penalties';

/** A fresh libp2p key for a node, as the bytes a key file keeps. */
export async function newNetworkKey(): Promise<Uint8Array> {
  return privateKeyToProtobuf(await generateKeyPair('Ed25519'));
}

export type GossipNode = Libp2p<{ pubsub: PubSub<GossipsubEvents> }>;

/**
 * Bytes of salt after every published payload. Message ids are content hashes, so without it
 * the same payload published again (a vote re-sent for a peer that missed it, an outbox retry)
 * would be dropped everywhere as already seen.
 */
const SALT_BYTES = 8;

/** Points a rejected gossip message costs its sender. */
const REJECT_POINTS = 10;

const RESULT: Record<Verdict, TopicValidatorResult> = {
  accept: TopicValidatorResult.Accept,
  reject: TopicValidatorResult.Reject,
  ignore: TopicValidatorResult.Ignore,
};

/**
 * Gossipsub settings for small community networks: a mesh of everyone up to a dozen peers, many
 * peers behind one address allowed (a LAN, a relay), and the penalty book as application score.
 */
export function gossipOptions(book: PenaltyBook): Partial<GossipsubOpts> {
  return {
    allowPublishToZeroTopicPeers: true,
    // Every Freehold message carries its own signature, and penalties go to the peer a message
    // came from (authenticated by noise), so gossipsub's own per-message signature would only
    // cost an ed25519 sign per publish and a verify per receipt: on a 2-core device that was
    // the largest part of gossip latency. Ids are the hash of the salted payload (below).
    globalSignaturePolicy: StrictNoSign,
    emitSelf: false,
    floodPublish: true,
    D: 6,
    Dlo: 3,
    Dhi: 12,
    Dout: 2,
    heartbeatInterval: 700,
    maxInboundDataLength: 9 * 1024 * 1024,
    scoreParams: {
      IPColocationFactorWeight: 0,
      appSpecificScore: (peer: string) => -book.points(peer),
      appSpecificWeight: 1,
    },
    scoreThresholds: {
      gossipThreshold: -10,
      publishThreshold: -50,
      graylistThreshold: -80,
    },
  };
}

/** The services every Freehold node runs beside its transports, in Node and in the browser. */
export function freeholdServices(book: PenaltyBook) {
  return {
    identify: identify(),
    identifyPush: identifyPush(),
    ping: ping(),
    pubsub: gossipsub(gossipOptions(book)),
  };
}

/** Refuses banned peers, both ways. */
/** Whether the platform says this device has no network at all: shared by gater and network. */
export interface LinkState {
  offline: boolean;
}

/** Refuses banned peers, and every connection while the device is offline. */
export function freeholdGater(book: PenaltyBook, link: LinkState) {
  return {
    denyDialPeer: (peer: PeerId) => link.offline || book.banned(peer.toString()),
    // The browser default refuses private addresses; a LAN is nothing but private addresses.
    denyDialMultiaddr: () => link.offline,
    denyInboundConnection: () => link.offline,
    // A dial or handshake already under way when the device went offline ends here.
    denyOutboundConnection: () => link.offline,
    denyInboundEncryptedConnection: (peer: PeerId) => link.offline || book.banned(peer.toString()),
    denyOutboundEncryptedConnection: () => link.offline,
    denyInboundUpgradedConnection: () => link.offline,
    denyOutboundUpgradedConnection: () => link.offline,
  };
}

/** How often unreachable bootstrap peers are dialled again. */
const REDIAL_MS = 3000;

/**
 * The Network over `node`. `bootstrap` multiaddrs (with /p2p/<id>) are dialled now and again
 * every few seconds while they are not connected: a LAN peer that restarts, or a relay that
 * comes back, is found again without the user doing anything.
 */
export function libp2pNetwork(
  node: GossipNode,
  book: PenaltyBook,
  link: LinkState,
  bootstrap: readonly string[] = [],
): Network {
  const pubsub = node.services.pubsub;
  const handlers = new Map<string, TopicHandler>();
  const listeners = new Set<(event: PeerEvent) => void>();

  const cutOff = (peer: string): void => {
    void node.hangUp(peerIdFromString(peer)).catch(() => undefined);
  };
  const penalise = (peer: string, points: number, reason: string): void => {
    if (book.add(peer, points, reason)) cutOff(peer);
  };

  // The payload without its salt, one view per message, so a handler sees the same bytes object
  // in validate and deliver (and can keep what it decoded in between).
  const payloads = new WeakMap<Uint8Array, Uint8Array>();
  const payloadOf = (data: Uint8Array): Uint8Array | undefined => {
    if (data.byteLength < SALT_BYTES) return undefined;
    let payload = payloads.get(data);
    if (!payload) payloads.set(data, (payload = data.subarray(0, data.byteLength - SALT_BYTES)));
    return payload;
  };

  pubsub.addEventListener('gossipsub:message', (event) => {
    const { msg, propagationSource } = event.detail;
    const payload = payloadOf(msg.data);
    if (payload) handlers.get(msg.topic)?.deliver(payload, propagationSource.toString());
  });
  const emit = (type: PeerEvent['type'], peer: PeerId): void => {
    for (const l of listeners) l({ type, peer: peer.toString() });
  };
  node.addEventListener('peer:connect', (e) => {
    if (link.offline) {
      for (const c of node.getConnections(e.detail)) c.abort(new Error('The device is offline.'));
      return;
    }
    if (book.banned(e.detail.toString())) cutOff(e.detail.toString());
    else emit('connect', e.detail);
  });
  node.addEventListener('peer:disconnect', (e) => emit('disconnect', e.detail));

  const targets = new Map(bootstrap.map((a) => [a, multiaddr(a)]));
  const redial = (): void => {
    if (link.offline) return;
    const connected = new Set(node.getPeers().map((p) => p.toString()));
    for (const address of targets.values()) {
      const id = address.getPeerId();
      if (id && connected.has(id)) continue;
      void node.dial(address, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    }
  };
  redial();
  const redialTimer = setInterval(redial, REDIAL_MS);

  const network: Network = {
    peerId: node.peerId.toString(),

    addresses: () => node.getMultiaddrs().map((a) => a.toString()),

    // While offline nothing counts as connected, even a connection still closing.
    connectedPeers: () => (link.offline ? [] : node.getPeers().map((p) => p.toString())),

    links: () =>
      (link.offline ? [] : node.getConnections()).map((c) => ({
        peer: c.remotePeer.toString(),
        transport: transportOf(c.remoteAddr.toString()),
        address: c.remoteAddr.toString(),
      })),

    subscribe(topic, handler) {
      handlers.set(topic, handler);
      pubsub.topicValidators.set(topic, async (from, msg) => {
        const peer = from.toString();
        const payload = payloadOf(msg.data);
        let verdict: Verdict;
        if (!payload || payload.byteLength > handler.maxBytes) verdict = 'reject';
        else {
          try {
            verdict = await handler.validate(payload, peer);
          } catch {
            verdict = 'reject';
          }
        }
        if (verdict === 'reject') penalise(peer, REJECT_POINTS, `rejected on ${topic}`);
        return RESULT[verdict];
      });
      pubsub.subscribe(topic);
    },

    unsubscribe(topic) {
      handlers.delete(topic);
      pubsub.topicValidators.delete(topic);
      pubsub.unsubscribe(topic);
    },

    async publish(topic, data) {
      if (link.offline) return 0;
      const salted = new Uint8Array(data.byteLength + SALT_BYTES);
      salted.set(data);
      crypto.getRandomValues(salted.subarray(data.byteLength));
      const { recipients } = await pubsub.publish(topic, salted);
      return recipients.length;
    },

    topicPeers: (topic) => pubsub.getSubscribers(topic).map((p) => p.toString()),

    serve(protocol, handler, limits) {
      void node.handle(
        protocol,
        ({ stream, connection }) => {
          const peer = connection.remotePeer.toString();
          void answer(stream, peer, handler, limits, penalise);
        },
        { maxInboundStreams: 16 },
      );
    },

    async request(peer, protocol, request, options) {
      const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
      let stream: Stream;
      try {
        stream = await node.dialProtocol(peerIdFromString(peer), protocol, { signal });
      } catch (cause) {
        throw new NetworkError('unreachable', 'The peer could not be reached.', {
          details: `${protocol} to ${peer}`,
          cause,
        });
      }
      const frames: Uint8Array[] = [];
      const onAbort = (): void => stream.abort(new Error('timed out'));
      signal.addEventListener('abort', onAbort);
      try {
        await Promise.all([
          pipe([request], (s) => lp.encode(s), stream.sink),
          (async () => {
            for await (const frame of lp.decode(stream.source, {
              maxDataLength: options.maxFrameBytes,
            })) {
              frames.push(frame.subarray());
              if (frames.length >= (options.maxFrames ?? Infinity)) break;
            }
          })(),
        ]);
        await stream.close().catch(() => undefined);
      } catch (cause) {
        stream.abort(cause instanceof Error ? cause : new Error(String(cause)));
        if (signal.aborted)
          throw new NetworkError('timeout', 'The peer did not answer in time.', { cause });
        const tooLarge =
          (cause as { code?: string; name?: string }).name === 'InvalidDataLengthError';
        throw new NetworkError(
          tooLarge ? 'tooLarge' : 'closed',
          tooLarge ? 'The peer sent more than allowed.' : 'The peer closed the request.',
          { details: `${protocol} to ${peer}`, cause },
        );
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
      return frames;
    },

    setOffline(offline) {
      if (link.offline === offline) return;
      link.offline = offline;
      if (offline) {
        // Connections of a device without a network are dead, even if no timeout has said so
        // yet: drop them now, so what is signed meanwhile is shown queued, not sent.
        // A polite close may never finish without a network: abort.
        for (const c of node.getConnections()) c.abort(new Error('The device went offline.'));
      } else redial();
    },

    keepDialling(address) {
      if (targets.has(address)) return;
      const target = multiaddr(address);
      if (!target.getPeerId()) {
        throw new NetworkError('unreachable', 'An address to keep dialling must name its peer.', {
          details: address,
        });
      }
      targets.set(address, target);
      redial();
    },

    async dial(address) {
      if (link.offline) {
        throw new NetworkError('unreachable', 'This device is offline.', { details: address });
      }
      try {
        const connection = await node.dial(multiaddr(address), {
          signal: AbortSignal.timeout(10_000),
        });
        return connection.remotePeer.toString();
      } catch (cause) {
        throw new NetworkError('unreachable', 'Could not connect to that address.', {
          details: address,
          cause,
        });
      }
    },

    penalise,

    standing: (peer) => ({ points: book.points(peer), banned: book.banned(peer) }),

    onPeer(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async stop() {
      clearInterval(redialTimer);
      stopExchange();
      listeners.clear();
      await node.stop();
    },
  };
  const stopExchange = exchangeAddresses(node, network, book);
  return network;
}

/** Reads one capped request frame, writes the handler's frames back, and closes. */
async function answer(
  stream: Stream,
  peer: string,
  handler: RequestHandler,
  limits: ProtocolLimits,
  penalise: (peer: string, points: number, reason: string) => void,
): Promise<void> {
  try {
    let request: Uint8Array | undefined;
    for await (const frame of lp.decode(stream.source, { maxDataLength: limits.maxRequestBytes })) {
      request = frame.subarray();
      break;
    }
    if (!request) {
      await stream.close();
      return;
    }
    const frames = handler(request, peer);
    await pipe(
      frames,
      async function* (source) {
        for await (const f of source) {
          if (f.byteLength > limits.maxFrameBytes) throw new Error('response frame over the limit');
          yield f;
        }
      },
      // The encoder's own cap (4 MiB) is below the largest frame a block needs.
      (s) => lp.encode(s, { maxDataLength: limits.maxFrameBytes }),
      stream.sink,
    );
  } catch (error) {
    if ((error as { name?: string }).name === 'InvalidDataLengthError')
      penalise(peer, REJECT_POINTS, 'oversized request');
    stream.abort(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * The transport of a connection from its remote address. A WebRTC connection set up through a
 * relay keeps the relay in its address (`…/p2p-circuit/webrtc/…`) but runs directly.
 */
export function transportOf(address: string): Transport {
  const parts = address.split('/');
  if (parts.includes('webrtc') || parts.includes('webrtc-direct')) return 'webrtc';
  if (parts.includes('p2p-circuit')) return 'relay';
  if (parts.includes('ws') || parts.includes('wss')) return 'websocket';
  if (parts.includes('tcp')) return 'tcp';
  return 'other';
}

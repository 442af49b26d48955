/**
 * @module createNodeNetwork — the libp2p node of the headless node and of Electron's main
 * process: TCP and WebSockets, mDNS discovery on the LAN, bootstrap peers, and optionally a
 * circuit-relay server through which browsers find each other and set up WebRTC. libp2p 2.x no
 * longer dials what it discovers, so this does: every peer mDNS announces is dialled, and
 * bootstrap addresses are redialled while unreachable.
 *
 * Node only (TCP, mDNS): the browser builds its own libp2p (createBrowserNetwork).
 */
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { circuitRelayServer } from '@libp2p/circuit-relay-v2';
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys';
import { mdns } from '@libp2p/mdns';
import { tcp } from '@libp2p/tcp';
import { webSockets } from '@libp2p/websockets';
import { createLibp2p } from 'libp2p';
import type { Network } from './Network';
import {
  freeholdGater,
  type LinkState,
  freeholdServices,
  libp2pNetwork,
  newNetworkKey,
  type GossipNode,
} from './libp2pNetwork';
import { createPenaltyBook, DEFAULT_PENALTIES } from './penalties';
import { createServeBudget, DEFAULT_SERVE_BUDGET, type ServeBudgetOptions } from './serveBudget';

export interface NodeNetworkOptions {
  /** The node's libp2p key (protobuf bytes); a new one is made if absent. */
  privateKey?: Uint8Array;
  /** Multiaddrs to listen on, e.g. /ip4/0.0.0.0/tcp/4001 and /ip4/0.0.0.0/tcp/4002/ws. */
  listen: string[];
  /** Find peers on the LAN by multicast DNS. */
  mdns: boolean;
  /** Multiaddrs (with /p2p/<id>) to connect to at start and whenever the link is lost. */
  bootstrap: string[];
  /** Let browsers reserve a slot here and reach each other through it. */
  relayServer: boolean;
  /** How often mDNS announces (ms). */
  mdnsIntervalMs?: number;
  /** UDP port for mDNS: 5353 on a LAN; tests use another so they meet nothing else. */
  mdnsPort?: number;
  /** What serving requests may cost (DEFAULT_SERVE_BUDGET where absent). */
  serveBudget?: Partial<Omit<ServeBudgetOptions, 'now'>>;
  /** The clock of penalties and budgets (Date.now); tests pass their own. */
  now?: () => number;
}

/**
 * libp2p pings every peer each 10 s and cuts the connection when an answer takes longer than an
 * adaptive timeout of at least 5 s. A peer whose process is short of CPU (a small household
 * device, a busy machine) answers late but is alive: cut off, it drops out of consensus and is
 * dialled again later. A dead link is still noticed, within half a minute.
 */
const PING_TIMEOUT = { minTimeout: 30_000 };

export async function createNodeNetwork(options: NodeNetworkOptions): Promise<Network> {
  const now = options.now ?? Date.now;
  const book = createPenaltyBook({ ...DEFAULT_PENALTIES, now });
  const budget = createServeBudget({ ...DEFAULT_SERVE_BUDGET, ...options.serveBudget, now });
  const link: LinkState = { offline: false };
  const privateKey = privateKeyFromProtobuf(options.privateKey ?? (await newNetworkKey()));
  const node: GossipNode = await createLibp2p({
    privateKey,
    addresses: { listen: options.listen },
    connectionMonitor: { pingTimeout: PING_TIMEOUT },
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: options.mdns
      ? [
          mdns({
            interval: options.mdnsIntervalMs ?? 2000,
            ...(options.mdnsPort !== undefined && { port: options.mdnsPort }),
          }),
        ]
      : [],
    connectionGater: freeholdGater(book, link),
    services: {
      ...freeholdServices(book),
      ...(options.relayServer && {
        // A relayed connection keeps libp2p's default limit (2 min, 128 KiB): enough for the
        // WebRTC handshake, after which browsers talk directly. Gossip and sync never run on
        // a limited connection, so nothing stays tied to the relay.
        relay: circuitRelayServer({ reservations: { maxReservations: 256 } }),
      }),
    },
  });

  node.addEventListener('peer:discovery', (event) => {
    const peer = event.detail.id;
    if (node.getConnections(peer).length > 0 || book.banned(peer.toString())) return;
    void node.dial(peer, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
  });

  return libp2pNetwork(node, book, link, { privateKey, bootstrap: options.bootstrap, budget, now });
}

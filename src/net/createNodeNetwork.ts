/**
 * @module createNodeNetwork — the libp2p node of the headless node and of Electron's main
 * process: TCP and WebSockets, mDNS discovery on the LAN, bootstrap peers, and optionally a
 * circuit-relay server through which browsers find each other and set up WebRTC. libp2p 2.x no
 * longer dials what it discovers, so this does: every peer mDNS announces is dialled, and
 * bootstrap addresses are redialled while unreachable.
 *
 * Node only (TCP, mDNS): the browser builds its own libp2p (createBrowserNetwork).
 */
import { gossipsub } from '@chainsafe/libp2p-gossipsub';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { circuitRelayServer } from '@libp2p/circuit-relay-v2';
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import { identify, identifyPush } from '@libp2p/identify';
import { mdns } from '@libp2p/mdns';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { webSockets } from '@libp2p/websockets';
import { multiaddr } from '@multiformats/multiaddr';
import { createLibp2p } from 'libp2p';
import type { Network } from './Network';
import { gossipOptions, libp2pNetwork, type GossipNode } from './libp2pNetwork';
import { createPenaltyBook, DEFAULT_PENALTIES } from './penalties';

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
}

/** A fresh libp2p key for a node, as the bytes a key file keeps. */
export async function newNetworkKey(): Promise<Uint8Array> {
  return privateKeyToProtobuf(await generateKeyPair('Ed25519'));
}

const REDIAL_MS = 3000;

export async function createNodeNetwork(options: NodeNetworkOptions): Promise<Network> {
  const book = createPenaltyBook({ ...DEFAULT_PENALTIES, now: Date.now });
  const privateKey = privateKeyFromProtobuf(options.privateKey ?? (await newNetworkKey()));
  const node: GossipNode = await createLibp2p({
    privateKey,
    addresses: { listen: options.listen },
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: options.mdns ? [mdns({ interval: options.mdnsIntervalMs ?? 2000 })] : [],
    connectionGater: {
      denyDialPeer: (peer) => book.banned(peer.toString()),
      denyInboundEncryptedConnection: (peer) => book.banned(peer.toString()),
    },
    services: {
      identify: identify(),
      identifyPush: identifyPush(),
      ping: ping(),
      pubsub: gossipsub(gossipOptions(book)),
      ...(options.relayServer && {
        relay: circuitRelayServer({
          reservations: { maxReservations: 256, applyDefaultLimit: false },
        }),
      }),
    },
  });

  node.addEventListener('peer:discovery', (event) => {
    const peer = event.detail.id;
    if (node.getConnections(peer).length > 0 || book.banned(peer.toString())) return;
    void node.dial(peer, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
  });

  const bootstrap = options.bootstrap.map((a) => multiaddr(a));
  const redial = (): void => {
    for (const address of bootstrap) {
      const id = address.getPeerId();
      if (id && node.getPeers().some((p) => p.toString() === id)) continue;
      void node.dial(address, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    }
  };
  redial();
  const timer = bootstrap.length > 0 ? setInterval(redial, REDIAL_MS) : undefined;

  const network = libp2pNetwork(node, book);
  return {
    ...network,
    async stop() {
      if (timer) clearInterval(timer);
      await network.stop();
    },
  };
}

/**
 * @module createBrowserNetwork — the libp2p node of the wallet in a browser page: WebSockets to
 * reach a household node, the circuit-relay transport to take a slot on it, and WebRTC so two
 * browsers that met through the relay talk directly afterwards. The relay only carries the
 * WebRTC handshake; once the direct connection is up, the relay can go away.
 *
 * Browser libp2p's defaults are made for the public internet: it refuses to dial private
 * addresses and `ws://`, and WebRTC asks public STUN servers for candidates. On a LAN both are
 * wrong, so private addresses are allowed, and a node told it is LAN-only uses no STUN server
 * at all (host candidates are enough between devices on one network).
 *
 * Browser only (WebRTC from the page): the headless node builds its own (createNodeNetwork).
 */
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2';
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys';
import { webRTC } from '@libp2p/webrtc';
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
import type { LanBridge } from './lanBridgeProtocol';
import { discoverOverBridge, lanBridgeTransport } from './lanBridgeTransport';
import { createPenaltyBook, DEFAULT_PENALTIES } from './penalties';

export interface BrowserNetworkOptions {
  /** The node's libp2p key (protobuf bytes); a new one is made if absent. */
  privateKey?: Uint8Array;
  /**
   * Relays to take a slot on, as multiaddrs with /p2p/<id> (a household node's WebSocket
   * address). They are redialled while unreachable.
   */
  relays: string[];
  /** No public STUN servers: only devices on the same network are reached directly. */
  lanOnly: boolean;
  /** Start offline (the platform reports no network): nothing is dialled until told otherwise. */
  offline?: boolean;
  /**
   * The desktop app's LAN bridge: TCP to and from the LAN through the Electron main process
   * (lanBridgeTransport). Absent in a browser.
   */
  lanBridge?: LanBridge;
}

export async function createBrowserNetwork(options: BrowserNetworkOptions): Promise<Network> {
  const book = createPenaltyBook({ ...DEFAULT_PENALTIES, now: Date.now });
  const link: LinkState = { offline: options.offline ?? false };
  const privateKey = privateKeyFromProtobuf(options.privateKey ?? (await newNetworkKey()));
  const node: GossipNode = await createLibp2p({
    privateKey,
    addresses: {
      listen: ['/p2p-circuit', '/webrtc', ...(options.lanBridge ? ['/ip4/0.0.0.0/tcp/0'] : [])],
    },
    transports: [
      ...(options.lanBridge ? [lanBridgeTransport(options.lanBridge)] : []),
      webSockets(),
      webRTC(options.lanOnly ? { rtcConfiguration: { iceServers: [] } } : {}),
      circuitRelayTransport(),
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: freeholdGater(book, link),
    services: freeholdServices(book),
  });
  const network = libp2pNetwork(node, book, link, { privateKey, bootstrap: options.relays });
  if (!options.lanBridge) return network;
  const stopDiscovery = discoverOverBridge(network, options.lanBridge);
  return {
    ...network,
    stop: async () => {
      stopDiscovery();
      await network.stop();
    },
  };
}

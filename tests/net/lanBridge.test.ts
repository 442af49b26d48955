// The desktop app's LAN bridge under Node, with an in-process channel (structured clone, as
// Electron IPC does) in place of IPC: the renderer's libp2p node runs over lanBridgeTransport,
// the main process's TCP sockets are electron/lanHost, and the peer is a real libp2p node on
// TCP loopback. Connections go both ways and gossip crosses them.
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys';
import { createLibp2p } from 'libp2p';
import { afterEach, describe, expect, it } from 'vitest';
import { createLanHost, type LanHost } from '../../electron/lanHost';
import type { BridgeEvent, LanBridge } from '../../src/net/lanBridgeProtocol';
import { discoverOverBridge, lanBridgeTransport } from '../../src/net/lanBridgeTransport';
import { createNodeNetwork } from '../../src/net/createNodeNetwork';
import {
  freeholdGater,
  freeholdServices,
  libp2pNetwork,
  newNetworkKey,
  type GossipNode,
} from '../../src/net/libp2pNetwork';
import type { Network } from '../../src/net/Network';
import { createPenaltyBook, DEFAULT_PENALTIES } from '../../src/net/penalties';
import { loopbackLanScope } from '../helpers/loopbackLanScope';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

/** The renderer's end and main's end of one channel, each message cloned as IPC would. */
function inProcessBridge(mdnsPort?: number): { bridge: LanBridge; host: LanHost } {
  const listeners = new Set<(event: unknown) => void>();
  const host = createLanHost(
    (event: BridgeEvent) =>
      queueMicrotask(() => {
        for (const l of listeners) l(structuredClone(event));
      }),
    {
      discovery: mdnsPort === undefined ? false : { port: mdnsPort, intervalMs: 500 },
      scope: loopbackLanScope, // this machine has no LAN to test on
    },
  );
  const bridge: LanBridge = {
    send: (request) => queueMicrotask(() => host.handle(structuredClone(request))),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { bridge, host };
}

async function rendererNetwork(bridge: LanBridge): Promise<Network> {
  const book = createPenaltyBook({ ...DEFAULT_PENALTIES, now: Date.now });
  const link = { offline: false };
  const privateKey = privateKeyFromProtobuf(await newNetworkKey());
  const node: GossipNode = await createLibp2p({
    privateKey,
    addresses: { listen: ['/ip4/0.0.0.0/tcp/0'] },
    transports: [lanBridgeTransport(bridge)],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: freeholdGater(book, link),
    services: freeholdServices(book),
  });
  return libp2pNetwork(node, book, link, { privateKey });
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('LAN bridge (in-process channel for IPC, real TCP and libp2p)', () => {
  const networks: Network[] = [];
  const hosts: LanHost[] = [];
  afterEach(async () => {
    for (const n of networks.splice(0)) await n.stop();
    for (const h of hosts.splice(0)) await h.close();
  });

  it('dials a LAN peer through main, and gossip crosses the bridge both ways', async () => {
    const { bridge, host } = inProcessBridge();
    hosts.push(host);
    const renderer = await rendererNetwork(bridge);
    const peer = await loopbackNetwork();
    networks.push(renderer, peer);

    const seen = { renderer: [] as string[], peer: [] as string[] };
    const topic = 'freehold/test/bridge';
    for (const [name, n] of [
      ['renderer', renderer],
      ['peer', peer],
    ] as const) {
      n.subscribe(topic, {
        maxBytes: 1024,
        validate: () => Promise.resolve('accept'),
        deliver: (data) => void seen[name].push(new TextDecoder().decode(data)),
      });
    }
    await renderer.dial(peer.addresses().find((a) => a.includes('/tcp/'))!);
    expect(renderer.links()).toContainEqual(
      expect.objectContaining({ peer: peer.peerId, transport: 'tcp' }),
    );
    await until('the topic mesh', () => renderer.topicPeers(topic).includes(peer.peerId));
    await until('the peer to see the renderer', () => peer.topicPeers(topic).length > 0);
    await renderer.publish(topic, new TextEncoder().encode('from the renderer'));
    await peer.publish(topic, new TextEncoder().encode('from the LAN'));
    await until('both messages', () => seen.peer.length > 0 && seen.renderer.length > 0);
    expect(seen).toEqual({ renderer: ['from the LAN'], peer: ['from the renderer'] });
  });

  it('accepts a LAN peer dialling in to the port main listens on', async () => {
    const { bridge, host } = inProcessBridge();
    hosts.push(host);
    const renderer = await rendererNetwork(bridge);
    const peer = await loopbackNetwork();
    networks.push(renderer, peer);
    const address = renderer.addresses().find((a) => a.startsWith('/ip4/127.0.0.1/tcp/'));
    expect(address).toBeDefined();
    await peer.dial(address!);
    await until('the renderer to see it', () => renderer.connectedPeers().includes(peer.peerId));
  });

  it('finds a headless node by mDNS through main, and they connect with no address given', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000); // meets no real LAN traffic
    const { bridge, host } = inProcessBridge(port);
    hosts.push(host);
    const renderer = await rendererNetwork(bridge);
    const stopDiscovery = discoverOverBridge(renderer, bridge);
    const headless = await createNodeNetwork({
      listen: ['/ip4/127.0.0.1/tcp/0'],
      mdns: true,
      mdnsPort: port,
      mdnsIntervalMs: 500,
      bootstrap: [],
      relayServer: false,
    });
    networks.push(renderer, headless);
    try {
      await until('the mDNS meeting', () => renderer.connectedPeers().includes(headless.peerId));
      expect(headless.connectedPeers()).toContain(renderer.peerId);
    } finally {
      stopDiscovery();
    }
  });

  it('ignores requests that do not read as bridge requests', () => {
    const sent: BridgeEvent[] = [];
    const host = createLanHost((e) => sent.push(e));
    hosts.push(host);
    for (const junk of [
      null,
      42,
      { op: 'dial', id: 1, host: 'example.org', port: 80 },
      { op: 'dial', id: -1, host: '127.0.0.1', port: 80 },
      { op: 'data', id: 1, bytes: 'text' },
      { op: 'listen', port: 70_000 },
      { op: 'exec', command: 'rm -rf /' },
      { op: 'announce', peer: 'not a peer id', addresses: ['/ip4/10.0.0.1/tcp/1'] },
    ])
      host.handle(junk);
    expect(sent).toEqual([]);
  });
});

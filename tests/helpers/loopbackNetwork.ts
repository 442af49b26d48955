// A real libp2p network on loopback for tests and benchmarks: TCP on 127.0.0.1, no mDNS, no
// relay; it reaches only the bootstrap peers it is given.
import { createNodeNetwork, type NodeNetworkOptions } from '../../src/net/createNodeNetwork';
import type { Network } from '../../src/net/Network';

export function loopbackNetwork(
  bootstrap: string[] = [],
  extra: Partial<NodeNetworkOptions> = {},
): Promise<Network> {
  return createNodeNetwork({
    ...extra,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    bootstrap,
    relayServer: false,
  });
}

// mDNS for the desktop app, in the main process: answers the LAN's queries with the renderer's
// peer id and TCP addresses (as it announced them over the bridge), and tells the renderer of
// the peers it hears. The records are libp2p's mDNS discovery format (PTR for the service,
// TXT "dnsaddr=<multiaddr>"), so headless nodes and desktop apps find each other.
import makeMdns from 'multicast-dns';
import type { BridgeEvent } from '../src/net/lanBridgeProtocol';
import { readBridgeEvent } from '../src/net/lanBridgeProtocol';

const SERVICE = '_p2p._udp.local';

export interface LanDiscovery {
  announce(peer: string, addresses: string[]): void;
  close(): void;
}

export interface LanDiscoveryOptions {
  /** UDP port (5353 on a real LAN; another in tests). */
  port?: number;
  intervalMs?: number;
}

/** Only addresses on the local network are announced: mDNS is link-local. */
const isLocal = (address: string): boolean =>
  /^\/ip4\/(10\.|127\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.)/.test(address);

export function createLanDiscovery(
  send: (event: BridgeEvent) => void,
  options: LanDiscoveryOptions = {},
): LanDiscovery {
  const mdns = makeMdns({ port: options.port ?? 5353 });
  const name = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  let own: { peer: string; addresses: string[] } | null = null;

  mdns.on('query', (query) => {
    if (!own || query.questions?.[0]?.name !== SERVICE) return;
    const instance = `${name}.${SERVICE}`;
    mdns.respond([
      { name: SERVICE, type: 'PTR', class: 'IN', ttl: 120, data: instance },
      ...own.addresses.filter(isLocal).map((a) => ({
        name: instance,
        type: 'TXT' as const,
        class: 'IN' as const,
        ttl: 120,
        data: `dnsaddr=${a}`,
      })),
    ]);
  });

  mdns.on('response', (response) => {
    const records = [...(response.answers ?? []), ...(response.additionals ?? [])];
    const ptr = records.find((r) => r.type === 'PTR' && r.name === SERVICE);
    if (!ptr || ptr.type !== 'PTR' || ptr.data.startsWith(name)) return;
    const addresses = records
      .flatMap((r) => (r.type === 'TXT' ? (Array.isArray(r.data) ? r.data : [r.data]) : []))
      .map((d) => (typeof d === 'string' ? d : new TextDecoder().decode(d)))
      .filter((d) => d.startsWith('dnsaddr='))
      .map((d) => d.slice('dnsaddr='.length))
      .filter((a) => a.startsWith('/ip4/') && a.includes('/tcp/') && !a.includes('/ws'));
    const peer = addresses[0]?.split('/p2p/')[1];
    if (!peer || peer === own?.peer) return;
    // Read back through the bridge's own checks: what reaches the renderer is well-formed.
    const event = readBridgeEvent({ op: 'discovered', peer, addresses: addresses.slice(0, 16) });
    if (event) send(event);
  });

  const query = (): void =>
    mdns.query({ questions: [{ name: SERVICE, type: 'PTR' }] }, () => undefined);
  query();
  const timer = setInterval(query, options.intervalMs ?? 5000);

  return {
    announce(peer, addresses) {
      own = { peer, addresses };
    },
    close() {
      clearInterval(timer);
      mdns.destroy();
    },
  };
}

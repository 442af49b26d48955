// Gossip propagation across 8 peers on loopback, each its own process (tests/bench/gossipPeer.ts):
// every peer dials those started before it (as mDNS connects everyone on a LAN), gossipsub
// forms its mesh, then the peers
// take turns publishing 300-byte messages; latency is publish to delivery at every other peer.
import { hostKey, NodeProcess } from '../helpers/nodeProcess';
import { percentile, report, round } from './report';

const PEERS = 8;
const MESSAGES = 200;
const SPACING_MS = 20;

export async function gossipBenches(): Promise<void> {
  const key = await hostKey('gossip bench');
  const peers: NodeProcess[] = [];
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  try {
    const addresses: string[] = [];
    for (let i = 0; i < PEERS; i++) {
      const peer = new NodeProcess(
        `peer${i}`,
        null,
        '127.0.0.1',
        key,
        [...addresses],
        ['tests/bench/gossipPeer.ts'],
      );
      peer.start();
      const listening = await peer.waitFor('listening', (e) => e.event === 'listening', 60_000);
      addresses.push((listening.addresses as string[])[0]!);
      peers.push(peer);
    }
    // Ready when every peer sees every other on the topic.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const seen = await Promise.all(
        peers.map(async (p) => {
          const since = p.events.length;
          p.send({ status: true });
          const e = await p.waitFor('status', (x) => x.event === 'status', 10_000, since);
          return e.topicPeers as number;
        }),
      );
      if (seen.every((n) => n === PEERS - 1)) break;
      if (Date.now() > deadline) throw new Error(`gossip mesh incomplete: ${seen.join(',')}`);
      await sleep(500);
    }
    await sleep(2000); // a few heartbeats: the mesh settles

    const since = peers.map((p) => p.events.length);
    for (let id = 0; id < MESSAGES; id++) {
      peers[id % PEERS]!.send({ publish: id });
      await sleep(SPACING_MS);
    }
    await sleep(2000);
    const latencies = peers.flatMap((p, i) =>
      p.events
        .slice(since[i])
        .filter((e) => e.event === 'got')
        .map((e) => e.latencyMs as number),
    );
    const expected = MESSAGES * (PEERS - 1);
    const context = {
      peers: PEERS,
      messages: MESSAGES,
      messageBytes: 300,
      delivered: latencies.length,
      expected,
      transport: 'libp2p tcp loopback, one process per peer, gossipsub 14',
    };
    report({
      bench: 'net.gossip.p50',
      value: round(percentile(latencies, 0.5), 2),
      unit: 'ms',
      ...context,
    });
    report({
      bench: 'net.gossip.p95',
      value: round(percentile(latencies, 0.95), 2),
      unit: 'ms',
      target: '< 100',
      ...context,
    });
  } finally {
    await Promise.all(peers.map((p) => p.stop()));
  }
}

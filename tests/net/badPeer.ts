// A misbehaving peer for the LAN tests: a real libp2p node that finds the chain's nodes by mDNS
// and sends them malformed, invalid, replayed and oversized messages on every topic, and
// malformed sync requests. Logs JSON lines like the headless node.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decode, encode } from '../../src/codec/cbor';
import { chainIdOf, readGenesis } from '../../src/chain/genesis';
import { decodeTransaction, encodeTransaction } from '../../src/chain/transaction';
import { createNodeNetwork } from '../../src/net/createNodeNetwork';
import { SYNC_PROTOCOL } from '../../src/node/syncProtocol';
import { topicOf, type TopicKind } from '../../src/node/topics';

const log = (event: string, fields: Record<string, unknown> = {}): void =>
  void process.stdout.write(JSON.stringify({ t: Date.now(), event, ...fields }) + '\n');

const { values } = parseArgs({
  options: { genesis: { type: 'string' }, rounds: { type: 'string', default: '30' } },
  allowPositionals: true,
});
const genesis = readGenesis(decode(readFileSync(values.genesis!)));
const chainId = chainIdOf(genesis);
const network = await createNodeNetwork({
  listen: ['/ip4/0.0.0.0/tcp/4001'],
  mdns: true,
  bootstrap: [],
  relayServer: false,
});
log('listening', { peerId: network.peerId });

// Honest transactions seen on gossip: replayed later, unchanged and with a broken signature.
const seen: Uint8Array[] = [];
const kinds: TopicKind[] = ['tx', 'consensus', 'headers', 'evidence'];
for (const kind of kinds) {
  network.subscribe(topicOf(chainId, kind), {
    maxBytes: 16 * 1024 * 1024,
    validate: () => 'accept',
    deliver: (data) => {
      if (kind === 'tx' && seen.length < 10) seen.push(data);
    },
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
while (network.connectedPeers().length < 2 || seen.length === 0) await sleep(200);
await sleep(1500); // a heartbeat or two, so the mesh includes us

const publish = (kind: TopicKind, data: Uint8Array): Promise<unknown> =>
  network
    .publish(topicOf(chainId, kind), data)
    .catch((e: unknown) => log('publishFailed', { kind, e: String(e) }));

const rounds = Number(values.rounds);
for (let r = 0; r < rounds; r++) {
  const garbage = crypto.getRandomValues(new Uint8Array(64 + r));
  // Malformed: random bytes, and CBOR of the wrong shape.
  await publish('consensus', garbage);
  await publish('tx', encode({ hello: 'world', r }));
  await publish('headers', garbage);
  // Invalid: an honest transaction with its signature broken.
  const tx = decodeTransaction(seen[r % seen.length]!);
  const signature = tx.signature.slice();
  signature[0]! ^= 0xff;
  await publish('tx', encodeTransaction({ ...tx, signature }));
  // Replayed: an honest transaction again, unchanged.
  await publish('tx', seen[r % seen.length]!);
  // Oversized: over the headers topic's cap.
  await publish('headers', new Uint8Array(200 * 1024).fill(r));
  // Malformed sync requests, straight to each peer.
  for (const peer of network.connectedPeers()) {
    await network
      .request(peer, SYNC_PROTOCOL, garbage, {
        maxRequestBytes: 1024,
        maxFrameBytes: 1024 * 1024,
        maxFrames: 2,
        timeoutMs: 2000,
      })
      .catch(() => undefined);
  }
  log('round', { r, peers: network.connectedPeers().length });
  await sleep(150);
}
log('done', { peers: network.connectedPeers().length });
await network.stop();
process.exit(0);

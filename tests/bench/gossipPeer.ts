// One peer of the gossip benchmark, in its own process: the headless node's libp2p network
// (TCP on loopback, gossipsub with Freehold's settings) on one topic. Commands arrive as JSON
// lines on stdin ({"publish":N} | {"status":true} | {"stop":true}); it logs JSON lines with
// wall-clock times in ms (performance.timeOrigin + performance.now(), one clock for every
// process on the machine).
import { createInterface } from 'node:readline';
import { createNodeNetwork } from '../../src/net/createNodeNetwork';

const TOPIC = '/freehold/bench/gossip/1';
const clock = (): number => performance.timeOrigin + performance.now();
const log = (event: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(JSON.stringify({ t: Date.now(), event, ...fields }) + '\n');
};

const bootstrap = process.argv.slice(2);
const network = await createNodeNetwork({
  listen: ['/ip4/127.0.0.1/tcp/0'],
  mdns: false,
  bootstrap,
  relayServer: false,
});
network.subscribe(TOPIC, {
  maxBytes: 4096,
  validate: () => 'accept',
  deliver(data) {
    const at = clock();
    const { id, sentAt } = JSON.parse(new TextDecoder().decode(data)) as {
      id: number;
      sentAt: number;
    };
    log('got', { id, latencyMs: at - sentAt });
  },
});
log('listening', { peerId: network.peerId, addresses: network.addresses() });

createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line) as { publish?: number; status?: boolean; stop?: boolean };
  if (cmd.publish !== undefined) {
    // A transaction-sized message: the id and send time, padded to 300 bytes.
    const body = JSON.stringify({ id: cmd.publish, sentAt: clock(), pad: '.'.repeat(250) });
    void network.publish(TOPIC, new TextEncoder().encode(body));
  } else if (cmd.status) {
    log('status', { topicPeers: network.topicPeers(TOPIC).length });
  } else if (cmd.stop) {
    void network.stop().then(() => process.exit(0));
  }
});
process.on('SIGTERM', () => void network.stop().then(() => process.exit(0)));

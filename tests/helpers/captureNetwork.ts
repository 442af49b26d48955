// A Network that connects to nobody and keeps what the node subscribes and publishes, so a test
// or a bench can hand a node's topic validators any bytes, as a peer would, and read verdicts.
// In memory; it carries nothing between nodes.
import type { Genesis } from '../../src/chain/genesis';
import { nobleVerifier } from '../../src/crypto/ed25519';
import type { Network, TopicHandler } from '../../src/net/Network';
import { createChainNode, type ChainNode } from '../../src/node/createChainNode';
import { topicOf } from '../../src/node/topics';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { createPenaltyBook, DEFAULT_PENALTIES } from '../../src/net/penalties';

export interface CaptureNetwork extends Network {
  handlers: Map<string, TopicHandler>;
  published: { topic: string; data: Uint8Array }[];
}

export function captureNetwork(): CaptureNetwork {
  const handlers = new Map<string, TopicHandler>();
  const published: { topic: string; data: Uint8Array }[] = [];
  const book = createPenaltyBook({ ...DEFAULT_PENALTIES, now: Date.now });
  return {
    handlers,
    published,
    peerId: 'capture',
    addresses: () => [],
    connectedPeers: () => [],
    links: () => [],
    subscribe: (topic, handler) => void handlers.set(topic, handler),
    unsubscribe: (topic) => void handlers.delete(topic),
    publish: (topic, data) => {
      published.push({ topic, data });
      return Promise.resolve(0);
    },
    topicPeers: () => [],
    serve: () => undefined,
    request: () => Promise.reject(new Error('no peers')),
    dial: () => Promise.reject(new Error('no peers')),
    keepDialling: () => undefined,
    setOffline: () => undefined,
    penalise: (peer, points, reason) => void book.add(peer, points, reason),
    standing: (peer) => ({ points: book.points(peer), banned: book.banned(peer) }),
    onPeer: () => () => undefined,
    stop: () => Promise.resolve(),
  };
}

/** A full node of `genesis` on a capture network, and the validator of its consensus topic. */
export async function startCaptureNode(genesis: Genesis): Promise<{
  network: CaptureNetwork;
  node: ChainNode;
  handler: TopicHandler;
}> {
  const network = captureNetwork();
  const node = createChainNode({
    genesis,
    role: 'full',
    store: createMemoryChainStore(),
    network,
    verifier: nobleVerifier,
  });
  await node.start();
  const handler = network.handlers.get(topicOf(node.chainId, 'consensus'))!;
  return { network, node, handler };
}

// Catch-up over real libp2p on loopback: a headless node process serves a chain of 10,000
// blocks of 10 transfers from its SQLite store; a full node (SQLite on disk) and then a light
// node (in memory) join it from nothing in this process, and the clock runs from `join` to the
// verified head. Everything they take in is verified as in the field.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChainRole } from '../../src/chain/ChainStore';
import { createWebCryptoVerifier, nobleVerifier } from '../../src/crypto/ed25519';
import type { NodeEvent } from '../../src/node/createChainNode';
import { createNode } from '../../src/node/createNode';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { createSqliteChainStore } from '../../src/store/createSqliteChainStore';
import { hostKey, NodeProcess } from '../helpers/nodeProcess';
import { buildChainOnDisk, type ChainOnDisk } from './chainOnDisk';
import { report, round } from './report';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

const HEIGHT = 10_000;
const TXS_PER_BLOCK = 10;

/** Joins the served chain from nothing; resolves to ms from `join` to a verified head at HEIGHT. */
async function catchUp(
  chain: ChainOnDisk,
  server: string,
  role: ChainRole,
  dir: string,
): Promise<number> {
  const store =
    role === 'light'
      ? createMemoryChainStore()
      : createSqliteChainStore(join(dir, `${role}.sqlite`));
  const network = await loopbackNetwork([server]);
  let done: (at: number) => void = () => undefined;
  const reached = new Promise<number>((r) => (done = r));
  const onEvent = (e: NodeEvent): void => {
    const height = e.type === 'synced' ? e.to : e.type === 'lightHead' ? e.height : 0;
    if (height >= chain.height) done(performance.now());
    if (e.type === 'warning' || e.type === 'peerFault') console.error(JSON.stringify(e));
  };
  const node = createNode({
    store,
    network,
    verifier: (await createWebCryptoVerifier()) ?? nobleVerifier,
    onEvent,
  });
  const start = performance.now();
  await node.join(chain.genesis, role);
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`${role} catch-up did not finish in 10 min`)),
      600_000,
    ).unref(),
  );
  const end = await Promise.race([reached, timeout]);
  await node.stop();
  return end - start;
}

export async function catchUpBenches(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'freehold-catchup-'));
  const serverKey = await hostKey('catch-up server');
  try {
    const built = performance.now();
    const chain = await buildChainOnDisk(dir, HEIGHT, TXS_PER_BLOCK);
    const buildMs = performance.now() - built;
    const serving = new NodeProcess('server', null, '127.0.0.1', serverKey, [
      ...['--data', chain.dataDir, '--genesis', chain.genesisFile, '--role', 'full'],
      ...['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0'],
    ]);
    serving.start();
    try {
      const listening = await serving.waitFor('listening', (e) => e.event === 'listening', 60_000);
      const address = (listening.addresses as string[])[0]!;

      const fullMs = await catchUp(chain, address, 'full', dir);
      report({
        bench: 'net.catchUp.full',
        value: round(HEIGHT / (fullMs / 1000)),
        unit: 'blocks/s',
        blocks: HEIGHT,
        txsPerBlock: TXS_PER_BLOCK,
        ms: round(fullMs),
        transport: 'libp2p tcp loopback, server in its own process',
        store: 'sqlite',
        fixtureBuildMs: round(buildMs),
        target: '>= 5000',
      });

      const lightMs = await catchUp(chain, address, 'light', dir);
      report({
        bench: 'net.catchUp.light',
        value: round(lightMs),
        unit: 'ms',
        blocks: HEIGHT,
        transport: 'libp2p tcp loopback, server in its own process',
        target: '< 1000',
      });
    } finally {
      await serving.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

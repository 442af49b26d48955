// C: a peer whose process gets no CPU for a while (a loaded machine, a small device) stays
// connected: libp2p's ping monitor gave answers 5 s, so on a busy 2-core machine the LAN's
// validators cut each other off and stopped making blocks. The peer here is a real node process
// stopped with SIGSTOP for longer than that (and than a ping interval), then resumed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGenesis } from '../../src/chain/genesis';
import { encode } from '../../src/codec/cbor';
import type { Network, PeerEvent } from '../../src/net/Network';
import { loopbackNetwork } from '../helpers/loopbackNetwork';
import { hostKey, NodeProcess } from '../helpers/nodeProcess';

/** Longer than libp2p's ping interval (10 s) plus its default shortest ping timeout (5 s). */
const FROZEN_MS = 17_000;

describe('C: a peer frozen for a while (real node process, libp2p on loopback)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'freehold-frozen-'));
  let peer: NodeProcess | undefined;
  let network: Network | undefined;
  afterAll(async () => {
    peer?.signal('SIGCONT');
    await peer?.stop();
    await network?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'C: a peer whose process is stopped for 17 s is not cut off',
    { timeout: 120_000 },
    async () => {
      const key = await hostKey('frozen peer');
      const genesisFile = join(dir, 'genesis.cbor');
      writeFileSync(
        genesisFile,
        encode(
          createGenesis({
            name: 'Frozen',
            genesisTime: Date.now(),
            validators: [{ key: key.publicKey, power: 1, name: 'v' }],
            assets: [],
            balances: [],
          }),
        ),
      );
      writeFileSync(join(dir, 'key.json'), JSON.stringify(key.file));
      peer = new NodeProcess('frozen', null, '127.0.0.1', key, [
        ...['--data', join(dir, 'data'), '--genesis', genesisFile, '--key', join(dir, 'key.json')],
        ...['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0'],
      ]);
      peer.start();
      const listening = await peer.waitFor('listening', (e) => e.event === 'listening', 60_000);
      const address = (listening.addresses as string[])[0]!;

      network = await loopbackNetwork();
      const events: PeerEvent[] = [];
      network.onPeer((e) => events.push(e));
      const id = await network.dial(address);
      await expect.poll(() => network!.connectedPeers()).toContain(id);

      peer.signal('SIGSTOP');
      await new Promise((r) => setTimeout(r, FROZEN_MS));
      peer.signal('SIGCONT');
      await peer.status(); // it runs again and answers

      expect(events.filter((e) => e.type === 'disconnect' && e.peer === id)).toEqual([]);
      expect(network.connectedPeers()).toContain(id);
    },
  );
});

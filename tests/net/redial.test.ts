// Redialling a kept address that does not answer (real libp2p on loopback, a clock the test
// moves): attempts back off, and start over when the device comes back online. The address is a
// plain TCP port that counts connection attempts and closes each at once.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Network } from '../../src/net/Network';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

/** Long enough for the network to look at its kept addresses a few times (once a second). */
const ticks = () => new Promise((r) => setTimeout(r, 3500));

describe('redial backoff (real libp2p on loopback)', () => {
  const networks: Network[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    for (const n of networks.splice(0)) await n.stop();
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  it('A10: a kept peer that never answers is redialled less and less often, and at once when back online', async () => {
    let attempts = 0;
    const dead = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    servers.push(dead);
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as { port: number }).port;
    const someone = await loopbackNetwork(); // only for a well-formed peer id
    networks.push(someone);

    const clock = { t: 1_000_000 };
    const device = await loopbackNetwork([], { now: () => clock.t });
    networks.push(device);
    device.keepDialling(`/ip4/127.0.0.1/tcp/${port}/p2p/${someone.peerId}`);
    await expect.poll(() => attempts).toBe(1);
    // However long real time runs, the clock says no time has passed: no second attempt.
    await ticks();
    expect(attempts).toBe(1);

    clock.t += 3000; // the first wait (3 s) over
    await expect.poll(() => attempts).toBe(2);
    clock.t += 3000; // half of the second wait (6 s): nothing
    await ticks();
    expect(attempts).toBe(2);
    clock.t += 3000; // the second wait over
    await expect.poll(() => attempts).toBe(3);

    device.setOffline(true);
    device.setOffline(false);
    await expect.poll(() => attempts).toBe(4);
  });
});

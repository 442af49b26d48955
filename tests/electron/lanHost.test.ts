// The main process's side of the LAN bridge under Node, with real sockets: what the renderer
// may dial (private and link-local only, no loopback, no public internet), where main listens,
// what error text the renderer sees, and how fast it may dial.
import { createConnection, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLanHost, type LanHost } from '../../electron/lanHost';
import { isLanAddress, lanListenHosts } from '../../electron/lanScope';
import type { BridgeEvent } from '../../src/net/lanBridgeProtocol';
import { loopbackLanScope as loopbackScope } from '../helpers/loopbackLanScope';

const GENERIC = /^[A-Z][a-z ,;.'-]+\.$/;

function recorder() {
  const events: BridgeEvent[] = [];
  const next = (op: BridgeEvent['op']) =>
    new Promise<BridgeEvent>((resolve) => {
      const poll = (): void => {
        const found = events.find((e) => e.op === op);
        if (found) resolve(found);
        else setTimeout(poll, 5);
      };
      poll();
    });
  return { events, send: (e: BridgeEvent) => void events.push(e), next };
}

async function listening(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

describe('A11: Electron LAN bridge (Node, real sockets)', () => {
  const hosts: LanHost[] = [];
  const servers: Server[] = [];
  afterEach(async () => {
    for (const h of hosts.splice(0)) await h.close();
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });

  it('A11: refuses to dial loopback or public hosts, with a generic error', async () => {
    let accepted = 0;
    const server = createServer((s) => {
      accepted++;
      s.destroy();
    });
    servers.push(server);
    const port = await listening(server);
    const r = recorder();
    const host = createLanHost(r.send, { discovery: false });
    hosts.push(host);
    for (const [id, address] of [
      [1, '127.0.0.1'],
      [2, '::1'],
      [3, '8.8.8.8'],
      [4, '0.0.0.0'],
      [5, '224.0.0.251'],
      [6, '::ffff:127.0.0.1'],
    ] as const) {
      host.handle({ op: 'dial', id, host: address, port });
      const failed = r.events.find((e) => e.op === 'failed' && e.id === id);
      expect(failed?.op === 'failed' && failed.reason, address).toMatch(GENERIC);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(accepted).toBe(0);
    expect(r.events.some((e) => e.op === 'opened')).toBe(false);
  });

  it('A11: tells the renderer that a dial failed without the OS error text', async () => {
    const server = createServer();
    const port = await listening(server);
    await new Promise((r) => server.close(r)); // nothing listens there now
    const r = recorder();
    const host = createLanHost(r.send, { discovery: false, scope: loopbackScope });
    hosts.push(host);
    host.handle({ op: 'dial', id: 7, host: '127.0.0.1', port });
    const failed = await r.next('failed');
    expect(failed.op === 'failed' && failed.id === 7 && failed.reason).toMatch(GENERIC);
    expect(failed.op === 'failed' && failed.reason).not.toMatch(/ECONN|127\.0\.0\.1|:\d+/);
  });

  it('A11: rate-limits dials, per second and while connecting', async () => {
    const server = createServer((s) => s.destroy());
    servers.push(server);
    const port = await listening(server);
    const clock = { t: 0 };
    const r = recorder();
    const host = createLanHost(r.send, {
      discovery: false,
      scope: loopbackScope,
      now: () => clock.t,
      limits: { perSecond: 2, burst: 3, concurrent: 2 },
    });
    hosts.push(host);
    // Two dials connecting at once: the third is refused before any socket is made.
    for (const id of [1, 2, 3]) host.handle({ op: 'dial', id, host: '127.0.0.1', port });
    expect(r.events.filter((e) => e.op === 'failed').map((e) => e.op === 'failed' && e.id)).toEqual(
      [3],
    );
    await r.next('opened');
    await new Promise((resolve) => setTimeout(resolve, 50));
    // A refused dial spends no token: one of the burst of 3 is left, for dial 4 and not 5.
    host.handle({ op: 'dial', id: 4, host: '127.0.0.1', port });
    host.handle({ op: 'dial', id: 5, host: '127.0.0.1', port });
    const refused = r.events.filter((e) => e.op === 'failed').map((e) => e.op === 'failed' && e.id);
    expect(refused).toEqual([3, 5]);
    clock.t += 1000; // two more tokens a second later
    host.handle({ op: 'dial', id: 6, host: '127.0.0.1', port });
    expect(r.events.some((e) => e.op === 'failed' && e.id === 6)).toBe(false);
  });

  it('A11: listens only on private and link-local interfaces, never on every one', async () => {
    const r = recorder();
    const host = createLanHost(r.send, { discovery: false });
    hosts.push(host);
    host.handle({ op: 'listen', port: 0 });
    const event = await r.next('listening');
    if (event.op !== 'listening') throw new Error('not a listening event');
    expect(event.hosts.every(isLanAddress)).toBe(true);
    // Not on loopback, which a 0.0.0.0 listener would answer.
    const reached = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: event.port });
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    }).catch(() => false);
    expect(event.port === 0 || !reached).toBe(true);
  });

  it('A11: reads private and link-local addresses as LAN, the rest not', () => {
    for (const a of ['10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.9', '169.254.3.4'])
      expect(isLanAddress(a), a).toBe(true);
    for (const a of ['fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0', '::ffff:10.1.2.3'])
      expect(isLanAddress(a), a).toBe(true);
    for (const a of [
      '127.0.0.1',
      '0.0.0.0',
      '8.8.8.8',
      '172.32.0.1',
      '172.15.0.1',
      '255.255.255.255',
      '224.0.0.251',
      '::1',
      '::',
      '2001:db8::1',
      'fec0::1',
      '::ffff:127.0.0.1',
      'localhost',
    ])
      expect(isLanAddress(a), a).toBe(false);
    const interfaces = {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
      eth0: [
        { address: '192.168.1.20', family: 'IPv4', internal: false },
        { address: '203.0.113.5', family: 'IPv4', internal: false },
        { address: 'fe80::1', family: 'IPv6', internal: false },
      ],
    } as never;
    expect(lanListenHosts(interfaces)).toEqual(['192.168.1.20']);
  });
});

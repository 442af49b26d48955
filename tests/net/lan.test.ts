// Multi-host LAN scenarios: real headless node processes, one per Linux network namespace,
// joined by a bridge; real libp2p (TCP, noise, yamux, gossipsub), discovery by mDNS only, real
// SQLite stores on disk. Root only: elsewhere the suite is skipped and says why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/crypto/bytes';
import { hostKey, type NodeProcess } from '../helpers/nodeProcess';
import { canRunLan, Lan, type LanNode } from './lan';

const can = canRunLan();
if (!can.ok) console.log(`LAN tests skipped: ${can.why}.`);

const workDir = mkdtempSync(join(tmpdir(), 'freehold-lan-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let current: Lan | null = null;
afterEach(async () => {
  await current?.destroy();
  current = null;
});

async function members(roles: LanNode['role'][]): Promise<LanNode[]> {
  return Promise.all(roles.map(async (role, i) => ({ role, key: await hostKey(`lan-node-${i}`) })));
}

async function startLan(name: string, roles: LanNode['role'][]): Promise<Lan> {
  current = Lan.create(join(workDir, name), await members(roles));
  current.start();
  return current;
}

const committed = (n: NodeProcess, height: number, ms: number, since = 0) =>
  n.waitFor(
    `block ${height}`,
    (e) => e.event === 'committed' && (e.height as number) >= height,
    ms,
    since,
  );

/** Every pair of nodes agrees on the hash of every height both committed. */
function expectNoConflict(nodes: NodeProcess[]): void {
  const seen = new Map<number, string>();
  for (const n of nodes)
    for (const [h, hash] of n.hashes()) {
      const other = seen.get(h);
      if (other !== undefined) expect(hash, `height ${h} at ${n.name}`).toBe(other);
      else seen.set(h, hash);
    }
}

// Each scenario waits for several convergences of up to a minute each; with the browser tests
// running beside them on 2 cores, the default 60 s for the whole test is too little.
describe.skipIf(!can.ok)(
  'LAN over network namespaces (real libp2p, real processes)',
  { timeout: 240_000 },
  () => {
    it('(a) 4 validators and 2 light nodes form the chain by mDNS; a transfer finalises; all agree on the head', async () => {
      const lan = await startLan('a', [
        'validator',
        'validator',
        'validator',
        'validator',
        'light',
        'light',
      ]);
      const validators = lan.nodes.slice(0, 4);
      const lights = lan.nodes.slice(4);
      await Promise.all(validators.map((v) => committed(v, 2, 60_000)));
      const to = validators[1]!;
      const since = validators[0]!.events.length;
      validators[0]!.send({ cmd: 'transfer', to: bytesToHex(to.key.publicKey), amount: '25' });
      await validators[0]!.waitFor(
        'the transfer final',
        (e) => e.event === 'outbox' && e.status === 'final',
        30_000,
        since,
      );
      expect(to.exited).toBeNull();
      // Light nodes verify a head at least as high as the validators had when the transfer landed.
      const target = Math.min(...validators.map((v) => v.height()));
      await Promise.all(
        lights.map((l) =>
          l.waitFor(
            'a verified head',
            (e) => e.event === 'lightHead' && (e.height as number) >= target,
            30_000,
          ),
        ),
      );
      expectNoConflict(validators);
      const hashes = validators[0]!.hashes();
      for (const l of lights) {
        const head = l.events.filter((e) => e.event === 'lightHead').at(-1)!;
        await committed(validators[0]!, head.height as number, 10_000);
        expect(head.hash, `${l.name}'s verified head`).toBe(
          validators[0]!.hashes().get(head.height as number),
        );
      }
      expect(hashes.size).toBeGreaterThan(0);
      // At one moment every validator is at the same height, or one block apart at most.
      const statuses = await Promise.all(validators.map((v) => v.status()));
      const heights = statuses.map((s) => s.height);
      expect(Math.max(...heights) - Math.min(...heights)).toBeLessThanOrEqual(1);
    });

    it("(b) one validator's link goes down: the chain goes on; back up, it catches up", async () => {
      const lan = await startLan('b', ['validator', 'validator', 'validator', 'validator']);
      const [a, , , d] = lan.nodes as [NodeProcess, NodeProcess, NodeProcess, NodeProcess];
      await Promise.all(lan.nodes.map((v) => committed(v, 2, 60_000)));
      lan.link(3, false);
      const cut = d.height();
      const others = lan.nodes.slice(0, 3);
      await Promise.all(others.map((v) => committed(v, cut + 4, 60_000)));
      expect(d.height()).toBeLessThanOrEqual(cut + 1);
      lan.link(3, true);
      const goal = a.height() + 2;
      await committed(d, goal, 60_000);
      expect(d.events.some((e) => e.event === 'synced' || e.event === 'committed')).toBe(true);
      expectNoConflict(lan.nodes);
    });

    it('(c) a 2|2 partition commits nothing on either side and nothing conflicting; healed, all converge', async () => {
      const lan = await startLan('c', ['validator', 'validator', 'validator', 'validator']);
      await Promise.all(lan.nodes.map((v) => committed(v, 2, 60_000)));
      lan.partition([
        [0, 1],
        [2, 3],
      ]);
      const at = Math.max(...lan.nodes.map((n) => n.height()));
      await new Promise((r) => setTimeout(r, 8000));
      // A block already decided when the split came may still land; nothing after it.
      for (const n of lan.nodes) expect(n.height(), n.name).toBeLessThanOrEqual(at + 1);
      expectNoConflict(lan.nodes);
      lan.heal();
      const goal = Math.max(...lan.nodes.map((n) => n.height())) + 3;
      await Promise.all(lan.nodes.map((n) => committed(n, goal, 90_000)));
      expectNoConflict(lan.nodes);
    });

    it('(d) kill -9 of a validator under load: restarted, its store is intact and it rejoins; SIGTERM stops it cleanly', async () => {
      const lan = await startLan('d', ['validator', 'validator', 'validator', 'validator']);
      const [a, b] = lan.nodes as [NodeProcess, NodeProcess];
      await Promise.all(lan.nodes.map((v) => committed(v, 2, 60_000)));
      const recipient = bytesToHex(lan.nodes[2]!.key.publicKey);
      const load = setInterval(() => a.send({ cmd: 'transfer', to: recipient, amount: '1' }), 150);
      try {
        await committed(b, b.height() + 3, 30_000);
        const before = b.hashes();
        const lastBefore = b.height();
        b.signal('SIGKILL');
        await b.waitFor('exit', () => false, 10_000).catch(() => undefined);
        expect(b.exited).not.toBeNull();
        await committed(a, a.height() + 2, 30_000);
        const since = b.events.length;
        b.start();
        const started = await b.waitFor('start', (e) => e.event === 'started', 30_000, since);
        // Everything it had committed is still there: it starts from at least that height.
        expect(started.height as number).toBeGreaterThanOrEqual(lastBefore);
        await committed(b, a.height() + 2, 60_000, since);
        for (const [h, hash] of before) expect(b.hashes().get(h)).toBe(hash);
      } finally {
        clearInterval(load);
      }
      expectNoConflict(lan.nodes);
      const finals = a.events.filter((e) => e.event === 'outbox' && e.status === 'final').length;
      expect(finals).toBeGreaterThan(0);
      // SIGTERM: a clean stop that says where it stopped, and a restart from exactly there.
      const since = b.events.length;
      b.signal('SIGTERM');
      const stopped = await b.waitFor('stopped', (e) => e.event === 'stopped', 15_000, since);
      await b.waitFor('exit', () => false, 10_000).catch(() => undefined);
      expect(b.exited).toBe(0);
      b.start();
      const again = await b.waitFor('start', (e) => e.event === 'started', 30_000, since);
      expect(again.height).toBe(stopped.height);
    });

    it('(e) a peer sending malformed, invalid, replayed and oversized messages is penalised; the chain is unaffected', async () => {
      const lan = await startLan('e', ['validator', 'validator', 'validator', 'validator', 'bad']);
      const honest = lan.nodes.slice(0, 4);
      const bad = lan.nodes[4]!;
      const [a] = honest as [NodeProcess];
      await Promise.all(honest.map((v) => committed(v, 2, 60_000)));
      const recipient = bytesToHex(honest[1]!.key.publicKey);
      // Honest transfers keep flowing: the bad peer replays and corrupts them.
      const load = setInterval(() => a.send({ cmd: 'transfer', to: recipient, amount: '1' }), 300);
      let badId: string;
      try {
        badId = (await bad.waitFor('its id', (e) => e.event === 'listening', 30_000))
          .peerId as string;
        await bad.waitFor('its attack', (e) => e.event === 'done', 120_000);
      } finally {
        clearInterval(load);
      }
      const start = Math.max(...honest.map((n) => n.height()));
      await Promise.all(honest.map((n) => committed(n, start + 3, 60_000)));
      expectNoConflict(honest);
      // Every honest node that heard from it marked it down; at least one cut it off.
      const standings = await Promise.all(
        honest.map(async (n) => {
          const since = n.events.length;
          n.send({ cmd: 'standing', peer: badId });
          return n.waitFor('standing', (e) => e.event === 'standing', 10_000, since);
        }),
      );
      expect(standings.some((s) => s.banned === true)).toBe(true);
      expect(
        standings.filter((s) => (s.points as number) > 0 || s.banned).length,
      ).toBeGreaterThanOrEqual(2);
      // Replays changed nothing: each transfer finalised once, none was rejected.
      const outbox = a.events.filter((e) => e.event === 'outbox');
      const finals = outbox.filter((e) => e.status === 'final').map((e) => e.txId);
      expect(new Set(finals).size).toBe(finals.length);
      expect(finals.length).toBeGreaterThan(0);
      expect(outbox.filter((e) => e.status === 'rejected')).toEqual([]);
      for (const n of honest) expect(n.exited, n.name).toBeNull();
    });
  },
);

// Finality on a LAN: 4 validator processes in network namespaces joined by a bridge, 2 ms of
// delay on every link (tc netem, so 4 ms between two hosts; where the kernel has no netem the
// line says the links were not delayed), discovery by mDNS, SQLite on disk,
// the default block interval. Transfers go in at every validator in turn; latency is from the
// transaction entering the sender's outbox to the sender seeing it in a committed block, both
// by the sender's clock. Root only (namespaces): elsewhere it says why and prints nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '../../src/crypto/bytes';
import { hostKey } from '../helpers/nodeProcess';
import { canDelayLinks, canRunLan, Lan } from '../net/lan';
import { percentile, report, round } from './report';

const VALIDATORS = 4;
const TRANSFERS = 60;
const SPACING_MS = 230;
const DELAY_MS = 2;
const BLOCK_INTERVAL_MS = 1000;

export async function lanFinalityBenches(): Promise<void> {
  const can = canRunLan();
  if (!can.ok) {
    process.stderr.write(`net.lan.finality skipped: ${can.why}\n`);
    return;
  }
  // Without netem in the kernel the links get no added delay; the line says so.
  const delay = canDelayLinks();
  const delayMs = delay.ok ? DELAY_MS : 0;
  if (!delay.ok) process.stderr.write(`net.lan.finality: links not delayed: ${delay.why}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'freehold-finality-'));
  const members = await Promise.all(
    Array.from({ length: VALIDATORS }, async (_, i) => ({
      role: 'validator' as const,
      key: await hostKey(`finality-${i}`),
    })),
  );
  const lan = Lan.create(join(dir, 'lan'), members, {
    delayMs,
    blockIntervalMs: BLOCK_INTERVAL_MS,
  });
  try {
    lan.start();
    await Promise.all(
      lan.nodes.map((n) =>
        n.waitFor('block 3', (e) => e.event === 'committed' && (e.height as number) >= 3, 60_000),
      ),
    );
    const since = lan.nodes.map((n) => n.events.length);
    for (let i = 0; i < TRANSFERS; i++) {
      const from = lan.nodes[i % VALIDATORS]!;
      const to = lan.nodes[(i + 1) % VALIDATORS]!;
      from.send({ cmd: 'transfer', to: bytesToHex(to.key.publicKey), amount: '1' });
      await new Promise((r) => setTimeout(r, SPACING_MS));
    }
    const latencies: number[] = [];
    for (const [i, n] of lan.nodes.entries()) {
      const sent = TRANSFERS / VALIDATORS;
      await n.waitFor(
        'every transfer final',
        () =>
          n.events.slice(since[i]).filter((e) => e.event === 'outbox' && e.status === 'final')
            .length >= sent,
        60_000,
      );
      const queued = new Map<string, number>();
      for (const e of n.events.slice(since[i])) {
        if (e.event !== 'outbox') continue;
        if (e.status === 'queued') queued.set(e.txId as string, e.t);
        else if (e.status === 'final' && queued.has(e.txId as string))
          latencies.push(e.t - queued.get(e.txId as string)!);
      }
    }
    const context = {
      validators: VALIDATORS,
      transfers: latencies.length,
      linkDelayMs: delayMs,
      ...(!delay.ok && { linkDelayWanted: DELAY_MS, linkDelayMissing: delay.why }),
      blockIntervalMs: BLOCK_INTERVAL_MS,
      network: 'netns + bridge, libp2p tcp, mDNS, one process per validator',
    };
    report({
      bench: 'net.lan.finality.p50',
      value: round(percentile(latencies, 0.5)),
      unit: 'ms',
      target: '< 500',
      ...context,
    });
    report({
      bench: 'net.lan.finality.p95',
      value: round(percentile(latencies, 0.95)),
      unit: 'ms',
      target: '< 1000',
      ...context,
    });
  } finally {
    await lan.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

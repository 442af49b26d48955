// What a node remembers of announced peers, on a clock the test moves: newest records only, a
// bounded number of peers, and a bounded number of dials.
import { describe, expect, it } from 'vitest';
import { createAnnouncedPeers, type AnnouncedPeersOptions } from '../../src/net/announcedPeers';

function peers(overrides: Partial<AnnouncedPeersOptions> = {}) {
  const clock = { t: 0 };
  const p = createAnnouncedPeers({
    maxPeers: 3,
    retryMs: 30_000,
    dialsPerMinute: 60,
    dialBurst: 100,
    now: () => clock.t,
    ...overrides,
  });
  return { p, clock };
}

describe('announced peers', () => {
  it('A10: a record older than one already heard is stale; the same one again is not newer', () => {
    const { p } = peers();
    expect(p.freshness('a', 5n)).toBe('newer');
    p.heard('a', 5n);
    expect(p.freshness('a', 4n)).toBe('stale');
    expect(p.freshness('a', 5n)).toBe('same');
    expect(p.freshness('a', 6n)).toBe('newer');
  });

  it('A10: remembers a bounded number of peers, forgetting the least recently heard', () => {
    const { p } = peers();
    for (let i = 0; i < 1000; i++) p.heard(`peer${i}`, 1n);
    expect(p.size()).toBe(3);
    p.heard('peer997', 2n); // heard again: now the most recent
    p.heard('new', 1n);
    expect(p.freshness('peer997', 1n)).toBe('stale');
    expect(p.freshness('peer998', 0n)).toBe('newer'); // forgotten
  });

  it('A10: dials a peer again only after a while, and all peers within a dial budget', () => {
    const { p, clock } = peers({ maxPeers: 100, dialBurst: 3, dialsPerMinute: 6 });
    p.heard('a', 1n);
    expect(p.mayDial('a')).toBe(true);
    expect(p.mayDial('a')).toBe(false);
    for (const id of ['b', 'c', 'd', 'e']) p.heard(id, 1n);
    expect(['b', 'c', 'd', 'e'].map((id) => p.mayDial(id))).toEqual([true, true, false, false]);
    clock.t += 10_000; // one dial earned back
    expect(p.mayDial('d')).toBe(true);
    clock.t += 30_000;
    expect(p.mayDial('a')).toBe(true);
    expect(p.mayDial('unheard')).toBe(false);
  });
});

// The serving budget as a pure state machine, on a clock the test moves.
import { describe, expect, it } from 'vitest';
import { createServeBudget, type ServeBudgetOptions } from '../../src/net/serveBudget';

function budget(overrides: Partial<ServeBudgetOptions> = {}) {
  const clock = { t: 0 };
  const b = createServeBudget({
    peerRequests: { perSecond: 2, burst: 2 },
    peerBytes: { perSecond: 100, burst: 100 },
    requests: { perSecond: 10, burst: 10 },
    bytes: { perSecond: 1000, burst: 1000 },
    peerMaxActive: 100,
    maxActive: 100,
    maxPeers: 3,
    now: () => clock.t,
    ...overrides,
  });
  return { b, clock };
}

describe('serveBudget', () => {
  it('A8: refuses a peer over its request rate, and admits it again as time passes', () => {
    const { b, clock } = budget();
    expect([b.admit('p'), b.admit('p'), b.admit('p')]).toEqual(['ok', 'ok', 'peer']);
    clock.t += 500; // one request earned back
    expect([b.admit('p'), b.admit('p')]).toEqual(['ok', 'peer']);
  });

  it('A8: a frame may overdraw the byte budget once; the debt is paid before the next request', () => {
    const { b, clock } = budget();
    expect(b.admit('p')).toBe('ok');
    expect(b.spend('p', 60)).toBe(true);
    expect(b.spend('p', 60)).toBe(false); // sent, but the answer ends here
    expect(b.admit('p')).toBe('peer');
    clock.t += 300; // 30 bytes earned back: out of debt
    expect(b.admit('p')).toBe('ok');
  });

  it('A8: the shared budget caps all peers together, whatever their number', () => {
    const { b } = budget({ maxPeers: 100 });
    const answers = Array.from({ length: 12 }, (_, i) => b.admit(`peer${i}`));
    expect(answers.filter((a) => a === 'ok')).toHaveLength(10);
    expect(answers.slice(10)).toEqual(['all', 'all']);
  });

  it('A8: remembers a bounded number of peers, forgetting the least recently seen', () => {
    const { b } = budget();
    b.admit('a');
    b.admit('a');
    expect(b.admit('a')).toBe('peer');
    for (const p of ['b', 'c', 'd']) b.admit(p); // 'a' is now the oldest of four: forgotten
    expect(b.admit('a')).toBe('ok');
  });

  it('A8: bounds the answers under way, per peer and in all', () => {
    const { b } = budget({ peerMaxActive: 1, maxActive: 2, maxPeers: 100 });
    expect(b.admit('a')).toBe('ok');
    expect(b.admit('a')).toBe('peer');
    expect(b.admit('b')).toBe('ok');
    expect(b.admit('c')).toBe('all');
    b.done('a');
    expect(b.admit('c')).toBe('ok');
    expect(b.admit('a')).toBe('all');
  });
});

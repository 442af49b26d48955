// Redialling a kept address: waits that double up to a cap, cut short when the peer connects or
// the device comes back online.
import { describe, expect, it } from 'vitest';
import { createRedialBackoff } from '../../src/net/redialBackoff';

/** The times at which `key` is dialled between 0 and `until`, asked every second. */
function attempts(
  b: ReturnType<typeof createRedialBackoff>,
  key: string,
  from: number,
  until: number,
) {
  const at: number[] = [];
  for (let t = from; t <= until; t += 1000) {
    if (!b.due(key, t)) continue;
    b.attempted(key, t);
    at.push(t / 1000);
  }
  return at;
}

describe('redial backoff', () => {
  it('A10: an unreachable peer is dialled less and less often, at most every few minutes', () => {
    const b = createRedialBackoff({ firstMs: 3000, maxMs: 300_000 });
    expect(attempts(b, 'x', 0, 1_200_000)).toEqual([0, 3, 9, 21, 45, 93, 189, 381, 681, 981]);
  });

  it('A10: the backoff starts over when the peer connects or the device is back online', () => {
    const b = createRedialBackoff({ firstMs: 3000, maxMs: 300_000 });
    attempts(b, 'x', 0, 200_000);
    attempts(b, 'y', 0, 200_000);
    expect(b.due('x', 201_000)).toBe(false);
    b.reset('x');
    expect(b.due('x', 201_000)).toBe(true);
    expect(b.due('y', 201_000)).toBe(false);
    b.resetAll();
    expect(b.due('y', 201_000)).toBe(true);
  });
});

// The browser's auto-lock timer with an injected clock and timer: a tick far later than due by
// the wall clock (the machine slept) locks at once; throttled or on-time ticks only check idle.
import { describe, expect, it } from 'vitest';
import { watchForSuspend } from '../../src/node/watchForSuspend';

function harness(slackMs = 60_000) {
  const clock = { t: 1_000_000 };
  const seen: string[] = [];
  let tick: (() => void) | undefined;
  let stopped = false;
  const stop = watchForSuspend({
    everyMs: 5000,
    slackMs,
    now: () => clock.t,
    onTick: () => void seen.push('tick'),
    onSuspend: () => void seen.push('suspend'),
    every: (fn, ms) => {
      expect(ms).toBe(5000);
      tick = fn;
      return () => void (stopped = true);
    },
  });
  const after = (ms: number): void => {
    clock.t += ms;
    tick!();
  };
  return { seen, after, stop, stopped: () => stopped, clock };
}

describe('A13(f): auto-lock notices a suspend in the browser', () => {
  it('A13(f): a wall-clock jump between ticks locks at once; on-time and throttled ticks do not', () => {
    const h = harness();
    h.after(5000);
    h.after(5000 + 50_000); // a throttled background tab: late, within the slack
    expect(h.seen).toEqual(['tick', 'tick']);
    h.after(5000 + 8 * 60 * 60_000); // a night asleep
    expect(h.seen).toEqual(['tick', 'tick', 'suspend']);
    h.after(5000); // awake again: back to idle checks
    h.clock.t -= 3_600_000; // a clock set back is not a sleep
    h.after(5000);
    expect(h.seen).toEqual(['tick', 'tick', 'suspend', 'tick', 'tick']);
    h.stop();
    expect(h.stopped()).toBe(true);
  });
});

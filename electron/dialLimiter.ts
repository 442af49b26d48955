// How fast the renderer may dial through the LAN bridge: a token bucket (so many new dials a
// second, with a small burst) and a cap on dials still connecting, so a page cannot make the
// main process scan the LAN or hold thousands of half-open sockets. The clock is injected.

export interface DialLimits {
  perSecond: number;
  burst: number;
  concurrent: number;
}

/** Enough for libp2p's dialler on a LAN of tens of peers; far from a port scan. */
export const DEFAULT_DIAL_LIMITS: DialLimits = { perSecond: 10, burst: 20, concurrent: 16 };

export interface DialLimiter {
  /** Takes a slot for a new dial; false when the rate or the concurrency cap is reached. */
  begin(): boolean;
  /** Gives the slot back when the dial connected or failed. */
  end(): void;
}

export function createDialLimiter(limits: DialLimits, now: () => number): DialLimiter {
  let tokens = limits.burst;
  let last = now();
  let inFlight = 0;
  return {
    begin() {
      const t = now();
      tokens = Math.min(limits.burst, tokens + ((t - last) / 1000) * limits.perSecond);
      last = t;
      if (tokens < 1 || inFlight >= limits.concurrent) return false;
      tokens -= 1;
      inFlight++;
      return true;
    },
    end() {
      inFlight = Math.max(0, inFlight - 1);
    },
  };
}

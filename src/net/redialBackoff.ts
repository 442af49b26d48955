/**
 * @module redialBackoff — when to dial a kept address again (an invite's peer, a relay): soon
 * after it was lost, then less and less often while it stays unreachable, up to a few minutes;
 * at once again when the device comes back online or the peer connects. Pure: times passed in.
 */

export interface RedialBackoffOptions {
  /** Wait after the first failed attempt (ms); doubled after each further one. */
  firstMs: number;
  /** Longest wait between attempts (ms). */
  maxMs: number;
}

export const DEFAULT_REDIAL_BACKOFF: RedialBackoffOptions = { firstMs: 3000, maxMs: 5 * 60_000 };

export interface RedialBackoff {
  /** Whether `key` may be dialled at `now`. */
  due(key: string, now: number): boolean;
  /** An attempt starts at `now`: the next waits longer unless `reset` comes first. */
  attempted(key: string, now: number): void;
  /** The peer connected: the next loss is redialled soon again. */
  reset(key: string): void;
  /** The device is back online: everything is due at once. */
  resetAll(): void;
}

export function createRedialBackoff(options: RedialBackoffOptions): RedialBackoff {
  const state = new Map<string, { attempts: number; nextAt: number }>();
  return {
    due: (key, now) => now >= (state.get(key)?.nextAt ?? -Infinity),
    attempted(key, now) {
      const s = state.get(key) ?? { attempts: 0, nextAt: 0 };
      // 2^attempts stays finite (the cap is reached long before it matters).
      const wait = Math.min(options.maxMs, options.firstMs * 2 ** Math.min(s.attempts, 30));
      s.attempts += 1;
      s.nextAt = now + wait;
      state.set(key, s);
    },
    reset: (key) => void state.delete(key),
    resetAll: () => state.clear(),
  };
}

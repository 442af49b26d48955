/**
 * @module node/watchForSuspend — the browser's auto-lock timer, which also notices a sleep:
 * timers stop while the machine is suspended and the wall clock does not, so a tick that comes
 * far later than it was due means the machine slept, and the wallet is locked at once rather
 * than when the idle time is next checked. (Electron hears it from the OS: electron/powerLock.)
 */

/** Hidden tabs are woken once a minute at most (Chromium's intensive throttling): a tick later
 * than that, and some, is a sleep, not throttling. */
export const DEFAULT_SUSPEND_SLACK_MS = 2 * 60_000;

export interface SuspendWatchInit {
  /** How often to tick (the idle check). */
  everyMs: number;
  onTick: () => void;
  /** Called instead of onTick when the tick came late by more than the slack. */
  onSuspend: () => void;
  /** The wall clock (Date.now), which moves on while the machine sleeps. */
  now?: () => number;
  slackMs?: number;
  /** Runs `tick` every `ms`; returns how to stop (setInterval by default). */
  every?: (tick: () => void, ms: number) => () => void;
}

const intervalTimer = (tick: () => void, ms: number): (() => void) => {
  const id = setInterval(tick, ms);
  return () => clearInterval(id);
};

/** Starts the watch; returns how to stop it. */
export function watchForSuspend(init: SuspendWatchInit): () => void {
  const now = init.now ?? Date.now;
  const slack = init.slackMs ?? DEFAULT_SUSPEND_SLACK_MS;
  let last = now();
  return (init.every ?? intervalTimer)(() => {
    const t = now();
    const late = t - last - init.everyMs;
    last = t;
    // A clock set back (negative gap) is not a sleep.
    if (late > slack) init.onSuspend();
    else init.onTick();
  }, init.everyMs);
}

/** What the desktop app's preload exposes as `freeholdShell`: the OS's lock signal. */
export interface ShellLockSignal {
  onLock(listener: () => void): () => void;
}

// Locks the wallet when the machine sleeps or the screen locks: the main process hears it from
// the OS (powerMonitor) and tells each page over a channel that carries no data at all.
import type { PowerMonitor } from 'electron';

export const LOCK_CHANNEL = 'freehold:lock';

/** The OS events after which no one should find the wallet open. */
export const LOCK_EVENTS = ['suspend', 'lock-screen'] as const;

export function lockOnSuspend(monitor: Pick<PowerMonitor, 'on'>, lockAll: () => void): void {
  for (const event of LOCK_EVENTS) monitor.on(event as 'suspend', lockAll);
}

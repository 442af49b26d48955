// One desktop app per user: a second launch would open the same IndexedDB and run the same
// validator key twice (double signing). The second process quits and the first shows itself.
import type { App, BrowserWindow } from 'electron';

export type SingleInstanceApp = Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>;
export type FocusableWindow = Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus'>;

/**
 * True when this process is the only instance and should go on; otherwise it quits. The first
 * instance brings its window forward when another launch is attempted.
 */
export function claimSingleInstance(
  app: SingleInstanceApp,
  window: () => FocusableWindow | undefined,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const w = window();
    if (!w) return;
    if (w.isMinimized()) w.restore();
    w.show();
    w.focus();
  });
  return true;
}

// The Electron security checklist applied to our windows and session: no navigation away, no
// new windows, no webviews, every permission refused, and IPC only from our own page.
import type { IpcMainInvokeEvent, Session, WebContents } from 'electron';
import { isAppUrl } from './appProtocol';

/** What of WebContents the hardening touches (an interface, so Node tests can drive it). */
export type HardenedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function hardenWebContents(contents: HardenedContents): void {
  contents.on('will-navigate', (event, url) => {
    // The app is one page; any navigation (a link, a drop, a script) is refused.
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Every permission (camera, notifications, geolocation, …) is refused unless listed here. */
export function denyPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export class UntrustedSenderError extends Error {
  override name = 'UntrustedSenderError' as const;
}

/** Throws unless an IPC message comes from the top frame of our own page. */
export function assertTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): void {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null || !isAppUrl(frame.url)) {
    throw new UntrustedSenderError('IPC from a frame that is not the wallet page.');
  }
}

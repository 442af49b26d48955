// The Electron security checklist applied to our windows and session: no navigation away, no
// new windows, no webviews, every permission refused but the camera for our own page's QR
// scanner, and IPC only from our own page.
import type {
  IpcMainInvokeEvent,
  MediaAccessPermissionRequest,
  PermissionCheckHandlerHandlerDetails,
  Session,
  WebContents,
} from 'electron';
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

/**
 * A camera request for the QR scanner: `media` for video alone, from the top frame of our own
 * page. Chromium asks this handler only when the page calls getUserMedia, which the scanner
 * does when the user presses "Scan"; a microphone, a frame or another origin is refused.
 */
export function isWalletCameraRequest(
  permission: string,
  details: Partial<MediaAccessPermissionRequest> | undefined,
): boolean {
  const types = details?.mediaTypes ?? [];
  return (
    permission === 'media' &&
    details?.isMainFrame === true &&
    isAppUrl(details.requestingUrl ?? '') &&
    types.length > 0 &&
    types.every((t) => t === 'video')
  );
}

/** The synchronous check (permissions.query, device lists): the same rule, for video only. */
export function isWalletCameraCheck(
  permission: string,
  origin: string,
  details: Partial<PermissionCheckHandlerHandlerDetails> | undefined,
): boolean {
  return (
    permission === 'media' &&
    details?.mediaType === 'video' &&
    details.isMainFrame === true &&
    isAppUrl(origin) &&
    (details.requestingUrl === undefined || isAppUrl(details.requestingUrl))
  );
}

/** Every permission (notifications, geolocation, microphone, …) is refused but the scanner's. */
export function guardPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isWalletCameraRequest(permission, details)),
  );
  session.setPermissionCheckHandler((_contents, permission, origin, details) =>
    isWalletCameraCheck(permission, origin, details),
  );
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

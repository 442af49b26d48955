// The Electron security checklist's own code under Node, with stand-ins for WebContents,
// Session and an IPC event (the Electron binary cannot run here): navigation, redirects,
// webviews and new windows are refused, every permission is denied, and only the wallet page's
// top frame may call IPC.
import { describe, expect, it } from 'vitest';
import {
  assertTrustedSender,
  denyPermissions,
  hardenWebContents,
  type HardenedContents,
} from '../../electron/security';

type Handler = (event: { preventDefault(): void; defaultPrevented?: boolean }, url: string) => void;

function standInContents() {
  const handlers = new Map<string, Handler>();
  let openHandler: (() => { action: string }) | undefined;
  const contents = {
    on: (name: string, handler: Handler) => void handlers.set(name, handler),
    setWindowOpenHandler: (handler: () => { action: string }) => void (openHandler = handler),
  } as unknown as HardenedContents;
  const fire = (name: string, url: string): boolean => {
    let prevented = false;
    handlers.get(name)?.({ preventDefault: () => void (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: () => openHandler?.() };
}

describe('Electron security checklist (Node, stand-in Electron objects)', () => {
  it('refuses navigation away, redirects, webviews and window.open', () => {
    const c = standInContents();
    hardenWebContents(c.contents);
    expect(c.fire('will-navigate', 'https://example.org/')).toBe(true);
    expect(c.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(c.fire('will-navigate', 'app://freehold/')).toBe(false);
    expect(c.fire('will-redirect', 'app://freehold/')).toBe(true);
    expect(c.fire('will-attach-webview', 'app://freehold/')).toBe(true);
    expect(c.open()).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: ((...args: unknown[]) => boolean) | undefined;
    denyPermissions({
      setPermissionRequestHandler: (h: typeof request) => void (request = h),
      setPermissionCheckHandler: (h: typeof check) => void (check = h),
    } as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      let answer: boolean | undefined;
      request!(null, permission, (ok) => (answer = ok));
      expect(answer, permission).toBe(false);
      expect(check!(null, permission, 'app://freehold')).toBe(false);
    }
  });

  it('takes IPC only from the top frame of the wallet page', () => {
    const event = (url: string, parent: unknown = null) =>
      ({ senderFrame: { url, parent } }) as never;
    expect(() => assertTrustedSender(event('app://freehold/'))).not.toThrow();
    expect(() => assertTrustedSender(event('https://evil.example/'))).toThrow(
      expect.objectContaining({ name: 'UntrustedSenderError' }),
    );
    expect(() => assertTrustedSender(event('app://freehold/', {}))).toThrow();
    expect(() => assertTrustedSender({ senderFrame: null })).toThrow();
  });
});

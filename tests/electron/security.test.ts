// The Electron security checklist's own code under Node, with stand-ins for WebContents,
// Session and an IPC event (the Electron binary cannot run here): navigation, redirects,
// webviews and new windows are refused, every permission is denied but the QR scanner's camera,
// only the wallet page's top frame may call IPC, one instance runs, and the OS's sleep and
// screen lock reach the page as a lock signal.
import { describe, expect, it } from 'vitest';
import { LOCK_CHANNEL, lockOnSuspend } from '../../electron/powerLock';
import {
  assertTrustedSender,
  guardPermissions,
  hardenWebContents,
  type HardenedContents,
} from '../../electron/security';
import { claimSingleInstance, type FocusableWindow } from '../../electron/singleInstance';

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
    guardPermissions({
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

  it("A13(g): allows the camera (video only) to the wallet page's top frame, nothing else", () => {
    type Request = (c: unknown, p: string, cb: (ok: boolean) => void, d: unknown) => void;
    type Check = (c: unknown, p: string, origin: string, d: unknown) => boolean;
    let request: Request | undefined;
    let check: Check | undefined;
    guardPermissions({
      setPermissionRequestHandler: (h: Request) => void (request = h),
      setPermissionCheckHandler: (h: Check) => void (check = h),
    });
    const asks = (permission: string, details: object): boolean => {
      let answer: boolean | undefined;
      request!(null, permission, (ok) => (answer = ok), details);
      if (answer === undefined) throw new Error('the handler did not answer');
      return answer;
    };
    const page = { isMainFrame: true, requestingUrl: 'app://freehold/' };
    expect(asks('media', { ...page, mediaTypes: ['video'] })).toBe(true);
    expect(asks('media', { ...page, mediaTypes: ['audio'] })).toBe(false);
    expect(asks('media', { ...page, mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(asks('media', { ...page, mediaTypes: [] })).toBe(false);
    expect(asks('media', { ...page, isMainFrame: false, mediaTypes: ['video'] })).toBe(false);
    expect(
      asks('media', {
        isMainFrame: true,
        requestingUrl: 'https://evil.example/',
        mediaTypes: ['video'],
      }),
    ).toBe(false);
    for (const other of ['geolocation', 'notifications', 'clipboard-read', 'display-capture'])
      expect(asks(other, page), other).toBe(false);
    expect(check!(null, 'media', 'app://freehold', { ...page, mediaType: 'video' })).toBe(true);
    expect(check!(null, 'media', 'app://freehold', { ...page, mediaType: 'audio' })).toBe(false);
    expect(check!(null, 'media', 'https://evil.example', { ...page, mediaType: 'video' })).toBe(
      false,
    );
    expect(
      check!(null, 'media', 'app://freehold', { ...page, isMainFrame: false, mediaType: 'video' }),
    ).toBe(false);
  });

  it('A6: a second launch quits, and the first brings its window forward', () => {
    const standInApp = (locked: boolean) => {
      const handlers = new Map<string, () => void>();
      const app = {
        quits: 0,
        requestSingleInstanceLock: () => !locked,
        quit: () => void app.quits++,
        on: (name: string, handler: () => void) => void handlers.set(name, handler),
        fire: (name: string) => handlers.get(name)?.(),
      };
      return app;
    };
    const calls: string[] = [];
    const window: FocusableWindow = {
      isMinimized: () => true,
      restore: () => void calls.push('restore'),
      show: () => void calls.push('show'),
      focus: () => void calls.push('focus'),
    };
    const first = standInApp(false);
    expect(claimSingleInstance(first as never, () => window)).toBe(true);
    expect(first.quits).toBe(0);
    const second = standInApp(true);
    expect(claimSingleInstance(second as never, () => window)).toBe(false);
    expect(second.quits).toBe(1);
    first.fire('second-instance');
    expect(calls).toEqual(['restore', 'show', 'focus']);
    // No window yet (still starting): nothing to focus, and nothing breaks.
    const starting = standInApp(false);
    claimSingleInstance(starting as never, () => undefined);
    expect(() => starting.fire('second-instance')).not.toThrow();
  });

  it('A13(f): suspend and screen lock reach the page as a lock signal', () => {
    const handlers = new Map<string, () => void>();
    let locks = 0;
    lockOnSuspend(
      { on: (name: string, h: () => void) => void handlers.set(name, h) } as never,
      () => locks++,
    );
    handlers.get('suspend')?.();
    handlers.get('lock-screen')?.();
    expect(locks).toBe(2);
    expect(handlers.has('resume')).toBe(false);
    expect(LOCK_CHANNEL).not.toBe('freehold:lan');
  });
});

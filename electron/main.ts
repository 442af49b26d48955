// The desktop app's main process: one window showing the wallet from app://freehold (a scheme
// registered standard and secure before `ready`, so IndexedDB and crypto.subtle work), with the
// Electron security checklist applied, and the LAN side of the network: TCP sockets and mDNS
// (lanHost, lanDiscovery) whose bytes it carries for the renderer's node over one IPC channel.
// It never receives a key: the node, noise included, runs in the renderer. One instance runs
// per user, and the wallet locks when the machine sleeps or the screen locks.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  ipcMain,
  powerMonitor,
  protocol,
  session,
  type WebContents,
} from 'electron';
import { APP_ORIGIN, APP_SCHEME, headersFor, isAppUrl, resolveAppPath } from './appProtocol';
import { createLanHost, type LanHost } from './lanHost';
import { LOCK_CHANNEL, lockOnSuspend } from './powerLock';
import { assertTrustedSender, guardPermissions, hardenWebContents } from './security';
import { claimSingleInstance } from './singleInstance';

/** The built wallet (vite build), beside this file in the packaged app: dist/app. */
const APP_ROOT = join(import.meta.dirname, '..', 'app');

protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, allowServiceWorkers: true },
  },
]);
app.enableSandbox();

async function serve(request: Request): Promise<Response> {
  const file = resolveAppPath(APP_ROOT, request.url);
  if (!file) return new Response('Not found', { status: 404 });
  try {
    return new Response(await readFile(file), { headers: headersFor(file) });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

function openWindow(): void {
  const window = new BrowserWindow({
    width: 1200,
    height: 860,
    title: 'Freehold',
    backgroundColor: '#f4f5f2',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: join(import.meta.dirname, 'preload.cjs'),
    },
  });
  window.removeMenu();
  void window.loadURL(`${APP_ORIGIN}/`);
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

/** One LAN host (TCP sockets) per page, closed with it. */
const lanHosts = new Map<WebContents, LanHost>();
const LAN_CHANNEL = 'freehold:lan';

function lanHostFor(contents: WebContents): LanHost {
  let host = lanHosts.get(contents);
  if (!host) {
    host = createLanHost((event) => {
      if (!contents.isDestroyed()) contents.send(LAN_CHANNEL, event);
    });
    lanHosts.set(contents, host);
    contents.once('destroyed', () => {
      void host?.close();
      lanHosts.delete(contents);
    });
  }
  return host;
}

ipcMain.on(LAN_CHANNEL, (event, message: unknown) => {
  try {
    assertTrustedSender(event);
  } catch {
    return; // not the wallet page: nothing is done for it
  }
  lanHostFor(event.sender).handle(message);
});

/** Tells every wallet page to lock (its node stops signing with the spending keys). */
function lockAllPages(): void {
  for (const window of BrowserWindow.getAllWindows()) {
    const contents = window.webContents;
    if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(LOCK_CHANNEL);
  }
}

// A second launch quits at once; it must not open the same database and keys.
if (claimSingleInstance(app, () => BrowserWindow.getAllWindows()[0])) {
  void app.whenReady().then(() => {
    guardPermissions(session.defaultSession);
    protocol.handle(APP_SCHEME, serve);
    lockOnSuspend(powerMonitor, lockAllPages);
    openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

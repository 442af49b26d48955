// The desktop app's main process: one window showing the wallet from app://freehold (a scheme
// registered standard and secure before `ready`, so IndexedDB and crypto.subtle work), with the
// Electron security checklist applied. It never receives a key: the node runs in the renderer.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, protocol, session } from 'electron';
import { APP_ORIGIN, APP_SCHEME, headersFor, resolveAppPath } from './appProtocol';
import { denyPermissions, hardenWebContents } from './security';

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
    },
  });
  window.removeMenu();
  void window.loadURL(`${APP_ORIGIN}/`);
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

void app.whenReady().then(() => {
  denyPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, serve);
  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Boot: read the page's configuration (which household nodes to reach), open the wallet over
// IndexedDB and the browser network, feed the store, and render. Also: auto-lock on idle,
// online/offline, persistent storage, and the service worker that lets the app open offline.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { LanBridge } from '../src/net/lanBridgeProtocol';
import { openBrowserWallet } from '../src/node/openBrowserWallet';
import { watchForSuspend, type ShellLockSignal } from '../src/node/watchForSuspend';
import { App } from './App';
import { createAppStore } from './store/createAppStore';
import { StoreContext } from './store/useApp';
import './styles.css';

interface PageConfig {
  relays: string[];
  lanOnly: boolean;
  demo: { chainId: string; name: string } | null;
}

/** How often the idle clock is checked. */
const IDLE_CHECK_MS = 5000;

async function loadConfig(): Promise<PageConfig> {
  try {
    const response = await fetch('./config.json', { cache: 'no-cache' });
    if (!response.ok) throw new Error(String(response.status));
    const value = (await response.json()) as Partial<PageConfig>;
    const demo = value.demo;
    return {
      relays: Array.isArray(value.relays) ? value.relays.filter((r) => typeof r === 'string') : [],
      lanOnly: value.lanOnly !== false,
      demo:
        demo && typeof demo.chainId === 'string' && typeof demo.name === 'string'
          ? { chainId: demo.chainId, name: demo.name }
          : null,
    };
  } catch {
    return { relays: [], lanOnly: true, demo: null };
  }
}

async function boot(): Promise<void> {
  const config = await loadConfig();
  // In the desktop app the preload exposes the LAN bridge; in a browser there is none.
  const lanBridge = (window as { freeholdLan?: LanBridge }).freeholdLan;
  const wallet = openBrowserWallet({
    relays: config.relays,
    lanOnly: config.lanOnly,
    ...(lanBridge && { lanBridge }),
  });
  const store = createAppStore(wallet);
  const state = store.getState;
  store.setState({ demoChain: config.demo });

  const touch = (): void => wallet.touch();
  for (const type of ['pointerdown', 'keydown'] as const)
    window.addEventListener(type, touch, { passive: true });
  // Idle checks, and a lock at once after a sleep (a late tick) or the OS's lock (desktop).
  const lockNow = (): void => void wallet.lock();
  watchForSuspend({
    everyMs: IDLE_CHECK_MS,
    onTick: () => void wallet.lockIfIdle(),
    onSuspend: lockNow,
  });
  (window as { freeholdShell?: ShellLockSignal }).freeholdShell?.onLock(lockNow);

  const setOnline = (): void => {
    wallet.setOnline(navigator.onLine);
    state().setOnline(navigator.onLine);
  };
  window.addEventListener('online', setOnline);
  window.addEventListener('offline', setOnline);
  setOnline();

  void navigator.storage
    ?.persist?.()
    .then((granted) => state().setPersisted(granted))
    .catch(() => state().setPersisted(false));

  if ('serviceWorker' in navigator && import.meta.env.PROD) {
    navigator.serviceWorker
      .register('./sw.js', { scope: './' })
      .catch((error: unknown) => console.warn('The wallet cannot be kept for offline use:', error));
  }

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <StoreContext value={store}>
        <App />
      </StoreContext>
    </StrictMode>,
  );
  await wallet.load();
}

void boot();

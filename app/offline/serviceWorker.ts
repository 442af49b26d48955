// The service worker that lets the wallet open with no network: it keeps the app shell (every
// file of the build) in a cache named after the build, serves it cache-first, and fetches the
// page's configuration from the network when it can. Built by offlineShell.ts with the list of
// files filled in.
/// <reference lib="webworker" />
export type {};
declare const self: ServiceWorkerGlobalScope;
declare const SHELL_FILES: string[];
declare const SHELL_VERSION: string;

const CACHE = `freehold-shell-${SHELL_VERSION}`;
const CONFIG = 'config.json';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(['./', ...SHELL_FILES]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.endsWith(`/${CONFIG}`)) {
    // Network first: the household node's address may have changed; the last one otherwise.
    event.respondWith(
      fetch(request)
        .then(async (response) => {
          if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
          return response;
        })
        .catch(async () => (await caches.match(request)) ?? Response.error()),
    );
    return;
  }
  event.respondWith(
    (async () => {
      const cached =
        (await caches.match(request, { ignoreSearch: true })) ??
        (request.mode === 'navigate' ? await caches.match('./') : undefined);
      return cached ?? fetch(request);
    })(),
  );
});

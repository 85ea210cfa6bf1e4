// Abacus's service worker: after its first load the app works offline (a workshop's Wi-Fi
// fails). index.html registers it from its own folder, so its scope is wherever the site is
// served (any sub-path), and it touches nothing outside that scope or of another origin.
//
// - The page itself (a navigation to the scope): network first, so a new deploy is seen at
//   once; offline, the last copy fetched.
// - The build's hashed files (`abacus-web-HASH.js`, `abacus-web-HASH_bg.wasm`,
//   `app-HASH.css`): cache first. Trunk names the JS and the wasm of one build by one hash and
//   the page names them, so a page only ever loads the JS and wasm of its own build: a cached
//   wasm is never served beside another build's JS. A page fetched from the network drops the
//   hashed files it no longer names, and precaches those it does.
// - Everything else in scope (gallery.json, the reference data): network first, the cached copy
//   offline. Files the page loaded before this worker took over are sent to it by the page
//   (a `{cache: [url...]}` message) and cached then.
const CACHE = 'abacus-offline-v1';
const HASHED = /-[0-9a-f]{8,}(_bg)?\.(js|wasm|css)$/;
const scope = () => self.registration.scope;

/** The `./…` files a page names (its script, wasm and stylesheet), as absolute URLs. */
function assetsOf(html) {
  const urls = new Set();
  for (const m of html.matchAll(/["'](\.\/[^"'\s]+)["']/g)) urls.add(new URL(m[1], scope()).href);
  return [...urls];
}

/** Keeps the page `html` and its files; drops hashed files of other builds. */
async function keepPage(cache, response) {
  const html = await response.clone().text();
  const named = new Set(assetsOf(html));
  await cache.put(scope(), response);
  for (const request of await cache.keys()) {
    if (HASHED.test(new URL(request.url).pathname) && !named.has(request.url)) await cache.delete(request);
  }
  await Promise.all([...named].map(async (url) => {
    if (!(await cache.match(url))) {
      const r = await fetch(url);
      if (r.ok) await cache.put(url, r);
    }
  }));
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const page = await fetch(scope(), { cache: 'no-cache' });
    if (page.ok) await keepPage(cache, page);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('abacus-offline-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function networkFirst(request, key, onFresh) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await onFresh(cache, response.clone(), key);
    return response;
  } catch (offline) {
    return (await cache.match(key, { ignoreSearch: true })) ?? Response.error();
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(scope())) return;
  const url = new URL(request.url);
  const page = url.href.split(/[?#]/)[0];
  if (request.mode === 'navigate' && (page === scope() || page === `${scope()}index.html`)) {
    event.respondWith(networkFirst(request, scope(), (cache, response) => keepPage(cache, response)));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(networkFirst(request, request, (cache, response, key) => cache.put(key, response)));
  }
});

self.addEventListener('message', (event) => {
  const urls = (event.data && Array.isArray(event.data.cache) ? event.data.cache : [])
    .filter((u) => typeof u === 'string' && u.startsWith(scope()) && !u.endsWith('/sw.js'));
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const url of urls) {
      if (await cache.match(url)) continue;
      try {
        const r = await fetch(url);
        if (r.ok) await cache.put(url, r);
      } catch (offline) {
        // cached on its next fetch instead
      }
    }
  })());
});

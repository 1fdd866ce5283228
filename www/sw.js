// The offline worker: after the first visit the sandbox (page, styles,
// modules, the wasm engine) is served from a versioned cache, so it works
// with the network cut. Cache first for speed and offline use; each hit is
// refreshed from the network in the background so an updated site shows up
// on the next load. Registered by js/app.js on http(s) only.
//
// PRECACHE is a literal list because www/ has no build step besides the
// wasm; tests/e2e/offline.spec.ts fails when a .js or .css file under www/
// is missing from it (or when it names a file that no longer exists).
// Bump the version in CACHE when the list changes so old caches are dropped.
const CACHE_PREFIX = "cavra-sandbox-";
const CACHE = `${CACHE_PREFIX}v1`;

const PRECACHE = [
  "./",
  "index.html",
  "css/cavra.css",
  "css/views/dashboard.css",
  "css/views/evidence.css",
  "css/views/policy.css",
  "css/views/posture.css",
  "css/views/simulator.css",
  "js/app.js",
  "js/charts.js",
  "js/decision-card.js",
  "js/dom.js",
  "js/engine.js",
  "js/markdown.js",
  "js/policy-editor.js",
  "js/scenarios.js",
  "js/shell/palette.js",
  "js/shell/preferences.js",
  "js/shell/router.js",
  "js/shell/share.js",
  "js/shell/status.js",
  "js/store.js",
  "js/views/dashboard.js",
  "js/views/evidence.js",
  "js/views/policy.js",
  "js/views/posture.js",
  "js/views/simulator.js",
  "pkg/cavra_web.js",
  "pkg/cavra_web_bg.wasm",
];

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(dropOldCaches().then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(cacheFirst(request, event));
});

/** Fetches every shell file past the HTTP cache, so a new version never precaches an old file. */
async function precache() {
  const cache = await caches.open(CACHE);
  await cache.addAll(PRECACHE.map((path) => new Request(path, { cache: "reload" })));
}

/** Deletes the caches of earlier versions of this worker (and only those). */
async function dropOldCaches() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE).map((name) => caches.delete(name)));
}

/** The cached copy if there is one (refreshed in the background), else the network's answer, cached when it is good. */
async function cacheFirst(request, event) {
  const cache = await caches.open(CACHE);
  const cached = await cachedResponse(cache, request);
  const fromNetwork = refresh(cache, request);
  if (cached) {
    event.waitUntil(fromNetwork);
    return cached;
  }
  const response = await fromNetwork;
  return response ?? offlineResponse(request);
}

/** Any page navigation (e.g. "/?x" or "/index.html") is answered by the cached page; the fragment never reaches us. */
async function cachedResponse(cache, request) {
  const hit = await cache.match(request, { ignoreSearch: request.mode === "navigate" });
  if (hit || request.mode !== "navigate") return hit;
  return cache.match("index.html");
}

/** The network's response, stored when it is a complete same-origin 200; undefined when offline. */
async function refresh(cache, request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.status === 200 && response.type === "basic") {
      await cache.put(request, response.clone());
    }
    return response;
  } catch {
    // Offline or the server is gone: the cached copy (or offlineResponse) answers instead.
    return undefined;
  }
}

function offlineResponse(request) {
  const body = request.mode === "navigate"
    ? "The CAVRA sandbox is offline and this page was not saved yet. Open it once while online."
    : "Offline, and this file is not in the sandbox's cache.";
  return new Response(body, { status: 503, statusText: "Offline", headers: { "content-type": "text/plain; charset=utf-8" } });
}

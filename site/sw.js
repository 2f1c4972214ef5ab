// Service worker: the second visit loads the site from this cache, offline too.
// build.py fills in BUILD_ID (a hash of the site's files) and ASSETS (the files to keep).
const CACHE = "playground-" + /*@BUILD_ID@*/"dev";
const ASSETS = /*@ASSETS@*/[];

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // older builds' files go; the Python snapshot (worker.js) checks its own build on restore
    for (const key of await caches.keys()) {
      if (key !== CACHE && key !== "playground-snapshot") await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

// After the first visit became interactive the page asks what to keep, and caches it itself:
// the first visit's files came before this worker controlled the page, and only the page's own
// requests find them in the browser's HTTP cache (this worker's requests do not: they would
// download everything a second time).
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "precache" && event.source) {
    event.source.postMessage({type: "precache-list", cache: CACHE, assets: ASSETS});
  }
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  // the page's precache requests: left to the browser, which answers them from its HTTP cache
  if (req.cache === "force-cache") return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // the page itself is looked up without its query: every deep link is the same file
    const key = url.pathname.endsWith("/") || url.pathname.endsWith(".html")
      ? new Request(url.origin + url.pathname) : req;
    // the site's files do not vary by query (the worker's URL carries the page's deep link)
    const hit = await cache.match(key, {ignoreSearch: true});
    // a fresh Response has no URL of its own, so the request's (with its query) stays: the
    // worker reads the deep link from its own location
    if (hit) return hit.url === req.url ? hit : new Response(hit.body, hit);
    const response = await fetch(req);
    if (response.ok) cache.put(key, response.clone());
    return response;
  })());
});

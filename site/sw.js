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

// After the first visit became interactive the page asks for the rest to be cached, so
// caching never competes with the first load. The first visit's files came before this worker
// controlled the page: "force-cache" takes them from the browser's HTTP cache instead of
// downloading them a second time.
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "precache") {
    event.waitUntil(caches.open(CACHE).then((cache) =>
      Promise.all(ASSETS.map((url) => cache.match(url).then((hit) => hit ||
        fetch(url, {cache: "force-cache"})
          .then((response) => response.ok ? cache.put(url, response) : null)
          .catch(() => null))))));
  }
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // the page itself is looked up without its query: every deep link is the same file
    const key = url.pathname.endsWith("/") || url.pathname.endsWith(".html")
      ? new Request(url.origin + url.pathname) : req;
    const hit = await cache.match(key);
    if (hit) return hit;
    const response = await fetch(req);
    if (response.ok) cache.put(key, response.clone());
    return response;
  })());
});

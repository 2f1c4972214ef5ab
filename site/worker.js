// The site's Pyodide worker. build.py writes it as app.js in place of the worker that
// `panel convert --to pyodide-worker` generates, keeping that worker's app code: this one
// loads everything from the site itself (./pyodide/), reports named loading stages with
// bytes, accepts an interrupt buffer (so Stop can end runaway code), and gives the app the
// page's query string (deep links) before it starts.
//
// build.py fills in: PYODIDE_URL, PACKAGES (names in ./pyodide/pyodide-lock.json),
// PACKAGE_BYTES, RUNTIME_BYTES and APP_CODE.

const PACKAGES = /*@PACKAGES@*/[];
const PACKAGE_BYTES = /*@PACKAGE_BYTES@*/{};
const PACKAGE_FILES = /*@PACKAGE_FILES@*/{};  // name -> [file name, "sha256-..." integrity]
const RUNTIME_BYTES = /*@RUNTIME_BYTES@*/0;
const INDEX_URL = new URL(/*@PYODIDE_URL@*/"./pyodide/pyodide.js", self.location.href)
  .href.replace(/pyodide\.js$/, "");

// The wheels download while the runtime starts, not after it: Pyodide asks for them only once
// Python is up, so its fetches of these URLs get the requests already under way. Same URL and
// same integrity as Pyodide's own request, so its hash check still applies.
// A worker named "playground-snapshot" only makes the runtime snapshot (below): no wheels.
const MAKES_SNAPSHOT = self.name === "playground-snapshot";
const prefetched = new Map();
for (const name of MAKES_SNAPSHOT ? [] : PACKAGES) {
  const [file, integrity] = PACKAGE_FILES[name] || [];
  if (!file) continue;
  const url = new URL(file, INDEX_URL).href;
  const response = fetch(url, {integrity: integrity});
  response.catch(() => {});  // a failure is reported when Pyodide asks for it
  prefetched.set(url, response);
}
const fetchFromNetwork = self.fetch.bind(self);
self.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input), self.location.href).href;
  const response = prefetched.get(url);
  if (response === undefined) return fetchFromNetwork(input, init);
  prefetched.delete(url);  // a body can be read once; a second request goes to the network
  return response;
};

importScripts(/*@PYODIDE_URL@*/"./pyodide/pyodide.js");

function status(stage, text, done, total) {
  self.postMessage({type: "status", stage: stage, msg: text, done: done, total: total});
}

// When each start-up step ended, on the page's clock (the page keeps them in
// window.playgroundTimings; tests/benchmarks/bench_site.py reports where the time goes)
function mark(step) {
  self.postMessage({type: "timing", step: step, at: performance.timeOrigin + performance.now()});
}

function sendPatch(patch, buffers, msg_id) {
  self.postMessage({type: "patch", patch: patch, buffers: buffers});
}

async function loadPackages() {
  const total = PACKAGES.reduce((sum, name) => sum + (PACKAGE_BYTES[name] || 0), 0);
  let done = 0;
  status("packages", "Loading packages", done, total);
  await self.pyodide.loadPackage(PACKAGES, {
    checkIntegrity: true,
    messageCallback: (text) => {
      // Pyodide reports "Loaded numpy, panel, ..." as packages finish
      const m = /^Loaded (.*)$/.exec(text);
      if (!m) return;
      for (const name of m[1].split(", ")) done += PACKAGE_BYTES[name.trim()] || 0;
      status("packages", "Loading packages", done, total);
    },
    errorCallback: (text) => console.error(text),
  });
}

// -- a memory snapshot of the started runtime, for the next visits ---------------------------
// Starting Python (the interpreter's own start-up, before any package) takes seconds. Pyodide
// can snapshot the runtime's memory right after that start and later restore it in a fraction
// of the time. Pyodide 0.27 cannot snapshot after a package with compiled code (numpy) is
// loaded, so the snapshot holds the bare runtime: packages still load on every visit.
// Shipping it would add 5 MB to the first visit; instead the page asks a second worker to make
// it once the first visit is interactive and idle, from files already in the HTTP cache, and it
// is kept in Cache Storage for the next visits (and for restarts after Stop).
// Pyodide does not survive restoring a damaged snapshot (it waits forever), so one is used only
// if its SHA-256 matches the digest saved with it, and its key names the Pyodide version.
const SNAPSHOT_CACHE = "playground-snapshot";
const PYODIDE_VERSION = /*@PYODIDE_VERSION@*/"";
const SNAPSHOT_KEY = new URL(`./python-runtime-${PYODIDE_VERSION}.snapshot`, INDEX_URL).href;
const DIGEST_HEADER = "X-Playground-SHA256";

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function readSnapshot() {
  try {
    if (!self.caches) return null;
    const hit = await (await caches.open(SNAPSHOT_CACHE)).match(SNAPSHOT_KEY);
    if (!hit) return null;
    const bytes = new Uint8Array(await hit.arrayBuffer());
    if (hit.headers.get(DIGEST_HEADER) !== await sha256(bytes)) {
      console.warn("the saved Python snapshot is damaged: starting without it");
      await dropSnapshot();
      return null;
    }
    return bytes;
  } catch (e) {
    return null;  // storage unavailable (private mode, quota): start without it
  }
}

async function dropSnapshot() {
  try { await caches.delete(SNAPSHOT_CACHE); } catch (e) { /* nothing to drop */ }
}

async function makeSnapshot() {
  const py = await loadPyodide({indexURL: INDEX_URL, _makeSnapshot: true});
  const snapshot = py.makeMemorySnapshot();
  const cache = await caches.open(SNAPSHOT_CACHE);
  await cache.put(SNAPSHOT_KEY, new Response(snapshot, {
    headers: {"Content-Type": "application/octet-stream", [DIGEST_HEADER]: await sha256(snapshot)}}));
  return snapshot.byteLength;
}

async function startRuntime() {
  const snapshot = await readSnapshot();
  if (snapshot) {
    try {
      const py = await loadPyodide({indexURL: INDEX_URL, _loadSnapshot: snapshot});
      // a snapshot repeats its random state: reseed Python's generator from the OS
      py.runPython("import random; random.seed()");
      self.usedSnapshot = true;
      return py;
    } catch (e) {  // made by another Pyodide build, or damaged: start the usual way
      console.warn("the saved Python snapshot did not restore, starting without it:", e);
      await dropSnapshot();
    }
  }
  self.usedSnapshot = false;
  return await loadPyodide({indexURL: INDEX_URL});
}

async function startApplication() {
  mark("worker");
  status("runtime", "Starting Python", 0, RUNTIME_BYTES);
  self.pyodide = await startRuntime();
  if (self.interruptBuffer) self.pyodide.setInterruptBuffer(self.interruptBuffer);
  mark("runtime");
  status("runtime", "Starting Python", RUNTIME_BYTES, RUNTIME_BYTES);
  await loadPackages();
  mark("packages");
  status("app", "Starting the lessons", 0, 1);
  // browser-only preparations (e.g. the pandas stand-in) before Panel is imported
  // playground.browser also holds the Python side of the page's messages (compiled once)
  self.browser = self.pyodide.pyimport("playground.browser");
  self.browser.prepare();
  self.pyodide.pyimport("panel").destroy();  // the app's first import, timed on its own
  mark("panel");
  const code = /*@APP_CODE@*/``;
  try {
    const [docs_json, render_items, root_ids] = await self.pyodide.runPythonAsync(code);
    mark("app");
    self.postMessage({type: "render", docs_json: docs_json, render_items: render_items,
                      root_ids: root_ids, snapshotWanted: !self.usedSnapshot});
  } catch (e) {
    const lines = `${e}`.split("\n");
    self.postMessage({type: "error", msg: lines[lines.length - 2] || `${e}`});
    throw e;
  }
}

const pending = [];  // messages that arrive while Python is still starting
let started = null;

self.onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === "make-snapshot") {
    makeSnapshot().then((bytes) => self.postMessage({type: "snapshot-saved", bytes: bytes}),
                        (e) => self.postMessage({type: "snapshot-failed", msg: `${e}`}));
    return;
  }
  if (msg.type === "start") {
    self.interruptBuffer = msg.interruptBuffer || null;
    started = startApplication();
    return;
  }
  await started;
  if (msg.type === "rendered") {
    try {
      self.browser.link_page(sendPatch);
    } catch (e) {
      console.error("the page and Python could not be linked: " + e);
    }
  } else if (msg.type === "patch") {
    try {
      self.browser.apply_patch(msg.patch);
    } finally {
      self.postMessage({type: "idle"});
    }
  } else if (msg.type === "location") {
    self.browser.set_location(msg.location);
  }
};

// The page side of the site: starts the Pyodide worker (app.js), shows the loading stages,
// renders the app the worker builds over the pre-rendered page, and keeps page and worker in
// sync. build.py puts it in place of the inline handler `panel convert` writes.
//
// Stop: when the page is cross-origin isolated (COOP/COEP headers, see README) the worker
// shares an interrupt buffer with the page, and Stop writes SIGINT into it: the running code
// raises KeyboardInterrupt within milliseconds. Without isolation there is no shared memory,
// so Stop terminates the worker and starts a fresh one, which rebuilds the lesson from the URL
// (all lesson state lives there) and gets the scratchpad's code back from sessionStorage.
(function () {
  "use strict";
  const STAGES = ["runtime", "packages", "app"];
  const STAGE_NAMES = {runtime: "Python runtime", packages: "packages", app: "lessons"};
  // build.py fills in the lessons' titles and the one the page was pre-rendered with. A deep
  // link to another lesson shows that one until Python has built the lesson asked for, so the
  // loading bar names the lesson that is coming.
  const LESSON_TITLES = /*@LESSON_TITLES@*/{};
  const PRERENDERED = /*@PRERENDERED_LESSON@*/"";
  const wanted = new URLSearchParams(window.location.search).get("lesson");
  const opening = wanted && wanted !== PRERENDERED ? LESSON_TITLES[wanted] : undefined;
  let worker = null;
  let patching = 0;
  let jsdoc = null;
  let lastActivity = 0;  // performance.now() of the last change between page and Python
  let snapshotScheduled = false;
  // ms from the page's navigation to the end of each start-up step (the worker's marks, then
  // "rendered": the live app on screen); a restart after Stop starts a new record
  window.playgroundTimings = {};

  function $(sel) { return document.querySelector(sel); }

  // Panel renders each component in its own shadow root: search through all of them
  function findDeep(root, sel) {
    const hit = root.querySelector(sel);
    if (hit) return hit;
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) {
        const inner = findDeep(el.shadowRoot, sel);
        if (inner) return inner;
      }
    }
    return null;
  }

  // -- the loading bar: named stages with bytes ------------------------------------------
  function loader() {
    let el = $(".pg-loader");
    if (!el) {
      el = document.createElement("div");
      el.className = "pg-loader";
      el.setAttribute("role", "status");
      el.innerHTML = '<div class="pg-loader-target"></div><div class="pg-loader-stages"></div>' +
                     '<div class="pg-loader-bar"><div class="pg-loader-fill"></div></div>' +
                     '<div class="pg-loader-text"></div>';
      if (opening) el.querySelector(".pg-loader-target").textContent = `Opening ${opening}`;
      document.body.appendChild(el);
    }
    return el;
  }

  function mb(n) { return (n / 1e6).toFixed(1) + " MB"; }

  function showStatus(msg) {
    const el = loader();
    const i = Math.max(0, STAGES.indexOf(msg.stage));
    el.querySelector(".pg-loader-stages").innerHTML = STAGES.map((s, k) =>
      `<span class="${k < i ? "done" : k === i ? "now" : ""}">${STAGE_NAMES[s]}</span>`
    ).join(" › ");
    const frac = msg.total ? Math.min(1, msg.done / msg.total) : 0;
    el.querySelector(".pg-loader-fill").style.width =
      ((i + frac) / STAGES.length * 100).toFixed(1) + "%";
    el.querySelector(".pg-loader-text").textContent = msg.total > 1
      ? `${msg.msg}: ${mb(msg.done)} of ${mb(msg.total)}` : msg.msg;
  }

  function showError(text) {
    const el = loader();
    el.classList.add("pg-loader-error");
    el.querySelector(".pg-loader-text").textContent = "Could not start: " + text;
  }

  // -- page <-> worker ---------------------------------------------------------------------
  // The bounds BokehJS computes for a plot's automatic (DataRange1d) axes: Python never reads
  // them, and sending them after every redraw would make Python apply a change nobody wants
  // while the student's next slider move waits behind it.
  function computedBounds(event) {
    return (event.attr === "start" || event.attr === "end") && event.model != null &&
           event.model.constructor.__name__ === "DataRange1d";
  }

  function sendChange(event) {
    if ((event.setter_id != null && event.setter_id === "py") || patching > 0) return;
    if (computedBounds(event)) return;
    lastActivity = performance.now();
    if (worker.busy && event.model && event.attr) {
      worker.queue = worker.queue.filter((e) => !(e.model === event.model &&
                                                  e.attr === event.attr));
      worker.queue.push(event);
      return;
    }
    worker.busy = true;
    worker.postMessage({type: "patch", patch: jsdoc.create_json_patch([event])});
  }

  async function render(msg) {
    const docs_json = JSON.parse(msg.docs_json);
    const render_items = JSON.parse(msg.render_items);
    const root_ids = JSON.parse(msg.root_ids);
    const roots = {};
    const data_roots = [];
    for (const el of document.querySelectorAll("[data-root-id]")) {
      el.innerHTML = "";
      data_roots.push([el.getAttribute("data-root-id"), el.id]);
    }
    data_roots.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (let i = 0; i < data_roots.length; i++) roots[root_ids[i]] = data_roots[i][1];
    render_items[0].roots = roots;
    render_items[0].root_ids = root_ids;
    Bokeh.index.roots.map((v) => v.remove());  // the pre-rendered page goes
    const [views] = await Bokeh.embed.embed_items(docs_json, render_items);
    window.playgroundTimings.rendered = performance.now();
    document.body.classList.remove("pn-loading", "pn-arc");
    const el = $(".pg-loader");
    if (el) el.remove();
    jsdoc = [...views.roots.values()][0].model.document;
    jsdoc.on_change(sendChange, false);
    worker.postMessage({type: "rendered"});
    worker.postMessage({type: "location", location: JSON.stringify(window.location)});
    window.dispatchEvent(new CustomEvent("playground:interactive"));
    window.playgroundStartedFromSnapshot = !msg.snapshotWanted;
    if (msg.snapshotWanted) scheduleSnapshot();
    askToPrecache();
  }

  function onMessage(event) {
    const msg = event.data;
    lastActivity = performance.now();
    if (msg.type === "idle") {
      if (worker.queue.length) {
        const patch = jsdoc.create_json_patch(worker.queue);
        worker.queue = [];
        worker.busy = true;
        worker.postMessage({type: "patch", patch: patch});
      } else {
        worker.busy = false;
      }
    } else if (msg.type === "status") {
      showStatus(msg);
    } else if (msg.type === "timing") {
      window.playgroundTimings[msg.step] = msg.at - performance.timeOrigin;
    } else if (msg.type === "error") {
      showError(msg.msg);
    } else if (msg.type === "render") {
      render(msg);
    } else if (msg.type === "patch") {
      patching += 1;
      try { jsdoc.apply_json_patch(msg.patch, msg.buffers); } finally { patching -= 1; }
    }
  }

  // -- a snapshot of the started Python runtime for the next visit (see worker.js) ---------
  // Made by a second worker once the page has been quiet for a while, so it never competes
  // with the student's first moves; skipped where memory is short (it briefly needs a second
  // Python). The page learns the outcome from window.playgroundSnapshot and an event.
  function scheduleSnapshot() {
    if (snapshotScheduled || !("caches" in window) ||
        (navigator.deviceMemory && navigator.deviceMemory < 4)) return;
    snapshotScheduled = true;
    const QUIET_MS = 2000;
    const tick = () => {
      const quiet = performance.now() - lastActivity;
      if (quiet < QUIET_MS) { setTimeout(tick, QUIET_MS - quiet); return; }
      const maker = new Worker("./app.js", {name: "playground-snapshot"});
      const done = (detail) => {
        maker.terminate();
        window.playgroundSnapshot = detail;
        if (detail.type === "snapshot-failed") {
          console.warn("no Python snapshot for the next visit: " + detail.msg);
        }
        window.dispatchEvent(new CustomEvent("playground:snapshot", {detail: detail}));
      };
      maker.onmessage = (e) => done(e.data);
      maker.onerror = (e) => done({type: "snapshot-failed", msg: e.message || "worker error"});
      maker.postMessage({type: "make-snapshot"});
    };
    setTimeout(tick, QUIET_MS);
  }

  // -- Stop --------------------------------------------------------------------------------
  // boot.js (inlined at the top of the page) made the buffer and started the worker already
  const boot = window.playgroundBoot || null;
  const interruptBuffer = boot ? boot.interruptBuffer : window.crossOriginIsolated
    ? new Int32Array(new SharedArrayBuffer(4)) : null;

  function onError(e) { showError(e.message || "the worker failed"); }

  function adopt(w) {
    worker = w;
    worker.busy = false;
    worker.queue = [];
    worker.onmessage = onMessage;
    worker.onerror = onError;
  }

  function startWorker() {
    if (boot && boot.worker) {  // the first start: take over the worker boot.js started
      const early = boot.early;
      adopt(boot.worker);
      boot.worker = null;
      for (const event of early) (event.type === "error" ? onError : onMessage)(event);
      early.length = 0;
      return;
    }
    // the query (deep links) and the #fragment (a backend server and its token) reach Python
    adopt(new Worker("./app.js" + window.location.search + window.location.hash));
    worker.postMessage({type: "start", interruptBuffer: interruptBuffer});
  }

  window.playgroundStop = function () {
    if (interruptBuffer) {
      Atomics.store(interruptBuffer, 0, 2);  // SIGINT: KeyboardInterrupt in the running code
      return "interrupted";
    }
    // no shared memory: end the worker and start again from the URL's state
    const editor = findDeep(document, "textarea.pg-code");
    if (editor) sessionStorage.setItem("playground-scratchpad", editor.value);
    worker.terminate();
    document.body.classList.add("pn-loading");
    window.playgroundTimings = {};
    showStatus({stage: "runtime", msg: "Stopped: restarting Python", done: 0, total: 0});
    startWorker();
    return "restarted";
  };

  // -- embedding: tell the parent page how tall the app is ----------------------------------
  if (window.parent !== window) {
    let last = 0;
    const post = () => {
      const h = Math.ceil(document.documentElement.scrollHeight);
      if (Math.abs(h - last) > 2) {
        last = h;
        window.parent.postMessage({type: "playground:height", height: h}, "*");
      }
    };
    new ResizeObserver(post).observe(document.documentElement);
    window.addEventListener("playground:interactive", post);
  }

  // -- second visits and offline: the service worker caches the site -----------------------
  // Once interactive, the page asks the service worker which files to keep (it names its
  // cache and the site's files) and puts them there: from the HTTP cache where this visit
  // loaded them already ("force-cache" from the page finds them, a service worker's request
  // would not), from the network otherwise.
  function askToPrecache() {
    if (!navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then((reg) => reg.active &&
                                       reg.active.postMessage({type: "precache"}));
  }

  async function precache(cacheName, assets) {
    const cache = await caches.open(cacheName);
    await Promise.all(assets.map(async (url) => {
      try {
        if (await cache.match(url)) return;
        const response = await fetch(url, {cache: "force-cache"});
        if (response.ok) await cache.put(url, response);
      } catch (e) { /* kept for next time: the service worker caches what it serves */ }
    }));
    window.playgroundPrecached = true;
  }

  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "precache-list") {
        precache(event.data.cache, event.data.assets);
      }
    });
    navigator.serviceWorker.startMessages();
  }

  if ("serviceWorker" in navigator && window.isSecureContext && !window.PLAYGROUND_NO_SW) {
    navigator.serviceWorker.register("./sw.js").catch((e) => console.warn("no offline cache:", e));
  }

  // something to read at once, before BokehJS has loaded and drawn the pre-rendered lesson
  // (the worker's own messages replace it as they come)
  showStatus({stage: "runtime", msg: "Starting Python", done: 0, total: 0});
  startWorker();
})();

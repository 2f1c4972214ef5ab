// Starts the Python worker as the very first thing the page does. build.py inlines this at the
// top of <head>, before the ~2.5 MB of BokehJS/Panel scripts: Pyodide then downloads, compiles
// and starts on its own thread while the page parses those scripts (about a second saved on
// every visit). handler.js adopts the worker and replays what it said in the meantime.
(function () {
  "use strict";
  if (typeof Worker === "undefined") return;  // handler.js reports that
  // Stop can only interrupt running code through shared memory (cross-origin isolated pages)
  const interruptBuffer = window.crossOriginIsolated
    ? new Int32Array(new SharedArrayBuffer(4)) : null;
  // the query (deep links) and the #fragment (a backend server and its token) reach Python
  const worker = new Worker("./app.js" + window.location.search + window.location.hash);
  const early = [];
  worker.onmessage = (event) => early.push(event);
  worker.onerror = (event) => early.push(event);
  worker.postMessage({type: "start", interruptBuffer: interruptBuffer});
  window.playgroundBoot = {worker: worker, interruptBuffer: interruptBuffer, early: early};
})();

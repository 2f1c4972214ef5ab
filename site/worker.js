// The site's Pyodide worker. build.py writes it as app.js in place of the worker that
// `panel convert --to pyodide-worker` generates, keeping that worker's app code: this one
// loads everything from the site itself (./pyodide/), reports named loading stages with
// bytes, accepts an interrupt buffer (so Stop can end runaway code), and gives the app the
// page's query string (deep links) before it starts.
//
// build.py fills in: PYODIDE_URL, PACKAGES (names in ./pyodide/pyodide-lock.json),
// PACKAGE_BYTES, RUNTIME_BYTES and APP_CODE.

importScripts(/*@PYODIDE_URL@*/"./pyodide/pyodide.js");

const PACKAGES = /*@PACKAGES@*/[];
const PACKAGE_BYTES = /*@PACKAGE_BYTES@*/{};
const RUNTIME_BYTES = /*@RUNTIME_BYTES@*/0;
const INDEX_URL = new URL(/*@PYODIDE_URL@*/"./pyodide/pyodide.js", self.location.href)
  .href.replace(/pyodide\.js$/, "");

function status(stage, text, done, total) {
  self.postMessage({type: "status", stage: stage, msg: text, done: done, total: total});
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

async function startApplication() {
  status("runtime", "Starting Python", 0, RUNTIME_BYTES);
  self.pyodide = await loadPyodide({indexURL: INDEX_URL});
  if (self.interruptBuffer) self.pyodide.setInterruptBuffer(self.interruptBuffer);
  status("runtime", "Starting Python", RUNTIME_BYTES, RUNTIME_BYTES);
  self.pyodide.globals.set("sendPatch", sendPatch);
  await loadPackages();
  status("app", "Starting the lessons", 0, 1);
  // browser-only preparations (e.g. the pandas stand-in) before Panel is imported
  await self.pyodide.runPythonAsync("import playground.browser; playground.browser.prepare()");
  const code = /*@APP_CODE@*/``;
  try {
    const [docs_json, render_items, root_ids] = await self.pyodide.runPythonAsync(code);
    self.postMessage({type: "render", docs_json: docs_json, render_items: render_items,
                      root_ids: root_ids});
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
  if (msg.type === "start") {
    self.interruptBuffer = msg.interruptBuffer || null;
    started = startApplication();
    return;
  }
  await started;
  if (msg.type === "rendered") {
    self.pyodide.runPythonAsync(`
from panel.io.state import state
from panel.io.pyodide import _link_docs_worker
_link_docs_worker(state.curdoc, sendPatch, setter='js')
`).catch((e) => console.error("the page and Python could not be linked: " + e));
  } else if (msg.type === "patch") {
    self.pyodide.globals.set("patch", msg.patch);
    try {
      await self.pyodide.runPythonAsync(`
from panel.io.pyodide import _convert_json_patch
from panel.io.state import state
state.curdoc.apply_json_patch(_convert_json_patch(patch), setter='js')
`);
    } finally {
      self.postMessage({type: "idle"});
    }
  } else if (msg.type === "location") {
    self.pyodide.globals.set("location", msg.location);
    self.pyodide.runPythonAsync(`
import json
from panel.io.state import state
from panel.util import edit_readonly
if state.location:
    loc_data = json.loads(location)
    with edit_readonly(state.location):
        state.location.param.update({k: v for k, v in loc_data.items()
                                     if k in state.location.param})
`);
  }
};

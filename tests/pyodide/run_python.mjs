#!/usr/bin/env node
// Run a Python script inside real Pyodide under Node (no browser, no network).
//
//   node tests/pyodide/run_python.mjs [--dist DIR] [--pkg PATH]... [--load NAME]...
//        [--input FILE.json] SCRIPT [--] [ARGS...]
//
//   --dist DIR     offline Pyodide distribution (default: $PYODIDE_DIST), e.g. the one made by
//                  `python build.py --runtime-only`
//   --pkg PATH     host package directory (or single .py module) copied into Pyodide's
//                  in-memory FS as /home/pyodide/<name>, *.py files only; /home/pyodide is put
//                  on sys.path. Repeatable.
//   --load NAME    extra Pyodide package to load from the dist (numpy is always loaded).
//   --input FILE   JSON file made available to the script; its path inside Pyodide is in
//                  os.environ["PYODIDE_RUNNER_INPUT"].
//   SCRIPT ARGS    run like `python SCRIPT ARGS`: sys.argv = [SCRIPT, *ARGS], __name__ ==
//                  "__main__", sys.path[0] = the script's directory. The script and the *.py
//                  files beside it are copied to the same absolute path inside Pyodide, so
//                  tracebacks show host paths.
//
// stdout carries only what the Python script writes to sys.stdout; everything else (Pyodide's
// loading messages, timings, JS console output) goes to stderr, so a host test can parse stdout.
// Exit status: 0 on success, the SystemExit code if the script calls sys.exit, 1 (with the
// Python traceback on stderr) on an uncaught exception, 2 on bad usage or a broken runtime.
import fs from "node:fs";
import path from "node:path";
import util from "node:util";
import { pathToFileURL } from "node:url";

const PKG_ROOT = "/home/pyodide"; // Pyodide's default HOME and working directory
const INPUT_PATH = "/tmp/pyodide_runner_input.json";

// Keep stdout for the Python script alone: Pyodide reports progress through console.log.
const toStderr = (...a) => process.stderr.write(util.format(...a) + "\n");
console.log = console.info = console.debug = toStderr;

const USAGE = "usage: node run_python.mjs [--dist DIR] [--pkg PATH]... [--load NAME]... " +
  "[--input FILE.json] SCRIPT [--] [ARGS...]\n";

function usage(msg) {
  process.stderr.write(`run_python.mjs: ${msg}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { dist: process.env.PYODIDE_DIST, pkgs: [], load: ["numpy"], input: null };
  let i = 0;
  const value = (flag) => {
    if (i + 1 >= argv.length) usage(`${flag} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--dist") opts.dist = value(a);
    else if (a === "--pkg") opts.pkgs.push(value(a));
    else if (a === "--load") opts.load.push(value(a));
    else if (a === "--input") opts.input = value(a);
    else if (a === "-h" || a === "--help") {
      process.stderr.write(USAGE);
      process.exit(0);
    }
    else if (a.startsWith("--")) usage(`unknown option ${a}`);
    else break; // the script; everything after it belongs to the script
  }
  if (i >= argv.length) usage("no script given");
  opts.script = path.resolve(argv[i]);
  opts.args = argv.slice(i + 1);
  if (opts.args[0] === "--") opts.args.shift();
  if (!opts.dist) usage("no Pyodide dist: pass --dist DIR or set PYODIDE_DIST");
  opts.dist = path.resolve(opts.dist);
  return opts;
}

// Copy host files into Pyodide's FS. Only *.py: no bytecode caches, data or build output.
function copyPyFiles(py, hostPath, destPath) {
  const st = fs.statSync(hostPath);
  if (st.isFile()) {
    py.FS.mkdirTree(path.posix.dirname(destPath));
    py.FS.writeFile(destPath, fs.readFileSync(hostPath));
    return 1;
  }
  let n = 0;
  py.FS.mkdirTree(destPath);
  for (const ent of fs.readdirSync(hostPath, { withFileTypes: true })) {
    if (ent.name.startsWith(".") || ent.name === "__pycache__") continue;
    const src = path.join(hostPath, ent.name);
    const dst = path.posix.join(destPath, ent.name);
    if (ent.isDirectory()) n += copyPyFiles(py, src, dst);
    else if (ent.isFile() && ent.name.endsWith(".py")) n += copyPyFiles(py, src, dst);
  }
  return n;
}

// The script keeps its host path inside Pyodide (tracebacks then point at the real file),
// unless that path would land in Pyodide's own directories.
function scriptDestDir(hostDir) {
  const reserved = ["/lib", "/dev", "/proc", "/usr", "/bin"];
  const clash = reserved.some((r) => hostDir === r || hostDir.startsWith(r + "/"));
  return clash ? path.posix.join("/tmp/script", hostDir) : hostDir;
}

// Runs inside Pyodide: python-like execution of the script with exit-status mapping.
const BOOTSTRAP = `
def _run_script(script, argv, extra_path, input_path):
    import os, runpy, sys, traceback
    for p in reversed(list(extra_path)):
        if p in sys.path:
            sys.path.remove(p)
        sys.path.insert(0, p)
    if input_path:
        os.environ["PYODIDE_RUNNER_INPUT"] = input_path
    sys.argv = [script, *argv]
    code = 0
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException as exc:
        # Start the traceback at the script, as \`python script.py\` does, not in this harness.
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != script:
            tb = tb.tb_next
        traceback.print_exception(type(exc), exc, tb or exc.__traceback__)
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return code

_run_script
`;

// Python's output as raw bytes (no re-encoding, no added newlines). The buffer is a view
// into wasm memory that Pyodide reuses, so it is copied before the async write.
const relay = (stream) => ({
  write: (buf) => {
    stream.write(Buffer.from(buf));
    return buf.length;
  },
});

const flush = (stream) => new Promise((resolve) => stream.write("", resolve));

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const entry = path.join(opts.dist, "pyodide.mjs");
  if (!fs.existsSync(entry)) usage(`${entry} not found (build it: python build.py --runtime-only)`);
  if (!fs.existsSync(opts.script)) usage(`script ${opts.script} not found`);

  const t0 = performance.now();
  const { loadPyodide } = await import(pathToFileURL(entry).href);
  const py = await loadPyodide({ indexURL: opts.dist + path.sep });
  py.setStdout(relay(process.stdout));
  py.setStderr(relay(process.stderr));
  await py.loadPackage([...new Set(opts.load)], {
    messageCallback: toStderr,
    errorCallback: toStderr,
  });
  toStderr(`run_python.mjs: Pyodide ${py.version} + ${[...new Set(opts.load)].join(", ")} ` +
    `loaded in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

  const extraPath = [];
  for (const p of opts.pkgs) {
    const host = path.resolve(p);
    if (!fs.existsSync(host)) usage(`--pkg ${p}: not found`);
    copyPyFiles(py, host, path.posix.join(PKG_ROOT, path.basename(host)));
  }
  if (opts.pkgs.length) extraPath.push(PKG_ROOT);

  const hostDir = path.dirname(opts.script);
  const destDir = scriptDestDir(hostDir);
  py.FS.mkdirTree(destDir);
  for (const ent of fs.readdirSync(hostDir, { withFileTypes: true })) {
    if (ent.isFile() && ent.name.endsWith(".py")) {
      py.FS.writeFile(path.posix.join(destDir, ent.name), fs.readFileSync(path.join(hostDir, ent.name)));
    }
  }
  const script = path.posix.join(destDir, path.basename(opts.script));
  // The script itself may not end in .py; copy it explicitly.
  py.FS.writeFile(script, fs.readFileSync(opts.script));
  extraPath.unshift(destDir);

  let inputPath = null;
  if (opts.input) {
    const text = fs.readFileSync(opts.input, "utf8");
    try {
      JSON.parse(text);
    } catch (e) {
      usage(`--input ${opts.input}: not valid JSON (${e.message})`);
    }
    py.FS.writeFile(INPUT_PATH, text);
    inputPath = INPUT_PATH;
  }

  const runScript = py.runPython(BOOTSTRAP);
  const pyArgs = py.toPy(opts.args);
  const pyPath = py.toPy(extraPath);
  let code;
  try {
    code = runScript(script, pyArgs, pyPath, inputPath);
  } finally {
    pyArgs.destroy();
    pyPath.destroy();
    runScript.destroy();
  }
  return code;
}

let code;
try {
  code = await main();
} catch (e) {
  // Only failures of the harness or of Pyodide itself land here; script errors are handled
  // in Python and already printed.
  process.stderr.write(`run_python.mjs: ${e && e.stack ? e.stack : e}\n`);
  code = 2;
}
// Let queued stdout/stderr writes drain, then exit (Pyodide may keep handles open).
await flush(process.stdout);
await flush(process.stderr);
process.exit(code);

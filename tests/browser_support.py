"""What the browser tests share: a real `panel serve` (or static HTTP server) on 127.0.0.1,
Debian's Chromium driven by Playwright with every request to another host aborted and
counted, console errors collected, and helpers that read Bokeh's documents in the page.

Never `playwright install`: the browser is /usr/bin/chromium (tests/run.py installs it).
"""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

# every ColumnDataSource in the page with a name: {name: {column: [values]}}
READ_SOURCES = """() => {
  const out = {};
  for (const doc of (window.Bokeh ? Bokeh.documents : [])) for (const m of doc.all_models) {
    if (!m.name || m.data === undefined) continue;
    const data = m.data instanceof Map ? m.data : new Map(Object.entries(m.data));
    const cols = {};
    for (const [k, v] of data) cols[k] = Array.from(v, (x) => (x && x.length !== undefined
                                                                 && typeof x !== 'string')
                                                                 ? Array.from(x) : x);
    out[m.name] = cols;
  }
  return out;
}"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url, proc, log_path, timeout=60):
    deadline = time.time() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"server at {url} did not start:\n"
                                   f"{Path(log_path).read_text()[-4000:]}")
            time.sleep(0.25)


@contextlib.contextmanager
def panel_serve(app_path, log_path, args=(), name=None):
    """`panel serve APP` on a free port; yields the app's URL."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    cmd = [sys.executable, "-m", "panel", "serve", str(app_path), "--address", "127.0.0.1",
           "--port", str(port), "--allow-websocket-origin", f"127.0.0.1:{port}"]
    if args:
        cmd += ["--args", *args]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                                cwd=REPO_ROOT)
    url = f"http://127.0.0.1:{port}/{name or Path(app_path).stem}"
    with serving(proc, url, url, log_path):
        yield url


@contextlib.contextmanager
def serving(proc, url, ready_url, log_path):
    """Yield `url` once `ready_url` answers; stop the server process afterwards."""
    try:
        wait_for_http(ready_url, proc, log_path)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


class Browser:
    """One Chromium page that only reaches 127.0.0.1; records blocked requests and errors."""

    def __init__(self, playwright, viewport=(1400, 1000)):
        if not Path(CHROMIUM).exists():
            raise RuntimeError(f"{CHROMIUM} is missing: run `python3 tests/run.py`, which "
                               "installs Debian's chromium package")
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.context = self.browser.new_context(viewport={"width": viewport[0],
                                                          "height": viewport[1]})
        self.blocked, self.errors = [], []
        self.context.route("**/*", self._route)
        self.page = self.new_page()

    def new_page(self):
        """Another page in this context, its errors collected with the others' (the helpers
        below work on `self.page`: assign a page to it to drive that one)."""
        page = self.context.new_page()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        return page

    def _route(self, route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            return route.continue_()
        self.blocked.append(url)
        return route.abort("internetdisconnected")

    def sources(self):
        return self.page.evaluate(READ_SOURCES)

    def wait_for_source(self, name, timeout=60_000):
        self.page.wait_for_function(
            "(n) => { const s = (%s)(); return s[n] !== undefined; }" % READ_SOURCES,
            arg=name, timeout=timeout)

    def snapshot(self, name, column):
        """Source `name`'s `column` as JSON text, serialised in the page (for wait_for_change)."""
        return self.page.evaluate(
            "([n, c]) => { const s = (%s)(); return s[n] ? JSON.stringify(s[n][c]) : null; }"
            % READ_SOURCES, [name, column])

    def wait_for_change(self, name, column, before, timeout=30_000):
        """Until source `name`'s `column` differs from `before` (a snapshot())."""
        self.page.wait_for_function(
            "([n, c, b]) => { const s = (%s)(); return s[n] && JSON.stringify(s[n][c]) !== b; }"
            % READ_SOURCES, arg=[name, column, before], timeout=timeout)

    def screenshot(self, name):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self):
        self.browser.close()


def open_lesson(browser, app_url, query, source):
    """Open `app_url + query` and wait until the lesson's named data source is there."""
    browser.page.goto(app_url + query)
    browser.wait_for_source(source)


def assert_clean(browser):
    """No request left 127.0.0.1 and nothing was logged as an error."""
    assert browser.blocked == [], f"requests to other hosts: {browser.blocked}"
    assert browser.errors == [], f"console errors: {browser.errors}"

"""How the site starts, in Chromium: the worker's wheels download once, and a second visit
starts Python from the runtime snapshot the first visit left in Cache Storage.

boot.js starts the worker before the page's scripts load, and the worker fetches the wheels
while Pyodide starts; Pyodide's own requests for them must take those responses, not download
each wheel again. Once the first visit is interactive and quiet, a second worker saves a
snapshot of the started runtime; the next visit restores it and must work as usual. A damaged
snapshot is dropped with a warning and the page starts the usual way.
"""
import collections
import http.server
import threading

import pytest

import build

pytestmark = pytest.mark.browser

INTERACTIVE_S = 180  # a cold start on a loaded 2-core machine takes a while

LESSON = "?lesson=descent-1d&lr=0.25"
SOURCE = "descent1d-steps"

MOVE_LR = """async ([name, value]) => {
  const models = Bokeh.documents.flatMap((doc) => [...doc.all_models]);
  const slider = models.find((m) => m.constructor.__name__ === "Slider" &&
                                    (m.title || "").startsWith("learning rate"));
  const cds = models.find((m) => m.name === name);
  if (!slider || !cds) return false;
  const read = () => JSON.stringify(Array.from(cds.data.get ? cds.data.get("x") : cds.data.x));
  const before = read();
  slider.value = value;
  const t0 = performance.now();
  while (read() === before) {
    if (performance.now() - t0 > 30000) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}"""


@pytest.fixture(scope="module")
def counted_site(site_dir):
    """The site served with a count of the requests for each path."""
    counts = collections.Counter()

    class Counting(build.make_handler(site_dir)):
        def do_GET(self):
            counts[self.path.split("?")[0]] += 1
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html", counts
    server.shutdown()


@pytest.fixture
def page(browser):
    """A fresh context (empty HTTP cache and Cache Storage), service worker off so that every
    request reaches the server and Cache Storage holds only the snapshot."""
    context = browser.browser.new_context(service_workers="block")
    page = context.new_page()
    page.console = []
    page.on("console", lambda m: page.console.append((m.type, m.text)))
    page.on("pageerror", lambda e: page.console.append(("error", f"pageerror: {e}")))
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
        ("http://127.0.0.1", "data:", "blob:")) else r.abort("internetdisconnected"))
    yield page
    context.close()


def visit(page, url):
    page.goto(url + LESSON)
    try:
        # set when Python's app replaced the pre-rendered page (handler.js)
        page.wait_for_function("() => window.playgroundStartedFromSnapshot !== undefined",
                               timeout=INTERACTIVE_S * 1000, polling=100)
    except Exception as exc:
        raise AssertionError(f"the page did not become interactive; console: {page.console}") \
            from exc
    assert page.evaluate(MOVE_LR, [SOURCE, -0.3]), \
        f"the slider did not change the plot; console: {page.console}"
    return page.evaluate("() => window.playgroundStartedFromSnapshot")


def wait_for_snapshot(page):
    page.wait_for_function("() => window.playgroundSnapshot", timeout=120_000, polling=200)
    return page.evaluate("() => window.playgroundSnapshot")


def errors(page):
    return [text for kind, text in page.console if kind == "error"]


def test_wheels_download_once_and_the_next_visit_starts_from_a_snapshot(page, counted_site):
    url, counts = counted_site
    counts.clear()
    assert visit(page, url) is False  # nothing saved yet: the usual start
    wheels = {path: n for path, n in counts.items() if path.endswith(".whl")}
    assert len(wheels) >= 20, wheels
    assert set(wheels.values()) == {1}, f"wheels downloaded more than once: {wheels}"

    saved = wait_for_snapshot(page)
    assert saved["type"] == "snapshot-saved", saved
    assert saved["bytes"] > 1_000_000

    assert visit(page, url) is True  # restored from the snapshot, and the lesson works
    # the page asks for no second snapshot when it started from one
    page.wait_for_timeout(3000)
    assert page.evaluate("() => window.playgroundSnapshot") is None
    assert errors(page) == []


def test_a_damaged_snapshot_is_dropped_and_python_starts_as_usual(page, counted_site):
    url, _ = counted_site
    page.goto(url + LESSON)  # an origin to open Cache Storage on
    page.evaluate("""async () => {
      const cache = await caches.open("playground-snapshot");
      const keys = await cache.keys();
      if (keys.length !== 0) throw new Error("a fresh context has no snapshot");
      const version = (await (await fetch("./pyodide/package.json")).json()).version;
      await cache.put(new URL(`./pyodide/python-runtime-${version}.snapshot`, location.href).href,
                      new Response(new Uint8Array(4096).fill(7),
                                   {headers: {"X-Playground-SHA256": "0".repeat(64)}}));
    }""")
    assert visit(page, url) is False
    assert any(kind == "warning" and "snapshot is damaged" in text
               for kind, text in page.console), page.console
    # ... and a good one replaces it for the next visit
    assert wait_for_snapshot(page)["type"] == "snapshot-saved"
    assert visit(page, url) is True
    assert errors(page) == []



def test_second_visit_works_offline_from_the_service_workers_cache(site_url, playwright):
    """The first visit, once interactive, puts the site's files in the service worker's cache
    (from the HTTP cache, not downloading them again); with the network gone the page then
    loads and works. Own browser: request routing would turn the HTTP cache off, so other hosts
    are made unreachable by name resolution instead."""
    import browser_support as support
    browser = playwright.chromium.launch(executable_path=support.CHROMIUM, args=[
        *support.CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
    try:
        context = browser.new_context(service_workers="allow")
        page = context.new_page()
        page.console = []
        page.on("console", lambda m: page.console.append((m.type, m.text)))
        visit(page, site_url)
        page.wait_for_function("() => window.playgroundPrecached === true",
                               timeout=120_000, polling=200)
        context.set_offline(True)
        visit(page, site_url)
        assert page.evaluate("() => navigator.serviceWorker.controller !== null")
        assert errors(page) == []
    finally:
        browser.close()

"""The self-contained static site in Chromium, with every request to another host aborted.

For every lesson: open its deep link on the built site, wait until Python made the page live,
drive one widget and check the plot's data changed. Then the scratchpad: a seed cell prints
what real torch prints, Stop ends `while True: pass` within a second (interrupt buffer, the
page being cross-origin isolated) or restarts Python (without isolation) and the page works
again, and a huge allocation is refused with a clear error. Pointed at a local backend by its
#fragment, the site runs a lesson's experiment and scratchpad cells there. No console errors;
screenshots in tests/artifacts/site-*.png. Each test's page is opened while the test before
it runs (PagesAhead), so two pages start Python at a time.
"""
import contextlib
import io
import time
import urllib.parse

import pytest

from backend_support import TOKEN
from playground import lessons
from browser_support import assert_clean

pytestmark = pytest.mark.browser

INTERACTIVE_S = 300  # generous: a cold start on a loaded 2-core machine takes a while

DATA_TO_PAGE = """([name, x, y]) => {
  const view = Bokeh.index.query_one((v) => v.model.name === name);
  const box = view.el.getBoundingClientRect();
  return [box.left + view.frame.x_scale.compute(x), box.top + view.frame.y_scale.compute(y)];
}"""


def loading_bar(page):
    """(the lesson the loading bar says it is opening, its CSS filter) while Python starts."""
    page.wait_for_selector(".pg-loader", state="attached", timeout=30_000)
    return page.evaluate("""() => {
      const bar = document.querySelector(".pg-loader");
      return [bar.querySelector(".pg-loader-target").textContent, getComputedStyle(bar).filter];
    }""")


def wait_live(page):
    """Until the worker rendered the live app over the pre-render."""
    page.wait_for_function("() => !document.body.classList.contains('pn-loading')",
                           timeout=INTERACTIVE_S * 1000, polling=200)


class PagesAhead:
    """Pages opened one ahead of the test that uses them.

    Pyodide runs Python on one core, so while a test drives its live page the next page starts
    Python on the other (one after another, the start-ups took most of this module's time).
    `urls`: the pages the collected tests will ask for, in their order; `url_of(node)`: the
    page of a test (or of the shared scratchpad fixture)."""

    def __init__(self, browser, urls, url_of):
        self.browser, self.urls, self.url_of = browser, urls, url_of
        self.opening = {}  # url -> (page, what the loading bar said while Python started)

    def _start(self, url):
        if url not in self.opening:
            page = self.browser.new_page()
            page.goto(url, wait_until="commit")  # it goes on loading while we go on
            self.opening[url] = (page, loading_bar(page))

    def take(self, node):
        """(page, loading bar) for the test or fixture `node`, the next page already opening
        beside it; the caller drives the page and closes it."""
        url = self.url_of(node)
        self._start(url)
        if url in self.urls:
            for ahead in self.urls[self.urls.index(url) + 1:][:1]:
                self._start(ahead)
        page, bar = self.opening.pop(url)
        # a page opened ahead comes to the front, and Chromium throttles the timers of a page
        # behind others (to about one a second): Stop took 1.2-1.8 s to show on such a page
        page.bring_to_front()
        return page, bar

    def close(self):
        for page, _ in self.opening.values():
            page.close()


@contextlib.contextmanager
def driving(browser, page):
    """The browser's helpers (snapshot, screenshot...) work on `page` for the block."""
    own, browser.page = browser.page, page
    try:
        yield page
    finally:
        browser.page = own


def click_slider(page, index, fraction):
    box = page.locator(".noUi-target").nth(index).bounding_box()
    page.mouse.click(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)


def drive_tensors(page):
    field = page.locator("input[placeholder^='e.g. 3, 4']")
    field.fill("2, 5")
    field.press("Enter")


def drive_broadcasting(page):
    page.get_by_role("button", name="(2,3) + (3,2)").click()


def drive_autograd(page):
    page.locator(".pg-autograd-backward button").first.click()


def drive_gradcheck(page):
    click_slider(page, 0, 0.2)


def drive_descent_1d(page):
    click_slider(page, 0, 0.85)


def drive_descent_2d(page):
    page.mouse.click(*page.evaluate(DATA_TO_PAGE, ["descent2d-contour", 1.0, -1.0]))


def drive_regression(page):
    click_slider(page, 4, 0.75)


def drive_network(page):
    page.get_by_role("button", name="▶ Play").click()


def drive_devices(page):
    page.locator(".pg-devices-measure button").click()


# slug: (deep link, named data source and column that must change, how to drive it)
LESSONS = {
    "tensors": ("?lesson=tensors", "tensors-t", "index", drive_tensors),
    "broadcasting": ("?lesson=broadcasting", "broadcast-cells", "text", drive_broadcasting),
    "autograd": ("?lesson=autograd", "autograd-graph", "sub", drive_autograd),
    "gradcheck": ("?lesson=gradcheck&eps=1e-07", "gradcheck-chosen", "eps", drive_gradcheck),
    "descent-1d": ("?lesson=descent-1d&lr=0.25", "descent1d-steps", "x", drive_descent_1d),
    "descent-2d": ("?lesson=descent-2d&lr=0.3&optimizer=adam&seed=7", "descent2d-points", "x",
                   drive_descent_2d),
    "regression": ("?lesson=regression&lr=0.1", "regression-path", "x", drive_regression),
    "network": ("?lesson=network&dataset=xor&steps=150&seed=3", "network-map", "image",
                drive_network),
    "devices": ("?lesson=devices&max_size=256", "devices-here", "size", drive_devices),
}


# what the page tells Python: every document patch it posts to the worker, as JSON text
RECORD_PATCHES = """(() => {
  const post = Worker.prototype.postMessage;
  window.patchesToPython = [];
  Worker.prototype.postMessage = function (msg, ...rest) {
    if (msg && msg.type === "patch") window.patchesToPython.push(JSON.stringify(msg.patch));
    return post.call(this, msg, ...rest);
  };
})();"""


SCRATCHPAD = "?lesson=scratchpad&snippet=blank"


def on_backend(url, backend):
    """`url` pointed at a backend by its #fragment, as a course page would link it."""
    return url + "#" + urllib.parse.urlencode({"backend": backend, "token": TOKEN})


# the page each test opens, from the fixture values it needs (`get`: request.getfixturevalue)
# and its parameters; "scratchpad": the page its tests share
PAGES = {
    "test_lesson_deep_link_is_live": lambda get, params: get("site_url") + LESSONS[
        params["slug"]][0],
    "test_an_experiment_runs_on_a_local_backend": lambda get, params: on_backend(
        get("site_url") + "?lesson=descent-1d&lr=0.25", get("site_backend")),
    "test_scratchpad_cells_run_on_the_backend": lambda get, params: on_backend(
        get("site_url") + SCRATCHPAD, get("site_backend")),
    "scratchpad": lambda get, params: get("site_url") + SCRATCHPAD,  # the shared fixture's
    "test_stop_without_isolation_restarts_python_and_keeps_the_lesson":
        lambda get, params: get("plain_site_url") + SCRATCHPAD,
}


@pytest.fixture(scope="module")
def recording(browser):
    browser.context.add_init_script(RECORD_PATCHES)
    return browser


@pytest.fixture(scope="module")
def pages_ahead(request, recording):
    """Opens the pages of this module's collected tests ahead of them, in their order."""
    def url_of(node):  # a test item, or "scratchpad" for the fixture of that name
        if node == "scratchpad" or "scratchpad" in node.fixturenames:
            return PAGES["scratchpad"](request.getfixturevalue, {})
        params = node.callspec.params if hasattr(node, "callspec") else {}
        return PAGES[node.originalname](request.getfixturevalue, params)

    urls = []
    for item in request.session.items:
        if item.module is request.module:
            url = url_of(item)
            if url not in urls:
                urls.append(url)
    ahead = PagesAhead(recording, urls, url_of)
    yield ahead
    ahead.close()


@pytest.mark.parametrize("slug", list(LESSONS))
def test_lesson_deep_link_is_live(request, recording, pages_ahead, slug):
    browser = recording
    _, source, column, drive = LESSONS[slug]
    page, (target, css_filter) = pages_ahead.take(request.node)
    with driving(browser, page):
        wait_live(page)
        browser.wait_for_source(source)
        # the page is pre-rendered with the first lesson: while Python started, the bar named
        # the lesson that is coming, and it was not faded with the page under it
        assert target == ("" if slug == lessons.DEFAULT
                          else f"Opening {lessons.LESSONS[slug][1]}")
        assert css_filter == "none"
        assert f"lesson={slug}" in page.evaluate("() => window.location.search")
        # the page recorded when each start-up step ended (bench_site.py reports them), in
        # the order they happen
        marks = page.evaluate("() => window.playgroundTimings")
        times = [marks.get(s) for s in ("worker", "runtime", "packages", "panel", "app",
                                         "rendered")]
        assert None not in times and times == sorted(times) and times[0] > 0, marks
        before = browser.snapshot(source, column)
        drive(page)
        browser.wait_for_change(source, column, before, timeout=60_000)
        browser.screenshot(f"site-{slug}.png")
        assert_clean(browser)
        # the page redraws its plots after the change; the bounds BokehJS computes for their
        # automatic axes stay in the page instead of making Python apply changes nobody reads
        page.wait_for_timeout(500)
        sent = page.evaluate("() => window.patchesToPython")
        assert sent, "the drive reached Python"
        assert not [p for p in sent if '"attr":"start"' in p or '"attr":"end"' in p], sent
    page.close()


@pytest.fixture(scope="module")
def scratchpad(recording, pages_ahead):
    """The scratchpad on the cross-origin isolated site, live, shared by the tests that run
    cells in it (each waits for output its own cell prints)."""
    page, _ = pages_ahead.take("scratchpad")
    wait_live(page)
    page.locator("textarea.pg-code").first.wait_for()
    yield page
    page.close()


def test_an_experiment_runs_on_a_local_backend(request, browser, pages_ahead):
    """The static site, pointed at a backend by its #fragment, runs the lesson's experiment
    there (a cross-origin request from the worker) and says so; a slider move asks again."""
    page, _ = pages_ahead.take(request.node)
    with driving(browser, page):
        wait_live(page)
        browser.wait_for_source("descent1d-steps")
        page.get_by_text("● cpu · torch").first.wait_for(timeout=60_000)
        page.get_by_text("ran on the server: cpu").first.wait_for(timeout=60_000)
        before = browser.snapshot("descent1d-steps", "x")
        drive_descent_1d(page)
        browser.wait_for_change("descent1d-steps", "x", before, timeout=60_000)
        assert page.get_by_text("ran on the server: cpu").first.is_visible()
        browser.screenshot("site-backend.png")
        assert_clean(browser)
    page.close()


def test_scratchpad_cells_run_on_the_backend(request, browser, pages_ahead):
    page, _ = pages_ahead.take(request.node)
    wait_live(page)
    page.locator(".pg-scratch-server input").check()
    run_in_cell(page, 0, SEED_CELL)
    page.locator("pre.pg-cell-output", has_text="tensor(222.").first.wait_for(timeout=60_000)
    assert page.locator("pre.pg-cell-output").first.inner_text() == seed_cell_output(SEED_CELL)
    page.get_by_text("ran on the server: cpu").first.wait_for()
    assert_clean(browser)
    page.close()


def seed_cell_output(code):
    """What real torch prints for `code` (which imports it)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<seed>", "exec"), {})
    return out.getvalue()


SEED_CELL = ("import torch\nx = torch.ones([3,2],requires_grad=True)\ny = x + 5\nz = y*y + 1\n"
             "t = torch.sum(z)\nprint(t)\nt.backward()\nprint(x.grad)\n")


def run_in_cell(page, index, code):
    editor = page.locator("textarea.pg-code").nth(index)
    editor.fill(code)
    editor.press("Shift+Enter")


def test_scratchpad_prints_what_torch_prints(browser, scratchpad):
    page = scratchpad
    run_in_cell(page, 0, SEED_CELL)
    output = page.locator("pre.pg-cell-output", has_text="tensor(222.").first
    output.wait_for(timeout=30_000)
    page.get_by_text("✓ finished").first.wait_for(timeout=30_000)
    assert output.inner_text() == seed_cell_output(SEED_CELL)
    with driving(browser, page):
        browser.screenshot("site-scratchpad.png")
    assert_clean(browser)


def test_stop_interrupts_runaway_code_within_a_second(browser, scratchpad):
    page = scratchpad
    assert page.evaluate("() => window.crossOriginIsolated") is True
    run_in_cell(page, 0, "while True: pass")
    page.get_by_text("running…").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # let it spin
    t0 = time.perf_counter()
    page.get_by_role("button", name="■ Stop").first.click()
    page.get_by_text("KeyboardInterrupt").first.wait_for(timeout=10_000)
    assert time.perf_counter() - t0 < 1.0
    run_in_cell(page, 0, "print(6 * 7)")  # the page keeps working
    page.locator("pre.pg-cell-output", has_text="42").first.wait_for(timeout=30_000)
    assert_clean(browser)


def test_huge_allocation_is_a_clear_error(browser, scratchpad):
    page = scratchpad
    run_in_cell(page, 0, "import torch\ntorch.ones(10**5, 10**5)")
    page.get_by_text("too big for the browser playground").first.wait_for(timeout=30_000)
    run_in_cell(page, 0, "print(torch.ones(2))")
    page.locator("pre.pg-cell-output", has_text="tensor([1., 1.])").first.wait_for(
        timeout=30_000)
    assert_clean(browser)


def test_stop_without_isolation_restarts_python_and_keeps_the_lesson(request, browser,
                                                                    pages_ahead):
    page, _ = pages_ahead.take(request.node)
    wait_live(page)
    assert page.evaluate("() => window.crossOriginIsolated") is False
    run_in_cell(page, 0, "while True: pass")
    page.get_by_text("running…").first.wait_for(timeout=30_000)
    page.get_by_role("button", name="■ Stop").first.click()
    # the worker is replaced: the page loads Python again and shows the same lesson
    page.wait_for_function("() => document.body.classList.contains('pn-loading')",
                           timeout=10_000, polling=50)
    page.wait_for_function("() => !document.body.classList.contains('pn-loading')",
                           timeout=INTERACTIVE_S * 1000, polling=200)
    assert "lesson=scratchpad" in page.evaluate("() => window.location.search")
    run_in_cell(page, 0, "print(6 * 7)")
    page.locator("pre.pg-cell-output", has_text="42").first.wait_for(timeout=30_000)
    with driving(browser, page):
        browser.screenshot("site-after-restart.png")
    assert_clean(browser)
    page.close()

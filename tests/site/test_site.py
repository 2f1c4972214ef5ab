"""The self-contained static site in Chromium, with every request to another host aborted.

For every lesson: open its deep link on the built site, wait until Python made the page live,
drive one widget and check the plot's data changed. Then the scratchpad: a seed cell prints
what real torch prints, Stop ends `while True: pass` within a second (interrupt buffer, the
page being cross-origin isolated) or restarts Python (without isolation) and the page works
again, and a huge allocation is refused with a clear error. Pointed at a local backend by its
#fragment, the site runs a lesson's experiment and scratchpad cells there. No console errors;
screenshots in tests/artifacts/site-*.png.
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


def open_live(browser, url, query, source=None, while_loading=None):
    """Open a deep link and wait until the worker rendered the live app over the pre-render
    (`while_loading(page)` runs before that, while the loading bar shows)."""
    page = browser.page
    page.goto(url + query)
    if while_loading:
        while_loading(page)
    page.wait_for_function("() => !document.body.classList.contains('pn-loading')",
                           timeout=INTERACTIVE_S * 1000, polling=200)
    if source:
        browser.wait_for_source(source)
    return page


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


@pytest.fixture(scope="module")
def recording(browser):
    browser.context.add_init_script(RECORD_PATCHES)
    return browser


@pytest.mark.parametrize("slug", list(LESSONS))
def test_lesson_deep_link_is_live(recording, site_url, slug):
    browser = recording
    query, source, column, drive = LESSONS[slug]
    seen = {}
    page = open_live(browser, site_url, query, source,
                     while_loading=lambda p: seen.update(bar=loading_bar(p)))
    # the page is pre-rendered with the first lesson: the bar names the one that is coming, and
    # it is not faded with the page under it
    target, css_filter = seen["bar"]
    assert target == ("" if slug == lessons.DEFAULT else f"Opening {lessons.LESSONS[slug][1]}")
    assert css_filter == "none"
    assert f"lesson={slug}" in page.evaluate("() => window.location.search")
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


def test_an_experiment_runs_on_a_local_backend(browser, site_url, site_backend):
    """The static site, pointed at a backend by its #fragment, runs the lesson's experiment
    there (a cross-origin request from the worker) and says so; a slider move asks again."""
    page = open_live(browser, site_url, "?lesson=descent-1d&lr=0.25#" + urllib.parse.urlencode(
        {"backend": site_backend, "token": TOKEN}), "descent1d-steps")
    page.get_by_text("● cpu · torch").first.wait_for(timeout=60_000)
    page.get_by_text("ran on the server: cpu").first.wait_for(timeout=60_000)
    before = browser.snapshot("descent1d-steps", "x")
    drive_descent_1d(page)
    browser.wait_for_change("descent1d-steps", "x", before, timeout=60_000)
    assert page.get_by_text("ran on the server: cpu").first.is_visible()
    browser.screenshot("site-backend.png")
    assert_clean(browser)


def test_scratchpad_cells_run_on_the_backend(browser, site_url, site_backend):
    page = open_live(browser, site_url, "?lesson=scratchpad&snippet=blank#" +
                     urllib.parse.urlencode({"backend": site_backend, "token": TOKEN}))
    page.locator(".pg-scratch-server input").check()
    run_in_cell(page, 0, SEED_CELL)
    page.locator("pre.pg-cell-output", has_text="tensor(222.").first.wait_for(timeout=60_000)
    assert page.locator("pre.pg-cell-output").first.inner_text() == seed_cell_output(SEED_CELL)
    page.get_by_text("ran on the server: cpu").first.wait_for()
    assert_clean(browser)


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


def test_scratchpad_prints_what_torch_prints(browser, site_url):
    page = open_live(browser, site_url, "?lesson=scratchpad&snippet=blank")
    page.locator("textarea.pg-code").first.wait_for()
    run_in_cell(page, 0, SEED_CELL)
    output = page.locator("pre.pg-cell-output").first
    page.get_by_text("✓ finished").first.wait_for(timeout=30_000)
    assert output.inner_text() == seed_cell_output(SEED_CELL)
    browser.screenshot("site-scratchpad.png")
    assert_clean(browser)


def test_stop_interrupts_runaway_code_within_a_second(browser, site_url):
    page = open_live(browser, site_url, "?lesson=scratchpad&snippet=blank")
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


def test_huge_allocation_is_a_clear_error(browser, site_url):
    page = open_live(browser, site_url, "?lesson=scratchpad&snippet=blank")
    run_in_cell(page, 0, "import torch\ntorch.ones(10**5, 10**5)")
    page.get_by_text("too big for the browser playground").first.wait_for(timeout=30_000)
    run_in_cell(page, 0, "print(torch.ones(2))")
    page.locator("pre.pg-cell-output", has_text="tensor([1., 1.])").first.wait_for(
        timeout=30_000)
    assert_clean(browser)


def test_stop_without_isolation_restarts_python_and_keeps_the_lesson(browser, plain_site_url):
    page = open_live(browser, plain_site_url, "?lesson=scratchpad&snippet=blank")
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
    browser.screenshot("site-after-restart.png")
    assert_clean(browser)

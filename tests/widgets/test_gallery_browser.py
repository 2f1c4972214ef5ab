"""Browser smoke test: every widget served by a real `panel serve`, driven in Chromium.

Serves gallery_app.py on 127.0.0.1, aborts every request to any other host (the page
must be self-contained), drives the shape input, the player, a click on the contour plot
and the code cell, and reads the Bokeh document's data to check that each changed.
Asserts no console errors and no blocked requests. Screenshot:
tests/artifacts/widgets_gallery.png.
"""
from pathlib import Path

import pytest

import browser_support as support

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
ARTIFACTS = support.ARTIFACTS

# A named ColumnDataSource's data, as plain arrays (the gallery names the ones it reads).
READ_SOURCE = """(name) => {
  for (const doc of Bokeh.documents) for (const m of doc.all_models) {
    if (m.name !== name) continue;
    const data = m.data instanceof Map ? m.data : new Map(Object.entries(m.data));
    const out = {};
    for (const [k, v] of data) out[k] = Array.from(v);
    return out;
  }
  return null;
}"""

# Page coordinates of a data point of a named figure (for a real mouse click).
DATA_TO_PAGE = """([name, x, y]) => {
  const view = Bokeh.index.query_one((v) => v.model.name === name);
  const box = view.el.getBoundingClientRect();
  return [box.left + view.frame.x_scale.compute(x), box.top + view.frame.y_scale.compute(y)];
}"""


@pytest.fixture(scope="module")
def gallery_url(tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "panel-serve.log"
    with support.panel_serve(HERE / "gallery_app.py", log) as url:
        yield url


def test_gallery_renders_and_responds(gallery_url):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = support.Browser(p, viewport=(1500, 1000))
        page = b.page
        try:
            page.goto(gallery_url)
            page.wait_for_function("(s) => window.Bokeh && (%s)(s) !== null" % READ_SOURCE,
                                   arg="gallery-tensor-cells", timeout=30_000)
            page.wait_for_selector("textarea.pg-code", timeout=10_000)
            read = lambda name: page.evaluate(READ_SOURCE, name)  # noqa: E731

            # the widgets rendered (the data sources, the shape field, the editor)
            assert len(read("gallery-tensor-cells")["index"]) == 6
            assert len(read("gallery-graph-tensors")["label"]) == 4
            assert page.locator("input[placeholder^='e.g. 3, 4']").count() == 1

            # the shape input drives the tensor view
            field = page.locator("input[placeholder^='e.g. 3, 4']")
            field.fill("2, 3, 4")
            field.press("Enter")
            page.wait_for_function(
                "(s) => ((%s)(s).index || []).length === 24" % READ_SOURCE,
                arg="gallery-tensor-cells", timeout=10_000)
            assert read("gallery-tensor-cells")["index"][5] == "[0, 1, 1]"
            field.fill("3, x")
            field.press("Enter")
            page.get_by_text("'x' is not a whole number: write sizes like 3, 4").wait_for(timeout=5_000)

            # play: the player's periodic callback replays the descent step by step
            assert len(read("gallery-trajectory-points")["x"]) == 2  # step 0 of two runs
            page.get_by_role("button", name="▶ Play").click()
            page.wait_for_function(
                "(s) => (%s)(s).x.length > 20" % READ_SOURCE,
                arg="gallery-trajectory-points", timeout=10_000)
            page.get_by_text("step 40 / 40").wait_for(timeout=10_000)
            page.get_by_role("button", name="▶ Play").wait_for(timeout=5_000)  # stopped itself

            # a click on the contour plot sets the start point
            assert read("gallery-start") == {"x": [-2.5], "y": [1.5]}
            page.mouse.click(*page.evaluate(DATA_TO_PAGE, ["gallery-contour", 1.0, -1.0]))
            page.wait_for_function("(s) => (%s)(s).x[0] !== -2.5" % READ_SOURCE,
                                   arg="gallery-start", timeout=10_000)
            start = read("gallery-start")
            assert abs(start["x"][0] - 1.0) < 0.05 and abs(start["y"][0] + 1.0) < 0.05

            # the code cell: Tab / Enter indentation, Shift+Enter runs
            editor = page.locator("textarea.pg-code")
            editor.click()
            page.keyboard.press("Control+End")
            page.keyboard.press("Enter")
            page.keyboard.type("for i in range(2):")
            page.keyboard.press("Enter")  # indents the loop body by itself
            page.keyboard.type("print(i)")
            page.keyboard.press("Shift+Enter")
            output = page.locator("pre.pg-cell-output")
            output.wait_for(timeout=10_000)
            page.get_by_text("finished in").wait_for(timeout=10_000)
            assert output.inner_text() == "[0, 1, 4, 9, 16]\n0\n1\n"
            # then the Run button, with a traceback
            editor.fill("a = 1\nb = a / 0")
            # a fill (unlike typing then clicking) does not blur: let the editor's
            # debounced sync (250 ms) send the text before Run is clicked
            page.wait_for_timeout(500)
            page.get_by_role("button", name="▶ Run").click()
            page.get_by_text("ZeroDivisionError: division by zero").wait_for(timeout=10_000)
            assert 'File "<cell 2>", line 2, in <module>' in output.inner_text()

            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "widgets_gallery.png"), full_page=True)
        except Exception:
            b.screenshot("widgets_gallery_failed.png")
            raise
        finally:
            b.close()
    support.assert_clean(b)


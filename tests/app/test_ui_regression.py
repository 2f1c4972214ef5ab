"""regression in a real browser: the learning-rate slider reruns gradient descent, a click
on the loss contour moves the starting beta, the player replays the steps."""
import pytest

from browser_support import READ_SOURCES, assert_clean, open_lesson

pytestmark = pytest.mark.browser

DATA_TO_PAGE = """([name, x, y]) => {
  const view = Bokeh.index.query_one((v) => v.model.name === name);
  const box = view.el.getBoundingClientRect();
  return [box.left + view.frame.x_scale.compute(x), box.top + view.frame.y_scale.compute(y)];
}"""


def test_learning_rate_click_and_player(browser, app_url):
    page = browser.page
    open_lesson(browser, app_url, "?lesson=regression&lr=0.1", "regression-path")
    assert len(browser.sources()["regression-path"]["x"]) == 21
    assert len(browser.sources()["regression-data-0"]["x"]) == 50

    # the learning-rate slider: press its track further right (a bigger rate: ~0.56)
    before = browser.snapshot("regression-path", "x")
    slider = page.locator(".noUi-target").nth(4)  # after n, noise, true beta0 and beta1
    box = slider.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    browser.wait_for_change("regression-path", "x", before)
    page.get_by_text("overshoot and zig-zag in").first.wait_for(timeout=10_000)
    assert "lr=0.1&" not in page.evaluate("() => window.location.search")

    # a click on the contour moves the starting beta
    before = browser.snapshot("regression-path", "x")
    page.mouse.click(*page.evaluate(DATA_TO_PAGE, ["regression-contour", 0.0, 0.5]))
    browser.wait_for_change("regression-path", "x", before)
    assert "start=" in page.evaluate("() => window.location.search")
    page.mouse.move(0, 0)  # no hover tooltip in the screenshot
    browser.screenshot("lesson-regression.png")

    # Reset shows the start alone; Step adds one step
    path_length = ("(n) => { const s = (%s)(); return s['regression-path'] && "
                   "s['regression-path'].x.length === n; }" % READ_SOURCES)
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function(path_length, arg=1, timeout=10_000)
    page.get_by_role("button", name="Step ▸").click()
    page.wait_for_function(path_length, arg=2, timeout=10_000)
    assert_clean(browser)

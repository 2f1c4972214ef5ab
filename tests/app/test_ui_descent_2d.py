"""descent-2d in a real browser: the design's link, a click on the contour plot moves the
start, the learning-rate slider reruns every optimizer."""
import pytest

from browser_support import assert_clean, open_lesson

pytestmark = pytest.mark.browser

# page coordinates of a data point on a named Bokeh figure (for a real mouse click)
DATA_TO_PAGE = """([name, x, y]) => {
  const view = Bokeh.index.query_one((v) => v.model.name === name);
  const box = view.el.getBoundingClientRect();
  return [box.left + view.frame.x_scale.compute(x), box.top + view.frame.y_scale.compute(y)];
}"""


def test_link_click_and_learning_rate(browser, app_url):
    page = browser.page
    open_lesson(browser, app_url, "?lesson=descent-2d&lr=0.3&optimizer=adam&seed=7",
                "descent2d-points")
    # the link applied: sgd blows up at lr 0.3 and the page says why; adam's steps print
    page.get_by_text("above its stability limit 0.2").first.wait_for(timeout=10_000)
    page.get_by_text("adam:").first.wait_for(timeout=10_000)
    names = browser.sources()["descent2d-paths"]["name"]
    assert names == ["sgd", "momentum", "adam"]

    # a click on the contour plot moves the start: every run begins there
    before = browser.snapshot("descent2d-points", "x")
    page.mouse.click(*page.evaluate(DATA_TO_PAGE, ["descent2d-contour", 1.0, -1.0]))
    browser.wait_for_change("descent2d-points", "x", before)
    start = browser.sources()["descent2d-start"]
    assert abs(start["x"][0] - 1.0) < 0.05 and abs(start["y"][0] + 1.0) < 0.05
    assert "start=" in page.evaluate("() => window.location.search")

    # the learning-rate slider (the second log slider, after the condition number)
    before = browser.snapshot("descent2d-points", "x")
    slider = page.locator(".noUi-target").nth(1)
    box = slider.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2)
    browser.wait_for_change("descent2d-points", "x", before)
    assert "lr=0.3" not in page.evaluate("() => window.location.search")

    # ticking another optimizer adds its run
    before = browser.snapshot("descent2d-paths", "name")
    page.get_by_label("rmsprop").check()
    browser.wait_for_change("descent2d-paths", "name", before)
    assert browser.sources()["descent2d-paths"]["name"] == ["sgd", "momentum", "rmsprop",
                                                            "adam"]
    page.mouse.move(0, 0)  # no hover tooltip in the screenshot
    browser.screenshot("lesson-descent-2d.png")
    assert_clean(browser)


def test_bad_link_values_are_explained(browser, app_url):
    open_lesson(browser, app_url, "?lesson=descent-2d&optimizer=magic&steps=0",
                "descent2d-points")
    browser.page.get_by_text("The link's optimizer='magic' was ignored").wait_for(
        timeout=10_000)
    browser.page.get_by_text("The link's steps='0' was ignored").wait_for(timeout=10_000)
    assert len(browser.sources()["descent2d-paths"]["name"]) == 3
    assert_clean(browser)

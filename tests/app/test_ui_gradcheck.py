"""gradcheck in a real browser: move eps, the chosen point follows; switch to float32, the
error curve moves."""
import pytest

from browser_support import assert_clean, open_lesson

pytestmark = pytest.mark.browser


def test_eps_slider_and_dtype_move_the_errors(browser, app_url):
    open_lesson(browser, app_url, "?lesson=gradcheck&eps=1e-07", "gradcheck-chosen")
    before = browser.snapshot("gradcheck-chosen", "eps")
    # the eps slider: press its track near the left end (a much smaller eps)
    slider = browser.page.locator(".noUi-target").nth(0)
    box = slider.bounding_box()
    browser.page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] / 2)
    browser.wait_for_change("gradcheck-chosen", "eps", before)
    eps = browser.sources()["gradcheck-chosen"]["eps"][0]
    assert eps < 1e-10
    search = browser.page.evaluate("() => window.location.search")
    assert "eps=" in search and "eps=1e-07" not in search

    sweep = browser.snapshot("gradcheck-sweep", "forward")
    browser.page.locator("button", has_text="float32").first.click()
    browser.wait_for_change("gradcheck-sweep", "forward", sweep)
    assert browser.sources()["gradcheck-u"]["u"][0] == pytest.approx(2 ** -24)
    browser.page.mouse.move(5, 5)  # no tooltip over the picture
    browser.screenshot("lesson-gradcheck.png")
    assert_clean(browser)

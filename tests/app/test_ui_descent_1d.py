"""descent-1d in a real browser: open by link, move the learning rate, the plot follows."""
import pytest

from browser_support import assert_clean, open_lesson

pytestmark = pytest.mark.browser


def test_learning_rate_slider_moves_the_steps(browser, app_url):
    open_lesson(browser, app_url, "?lesson=descent-1d&lr=0.25", "descent1d-steps")
    before = browser.snapshot("descent1d-steps", "x")
    # the learning-rate slider: press the handle's track further right (a bigger rate)
    slider = browser.page.locator(".noUi-target").nth(0)
    box = slider.bounding_box()
    browser.page.mouse.click(box["x"] + box["width"] * 0.85, box["y"] + box["height"] / 2)
    browser.wait_for_change("descent1d-steps", "x", before)
    assert "lr=" in browser.page.evaluate("() => window.location.search")
    assert "lr=0.25" not in browser.page.evaluate("() => window.location.search")
    browser.screenshot("lesson-descent-1d.png")
    assert_clean(browser)

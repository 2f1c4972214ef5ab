"""Every lesson fits a 1300 px wide window without a horizontal scroll bar: plots that do not
fit beside each other wrap under one another (course sites often embed the page narrower than a
full screen; before, 8 of the 10 lessons ran 14-270 px past the right edge at this width)."""
import pytest

from browser_support import assert_clean
from playground import lessons

pytestmark = pytest.mark.browser

WIDTH = 1300

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def test_every_lesson_fits_a_1300_px_window(browser, app_url):
    page = browser.page
    page.set_viewport_size({"width": WIDTH, "height": 900})
    too_wide = {}
    for slug in lessons.LESSONS:
        page.goto(f"{app_url}?lesson={slug}")
        page.wait_for_selector(f".pg-{slug}", timeout=60_000)
        page.wait_for_timeout(1500)  # Bokeh sizes the plots after they are attached
        width = page.evaluate(PAGE_WIDTH)
        if width > WIDTH:
            too_wide[slug] = width
            browser.screenshot(f"layout-too-wide-{slug}.png")
    assert too_wide == {}, f"page wider than the {WIDTH} px window: {too_wide}"
    assert_clean(browser)

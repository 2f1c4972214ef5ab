"""Every lesson fits a 1100 and a 1300 px wide window without a horizontal scroll bar: plots that
do not fit beside each other wrap under one another, and where even one plot does not fit beside
the controls the controls go above (course sites often embed the page narrower than a full
screen; before, at 1300 px 8 of the 10 lessons ran 14-270 px past the right edge)."""
import pytest

from browser_support import assert_clean
from playground import lessons

pytestmark = pytest.mark.browser

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


@pytest.mark.parametrize("width", [1100, 1300])
def test_every_lesson_fits_the_window(browser, app_url, width):
    page = browser.page
    page.set_viewport_size({"width": width, "height": 900})
    too_wide = {}
    for slug in lessons.LESSONS:
        page.goto(f"{app_url}?lesson={slug}")
        page.wait_for_selector(f".pg-{slug}", timeout=60_000)
        page.wait_for_timeout(1500)  # Bokeh sizes the plots after they are attached
        page_width = page.evaluate(PAGE_WIDTH)
        if page_width > width:
            too_wide[slug] = page_width
            browser.screenshot(f"layout-too-wide-{slug}-{width}.png")
    assert too_wide == {}, f"page wider than the {width} px window: {too_wide}"
    assert_clean(browser)

"""broadcasting in a real browser: pick a clashing example, then a view op after a transpose."""
import pytest

from browser_support import assert_clean, open_lesson

pytestmark = pytest.mark.browser


def test_a_clashing_example_shows_torchs_error_and_the_clash(browser, app_url):
    open_lesson(browser, app_url, "?lesson=broadcasting", "broadcast-cells")
    page = browser.page
    before = browser.snapshot("broadcast-cells", "text")
    page.get_by_role("button", name="(2,3) + (3,2)").click()
    browser.wait_for_change("broadcast-cells", "text", before)
    assert browser.sources()["broadcast-cells"]["text"][-1] == "✗"
    page.get_by_text("must match the size of tensor b (2) at non-singleton dimension 1"
                     ).wait_for()
    assert "a=%5B2%2C3%5D" in page.evaluate("() => window.location.search")
    browser.screenshot("lesson-broadcasting.png")
    assert_clean(browser)


def test_reshape_after_a_transpose_copies_where_view_fails(browser, app_url):
    open_lesson(browser, app_url, "?lesson=broadcasting&part=views", "views-memory")
    page = browser.page
    page.get_by_role("button", name="transpose, then view").click()
    page.get_by_text("view size is not compatible").wait_for()
    before = browser.snapshot("views-y", "text")
    page.get_by_role("button", name="transpose, then reshape").click()
    browser.wait_for_change("views-y", "text", before)
    assert browser.sources()["views-y"]["text"][:4] == ["0", "4", "8", "1"]
    page.get_by_text("is a copy").wait_for()
    page.get_by_role("button", name="permute(2, 0, 1)").click()
    page.get_by_text("with jumps").wait_for()
    browser.screenshot("lesson-broadcasting-views.png")
    assert_clean(browser)

"""tensors in a real browser: open by link, type a shape, edit through the numpy bridge."""
import pytest

from browser_support import assert_clean, open_lesson

pytestmark = pytest.mark.browser


def test_typing_a_shape_redraws_the_tensor(browser, app_url):
    open_lesson(browser, app_url, "?lesson=tensors", "tensors-t")
    page = browser.page
    before = browser.snapshot("tensors-t", "index")
    field = page.locator("input[placeholder^='e.g. 3, 4']")
    field.fill("2, 5")
    field.press("Enter")
    browser.wait_for_change("tensors-t", "index", before)
    cells = browser.sources()["tensors-t"]
    assert len(cells["index"]) == 10 and cells["index"][-1] == "[1, 4]"
    page.get_by_text("torch.Size([2, 5])").first.wait_for()
    assert "shape=%5B2%2C5%5D" in page.evaluate("() => window.location.search")
    browser.screenshot("lesson-tensors.png")
    assert_clean(browser)


def test_writing_into_b_changes_a_until_torch_tensor_copies(browser, app_url):
    open_lesson(browser, app_url, "?lesson=tensors&part=bridge", "tensors-bridge-a")
    page = browser.page
    page.get_by_role("button", name="edit b (tensor)").click()
    page.get_by_text("a changed too").wait_for()
    before = browser.snapshot("tensors-bridge-a", "text")
    value = page.locator(".bk-input-group", has_text="new value v").locator("input")
    value.fill("5")
    value.press("Enter")  # b[2] = 5
    browser.wait_for_change("tensors-bridge-a", "text", before)  # a follows b: one memory
    assert browser.sources()["tensors-bridge-a"]["text"] == ["1", "1", "5", "1", "1"]
    shared = browser.snapshot("tensors-bridge-a", "text")
    page.get_by_label("b = torch.tensor(a)").check()
    browser.wait_for_change("tensors-bridge-a", "text", shared)  # now a copy: a stays 1
    assert browser.sources()["tensors-bridge-a"]["text"] == ["1"] * 5
    page.get_by_text("a did not change").wait_for()
    browser.screenshot("lesson-tensors-bridge.png")
    assert_clean(browser)

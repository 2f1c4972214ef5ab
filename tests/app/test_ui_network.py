"""network in a real browser: open by link, press Play, the decision map and the loss curves
evolve tick by tick until the last step; bad hidden-layer text is explained inline."""
import json

import pytest

from browser_support import READ_SOURCES, assert_clean, open_lesson

pytestmark = pytest.mark.browser


def column_length(browser, name, column):
    return browser.page.evaluate(
        "([n, c]) => { const s = (%s)(); return s[n] ? s[n][c].length : -1; }" % READ_SOURCES,
        [name, column])


def wait_for_length(browser, name, column, length, timeout=20_000):
    browser.page.wait_for_function(
        "([n, c, k]) => { const s = (%s)(); return s[n] && s[n][c].length >= k; }"
        % READ_SOURCES, arg=[name, column, length], timeout=timeout)


def test_play_trains_live_until_the_last_step(browser, app_url):
    open_lesson(browser, app_url, "?lesson=network&dataset=xor&steps=150&seed=3",
                "network-map")
    page = browser.page
    untrained = browser.snapshot("network-map", "image")
    assert column_length(browser, "network-train", "x") == 140   # 200 points, 30% held out
    assert column_length(browser, "network-test", "x") == 60
    assert column_length(browser, "network-loss", "step") == 2   # train and test at step 0

    page.get_by_role("button", name="▶ Play").click()
    browser.wait_for_change("network-map", "image", untrained)
    # a few ticks later, not all at once: the loss curves grow in chunks
    wait_for_length(browser, "network-loss", "step", 2 * 40)
    assert column_length(browser, "network-loss", "step") < 2 * 151
    wait_for_length(browser, "network-loss", "step", 2 * 151)   # steps 0..150, both series
    page.get_by_text("Step 150 of 150").wait_for()
    page.get_by_role("button", name="▶ Play").wait_for()        # stopped at the end by itself
    losses = json.loads(browser.snapshot("network-loss", "loss"))
    assert losses[150] < losses[0] / 3                        # the train loss fell

    assert "dataset=xor" in page.evaluate("() => window.location.search")
    browser.screenshot("lesson-network.png")
    assert_clean(browser)


def test_bad_hidden_widths_are_explained_and_good_ones_restart(browser, app_url):
    open_lesson(browser, app_url, "?lesson=network&dataset=circle&hidden=8", "network-map")
    page = browser.page
    box = page.get_by_placeholder("empty: no hidden layer")
    box.fill("8, x")
    box.press("Enter")
    page.get_by_text("'x' is not a whole number").wait_for()
    assert "hidden=8&" in page.evaluate("() => window.location.search") + "&"

    before = browser.snapshot("network-map", "image")
    box.fill("4, 4")
    box.press("Enter")
    browser.wait_for_change("network-map", "image", before)
    page.get_by_text("'x' is not a whole number").wait_for(state="hidden")
    assert "hidden=4%2C+4" in page.evaluate("() => window.location.search")
    assert_clean(browser)

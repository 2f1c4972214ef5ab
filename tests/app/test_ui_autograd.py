"""autograd in a real browser: Backward fills the graph's gradients, Backward again shows
torch's error inline, retain_graph lets gradients accumulate."""
import pytest

from browser_support import assert_clean, open_lesson

pytestmark = pytest.mark.browser
GRAPH = "autograd-graph"


def subs(browser):
    """{node label: the line under it} ('grad ...', 'freed', '') as the page has them."""
    data = browser.sources()[GRAPH]
    return dict(zip(data["label"], data["sub"]))


def click(browser, action):
    browser.page.locator(f".pg-autograd-{action} button").first.click()


def test_backward_then_backward_again_shows_torchs_error(browser, app_url):
    open_lesson(browser, app_url, "?lesson=autograd", GRAPH)
    before = browser.snapshot(GRAPH, "sub")
    click(browser, "backward")
    browser.wait_for_change(GRAPH, "sub", before)
    assert subs(browser)["x"].startswith("grad tensor([[12., 12.]")
    assert subs(browser)["MulBackward0"] == "freed"
    click(browser, "backward-again")
    browser.page.locator(".pg-error", has_text="Trying to backward through the graph a "
                                               "second time").first.wait_for(timeout=15_000)
    browser.page.locator(".pg-step-error").first.wait_for(timeout=15_000)  # in the transcript
    browser.screenshot("lesson-autograd.png")
    assert_clean(browser)


def test_retain_graph_lets_gradients_accumulate_and_zero_grads_clears(browser, app_url):
    open_lesson(browser, app_url, "?lesson=autograd&expression=l", GRAPH)
    browser.page.locator("input[type=checkbox]").first.check()
    browser.page.wait_for_function("() => window.location.search.includes('retain_graph=true')")
    for _ in range(2):
        before = browser.snapshot(GRAPH, "sub")
        click(browser, "backward")
        browser.wait_for_change(GRAPH, "sub", before)
    assert all(sub != "freed" for sub in subs(browser).values())  # the graph was kept
    grad_twice = subs(browser)["w"]
    before = browser.snapshot(GRAPH, "sub")
    click(browser, "zero-grads")  # x.grad = None: the boxes lose their grad line
    browser.wait_for_change(GRAPH, "sub", before)
    assert grad_twice.startswith("grad tensor([") and subs(browser)["w"] == ""
    assert_clean(browser)

"""scratchpad in a real browser: a seed snippet runs cell by cell with Run all; a runaway loop
is stopped by Stop within a second; syntax errors, huge prints and the snippet choice."""
import time

import pytest

from browser_support import assert_clean

pytestmark = pytest.mark.browser


def open_scratchpad(browser, app_url, query):
    browser.page.goto(app_url + query)
    browser.page.get_by_role("button", name="▶▶ Run all").wait_for(timeout=60_000)


def test_run_all_runs_the_seed_snippet_in_one_namespace(browser, app_url):
    open_scratchpad(browser, app_url, "?lesson=scratchpad&snippet=descent")
    page = browser.page
    assert page.locator("textarea.pg-code").count() == 5
    page.get_by_role("button", name="▶▶ Run all").click()
    # the last cell's print needs every cell before it (f, x, step_size...)
    page.get_by_text("x tensor([2.0001], requires_grad=True) y tensor([3.3528e-08], "
                     "grad_fn=<PowBackward0>)").wait_for(timeout=20_000)
    page.get_by_text("tensor([-2.])", exact=True).wait_for()
    assert page.get_by_text("✓ finished").count() == 5
    output = page.locator("pre.pg-cell-output").nth(1).inner_text()   # cell 3's table
    assert "0, \t5.000, \t9.000, \t6.000" in output and "14, \t2.000" in output
    browser.screenshot("lesson-scratchpad.png")
    assert_clean(browser)


def test_stop_syntax_errors_huge_prints_and_the_snippet_choice(browser, app_url):
    open_scratchpad(browser, app_url, "?lesson=scratchpad")
    page = browser.page
    editor = page.locator("textarea.pg-code").nth(1)

    editor.fill("while True: pass")
    editor.press("Shift+Enter")
    page.get_by_text("running…").wait_for()
    time.sleep(0.3)
    started = time.perf_counter()
    page.get_by_role("button", name="■ Stop").nth(1).click()
    page.get_by_text("KeyboardInterrupt").wait_for(timeout=3_000)
    assert time.perf_counter() - started < 1.0
    page.get_by_text("■ interrupted").wait_for()

    editor.fill("x = (1,\nprint(x)")
    editor.press("Shift+Enter")
    page.get_by_text("SyntaxError: '(' was never closed").wait_for()
    output = page.locator("pre.pg-cell-output").first.inner_text()
    assert output == ('  File "<cell 2>", line 1\n    x = (1,\n        ^\n'
                      "SyntaxError: '(' was never closed\n")

    editor.fill("print('x' * 10**6)")
    editor.press("Shift+Enter")
    page.get_by_text("[output truncated: the cell printed more than 50,000").wait_for()

    page.locator("select").first.select_option(label="Broadcasting")
    page.wait_for_function("() => window.location.search.includes('snippet=broadcasting')")
    page.locator("textarea.pg-code").nth(3).wait_for()
    assert page.locator("textarea.pg-code").nth(1).input_value().startswith("A = torch.tensor")
    assert_clean(browser)

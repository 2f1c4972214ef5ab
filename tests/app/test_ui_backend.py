"""The backend panel in a real browser, under `panel serve`, with a real backend server:
connect by hand (the fragment gets the address and token, the query never does), lessons then
run on the server and say so; a link with the fragment connects by itself; the devices lesson
compares here with the server; scratchpad cells run on real torch there; a wrong token is
explained in the panel."""
import urllib.parse

import pytest
import torch

from backend_support import TOKEN
from browser_support import assert_clean, open_lesson

pytestmark = pytest.mark.browser


def fragment(server):
    return "#" + urllib.parse.urlencode({"backend": server, "token": TOKEN})


def badge(page):
    return page.locator(".pg-where-badge").first


def test_connect_by_hand_then_the_lesson_runs_on_the_server(browser, app_url, server):
    page = browser.page
    open_lesson(browser, app_url, "?lesson=descent-1d&lr=0.25", "descent1d-steps")
    page.get_by_text("ran in this app (panel serve)").first.wait_for()
    page.locator(".pg-where-choice").get_by_role("button", name="Server").click()
    page.locator(".pg-where-url input").fill(server)
    page.locator(".pg-where-token input").fill(TOKEN)
    page.locator(".pg-where-connect button").click()
    page.get_by_text(f"● cpu · torch {torch.__version__}").first.wait_for(timeout=30_000)
    page.get_by_text("ran on the server: cpu").first.wait_for(timeout=30_000)
    before = browser.snapshot("descent1d-steps", "x")
    box = page.locator(".noUi-target").nth(0).bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.85, box["y"] + box["height"] / 2)
    browser.wait_for_change("descent1d-steps", "x", before)
    assert page.get_by_text("ran on the server: cpu").first.is_visible()
    location = page.evaluate("() => [window.location.search, window.location.hash]")
    assert TOKEN not in location[0] and "backend=" not in location[0]
    assert urllib.parse.parse_qs(location[1].lstrip("#")) == {"backend": [server],
                                                             "token": [TOKEN]}
    browser.screenshot("lesson-backend-connected.png")
    assert_clean(browser)


def test_a_link_with_the_fragment_connects_and_devices_compare(browser, app_url, server):
    page = browser.page
    open_lesson(browser, app_url, "?lesson=devices&max_size=256" + fragment(server),
                "devices-here")
    page.get_by_text("● cpu · torch").first.wait_for(timeout=30_000)
    page.locator(".pg-devices-measure button").click()
    browser.wait_for_change("devices-server", "size", "[]", timeout=60_000)
    sources = browser.sources()
    assert sources["devices-here"]["size"] == [64, 128, 256]
    assert sources["devices-server"]["size"] == [64, 128, 256]
    page.get_by_text("Server (cpu)").first.wait_for()
    browser.screenshot("lesson-devices.png")
    assert_clean(browser)


def test_scratchpad_cells_run_on_the_servers_torch(browser, app_url, server):
    page = browser.page
    page.goto(app_url + "?lesson=scratchpad&snippet=blank" + fragment(server))
    page.locator(".pg-scratch-server input").wait_for(timeout=30_000)
    page.locator(".pg-scratch-server input").check()
    editor = page.locator("textarea.pg-code").first
    editor.fill("import torch\nprint(torch.__version__, torch.ones(2).sum())")
    editor.press("Shift+Enter")
    page.locator("pre.pg-cell-output", has_text=f"{torch.__version__} tensor(2.)").first \
        .wait_for(timeout=30_000)
    page.get_by_text("ran on the server: cpu").first.wait_for()
    browser.screenshot("lesson-scratchpad-server.png")
    assert_clean(browser)


def test_a_wrong_token_is_explained_in_the_panel(browser, app_url, server):
    page = browser.page
    open_lesson(browser, app_url, "?lesson=descent-1d", "descent1d-steps")
    page.locator(".pg-where-choice").get_by_role("button", name="Server").click()
    page.locator(".pg-where-url input").fill(server)
    page.locator(".pg-where-token input").fill("not-the-right-token-at-all")
    page.locator(".pg-where-connect button").click()
    page.get_by_text("✕ the server refused the token (wrong token").first.wait_for(
        timeout=30_000)
    assert page.get_by_text("ran in this app (panel serve)").first.is_visible()
    assert_clean(browser)

"""Fixtures for the app's browser tests: one real `panel serve playground/app.py` for the
session, and a fresh Chromium page per test that may only reach 127.0.0.1."""
import pytest

import browser_support as support


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    log = tmp_path_factory.mktemp("panel") / "panel-serve.log"
    with support.panel_serve(support.REPO_ROOT / "playground" / "app.py", log) as url:
        yield url


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = support.Browser(p)
        try:
            yield b
        finally:
            b.close()

"""Project-wide pytest configuration: markers, and the import path for the test helpers.

Markers (tests/run.py runs them in this order, each phase only if the previous passed):
  (none)   engine, unit and state tests
  pyodide  runs Python inside real Pyodide under Node (first run assembles the runtime)
  browser  drives a served app in Debian's Chromium via Playwright
"""
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
for path in (TESTS, TESTS.parent):  # tests/*_support.py helpers; build.py and widgets/
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


@pytest.fixture(scope="session")
def server():
    """A real backend on 127.0.0.1 (CPU torch) for the whole run: code allowed with small
    limits, PAGE allowed as an origin, and a secret in its environment that cells must not
    see. Yields its base URL."""
    from backend_support import CODE_LIMITS, PAGE, backend_server
    from browser_support import ARTIFACTS
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with backend_server(ARTIFACTS / "backend-server.log",
                        ["--allow-code", "--allow-origin", PAGE, *CODE_LIMITS],
                        env_extra={"PLAYGROUND_TEST_SECRET": "do-not-leak"}) as url:
        yield url


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "pyodide: runs code inside real Pyodide under Node (slow; first run downloads)")
    config.addinivalue_line(
        "markers", "browser: drives a served app in headless Chromium (needs /usr/bin/chromium)")

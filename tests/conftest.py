"""Project-wide pytest configuration: markers, and the import path for the test helpers.

Markers (tests/run.py runs them in this order, each phase only if the previous passed):
  (none)   engine, unit and state tests
  pyodide  runs Python inside real Pyodide under Node (first run assembles the runtime)
  browser  drives a served app in Debian's Chromium via Playwright
"""
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
for path in (TESTS, TESTS.parent):  # tests/*_support.py helpers; build.py and widgets/
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "pyodide: runs code inside real Pyodide under Node (slow; first run downloads)")
    config.addinivalue_line(
        "markers", "browser: drives a served app in headless Chromium (needs /usr/bin/chromium)")

"""Widget tests. Most build widgets in-process and look at their params and Bokeh data;
test_gallery_browser.py serves tests/widgets/gallery_app.py with `panel serve` and drives
it in headless Chromium (marked `browser`; deselect with -m "not browser")."""
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `widgets` is a top-level package at the repo root
    sys.path.insert(0, str(REPO_ROOT))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives a served app in headless Chromium (needs /usr/bin/chromium)")

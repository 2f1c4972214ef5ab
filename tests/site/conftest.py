"""Fixtures for the static site's browser tests: the self-contained site (built by build.py,
reused when nothing changed), served on 127.0.0.1 by the server `build.py --serve` uses."""
import http.server
import threading

import pytest

import build


@pytest.fixture(scope="session")
def site_dir():
    return build.build_site(build.SITE_OUT, build.DEFAULT_CACHE)


def _serve(root, isolate):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             build.make_handler(root, isolate=isolate))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def site_url(site_dir):
    """The site with COOP/COEP (cross-origin isolated: Stop interrupts in place)."""
    server = _serve(site_dir, isolate=True)
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


@pytest.fixture(scope="session")
def plain_site_url(site_dir):
    """The same site without COOP/COEP, as on a host that cannot send them."""
    server = _serve(site_dir, isolate=False)
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


@pytest.fixture(scope="session")
def site_backend(site_url, tmp_path_factory):
    """A real backend (CPU torch) that lets the isolated site's page call it (CORS)."""
    from backend_support import backend_server
    origin = site_url.split("/index.html")[0]
    log = tmp_path_factory.mktemp("backend") / "backend.log"
    with backend_server(log, ["--allow-origin", origin, "--allow-code"]) as url:
        yield url


@pytest.fixture(scope="module")
def playwright():
    """One Playwright per module: its sync API cannot be started twice in one thread, so a test
    that needs a browser of its own launches it from this one."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright):
    import browser_support as support
    b = support.Browser(playwright)
    try:
        yield b
    finally:
        b.close()

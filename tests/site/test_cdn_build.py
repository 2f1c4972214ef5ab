"""`python build.py --cdn`: the small variant that loads Pyodide, its packages, BokehJS and
Panel's scripts from public CDNs and serves only the pure wheels and ours. The test machine
cannot reach those CDNs, so this checks what the built site asks them for: the pinned
versions, the official lock's file names and hashes, and wheels that are in the site."""
import base64
import json
import re

import pytest

import build


@pytest.fixture(scope="module")
def cdn_site(tmp_path_factory):
    return build.build_site(tmp_path_factory.mktemp("cdn") / "site", build.DEFAULT_CACHE,
                            cdn=True)


def worker_constant(site, name):
    m = re.search(rf"const {name} = (.*?);(?:  //.*)?\n", (site / "app.js").read_text())
    assert m, f"app.js has no {name}"
    return json.loads(m.group(1))


def test_no_runtime_inside_and_small(cdn_site):
    assert not (cdn_site / "pyodide").exists()
    assert not list(cdn_site.rglob("*.wasm"))
    assert build.dir_size(cdn_site) < 8e6, build.dir_size(cdn_site)


def test_the_page_loads_the_pinned_scripts_from_their_cdns(cdn_site):
    page = (cdn_site / "index.html").read_text()
    for name in ("bokeh", "bokeh-widgets", "bokeh-tables"):
        assert f'src="https://cdn.bokeh.org/bokeh/release/{name}-3.7.3.min.js" defer>' in page
    assert 'src="https://cdn.holoviz.org/panel/1.7.5/dist/panel.min.js" defer>' in page
    assert 'importScripts("https://cdn.jsdelivr.net/pyodide/v0.27.7/full/pyodide.js")' in \
        (cdn_site / "app.js").read_text()


def test_the_worker_asks_for_official_packages_and_the_sites_own_wheels(cdn_site):
    lock = build.read_official_lock(build.fetch_pyodide_core(build.DEFAULT_CACHE))
    packages = worker_constant(cdn_site, "PACKAGES")
    files = worker_constant(cdn_site, "PACKAGE_FILES")
    sizes = worker_constant(cdn_site, "PACKAGE_BYTES")
    official = [p for p in packages if not p.startswith("./")]
    ours = [p for p in packages if p.startswith("./")]
    assert "numpy" in official and "pandas" in official  # pandas itself, not the stand-in
    for name in official:  # prefetched from the CDN with the hash Pyodide itself checks
        entry = lock["packages"][name]
        digest = base64.b64encode(bytes.fromhex(entry["sha256"])).decode()
        assert files[name] == [entry["file_name"], f"sha256-{digest}"]
    assert any("/playground-" in p for p in ours) and any("/panel-1.7.5-" in p for p in ours)
    for url in ours:
        wheel = cdn_site / url
        assert wheel.is_file(), url
        dist = build.wheel_project(wheel.name)
        assert sizes[dist] == wheel.stat().st_size  # the loading bar counts its bytes

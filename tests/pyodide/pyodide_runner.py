"""Host-side helpers to run Python code inside real Pyodide (under Node) from pytest.

    from pyodide_runner import run_in_pyodide, run_json

    proc = run_in_pyodide(script, args=["--fast"], input_data=cases)   # CompletedProcess
    result = run_json(driver, input_data=cases)    # parsed JSON the driver printed

The script runs as `python script ARGS` would, with numpy loaded and the listed host package
directories importable (see run_python.mjs for the details). The runtime is assembled on first
use by build.py into .cache/pyodide-runtime (downloads once into .cache/downloads).
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
RUNNER_JS = HERE / "run_python.mjs"


class PyodideRunError(AssertionError):
    """A script run in Pyodide failed, or did not print the expected JSON (shown by pytest
    as an assertion failure with the script's stdout and stderr)."""


def _import_build():
    """Import the repository's build.py.

    build.py sits at the repo root, which is not a package and not necessarily on sys.path:
    pytest (default 'prepend' import mode) only adds the test directories, and the repo is
    not pip-installed. So the root is put at the front of sys.path, once, and the result is
    checked: an installed distribution named `build` (PyPA's build frontend) must not be
    picked up instead.
    """
    root = str(REPO_ROOT)
    if root not in sys.path:
        sys.path.insert(0, root)
    import build

    if Path(build.__file__).resolve() != REPO_ROOT / "build.py":
        raise ImportError(f"`import build` found {build.__file__}, not {REPO_ROOT / 'build.py'}")
    return build


@functools.lru_cache(maxsize=None)
def pyodide_runtime() -> Path:
    """The offline Pyodide runtime dir (numpy), assembled by build.py if needed.

    $PYODIDE_DIST, if set, names a ready-made dist to use as it is (nothing is built).
    Cached per process; across processes build.py's stamp makes this a few file stats.
    """
    if os.environ.get("PYODIDE_DIST"):
        return Path(os.environ["PYODIDE_DIST"]).resolve()
    build = _import_build()
    return build.assemble_runtime(build.DEFAULT_RUNTIME_DIR, list(build.DEFAULT_RUNTIME_PACKAGES),
                                  build.DEFAULT_CACHE)


def node_executable() -> str | None:
    """Node.js to run Pyodide with ($NODE, else `node` on PATH), or None."""
    return os.environ.get("NODE") or shutil.which("node")


def _package_path(p: str | os.PathLike) -> Path:
    # Relative names are repo directories ("playground"); absolute paths are used as given.
    path = Path(p)
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not path.exists():
        raise FileNotFoundError(f"package to copy into Pyodide not found: {path}")
    return path


def run_in_pyodide(
    script: str | os.PathLike,
    *,
    args: Iterable[str] = (),
    packages_from_repo: Iterable[str | os.PathLike] = ("playground",),
    input_json: str | os.PathLike | None = None,
    input_data: Any = None,
    load: Iterable[str] = (),
    dist: str | os.PathLike | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run `script` inside Pyodide under Node; return the finished process (not checked).

    packages_from_repo: package dirs (or .py modules) copied in and importable; relative paths
        are taken from the repo root, absolute ones as given.
    input_json: a JSON file handed to the script; input_data: any JSON-serialisable value,
        written to a temporary file and handed over the same way. The script reads it with
        `json.load(open(os.environ["PYODIDE_RUNNER_INPUT"]))`.
    load: extra Pyodide packages to load (numpy always is; they must be in the dist).
    dist: the Pyodide dist dir (default: pyodide_runtime()).
    Raises subprocess.TimeoutExpired after `timeout` seconds.
    """
    if input_json is not None and input_data is not None:
        raise TypeError("pass input_json (a file) or input_data (a value), not both")
    node = node_executable()
    if node is None:
        raise RuntimeError("Node.js not found (set $NODE or put `node` on PATH)")
    cmd = [node, str(RUNNER_JS), "--dist", str(dist or pyodide_runtime())]
    for pkg in packages_from_repo:
        cmd += ["--pkg", str(_package_path(pkg))]
    for name in load:
        cmd += ["--load", name]
    with tempfile.TemporaryDirectory(prefix="pyodide-run-") as tmp:
        if input_data is not None:
            input_json = Path(tmp) / "input.json"
            input_json.write_text(json.dumps(input_data), encoding="utf-8")
        if input_json is not None:
            cmd += ["--input", str(input_json)]
        cmd += [str(Path(script).resolve()), "--", *map(str, args)]
        # stdin closed: a script that reads input() gets EOF instead of hanging the test.
        return subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=timeout)


def run_json(script: str | os.PathLike, **kwargs: Any) -> Any:
    """run_in_pyodide(), then require exit 0 and parse the script's whole stdout as JSON."""
    proc = run_in_pyodide(script, **kwargs)
    if proc.returncode != 0:
        raise PyodideRunError(f"{script} failed in Pyodide (exit {proc.returncode})\n"
                              f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}")
    try:
        return json.loads(proc.stdout)
    except ValueError as exc:
        raise PyodideRunError(f"{script}: stdout is not one JSON document ({exc})\n"
                              f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}")

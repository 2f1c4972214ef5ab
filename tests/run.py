#!/usr/bin/env python3
"""The whole test suite, set-up included, on a fresh machine:  python3 tests/run.py

Installs what is missing (Debian's Chromium for the browser tests, a .venv with the project,
Panel/Bokeh and real torch as the oracle), then runs pytest in phases, fastest first, and stops
at the first phase that fails: the engine and unit tests, then the tests inside real Pyodide
under Node, then the browser tests. Extra arguments go to every pytest run
(e.g. `python3 tests/run.py -x -k printing`).
"""
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # build.py (stdlib only) knows how to set the machine up
import build  # noqa: E402

PHASES = [
    ("unit and engine tests", "not pyodide and not browser"),
    ("inside Pyodide (Node)", "pyodide"),
    ("in the browser (Chromium)", "browser"),
]


def main(args):
    build.ensure_system_packages()
    build.ensure_venv(["app", "test"])  # re-runs this script inside .venv, once set up
    for title, marks in PHASES:
        print(f"\n=== {title}: pytest -m '{marks}' ===", flush=True)
        t0 = time.perf_counter()
        # --durations: the slowest tests of each phase, in the log, for keeping the suite short
        code = subprocess.call([sys.executable, "-m", "pytest", "-m", marks, "--durations=8",
                                *args], cwd=REPO)
        print(f"=== {title}: {'passed' if code in (0, 5) else 'FAILED'} in "
              f"{time.perf_counter() - t0:.0f} s ===", flush=True)
        if code not in (0, 5):  # 5: no tests collected in this phase
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

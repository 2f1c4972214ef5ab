"""The Pyodide harness itself: real Pyodide + numpy under Node, host packages, errors, JSON.

Each test starts one Node process (Pyodide + numpy load: a few seconds), so they are few.
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from pyodide_runner import node_executable, pyodide_runtime, run_in_pyodide, run_json

pytestmark = [
    pytest.mark.pyodide,
    pytest.mark.skipif(node_executable() is None, reason="Node.js not found"),
]


def write(path: Path, source: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runtime() -> Path:
    # Assemble (or reuse) the runtime once, outside any test's timing.
    return pyodide_runtime()


def test_runtime_is_pyodide_with_numpy(runtime, tmp_path):
    script = write(tmp_path / "info.py", """
        import json, sys
        import numpy as np
        print(json.dumps({
            "platform": sys.platform,
            "numpy": np.__version__,
            "sum": int(np.arange(10).sum()),
            "argv": sys.argv[1:],
            "main": __name__,
        }))
    """)
    # run_json parses the whole stdout: it also proves that no loading message leaks into it.
    got = run_json(script, args=["a b", "--flag", "é"], packages_from_repo=())
    assert got == {"platform": "emscripten", "numpy": "2.0.2", "sum": 45,
                   "argv": ["a b", "--flag", "é"], "main": "__main__"}


def test_package_dirs_are_copied_and_importable(runtime, tmp_path):
    pkg = tmp_path / "src" / "tinypkg"
    write(pkg / "__init__.py", "from .sub.mod import VALUE\n")
    write(pkg / "sub" / "__init__.py", "")
    write(pkg / "sub" / "mod.py", "import numpy as np\nVALUE = int(np.int64(41) + 1)\n")
    write(pkg / "data.txt", "not python\n")
    write(pkg / "__pycache__" / "junk.py", "raise RuntimeError('must not be copied')\n")
    script = write(tmp_path / "use_pkg.py", """
        import json, os
        import tinypkg
        print(json.dumps({
            "value": tinypkg.VALUE,
            "file": tinypkg.__file__,
            "copied": sorted(
                os.path.relpath(os.path.join(d, f), "/home/pyodide/tinypkg")
                for d, _, files in os.walk("/home/pyodide/tinypkg") for f in files),
        }))
    """)
    got = run_json(script, packages_from_repo=[pkg])
    assert got == {"value": 42, "file": "/home/pyodide/tinypkg/__init__.py",
                   "copied": ["__init__.py", "sub/__init__.py", "sub/mod.py"]}


def test_exception_gives_nonzero_exit_and_traceback(runtime, tmp_path):
    script = write(tmp_path / "boom.py", """
        print("before the error")

        def inner():
            raise ValueError("boom-1234")

        inner()
    """)
    proc = run_in_pyodide(script, packages_from_repo=())
    assert proc.returncode != 0
    assert proc.stdout == "before the error\n"
    assert "Traceback (most recent call last)" in proc.stderr
    assert f'File "{script}", line 5, in inner' in proc.stderr
    assert proc.stderr.rstrip().endswith("ValueError: boom-1234")


def test_json_round_trip(runtime, tmp_path):
    cases = [
        {"name": "ints", "x": [1, 2, 3]},
        {"name": "floats", "x": [0.5, -1.25, 1e-300]},
        {"name": "unicode ∑ é", "x": []},
    ]
    driver = write(tmp_path / "driver.py", """
        import json, os
        import numpy as np
        with open(os.environ["PYODIDE_RUNNER_INPUT"], encoding="utf-8") as fh:
            cases = json.load(fh)
        out = [{"name": c["name"], "sum": float(np.sum(np.asarray(c["x"], dtype=np.float64))),
                "n": len(c["x"])} for c in cases]
        print(json.dumps(out))
    """)
    expected = [{"name": c["name"], "sum": float(sum(c["x"])), "n": len(c["x"])} for c in cases]
    assert run_json(driver, input_data=cases, packages_from_repo=()) == expected

    # the same through a JSON file written by the host test
    input_file = tmp_path / "input.json"
    input_file.write_text(json.dumps(cases), encoding="utf-8")
    assert run_json(driver, input_json=input_file, packages_from_repo=()) == expected

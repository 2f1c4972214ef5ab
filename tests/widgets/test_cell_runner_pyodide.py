"""The cell runner inside real Pyodide (under Node): no threads there, so cells run
synchronously, Stop goes through the interrupt hook, and the time limit still works."""
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pyodide"))
from pyodide_runner import node_executable, run_json  # noqa: E402

pytestmark = [
    pytest.mark.pyodide,
    pytest.mark.skipif(node_executable() is None, reason="Node.js not found"),
]

WIDGETS = Path(__file__).resolve().parents[2] / "widgets"
# Only the runner's two modules go in (widgets/__init__ imports Panel, absent here).
RUNNER_FILES = ("cell_runner.py", "cell_output.py")

SCRIPT = """
import json, sys
from cellpkg import cell_runner as cr

out = {"platform": sys.platform, "threads": cr.THREADS_AVAILABLE}
ns = {}
r = cr.run("x = 20\\nprint('hi')\\nx + 1", ns, name="cell 1")
out["ok"] = [r.status, r.text]
r = cr.run("def f():\\n    return 1 / 0\\nf()", ns, name="cell 2")
out["error"] = r.text
out["syntax"] = cr.run("y = (1,", name="cell 3").text
out["limit"] = cr.run("while True:\\n    pass", time_limit_s=0.3).status
calls = []
runner = cr.CellRunner(interrupt_hook=lambda: calls.append("asked") or True)
runner.start("print('sync')")
out["sync"] = [runner.threaded, runner.running, runner.result.text]
out["hook"] = [runner.interrupt(), calls]
print(json.dumps(out))
"""


def test_cell_runner_in_pyodide(tmp_path):
    package = tmp_path / "cellpkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in RUNNER_FILES:
        shutil.copy(WIDGETS / name, package / name)
    script = tmp_path / "drive.py"
    script.write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    out = run_json(script, packages_from_repo=[str(package)], timeout=300)
    assert out["platform"] == "emscripten" and out["threads"] is False
    assert out["ok"] == ["ok", "hi\n21\n"]
    assert 'File "<cell 2>", line 2, in f\n    return 1 / 0\n' in out["error"]
    assert out["error"].endswith("ZeroDivisionError: division by zero\n")
    assert out["syntax"].endswith("SyntaxError: '(' was never closed\n")
    assert out["limit"] == "interrupted"
    assert out["sync"] == [False, False, "sync\n"]
    assert out["hook"] == [True, ["asked"]]

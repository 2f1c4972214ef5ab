"""widgets/ stays lesson-free and browser-safe: it imports only panel, bokeh, param, numpy
and the standard library (what Pyodide ships with Panel), and never `playground`."""
import ast
import sys
from pathlib import Path

WIDGETS = Path(__file__).resolve().parents[2] / "widgets"
ALLOWED = {"panel", "bokeh", "param", "numpy"} | set(sys.stdlib_module_names)


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_allowed_imports():
    files = sorted(WIDGETS.glob("*.py"))
    assert len(files) > 10
    for path in files:
        extra = imported_modules(path) - ALLOWED
        assert not extra, f"{path.name} imports {sorted(extra)}"


def test_no_lesson_or_shared_knowledge():
    for path in WIDGETS.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "playground" not in imported_modules(path), path.name
        assert "/work/shared" not in text, path.name

"""The curriculum's seed notebooks (tests/seeds/*.txt): parse them into code cells and run a
notebook's cells the way Jupyter would.

Parsing.  The seeds are plain-text exports in two styles:

* prompt style (000, 001, 002): a code cell starts at a line ``In [N]:`` (``In [None]:``,
  ``In [42]:``); its code runs until the cell's output or the next markdown, and the export
  marks neither: both come after a blank line, and code itself has blank lines.  So the text
  after the prompt (up to the next prompt) is cut at blank lines into chunks, and the code is
  the longest run of leading chunks that (a) parses as Python, once magics are blanked, and
  (b) stops before the first chunk that opens like a displayed value (``tensor(``,
  ``array(``, ``torch.Size(``, ``(``, ``[`` or a number).  Prose and printed output do not
  parse; the displayed values that do parse are caught by (b).  A trailing run of chunks
  made of ``#`` lines only is dropped: those are the markdown headings that follow a cell
  with no output (``### Handling of tensors``), and as Python they are comments that run as
  nothing, so dropping them cannot change a result.
* fenced style (003, 004, nbconvert markdown): a code cell is a ```` ```python ```` line that
  follows a blank line, up to the closing ```` ``` ````; outputs follow indented.  A fence
  glued to the line above it is a code sample inside a markdown cell (004's install
  instructions), not a code cell.  Empty code cells (003 ends with one) are left out.

tests/engine/test_seeds.py checks every cell's first and last code line, by hand, for all
five files.

Running (``python seed_cells.py NOTEBOOK BACKEND SEED OUT.json``): one fresh process per
notebook and backend, Jupyter semantics: one shared namespace; the value of a trailing
expression statement is shown with ``repr`` (IPython's displayhook; None and a trailing ``;``
show nothing); stdout is captured per cell; an exception ends its cell only, recorded as
``ExceptionType: message``; warnings are recorded per cell as ``Category: message`` (each
distinct one once per cell, as Jupyter's default filter shows a warning once per line of
code); line magics (``%matplotlib inline``) do nothing, a cell magic (``%%time``) runs the
cell body and its own output is not produced.  The torchvision/CIFAR download cell is not run
(offline, and not a torch lesson); cells that then use ``cifar`` fail alike in both backends.

matplotlib is not installed here (and is not to be).  003's first cell imports it before
``import torch``, so a failing import would leave the whole notebook without torch, every
cell failing alike with NameError and nothing tested.  So when matplotlib cannot be imported,
an empty stand-in module answers ``import matplotlib.pyplot as plt`` in both backends alike;
no cell that reaches a plotting call gets that far (they fail first on ``torchvision``).

Backends: ``torch`` is real torch as installed; ``engine`` calls
``playground.install_as_torch()`` first, so the notebook's own ``import torch`` gets the
engine.  Before the first cell both seed torch (``torch.manual_seed``) and numpy
(``np.random.seed``) with SEED.
"""
from __future__ import annotations

import ast
import contextlib
import dataclasses
import io
import json
import re
import signal
import sys
import types
import warnings
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
NOTEBOOKS = sorted(p.name for p in SEEDS_DIR.glob("*.txt"))
CELL_TIME_LIMIT_S = 30  # a cell that loops forever (an engine bug) fails instead of hanging

_PROMPT = re.compile(r"^In \[[^\]]*\]:\s*$")
_DISPLAYED_VALUE = re.compile(r"^(tensor\(|array\(|torch\.Size\(|\(|\[|-?\d)")


@dataclasses.dataclass
class Cell:
    index: int   # position among the notebook's code cells, from 0
    lineno: int  # line of the seed file (from 1) where the code starts
    code: str

    @property
    def first_line(self) -> str:
        return next((ln for ln in self.code.splitlines() if ln.strip()), "")

    @property
    def last_line(self) -> str:
        return next((ln for ln in reversed(self.code.splitlines()) if ln.strip()), "")


def parse_notebook(path: Path | str) -> list[Cell]:
    """The code cells of one seed file, in order."""
    path = Path(path)
    if not path.is_absolute():
        path = SEEDS_DIR / path
    lines = path.read_text(encoding="utf-8").splitlines()
    if any(ln.rstrip() == "```python" for ln in lines):
        cells = _parse_fenced(lines)
    else:
        cells = _parse_prompts(lines)
    return [Cell(i, lineno, code) for i, (lineno, code) in enumerate(cells)]


def _parse_fenced(lines):
    cells, i = [], 0
    while i < len(lines):
        if lines[i].rstrip() == "```python" and (i == 0 or not lines[i - 1].strip()):
            j = i + 1
            while j < len(lines) and lines[j].rstrip() != "```":
                j += 1
            code = "\n".join(lines[i + 1:j])
            if code.strip():
                cells.append((i + 2, code))
            i = j + 1
        else:
            i += 1
    return cells


def _parse_prompts(lines):
    starts = [i for i, ln in enumerate(lines) if _PROMPT.match(ln)]
    cells = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        chunks = _chunks(lines, start + 1, end)  # [(first, last+1)] line ranges
        upto = 0  # chunks[:upto] is the code
        for n, (a, _) in enumerate(chunks):
            if _DISPLAYED_VALUE.match(lines[a]):
                break
            if _parses("\n".join(lines[chunks[0][0]:chunks[n][1]])):
                upto = n + 1
        while upto and all(ln.lstrip().startswith("#")
                           for ln in lines[chunks[upto - 1][0]:chunks[upto - 1][1]]):
            upto -= 1
        if upto:
            cells.append((chunks[0][0] + 1, "\n".join(lines[chunks[0][0]:chunks[upto - 1][1]])))
    return cells


def _chunks(lines, start, end):
    out, a = [], None
    for i in range(start, end):
        if lines[i].strip():
            if a is None:
                a = i
        elif a is not None:
            out.append((a, i))
            a = None
    if a is not None:
        out.append((a, end))
    return out


def _parses(code):
    try:
        ast.parse(strip_magics(code))
    except (SyntaxError, ValueError):
        return False
    return True


def strip_magics(code: str) -> str:
    """IPython magics as plain Python: a cell magic's line (``%%time``) goes and its body runs;
    a line magic or shell escape (``%matplotlib inline``, ``!ls``) becomes ``pass``."""
    lines = code.splitlines()
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        lines[first] = ""
    out = []
    for ln in lines:
        body = ln.lstrip()
        if body.startswith(("%", "!")):
            out.append(ln[:len(ln) - len(body)] + "pass")
        else:
            out.append(ln)
    return "\n".join(out)


def is_download_cell(code: str) -> bool:
    """003's `import torchvision` + CIFAR10(download=True) cell: the one cell not run."""
    return "import torchvision" in code and "CIFAR10" in code


# -- running --------------------------------------------------------------------------------

class CellTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise CellTimeout(f"the cell ran longer than {CELL_TIME_LIMIT_S} s")


def _run_source(source, namespace, filename):
    """exec a cell; show a trailing expression's value as IPython's displayhook does."""
    tree = ast.parse(source, filename)
    shown = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and \
            not source.rstrip().endswith(";"):
        shown = ast.Expression(tree.body.pop().value)
    exec(compile(tree, filename, "exec"), namespace)
    if shown is not None:
        value = eval(compile(shown, filename, "eval"), namespace)
        if value is not None:
            namespace["_"] = value
            print(repr(value))


def run_cell(cell: Cell, namespace: dict) -> dict:
    out = io.StringIO()
    error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.alarm(CELL_TIME_LIMIT_S)
        try:
            with contextlib.redirect_stdout(out):
                _run_source(strip_magics(cell.code), namespace, f"<cell {cell.index}>")
        except Exception as exc:  # the student sees it, and goes on with the next cell
            error = f"{type(exc).__name__}: {exc}"
        finally:
            signal.alarm(0)
    shown_warnings = []
    for w in caught:
        text = f"{w.category.__name__}: {w.message}"
        if text not in shown_warnings:
            shown_warnings.append(text)
    return {"index": cell.index, "first_line": cell.first_line, "skipped": False,
            "stdout": out.getvalue().splitlines(), "exception": error,
            "warnings": shown_warnings}


def _fill_empty_with_noise(torch, seed):
    """Oracle runs only.  Uninitialised memory (torch.empty, torch.Tensor(3, 3)) holds whatever
    was there: random by definition.  In practice it is often zeros, the same in two runs, and
    would then be compared as if it were a result.  Filling new empty tensors with noise from
    a generator seeded by the run's seed (not the global one: the notebook's own random
    stream is left as it is) makes the two oracle runs differ there, so those lines are
    classified random, as they are."""
    noise = torch.Generator().manual_seed(10_000 + seed)

    def fill(t):
        with torch.no_grad():
            if t.dtype == torch.bool:
                t.copy_(torch.randint(0, 2, t.shape, generator=noise).bool())
            elif t.is_floating_point():
                t.copy_(torch.randn(t.shape, generator=noise, dtype=torch.float64) * 1e3)
            elif not t.is_complex():
                t.copy_(torch.randint(-1000, 1000, t.shape, generator=noise))
        return t

    empty, empty_like, tensor_new = torch.empty, torch.empty_like, torch.Tensor.__new__

    def noisy_empty(*args, **kwargs):
        return fill(empty(*args, **kwargs))

    def noisy_empty_like(*args, **kwargs):
        return fill(empty_like(*args, **kwargs))

    def noisy_tensor_new(cls, *args, **kwargs):  # the legacy constructor torch.Tensor(3, 3)
        t = tensor_new(cls, *args, **kwargs)
        sizes = args[0] if len(args) == 1 and isinstance(args[0], torch.Size) else args
        if args and all(isinstance(s, int) for s in sizes):
            fill(t)
        return t

    torch.empty, torch.empty_like = noisy_empty, noisy_empty_like
    torch.Tensor.__new__ = noisy_tensor_new


def _stand_in_for_matplotlib():
    try:
        import matplotlib.pyplot  # noqa: F401
    except ImportError:
        mpl = types.ModuleType("matplotlib")
        mpl.pyplot = types.ModuleType("matplotlib.pyplot")
        sys.modules["matplotlib"], sys.modules["matplotlib.pyplot"] = mpl, mpl.pyplot


def run_notebook(name: str, backend: str, seed: int) -> list[dict]:
    import numpy as np
    _stand_in_for_matplotlib()
    if backend == "engine":
        import playground
        playground.install_as_torch()
        import torch
        assert torch.__version__.endswith("+playground"), torch.__file__
    elif backend == "torch":
        import torch
        _fill_empty_with_noise(torch, seed)
    else:
        raise ValueError(backend)
    torch.manual_seed(seed)
    np.random.seed(seed)
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    results = []
    for cell in parse_notebook(name):
        if is_download_cell(cell.code):
            results.append({"index": cell.index, "first_line": cell.first_line,
                            "skipped": True, "stdout": [], "exception": None, "warnings": []})
        else:
            results.append(run_cell(cell, namespace))
    return results


if __name__ == "__main__":
    _, notebook, which, seed_text, out_path = sys.argv
    Path(out_path).write_text(json.dumps(run_notebook(notebook, which, int(seed_text))))

"""Scratchpad: the starter snippets are seed cells verbatim and print on our engine what they
print on real torch; `import torch` gives the app's engine; output is Python's own (syntax
errors with the caret, tracebacks at the student's line), huge output is cut, Stop stops."""
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "engine"))
import seed_cells  # noqa: E402  (parses tests/seeds, the copies of the seed notebooks)

from playground.lessons import engine, scratchpad, urlstate  # noqa: E402
from playground.lessons.scratchpad_snippets import SNIPPETS  # noqa: E402

# snippets whose cells draw random numbers: the engines' RNGs differ, so their outputs are
# compared with every number masked (the text, shapes, dtypes, grad_fns and errors remain)
RANDOM_SNIPPETS = {"w-and-b", "retain-graph"}


# the scratchpad registers our engine as `torch`: every test puts real torch back after it
pytestmark = pytest.mark.usefixtures("restore_torch_modules")


def test_every_snippet_cell_is_a_seed_cell_verbatim():
    seed_code = {cell.code for nb in seed_cells.NOTEBOOKS
                 for cell in seed_cells.parse_notebook(nb)}
    for key, snippet in SNIPPETS.items():
        for code in snippet.cells:
            assert code == "" or code in seed_code, (key, code[:60])
    assert sum(len(s.cells) for s in SNIPPETS.values()) > 40


def test_import_torch_in_a_cell_gives_the_apps_engine():
    s = scratchpad.State()
    result = s.run_cell(0)                                   # the snippet's own import cell
    assert result.status == "ok"
    assert s.namespace["torch"].__name__ == "playground.torch"
    out = s.run_all()
    assert [r.status for r in out] == ["ok", "ok"]
    cell = s.run_cell(0)
    assert cell.text == ""
    s.cells.append("import torch.nn as nn\nfrom torch.autograd import Variable\n"
                   "print(nn.Linear(2, 3))\nprint(torch.__name__, Variable.__module__)")
    assert s.run_cell(2).text == ("Linear(in_features=2, out_features=3, bias=True)\n"
                                  "playground.torch playground.torch.autograd\n")
    assert "playground.torch" in s.engine_text()


def test_choosing_a_snippet_loads_its_cells_in_a_fresh_namespace():
    s = scratchpad.State(snippet="descent")
    s.run_all()
    assert "f" in s.namespace
    namespace = s.namespace
    s.snippet = "autograd"
    assert s.cells == list(SNIPPETS["autograd"].cells)
    assert s.namespace is namespace and "f" not in s.namespace   # cleared in place
    assert s.run_all()[-1].text == ("tensor([[12., 12.],\n        [12., 12.],\n"
                                    "        [12., 12.]])\n")


def test_the_descent_snippet_prints_the_seed_table():
    s = scratchpad.State(snippet="descent")
    text = "".join(r.text for r in s.run_all())
    assert "0, \t5.000, \t9.000, \t6.000\n" in text
    assert "14, \t2.000, \t0.000, \t0.000\n" in text
    assert text.endswith("x tensor([2.0001], requires_grad=True) y tensor([3.3528e-08], "
                         "grad_fn=<PowBackward0>)\n")


def test_errors_point_at_the_students_cell_and_line():
    s = scratchpad.State(snippet="w-and-b")
    results = s.run_all()
    error = results[4]                                       # W += W.grad outside no_grad
    assert error.status == "error"
    assert error.text == (
        "Traceback (most recent call last):\n"
        '  File "<cell 5>", line 3, in <module>\n'
        "    W += W.grad\n"
        "RuntimeError: a leaf Variable that requires grad is being used in an in-place "
        "operation.\n")
    assert results[5].status == "ok"                          # the next cell still runs


def test_bad_snippet_in_a_link_is_explained():
    s = scratchpad.State()
    problems = urlstate.apply_query(s, {"snippet": "nope"})
    assert len(problems) == 1 and "snippet='nope' was ignored" in problems[0]
    assert "numpy-bridge" in problems[0] and s.snippet == "blank"
    t = scratchpad.State(snippet="retain-graph")
    u = scratchpad.State()
    assert urlstate.apply_query(u, urlstate.parse_query(urlstate.query_for(t))) == []
    assert u.snippet == "retain-graph" and u.cells == t.cells


def python_says(tmp_path, code):
    """What `python cell.py` prints for the code, the file named as cell 2 is."""
    path = tmp_path / "cell.py"
    path.write_text(code)
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True)
    return (out.stdout + out.stderr).replace(f'File "{path}"', 'File "<cell 2>"')


@pytest.mark.parametrize("code", [
    "x = (1,\nprint(x)\n",                                    # never closed
    "for i in range(3):\nprint(i)\n",                         # no indent
    "print('a')\ndef f():\n    return 1 +\n",                 # caret under the gap
    "a = [1, 2]\nb = a[0] / (a[1] - 2)\n",                    # the runtime error's carets
])
def test_output_is_what_python_prints(tmp_path, code):
    s = scratchpad.State()
    s.cells[1] = code
    assert s.run_cell(1).text == python_says(tmp_path, code)


def test_a_huge_print_is_cut_with_a_note():
    s = scratchpad.State()
    s.cells[1] = "print('x' * 10**6)\nprint('never shown')"
    result = s.run_cell(1)
    assert result.truncated and result.status == "ok"
    assert len(result.text) < scratchpad.MAX_OUTPUT + 200
    assert "[output truncated: the cell printed more than 50,000 characters" in result.text


# -- every snippet on both engines -----------------------------------------------------------

RUN_SNIPPETS = textwrap.dedent("""
    import json, sys
    from playground.lessons import engine
    engine.use(sys.argv[1])
    from playground.lessons import scratchpad
    out = {}
    for key in scratchpad.SNIPPETS:
        state = scratchpad.State(snippet=key)
        import torch, numpy
        torch.manual_seed(0); numpy.random.seed(0)
        out[key] = [[r.status, r.text] for r in state.run_all()]
        out[key].append(scratchpad.run(  # which torch `import torch` gave
            "import torch; print(torch.__name__)", state.namespace).text)
    print(json.dumps(out))
""")


def masked(text):
    """Numbers masked and white space dropped (its width follows the digits): what stays
    when random values differ."""
    return re.sub(r"\s+", "", re.sub(r"-?\d+(\.\d*)?(e[+-]?\d+)?", "#", text))


@pytest.fixture(scope="module")
def snippet_outputs():
    """{snippet: [[status, text] per cell, which torch]} from a fresh process per engine (each
    registers its own `torch`), the two run side by side."""
    procs = [subprocess.Popen([sys.executable, "-c", RUN_SNIPPETS, name], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, OMP_NUM_THREADS="1"))  # tiny tensors
             for name in ("playground", "torch")]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
        outputs.append(json.loads(out))
    return outputs


@pytest.mark.parametrize("key", list(SNIPPETS))
def test_snippet_prints_what_real_torch_prints(snippet_outputs, key):
    ours, theirs = snippet_outputs
    assert ours[key].pop() == "playground.torch\n" and theirs[key].pop() == "torch\n"
    assert len(ours[key]) == len(SNIPPETS[key].cells)
    for i, ((status, text), (their_status, their_text)) in enumerate(zip(ours[key],
                                                                         theirs[key])):
        assert status == their_status, (key, i, text, their_text)
        if key in RANDOM_SNIPPETS:
            assert masked(text) == masked(their_text), (key, i)
        else:
            assert text == their_text, (key, i)


# -- the view --------------------------------------------------------------------------------

def test_view_runs_all_cells_in_order_and_follows_the_snippet():
    s = scratchpad.State(snippet="autograd")
    view = scratchpad.View(state=s)
    view.__panel__()
    assert [c.code for c in view.code_cells] == list(SNIPPETS["autograd"].cells)
    assert [c.label for c in view.code_cells] == ["cell 1", "cell 2", "cell 3", "cell 4"]
    view.run_all()
    for cell in view.code_cells:                             # each starts when the last ends
        cell.wait(10)
    assert [c.status for c in view.code_cells] == ["ok"] * 4
    assert view.code_cells[2].output == "tensor(222., grad_fn=<SumBackward0>)\n"
    view.add_cell("print(t.item() + 1)")
    assert s.cells[-1] == "print(t.item() + 1)"
    view.code_cells[-1].run_cell()
    view.code_cells[-1].wait(5)
    assert view.code_cells[-1].output == "223.0\n"            # the namespace is shared
    view.code_cells[-1].code = "print(t.item() + 2)"
    assert s.cells[-1] == "print(t.item() + 2)"               # edits reach the state
    view.restart()
    view.code_cells[-1].run_cell()
    view.code_cells[-1].wait(5)
    assert "NameError: name 't' is not defined" in view.code_cells[-1].output
    s.snippet = "broadcasting"
    assert len(view.code_cells) == 4 and view.code_cells[1].code.startswith("A = torch")


def test_stop_interrupts_a_runaway_loop_within_a_second():
    s = scratchpad.State()
    view = scratchpad.View(state=s)
    view.__panel__()
    cell = view.code_cells[1]
    cell.code = "while True: pass"
    assert cell.run_cell()
    time.sleep(0.3)
    assert cell.status == "running"
    started = time.perf_counter()
    assert cell.stop()
    cell.wait(1)
    assert time.perf_counter() - started < 1
    assert cell.status == "interrupted"
    assert cell.output.endswith("KeyboardInterrupt\n") and '"<cell 2>"' in cell.output


def test_run_all_stops_at_an_interrupted_cell():
    s = scratchpad.State()
    view = scratchpad.View(state=s)
    view.__panel__()
    view.code_cells[1].code = "import time\nwhile True: time.sleep(0.01)"
    view.add_cell("print('after')")
    view.run_all()
    view.code_cells[0].wait(5)
    time.sleep(0.2)
    assert view.code_cells[1].status == "running"
    view.code_cells[1].stop()
    view.code_cells[1].wait(2)
    assert view.code_cells[1].status == "interrupted"
    assert view.code_cells[2].status == "idle"


def test_with_real_torch_the_cells_get_real_torch():
    engine.use("torch")
    try:
        s = scratchpad.State()
        s.run_cell(0)
        assert s.namespace["torch"].__name__ == "torch"
        assert "real PyTorch" in s.engine_text()
    finally:
        engine.use("playground")

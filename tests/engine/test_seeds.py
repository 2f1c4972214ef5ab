"""The curriculum's seed notebooks, run through real torch and through the engine.

Each notebook (tests/seeds/, parsed by seed_cells.py) runs in one fresh process per backend,
Jupyter style, and the printed output is compared cell by cell.

Which lines are random is decided by torch itself: the notebook runs twice on real torch,
seeded differently (torch.manual_seed and np.random.seed, 1 and 2, before the first cell; new
empty tensors filled with seed-dependent noise, see seed_cells._fill_empty_with_noise), and a
line that differs between those two runs is random and not compared.  That covers sampled
values, uninitialised memory and object addresses (``<MulBackward0 object at 0x...>``).
Every other line must be exactly what torch prints, as must each cell's exception
(``Type: message``) and warnings, unless those too differ between the two torch runs.  If a
cell prints a different number of lines in the two torch runs, all its lines are random.

To see which lines were classified random (torch's line and the engine's, per notebook):
``.venv/bin/python tests/engine/test_seeds.py``.

One normalisation: the engine's ``torch.__version__`` is ``2.13.0+playground`` where the
installed torch's is ``2.13.0+cpu``; the engine's output has exactly that string replaced.
"""
from __future__ import annotations

import concurrent.futures
import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import seed_cells
from seed_cells import NOTEBOOKS, parse_notebook, strip_magics

RUNNER = Path(seed_cells.__file__).resolve()
ORACLE_SEEDS = (1, 2)
ENGINE_SEED = 1
VERSION_SUFFIX = ("2.13.0+playground", "2.13.0+cpu")  # engine's, torch's
RUN_TIMEOUT_S = 240

# -- the parser, checked by hand against the five files --------------------------------------

# every code cell's first and last non-blank code line, in order
EXPECTED_CELLS = {
    '000_ea1ae0d17796cc46.txt': [
        ('import torch', 'import numpy as np'),
        ('array_np = np.ones([3,2])', 'print(array_py)'),
        ('x = torch.ones([3,2],dtype=torch.float)', 'print(y)'),
        ('print(x*y.T)', 'print(y.T@x.T)'),
        ('print(y[:,0])', 'print(y > 0.5)'),
        ('x = torch.ones([3,2],dtype=torch.float)', 'print(y)'),
        ('x = torch.ones([3,2],dtype=torch.float)', 'print(y)'),
        ('x = torch.tensor([[1,2,3]],dtype=torch.double).T', 'print(b.grad.numpy())'),
        ('#repeat the same calculation ', 'print(b.grad.numpy())'),
        ('#repeat the same calculation ', 'print(b.grad.numpy())'),
        ('#the following call (W += ...) will raise an error as long as the first statement (with torch.no_grad():) is commented', 'W -= W.grad'),
        ('with torch.no_grad():', '    print(b_grad.numpy())'),
        ('eps = 1e-7', 'print(b_grad)'),
    ],
    '001_f3a9eebd6c178e0e.txt': [
        ('import numpy as np', 'print(x_numpy, x_torch)'),
        ('# transform btw numpy, torch', 'print(x_torch.numpy())   # to numpy'),
        ('print("norm")', 'print(np.linalg.norm(x_numpy), torch.norm(x_torch))'),
        ('print("mean along the 0th dimension")', 'print(np.mean(x_numpy, axis=0), torch.mean(x_torch, dim=0)) # dim vs axis'),
        ('X2 = np.random.rand(10000, 3, 28, 28)', 'print(X2.shape)'),
        ('print(X2.reshape(N,C,28**2).shape)', 'print(X2.reshape(N,C,28**2).shape)'),
        ('X = torch.randn((10000, 3, 28, 28))', 'print(X.shape)'),
        ('# reshape torch', 'print(X.view(10000,3,28**2).shape)   # use "view" built-in func'),
        ('# Unless you do this', 'X = X.view(10000, 3, 28**2)'),
        ('print(X.view(-1,3,784).shape)  # auto choose dim', '        # only one -1 required!'),
        ('x=torch.empty(5,1,4,1)', 'print((x+y).size())'),
        ('# copy tensor btw GPU and CPU', 'gpu = torch.device("cuda")'),
        ('x = torch.rand(10)', 'print(x)'),
        ('# define func', 'print(x.grad)'),
        ('def g(w):', 'print(w.grad)'),
        ('def f(x):', '    x.grad.zero_()'),
        ('# print the last gradient (should be 0)', 'print(x.grad.view(1).detach().numpy())'),
        ('# simplify', "print('x',x,'y',y) "),
        ('# make a simpel linear dataset ', "print('w shape', true_beta.shape)"),
        ('# define a linear model', '# the first '),
        ('def analytic_rss(X, y, beta):', 'analytic_rss(X, y, beta).detach().view(2).numpy()'),
        ('# define estimated model y_hat', '    beta.grad.zero_()'),
        ('import torch.nn as nn', 'import torch.nn.functional as F'),
        ('# take in, out dim as para', "print('out',transformed)"),
        ('# define active func', 'activated  = activ_fn(ex_tensor)'),
    ],
    '002_6c1cb766d33af1d4.txt': [
        ('import torch', 'import numpy as np'),
        ('x = torch.ones(3, 2)', 'print(x)'),
        ('x = torch.empty(2,2)', 'print(y)'),
        ('x = torch.ones(2,2)', 'y = torch.ones(2,2)'),
        ('z = torch.mm(x,y)', 'print(z)'),
        ('x = torch.randn(2,2,requires_grad=True)', 'x.requires_grad_(True) # Notice the inplace operator'),
        ('x = torch.ones([3,2],requires_grad=True)', 'z = y*y + 1'),
        ('t = torch.sum(z)', 't.backward()'),
        ('x.grad', 'x.grad'),
        ('learning_rate = 0.01', 'print(w)'),
        ('for i in range(epochs):', '    b.grad.zero_()'),
        ('print(torch.mean(w).item(),b.item())', 'print(torch.mean(w).item(),b.item())'),
    ],
    '003_a21cd7c50c7b55a0.txt': [
        ('import matplotlib.pyplot as plt', 'import numpy as np'),
        ('> torch.__version__', '> torch.__version__'),
        ('x = torch.empty(3,5)', 'print(x)'),
        ('x = torch.randn(3,5)', 'print(x)'),
        ('print(x.size())', 'print(x.size())'),
        ('x.size()[1]', 'x.size()[1]'),
        ('x.size() == (3,5)', 'x.size() == (3,5)'),
        ('y = x.numpy()', 'print(y)'),
        ('a = np.ones(5)', 'print(b)'),
        ('c = b.long()', 'print(b.dtype, b)'),
        ('xr = torch.randn(3, 5)', 'print(xr.dtype, xr)'),
        ('resb = xr + b', 'resb'),
        ('resc = xr + c', 'resc'),
        ('resb == resc', 'resb == resc'),
        ('torch.set_printoptions(precision=10)', 'torch.set_printoptions(precision=10)'),
        ('resb[0,1]', 'resb[0,1]'),
        ('resc[0,1]', 'resc[0,1]'),
        ('resc[0,1].dtype', 'resc[0,1].dtype'),
        ('xr[0,1]', 'xr[0,1]'),
        ('torch.set_printoptions(precision=4)', 'torch.set_printoptions(precision=4)'),
        ('A = torch.tensor([[1.], [2.], [3.], [4.]])', 'C = A + B'),
        ('C', 'C'),
        ('x', 'x'),
        ('xr', 'xr'),
        ('print(x+xr)', 'print(x+xr)'),
        ('x.add_(xr)', 'print(x)'),
        ('print(x.t())', 'print(x.t())'),
        ('x.t_()', 'print(x)'),
        ('a = np.ones(5)', 'print(b)'),
        ('a[2] = 0', 'print(b)'),
        ('b[3] = 5', 'print(a)'),
        ('torch.cuda.is_available()', 'torch.cuda.is_available()'),
        ("#device = torch.device('cpu')", "device = torch.device('cuda') # Uncomment this to run on GPU"),
        ('x.device', 'x.device'),
        ('# let us run this cell only if CUDA is available', '    print(z.to("cpu", torch.double))       # ``.to`` can also change dtype together!'),
        ('x = torch.randn(1)', 'x = x.to(device)'),
        ('x.device', 'x.device'),
        ('# the following line is only useful if CUDA is available', 'print(x.cpu().numpy())'),
        ('import torchvision', 'cifar.data.shape'),
        ('x = torch.from_numpy(cifar.data).permute(0,3,1,2).float()', 'print(x.type(), x.size(), x.min().item(), x.max().item())'),
        ('# Narrows to the first images, converts to float', 'x = torch.narrow(x, 0, 0, 48)'),
        ('x.shape', 'x.shape'),
        ('# Showing images', 'show(torchvision.utils.make_grid(x, nrow = 12))'),
        ('# Kills the green and blue channels', 'show(torchvision.utils.make_grid(x, nrow = 12))'),
        ('w = np.array([0.5])', 'xx = np.array([0.5])#np.arange(0,1.5,.5)'),
        ('xx_t = torch.from_numpy(xx)', 'b_t = torch.from_numpy(b)'),
        ('w_t.requires_grad', 'w_t.requires_grad'),
        ('w_t.requires_grad_(True)', 'w_t.requires_grad_(True)'),
        ('b_t.requires_grad_(True)', 'b_t.requires_grad_(True)'),
        ('dtype = torch.float64', 'dtype = torch.float64'),
        ('b_t = b_t.type(dtype)', 'b_t = b_t.type(dtype)'),
        ('b_t.requires_grad_(True)', 'b_t.requires_grad_(True)'),
        ('def fun(x,ystar):', 'l_t = fun(xx_t,ystar_t)'),
        ('l_t', 'l_t'),
        ('l_t.requires_grad', 'l_t.requires_grad'),
        ('print(w_t.grad)', 'print(w_t.grad)'),
        ('l_t.backward()', 'l_t.backward()'),
        ('print(w_t.grad)', 'print(b_t.grad)'),
        ('yy_t = torch.exp(w_t*xx_t+b_t)', 'print(torch.sum(2*(yy_t-ystar_t)*yy_t))'),
        ('l_t = fun(xx_t,ystar_t)', 'l_t.backward()'),
        ('print(w_t.grad)', 'print(b_t.grad)'),
        ('l_t.backward()', 'l_t.backward()'),
        ('# Manually zero the gradients', 'print(b_t.grad)'),
    ],
    '004_ff3367f0354a175d.txt': [
        ('import torch', 'torch.__version__'),
        ('torch.empty(5,5)', 'torch.empty(5,5)'),
        ('torch.FloatTensor([[20, 30, 40], [90, 60, 70]])', 'torch.FloatTensor([[20, 30, 40], [90, 60, 70]])'),
        ('# Construct a random matrix', 'print (torch.randn(4,4))'),
        ('print(a)', 'print(a.size())'),
        ("# Create a tensor with '0' entries of size (5,3)", 'torch.eye(6)'),
        ('x = torch.rand(3,3)', 'y = torch.rand(3,3)'),
        ("# Alt 1: using the '+' operator", 'print ("z:", z, "\\nx: ", x, "\\ny:", y)'),
        ("# Alt 2: using pytorch's built-in function torch.add(.,.)", 'torch.add(x,y)'),
        ("# Alt 3: calling the tensor's add_ function.", 'x.add_(y) # inplace add-operation'),
        ('print(x)', 'print(x)'),
        ('# scalar multiplication', 'print (x.mul_(5))       '),
        ('# Alternative 1', 'x.transpose(1,0)'),
        ('a = torch.rand(4,3)', 'b = torch.rand(4,3)'),
        ("# Concatenating along the '0'-th dimension (appending as rows)", 'print (cat2)'),
        ('# get the 3rd column', 'a[:, 2]'),
        ('# get the 3rd row', 'a[2, :]'),
        ('# Create a random tensor of size (4,4)', 'print(x.size(), y.size(), z1.size())'),
        ("# Create a tensor with '1' entries of size (5,4)", 'a = torch.ones(5,4)'),
        ('print(a)', "print (type(a)) # <<-- let's check a's type"),
        ('a_np = a.numpy()', 'print (type(a_np))  # <<-- checking the type again'),
        ('# Torch Tensor -> NumPy array', 'b = b.reshape(4,-1)'),
        ('print(b)', 'print(b)'),
        ('# NumPy Array -> Torch Tensor', 'print(c)'),
        ('import numpy as np', 'print(b)'),
        ('# Creating the graph', '        is_leaf: {i.is_leaf}\\n")'),
        ('from torch.autograd import Variable', 'from torch.autograd import Variable'),
        ('x = Variable(torch.ones(4,3), requires_grad=True)', 'print (x)'),
        ('y = x + 5', 'print(y)'),
        ('print(y.grad_fn)', 'print(y.grad_fn)'),
        ('z = y * y * 5', 'print(z, out)'),
        ('out.backward()', 'out.backward()'),
        ('print(x.grad)', 'print(x.grad)'),
        ('%%time', 'print(x.grad)'),
    ],
}


def test_seed_files_are_all_here():
    assert NOTEBOOKS == sorted(EXPECTED_CELLS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_parse_cells(name):
    cells = parse_notebook(name)
    assert [(c.first_line, c.last_line) for c in cells] == EXPECTED_CELLS[name]
    assert [c.index for c in cells] == list(range(len(cells)))


def test_parse_prompt_style_cuts_code_from_output():
    cells = parse_notebook("001_f3a9eebd6c178e0e.txt")
    # blank lines inside the code are kept; the output after it is not
    assert cells[0].code.splitlines() == [
        "import numpy as np", "import torch", "", "", "# create tensors",
        "x_numpy = np.array([0.1,0.2,0.3])",
        "x_torch = torch.tensor([0.1,0.2,0.3]) # list embedded", "", "",
        "print('x_numpy, x_torch')", "print(x_numpy, x_torch)"]
    # a displayed value that parses as Python (`array(...)`) is output, not code
    assert cells[20].code.splitlines()[-1] == \
        "analytic_rss(X, y, beta).detach().view(2).numpy()"
    # 000 has no outputs: the markdown heading after a cell is not code
    cells = parse_notebook("000_ea1ae0d17796cc46.txt")
    assert cells[0].code == "import torch\nimport numpy as np"


def test_parse_fenced_style():
    cells = parse_notebook("004_ff3367f0354a175d.txt")
    # the ```python sample inside the install instructions (markdown) is not a cell
    assert cells[0].lineno == 57
    assert cells[0].code == "import torch\ntorch.__version__"
    assert cells[-1].code.splitlines()[0] == "%%time"
    # 003 ends with an empty code cell, left out
    last = parse_notebook("003_a21cd7c50c7b55a0.txt")[-1]
    assert last.first_line == "# Manually zero the gradients"


def test_magics():
    assert strip_magics("import torch\n%matplotlib inline\nx = 1") == \
        "import torch\npass\nx = 1"
    assert strip_magics("%%time\nx = 1\nif x:\n    %timeit x\n") == "\nx = 1\nif x:\n    pass"
    assert [seed_cells.is_download_cell(c.code)
            for c in parse_notebook("003_a21cd7c50c7b55a0.txt")].count(True) == 1


def test_run_cell_jupyter_semantics():
    ns = {}
    cell = seed_cells.Cell(0, 1, "import warnings\nx = 2\nprint('hi')\nx + 1")
    assert seed_cells.run_cell(cell, ns)["stdout"] == ["hi", "3"]
    assert seed_cells.run_cell(seed_cells.Cell(1, 1, "x;"), ns)["stdout"] == []
    assert seed_cells.run_cell(seed_cells.Cell(2, 1, "None"), ns)["stdout"] == []
    r = seed_cells.run_cell(seed_cells.Cell(3, 1, "print(1)\n1 / 0\nprint(2)"), ns)
    assert (r["stdout"], r["exception"]) == (["1"], "ZeroDivisionError: division by zero")
    r = seed_cells.run_cell(seed_cells.Cell(4, 1, "for i in range(3):\n"
                                                   "    warnings.warn('w')\n'done'"), ns)
    assert (r["stdout"], r["warnings"]) == (["'done'"], ["UserWarning: w"])


# -- running the notebooks ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def notebook_runs(tmp_path_factory):
    """All runs start at once (as many at a time as there are CPUs); each test waits for its
    own notebook's."""
    work = tmp_path_factory.mktemp("seed_runs")  # the cells' working directory
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2))

    def run(name, backend, seed):
        out = work / f"{name}.{backend}.{seed}.json"
        proc = subprocess.run([sys.executable, str(RUNNER), name, backend, str(seed), str(out)],
                              cwd=work, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        if proc.returncode:
            raise AssertionError(f"{name} on {backend} did not run:\n{proc.stderr[-3000:]}")
        return json.loads(out.read_text())

    futures = {}
    for name in NOTEBOOKS:
        futures[name] = [pool.submit(run, name, "torch", s) for s in ORACLE_SEEDS] + \
                        [pool.submit(run, name, "engine", ENGINE_SEED)]
    yield lambda name: [f.result() for f in futures[name]]
    pool.shutdown(wait=True, cancel_futures=True)


def normalise_engine(line: str) -> str:
    return line.replace(*VERSION_SUFFIX)


def compare_cell(a: dict, b: dict, eng: dict):
    """(problems, random line indices) for one cell: a and b are the two torch runs."""
    problems = []
    ta, tb = a["stdout"], b["stdout"]
    te = [normalise_engine(ln) for ln in eng["stdout"]]
    if len(ta) != len(tb):
        random_idx = set(range(len(ta)))
    else:
        random_idx = {i for i in range(len(ta)) if ta[i] != tb[i]}
    if len(ta) == len(tb) and len(te) == len(ta):
        bad = any(te[i] != ta[i] for i in range(len(ta)) if i not in random_idx)
        expected = [te[i] if i in random_idx else ta[i] for i in range(len(ta))]
    elif len(ta) != len(tb):
        bad, expected = False, ta  # torch's own line count varies: nothing to hold it to
    else:
        bad = True
        expected = ["<random line>" if i in random_idx else ta[i] for i in range(len(ta))]
    if bad:
        diff = difflib.unified_diff(expected, te, "torch (random lines: engine's shown)",
                                    "engine", lineterm="", n=2)
        problems.append("stdout differs:\n" + "\n".join(diff))
    for key in ("exception", "warnings"):
        if a[key] == b[key] and eng[key] != a[key]:
            problems.append(f"{key} differs:\n  torch  {a[key]!r}\n  engine {eng[key]!r}")
    return problems, random_idx


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_seed_notebook(name, notebook_runs):
    run_a, run_b, engine = notebook_runs(name)
    cells = parse_notebook(name)
    assert len(run_a) == len(run_b) == len(engine) == len(cells)
    # the comparison is not vacuous: torch got imported, and lines are compared
    assert not any("name 'torch' is not defined" in (a["exception"] or "") for a in run_a)
    printed = sum(len(a["stdout"]) for a in run_a)
    report, random_lines = [], 0
    for cell, a, b, e in zip(cells, run_a, run_b, engine):
        if a["skipped"]:
            continue
        problems, random_idx = compare_cell(a, b, e)
        random_lines += len(random_idx)
        if problems:
            report.append(f"--- {name} cell {cell.index} (line {cell.lineno}): "
                          f"{cell.first_line}\n" + "\n".join(problems))
    assert printed - random_lines >= 10, f"{name}: only {printed - random_lines} lines compared"
    assert not report, f"{len(report)} cell(s) of {name} differ from torch:\n\n" + \
        "\n\n".join(report)


if __name__ == "__main__":  # the random-line classification, for a person to check
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for name in NOTEBOOKS:
            runs = []
            for backend, seed in [("torch", s) for s in ORACLE_SEEDS] + [("engine", ENGINE_SEED)]:
                out = Path(tmp) / f"{name}.{backend}.{seed}.json"
                subprocess.run([sys.executable, str(RUNNER), name, backend, str(seed), str(out)],
                               cwd=tmp, check=True, timeout=RUN_TIMEOUT_S)
                runs.append(json.loads(out.read_text()))
            lines, printed, random_count = [], 0, 0
            for cell, a, b, e in zip(parse_notebook(name), *runs):
                _, random_idx = compare_cell(a, b, e)
                printed += len(a["stdout"])
                random_count += len(random_idx)
                for i in sorted(random_idx):
                    lines.append(f"  cell {cell.index} line {i}\n    torch  {a['stdout'][i]!r}\n"
                                 f"    engine {e['stdout'][i] if i < len(e['stdout']) else None!r}")
                if a["exception"] != b["exception"] or a["warnings"] != b["warnings"]:
                    lines.append(f"  cell {cell.index}: exception/warnings random")
            print(f"{name}: {random_count} of {printed} printed lines random")
            print("\n".join(lines))

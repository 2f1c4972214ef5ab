"""The differential harness: run one case through real torch and through playground.torch and
compare everything a student can observe.

A case is data: a name and the Python source of a function that takes a torch-like module and
returns whatever the case wants to show (a tensor, a tuple of tensors, a torch.Size, a dtype, a
number, a string...):

    def add_broadcast(torch):
        a = torch.tensor([[1.0], [2.0]], requires_grad=True)
        y = a + torch.tensor([10.0, 20.0, 30.0])
        y.sum().backward()
        return y, a

`run_case(source, torch_module)` executes the source (the last top-level function in it is the
entry point; `np` and `math` are available to it), calls it with the module, and returns
`describe()` of the result: a JSON-serialisable dict of everything compared (values, dtype,
shape, device, stride, contiguity, version counter, requires_grad, is_leaf, grad_fn name, the
graph below it as `next_functions` names and output numbers, .grad of leaves, repr), or of the
exception raised (type and message), plus the warnings the case emitted. `compare(expected, got)`
lists the differences, with tolerances scaled to the dtype (exact for ints and bools; the repr
is compared exactly, so -0. vs 0. or a last printed digit shows there). A leaf's .grad is
described like any tensor except for its version counter (an AccumulateGrad detail). Cases are
collected per test module in a `Registry`; `web=True` marks the ones that also run in Pyodide
and `ignore=(...)` names description keys a case does not compare (each use says why).

This module imports only numpy and the standard library at the top, so the same file runs
inside Pyodide (tests/pyodide/engine_cases_driver.py). The host-only helpers at the end
(`torch_modules`, `check_source`, `check_callable`) import real torch lazily.
"""
from __future__ import annotations

import ast
import inspect
import math
import re
import textwrap
import warnings

import numpy as np

GRAPH_DEPTH = 8  # how deep describe() follows grad_fn.next_functions

# -- describing results -----------------------------------------------------------------------

_HEX = re.compile(r"0x[0-9a-fA-F]+")
_TRIGGERED = re.compile(r"\(Triggered internally at [^)]*\)")


def normalise_message(msg: str) -> str:
    """A message with what legitimately differs between runs taken out: object addresses and
    the C++ source location torch appends to its warnings."""
    msg = _HEX.sub("0x?", msg)
    return _TRIGGERED.sub("(Triggered internally at <path>)", msg)


def _is_tensor(x) -> bool:
    t = type(x)
    return any(c.__name__ == "Tensor" for c in t.__mro__) and hasattr(t, "grad_fn")


def _is_node(x) -> bool:
    return hasattr(type(x), "name") and hasattr(x, "next_functions") and not _is_tensor(x)


def graph(fn, depth: int = GRAPH_DEPTH):
    """grad_fn as nested {"name", "next": [[child, output_nr], ...]} (None for absent edges)."""
    if fn is None:
        return None
    node = {"name": fn.name()}
    if depth > 0:
        node["next"] = [[graph(child, depth - 1), int(nr)] for child, nr in fn.next_functions]
    return node


def _values(t):
    arr = t.detach()
    if str(arr.device) != "cpu":
        arr = arr.cpu()
    return np.asarray(arr.numpy())


def _describe_tensor(t, with_grad: bool = True) -> dict:
    d = {"kind": "tensor", "class": type(t).__name__}
    d["dtype"] = str(t.dtype)
    d["shape"] = [int(s) for s in t.shape]
    d["device"] = str(t.device)
    d["requires_grad"] = bool(t.requires_grad)
    d["is_leaf"] = bool(t.is_leaf)
    d["retains_grad"] = bool(t.retains_grad)
    d["grad_fn"] = t.grad_fn.name() if t.grad_fn is not None else None
    d["graph"] = graph(t.grad_fn)
    d["values"] = _values(t).tolist()
    d["version"] = int(t._version)
    d["stride"] = [int(s) for s in t.stride()]
    d["contiguous"] = bool(t.is_contiguous())
    d["repr"] = repr(t)
    if with_grad and (t.is_leaf or t.retains_grad):
        g = t.grad
        d["grad"] = None if g is None else _describe_tensor(g, with_grad=False)
        if g is not None:
            # whether AccumulateGrad stole the incoming buffer or copied into a fresh one is
            # torch's implementation detail; the grad's version counter shows which
            del d["grad"]["version"]
    return d


def describe(x):
    """Everything compared about a case's result, as JSON-serialisable data."""
    try:
        return _describe(x)
    except Exception as exc:  # a broken repr/attribute is itself a difference to report
        return {"kind": "describe-error", "type": type(exc).__name__,
                "message": normalise_message(str(exc)), "of": type(x).__name__}


def _describe(x):
    if isinstance(x, BaseException):
        return {"kind": "error", "type": type(x).__name__, "message": normalise_message(str(x))}
    if _is_tensor(x):
        return _describe_tensor(x)
    tname = type(x).__name__
    if x is None or isinstance(x, (bool, int, float, str)):
        return {"kind": "py", "type": tname, "value": x}
    if isinstance(x, np.ndarray):
        return {"kind": "ndarray", "dtype": str(x.dtype), "shape": list(x.shape),
                "values": x.tolist()}
    if isinstance(x, np.generic):
        return {"kind": "npscalar", "type": tname, "value": x.item()}
    if tname == "Size" and isinstance(x, tuple):
        return {"kind": "size", "value": [int(s) for s in x], "repr": repr(x), "str": str(x)}
    if tname == "dtype":
        return {"kind": "dtype", "repr": repr(x), "str": str(x)}
    if tname == "device":
        return {"kind": "device", "repr": repr(x), "str": str(x)}
    if isinstance(x, (tuple, list)):
        d = {"kind": "seq", "type": tname, "items": [describe(i) for i in x]}
        if tname not in ("tuple", "list"):  # torch.return_types.max and the like
            d["repr"] = normalise_message(repr(x))
        return d
    if isinstance(x, dict):
        return {"kind": "dict", "items": [[str(k), describe(v)] for k, v in x.items()]}
    if _is_node(x):
        return {"kind": "node", "graph": graph(x)}
    return {"kind": "other", "type": tname, "repr": normalise_message(repr(x))}


# -- running cases ----------------------------------------------------------------------------

def entry_name(source: str) -> str:
    """The case's entry point: the last top-level function the source defines."""
    names = [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
    if not names:
        raise ValueError("a case's source must define a function taking `torch`")
    return names[-1]


def run_source(source: str, torch_module, name: str = "case"):
    """Run a case's source with the given module; returns (value or exception, warnings)."""
    ns = {"__name__": f"case_{name}", "np": np, "math": math}
    prev_dtype = torch_module.get_default_dtype()
    prev_grad = torch_module.is_grad_enabled()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(compile(source, f"<case {name}>", "exec"), ns)
            value = ns[entry_name(source)](torch_module)
        except Exception as exc:
            value = exc
        finally:
            torch_module.set_default_dtype(prev_dtype)
            torch_module.set_grad_enabled(prev_grad)
    return value, [[w.category.__name__, normalise_message(str(w.message))] for w in caught]


def run_case(source: str, torch_module, name: str = "case") -> dict:
    """describe() of a case's result (or exception) and the warnings it emitted."""
    value, caught = run_source(source, torch_module, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # describing must not add warnings of its own
        return {"result": describe(value), "warnings": caught}


def source_of(fn) -> str:
    """A case function's own source, dedented, without its decorators."""
    lines = textwrap.dedent(inspect.getsource(fn)).splitlines()
    while lines and not lines[0].lstrip().startswith("def "):
        lines.pop(0)
    return "\n".join(lines) + "\n"


class Registry:
    """The cases of one test module: `@cases.add` registers a function (its source, really);
    `cases.source(name, text)` registers source text (for cases generated from a template)."""

    def __init__(self, group: str):
        self.group = group
        self.items: list[dict] = []

    def add(self, fn=None, *, web: bool = False, ignore=()):
        """Register a case function. web: also run it in Pyodide; ignore: keys of tensor
        descriptions not compared for this case (each use says why)."""
        def register(f):
            self._append(f.__name__, source_of(f), web, ignore)
            return f
        return register(fn) if fn is not None else register

    def source(self, name: str, text: str, *, web: bool = False, ignore=()):
        self._append(name, textwrap.dedent(text).strip() + "\n", web, ignore)

    def snippet(self, name: str, code: str, *, web: bool = False, ignore=()):
        """A case from a few statements using `torch`; the value of the last line (when it is
        an expression) is the case's result."""
        lines = textwrap.dedent(code).strip().splitlines()
        try:
            ast.parse(lines[-1].strip(), mode="eval")
            lines[-1] = "return " + lines[-1].strip()
        except SyntaxError:
            pass
        body = textwrap.indent("\n".join(lines), "    ")
        self._append(name, f"def {name}(torch):\n{body}\n", web, ignore)

    def _append(self, name, src, web, ignore=()):
        if any(c["name"] == name for c in self.items):
            raise ValueError(f"duplicate case name {name!r} in {self.group}")
        self.items.append({"name": name, "group": self.group, "source": src, "web": web,
                           "ignore": list(ignore)})

    def params(self):
        """For pytest.mark.parametrize: the case dicts (ids via `ids`)."""
        return list(self.items)

    def ids(self):
        return [c["name"] for c in self.items]

    def web(self):
        return [c for c in self.items if c["web"]]


# -- comparing --------------------------------------------------------------------------------

# (rtol, atol) by dtype: a little looser than torch.testing's defaults, since numpy and ATen
# sum and round in different orders
TOLERANCES = {
    "torch.float16": (1e-3, 1e-3),
    "torch.bfloat16": (1.6e-2, 1e-3),
    "torch.float32": (1e-5, 1e-6),
    "torch.float64": (1e-7, 1e-10),
}


def _values_differ(dtype, expected, got):
    if dtype in TOLERANCES:
        e = np.asarray(expected, dtype=np.float64)
        g = np.asarray(got, dtype=np.float64)
        if e.shape != g.shape:
            return f"value shapes differ: {e.shape} vs {g.shape}"
        rtol, atol = TOLERANCES[dtype]
        # infinities and nans must match exactly (np.isclose treats them so with equal_nan)
        ok = np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)
        if not ok.all():
            bad = np.argwhere(~ok)[:3].tolist()
            return f"values differ beyond rtol={rtol}, atol={atol} (e.g. at {bad})"
        return None
    if expected != got:
        return "values differ"
    return None


def compare(expected, got, path: str = "", ignore=()) -> list[str]:
    """The differences between two describe()/run_case() results (empty when they agree).

    ignore: keys of tensor descriptions not to compare (e.g. "version")."""
    if ignore:
        expected, got = drop_keys(expected, set(ignore)), drop_keys(got, set(ignore))
    where = path or "<result>"
    if isinstance(expected, dict) and isinstance(got, dict):
        if "kind" in expected and "kind" in got and expected["kind"] != got["kind"]:
            return [f"{where}:\n    torch:  {summary(expected)}\n    engine: {summary(got)}"]
        if expected.get("kind") == "tensor" and got.get("kind") == "tensor":
            out = []
            if expected["shape"] == got["shape"] and expected["dtype"] == got["dtype"]:
                msg = _values_differ(expected["dtype"], expected["values"], got["values"])
                if msg:
                    out.append(f"{where}.values: {msg}\n    torch:  {_short(expected['values'])}"
                               f"\n    engine: {_short(got['values'])}")
            for key in sorted(set(expected) | set(got)):
                if key == "values":
                    continue
                if key not in got or key not in expected:
                    out.append(f"{where}.{key}: only in {'torch' if key in expected else 'engine'}"
                               f": {expected.get(key, got.get(key))!r}")
                elif key in ("repr", "graph"):
                    if expected[key] != got[key]:
                        out.append(f"{where}.{key} differs:\n    torch:  {expected[key]!r}\n"
                                   f"    engine: {got[key]!r}")
                else:
                    out += compare(expected[key], got[key], f"{where}.{key}")
            return out
        out = []
        for key in sorted(set(expected) | set(got), key=str):
            if key not in got or key not in expected:
                out.append(f"{where}.{key}: only in {'torch' if key in expected else 'engine'}: "
                           f"{expected.get(key, got.get(key))!r}")
            else:
                out += compare(expected[key], got[key], f"{where}.{key}")
        return out
    if isinstance(expected, list) and isinstance(got, list):
        if len(expected) != len(got):
            return [f"{where}: lengths differ ({len(expected)} vs {len(got)})\n"
                    f"    torch:  {_short(expected)}\n    engine: {_short(got)}"]
        out = []
        for i, (e, g) in enumerate(zip(expected, got)):
            out += compare(e, g, f"{where}[{i}]")
        return out
    if isinstance(expected, float) and isinstance(got, float):
        if math.isnan(expected) and math.isnan(got):
            return []
        if expected == got or math.isclose(expected, got, rel_tol=1e-6, abs_tol=1e-9):
            return []
    if type(expected) is not type(got) or expected != got:
        return [f"{where}:\n    torch:  {expected!r}\n    engine: {got!r}"]
    return []


def drop_keys(d, keys):
    """A describe() result without the given keys of its tensor descriptions."""
    if isinstance(d, dict):
        return {k: drop_keys(v, keys) for k, v in d.items()
                if not (k in keys and d.get("kind") == "tensor")}
    if isinstance(d, list):
        return [drop_keys(v, keys) for v in d]
    return d


def summary(d) -> str:
    """One line for a described value (used when torch and the engine disagree on its kind)."""
    kind = d.get("kind")
    if kind in ("error", "describe-error"):
        return f"{kind} {d['type']}: {d['message']}"
    if kind == "tensor":
        return d.get("repr") or f"tensor {d['dtype']} {d['shape']} {_short(d['values'])}"
    if kind == "seq":
        return f"{d['type']} of {len(d['items'])}: " + _short([summary(i) for i in d["items"]])
    if kind == "py":
        return repr(d["value"])
    return _short(d)


def _short(x, n=300):
    s = repr(x)
    return s if len(s) <= n else s[:n] + "..."


def report(name: str, diffs: list[str], source: str | None = None) -> str:
    """The assertion message of a failed comparison: the case's source, then each difference
    (paths index into run_case()'s result: result.items[2] is the third returned value)."""
    head = f"case {name!r}: engine differs from torch in {len(diffs)} place(s)"
    body = [textwrap.indent(source.rstrip(), "  | ")] if source else []
    return "\n".join([head, *body, *diffs])


# -- host-only helpers (import real torch lazily) ------------------------------------------

def torch_modules():
    """(real torch, playground.torch)."""
    import torch
    import playground.torch as ptorch
    return torch, ptorch


def check_source(name: str, source: str, *, expect_error: bool = False, ignore=()) -> dict:
    """Run a case through both and fail (AssertionError) with every difference.

    expect_error: the case is about an exception, so torch must raise one (else the case
    itself is wrong). Returns torch's run_case() result."""
    torch, ptorch = torch_modules()
    expected = run_case(source, torch, name)
    if expect_error:
        assert expected["result"]["kind"] == "error", (
            f"case {name!r} is meant to raise, but torch returned {summary(expected['result'])}")
    got = run_case(source, ptorch, name)
    diffs = compare(expected, got, ignore=ignore)
    assert not diffs, report(name, diffs, source)
    return expected


def check_case(case: dict, *, expect_error: bool = False) -> dict:
    return check_source(case["name"], case["source"], expect_error=expect_error,
                        ignore=case.get("ignore", ()))


def run_callable(fn, torch_module, *args, **kwargs) -> dict:
    """Like run_case for a Python callable fn(torch, *args) (hypothesis-drawn arguments)."""
    prev_dtype = torch_module.get_default_dtype()
    prev_grad = torch_module.is_grad_enabled()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn(torch_module, *args, **kwargs)
        except Exception as exc:
            value = exc
        finally:
            torch_module.set_default_dtype(prev_dtype)
            torch_module.set_grad_enabled(prev_grad)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {"result": describe(value),
                "warnings": [[w.category.__name__, normalise_message(str(w.message))]
                             for w in caught]}


def check_callable(fn, *args, name: str | None = None, ignore=(), **kwargs) -> None:
    """Run fn(torch, *args) through both engines and fail with every difference.

    ignore: keys of tensor descriptions not to compare (e.g. "repr" for drawn float data,
    whose last printed digit may round differently)."""
    torch, ptorch = torch_modules()
    expected = run_callable(fn, torch, *args, **kwargs)
    got = run_callable(fn, ptorch, *args, **kwargs)
    diffs = compare(expected, got, ignore=ignore)
    assert not diffs, report(name or getattr(fn, "__name__", "callable"), diffs)



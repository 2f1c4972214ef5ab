"""The tensors lesson's experiments: make a tensor with one of torch's constructors, the numpy
bridge (shared memory), and an alias versus a copy.

Functions of (spec, torch) -> plain data (lists, numbers, the strings torch prints), so the
same experiment runs on our engine and on real torch. `validate_*` check a spec and raise
ValueError naming the problem and the fix. What torch itself raises while running the code
(e.g. rand with an integer dtype) is part of the result, as "TypeName: message", exactly as
Python would print it: that is the lesson, not bad input.
"""
import ast
import math

import numpy as np

# constructor -> the inputs it reads (the lesson shows only those)
CONSTRUCTORS = {
    "tensor": ("data", "dtype"),
    "zeros": ("shape", "dtype"),
    "ones": ("shape", "dtype"),
    "rand": ("shape", "dtype", "seed"),
    "randn": ("shape", "dtype", "seed"),
    "empty": ("shape", "dtype"),
    "full": ("shape", "fill", "dtype"),
    "arange": ("shape", "dtype"),
    "eye": ("shape", "dtype"),
    "from_numpy": ("shape", "dtype"),
    "FloatTensor": ("data",),
}
NOT_GIVEN = "default"  # no dtype= argument: torch (or numpy) picks
DTYPES = (NOT_GIVEN, "float32", "float64", "float16", "int64", "int32", "int16", "int8",
          "uint8", "bool")
MAX_DIMS = 4
MAX_NUMEL = 10_000
MAX_DATA_CHARS = 2_000
MAX_SEED = 2 ** 31 - 1
MAX_FILL = 1e6

BRIDGES = {  # how a and b come to be; whether they share memory is what the lesson shows
    "from_numpy": ("a = np.ones(5)", "b = torch.from_numpy(a)"),
    "tensor": ("a = np.ones(5)", "b = torch.tensor(a)"),
    "numpy": ("b = torch.ones(5)", "a = b.numpy()"),
}
BRIDGE_LENGTH = 5
ALIASES = {  # the seed's "Assignment / Copy" cells, and a slice for good measure
    "y = x": ("y = x",),
    "y = x[1:]": ("y = x[1:]",),
    "y.copy_(x)": ("y = torch.rand([3,2],dtype=torch.float)", "y.copy_(x)"),
    "y = x.clone()": ("y = x.clone()",),
}
MAX_EDIT = 1000.0


# -- helpers both tensor lessons use -----------------------------------------------------------

def same_storage(a, b):
    """True when tensors a and b view the same memory (one storage)."""
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


def tensor_view_value(t, name, shared_with=()):
    """What widgets.TensorView shows for tensor t: plain numbers and torch's own metadata."""
    values = t.float().tolist() if str(t.dtype) == "torch.bfloat16" else t.tolist()
    return {"name": name, "values": values, "dtype": str(t.dtype).replace("torch.", ""),
            "shape": list(t.shape), "strides": list(t.stride()),
            "offset": int(t.storage_offset()), "shared_with": list(shared_with)}


def array_view_value(a, name, shared_with=()):
    """The same for a numpy array (strides in elements, like the tensor's)."""
    return {"name": name, "kind": "ndarray", "values": a.tolist(), "dtype": str(a.dtype),
            "shape": list(a.shape), "strides": [s // a.itemsize for s in a.strides],
            "shared_with": list(shared_with)}


def error_text(exc):
    """An exception as the last line of Python's traceback prints it."""
    return f"{type(exc).__name__}: {exc}"


def sizes_code(shape):
    """torch.zeros(2, 3) style arguments; () for a 0-d tensor."""
    return ", ".join(map(str, shape)) if shape else "()"


def number_code(value):
    """7.0 -> '7', 0.5 -> '0.5': numbers as a person would type them."""
    return f"{value:g}" if float(value) != int(value) or abs(value) >= 1e15 else str(int(value))


# -- make a tensor -----------------------------------------------------------------------------

def validate_create(spec):
    """The spec with its values checked; ValueError names the problem and the fix."""
    spec = dict(spec)
    if spec.get("constructor") not in CONSTRUCTORS:
        raise ValueError(f"unknown constructor {spec.get('constructor')!r}: choose one of "
                         f"{', '.join(CONSTRUCTORS)}")
    if spec.get("dtype", NOT_GIVEN) not in DTYPES:
        raise ValueError(f"unknown dtype {spec.get('dtype')!r}: choose one of "
                         f"{', '.join(DTYPES)}")
    spec.setdefault("dtype", NOT_GIVEN)
    uses = CONSTRUCTORS[spec["constructor"]]
    if "shape" in uses:
        spec["shape"] = check_shape(spec.get("shape", (2, 3)), "shape")
    if "data" in uses:
        spec["data"] = parse_data(spec.get("data", "[[1, 2, 3], [4, 5, 6]]"))
    if "fill" in uses:
        fill = spec.get("fill", 0.0)
        if not isinstance(fill, (int, float)) or not math.isfinite(fill) or abs(fill) > MAX_FILL:
            raise ValueError(f"the fill value must be a finite number within ±{MAX_FILL:g} "
                             f"(got {fill!r})")
    if "seed" in uses:
        seed = spec.get("seed", 0)
        if not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
            raise ValueError(f"the seed must be a whole number from 0 to {MAX_SEED} "
                             f"(got {seed!r})")
    if spec["constructor"] == "eye" and len(spec["shape"]) not in (1, 2):
        raise ValueError(f"torch.eye makes a matrix: give one size n (n x n) or two, "
                         f"rows and columns, not {len(spec['shape'])}")
    return spec


def check_shape(shape, what):
    """A shape as a tuple of sizes within the lesson's limits, or ValueError."""
    if not isinstance(shape, (list, tuple)) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in shape):
        raise ValueError(f"{what} must be whole sizes like 2, 3 (got {shape!r})")
    if any(n < 0 for n in shape):
        raise ValueError(f"{what} {tuple(shape)} has a negative size: sizes are 0 or more")
    if len(shape) > MAX_DIMS:
        raise ValueError(f"{what} has {len(shape)} dims: at most {MAX_DIMS} here, "
                         f"remove {len(shape) - MAX_DIMS}")
    if math.prod(shape) > MAX_NUMEL:
        raise ValueError(f"{what} {tuple(shape)} holds {math.prod(shape):,} elements, more than "
                         f"the {MAX_NUMEL:,} shown here: use smaller sizes")
    return tuple(shape)


def parse_data(text):
    """The data text (a Python list such as [[1, 2], [3, 4]]) as nested lists of numbers.
    Read with ast.literal_eval: never run as code. Ragged lists pass: torch explains those."""
    if not isinstance(text, str):
        raise ValueError("the data must be text such as [[1, 2], [3, 4]]")
    if len(text) > MAX_DATA_CHARS:
        raise ValueError(f"the data is {len(text):,} characters long: at most "
                         f"{MAX_DATA_CHARS:,} here")
    try:
        data = ast.literal_eval(text.strip() or "[]")
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise ValueError(f"could not read the data {text.strip()[:40]!r}: write a Python list "
                         f"of numbers such as [[1, 2, 3], [4, 5, 6]]") from None
    count = _count_numbers(data)
    if count > MAX_NUMEL:
        raise ValueError(f"the data holds {count:,} numbers, more than the {MAX_NUMEL:,} "
                         f"shown here")
    return data


def _count_numbers(data, depth=0):
    if isinstance(data, (bool, int, float)):  # nan and inf too: torch takes them
        return 1
    if isinstance(data, (list, tuple)) and depth < MAX_DIMS + 2:
        return sum(_count_numbers(d, depth + 1) for d in data)
    what = "too deeply nested" if isinstance(data, (list, tuple)) else f"{data!r}"
    raise ValueError(f"the data must hold only numbers and True/False in lists "
                     f"(found {what}): e.g. [[1, 2, 3], [4, 5, 6]]")


def create_code(spec):
    """The lines that make tensor t, as a student would type them."""
    c, shape = spec["constructor"], spec.get("shape", ())
    dtype = "" if spec["dtype"] == NOT_GIVEN else f", dtype=torch.{spec['dtype']}"
    if c in ("tensor", "FloatTensor"):
        data = _data_code(spec["data"])
        return [f"t = torch.{c}({data}{dtype if c == 'tensor' else ''})"]
    if c in ("rand", "randn"):
        return [f"g = torch.Generator().manual_seed({spec['seed']})",
                f"t = torch.{c}({sizes_code(shape)}, generator=g{dtype})"]
    if c == "full":
        # repr keeps 7.0 apart from 7: torch.full picks float32 for the one, int64 for the other
        return [f"t = torch.full({_tuple_code(shape)}, {spec['fill']!r}{dtype})"]
    if c == "arange":
        reshape = f".reshape({sizes_code(shape)})" if len(shape) != 1 else ""
        return [f"t = torch.arange({math.prod(shape)}{dtype}){reshape}"]
    if c == "from_numpy":
        np_dtype = "" if spec["dtype"] == NOT_GIVEN else f", dtype=np.{_numpy_name(spec['dtype'])}"
        return [f"a = np.ones({_tuple_code(shape)}{np_dtype})", "t = torch.from_numpy(a)"]
    return [f"t = torch.{c}({sizes_code(shape)}{dtype})"]  # zeros, ones, empty, eye


def _data_code(data):
    return repr(data).replace("(", "[").replace(")", "]") if isinstance(data, (list, tuple)) \
        else repr(data)


def _tuple_code(shape):
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def _numpy_name(dtype):
    return "bool_" if dtype == "bool" else dtype


def _make(spec, torch):
    c, shape = spec["constructor"], spec.get("shape", ())
    kw = {} if spec["dtype"] == NOT_GIVEN else {"dtype": getattr(torch, spec["dtype"])}
    if c == "tensor":
        return torch.tensor(spec["data"], **kw)
    if c == "FloatTensor":
        return torch.FloatTensor(spec["data"])
    if c in ("rand", "randn"):
        g = torch.Generator().manual_seed(spec["seed"])
        return getattr(torch, c)(shape, generator=g, **kw)
    if c == "full":
        return torch.full(shape, spec["fill"], **kw)
    if c == "arange":
        return torch.arange(math.prod(shape), **kw).reshape(shape)
    if c == "eye":
        return torch.eye(*shape, **kw)
    if c == "from_numpy":
        np_kw = {} if spec["dtype"] == NOT_GIVEN else {"dtype": getattr(np, _numpy_name(
            spec["dtype"]))}
        return torch.from_numpy(np.ones(shape, **np_kw))
    return getattr(torch, c)(shape, **kw)  # zeros, ones, empty


NOTES = {
    "empty": "torch.empty only reserves memory: the values are whatever it held before "
             "(leftovers, often tiny numbers like 1.4013e-45, or zeros). Never rely on them.",
    "FloatTensor": "torch.FloatTensor(data) is the legacy spelling of "
                   "torch.tensor(data, dtype=torch.float32): it always makes float32.",
    "from_numpy": "The tensor takes the array's dtype (numpy's default is float64) and "
                  "shares its memory: see the NumPy bridge part.",
    "rand": "Uniform in [0, 1). The same seed gives the same numbers every time (the "
            "in-browser engine draws other numbers than real torch for a seed).",
    "randn": "Standard normal: mean 0, standard deviation 1. The same seed gives the same "
             "numbers every time (the in-browser engine draws other numbers than real torch).",
}


def create(spec, torch):
    """Make tensor t as the spec says: the code, what print(t) shows, its facts and view."""
    spec = validate_create(spec)
    code = create_code(spec)
    result = {"code": "\n".join(code + ["print(t)"]), "output": "", "error": "",
              "facts": [], "view": None, "note": NOTES.get(spec["constructor"], "")}
    try:
        t = _make(spec, torch)
    except Exception as exc:  # torch's own complaint is the output of the cell
        result["error"] = error_text(exc)
        return result
    result["output"] = str(t)
    result["facts"] = [["t.shape", str(t.shape)], ["t.dtype", str(t.dtype)],
                       ["t.stride()", str(t.stride())], ["t.numel()", str(t.numel())],
                       ["t.element_size()", f"{t.element_size()}  (bytes per element)"],
                       ["t.device", str(t.device)]]
    result["view"] = tensor_view_value(t, "t")
    return result


# -- the numpy bridge --------------------------------------------------------------------------

def validate_bridge(spec):
    spec = dict(spec)
    if spec.get("direction") not in BRIDGES:
        raise ValueError(f"unknown bridge {spec.get('direction')!r}: choose one of "
                         f"{', '.join(BRIDGES)}")
    if spec.get("side") not in ("a", "b"):
        raise ValueError("edit either a (the numpy array) or b (the tensor)")
    index = spec.get("index")
    if not isinstance(index, int) or not 0 <= index < BRIDGE_LENGTH:
        raise ValueError(f"the index must be a whole number from 0 to {BRIDGE_LENGTH - 1} "
                         f"(got {index!r})")
    _check_edit_value(spec.get("value"))
    return spec


def _check_edit_value(value):
    if not isinstance(value, (int, float)) or not math.isfinite(value) or \
            abs(value) > MAX_EDIT:
        raise ValueError(f"the new value must be a finite number within ±{MAX_EDIT:g} "
                         f"(got {value!r})")


def bridge(spec, torch):
    """a (numpy) and b (tensor) made one of three ways; one element edited; both printed."""
    spec = validate_bridge(spec)
    direction, side, index, value = (spec["direction"], spec["side"], spec["index"],
                                     spec["value"])
    if direction == "numpy":
        b = torch.ones(BRIDGE_LENGTH)
        a = b.numpy()
    else:
        a = np.ones(BRIDGE_LENGTH)
        b = torch.from_numpy(a) if direction == "from_numpy" else torch.tensor(a)
    edit = f"{side}[{index}] = {number_code(value)}"
    if side == "a":
        a[index] = value
    else:
        b[index] = value
    shares = bool(np.shares_memory(a, b.numpy()))
    other = "b" if side == "a" else "a"
    return {
        "code": "\n".join(BRIDGES[direction] + (edit, "print(a)", "print(b)")),
        "output": f"{a}\n{b}",
        "shares": shares,
        "a": array_view_value(a, "a", ["b"] if shares else []),
        "b": tensor_view_value(b, "b", ["a"] if shares else []),
        "verdict": _same_value_hint(value) or _bridge_verdict(direction, side, other, shares),
    }


def _same_value_hint(value):
    if float(value) == 1.0:
        return ("The element already holds 1, so nothing visibly changes: "
                "write another value to see who follows.")
    return ""


def _bridge_verdict(direction, side, other, shares):
    how = BRIDGES[direction][1].split(" = ")[1]
    if shares:
        return (f"**{other} changed too**: `{how}` does not copy, so a and b are two views "
                f"of the same memory. Writing to {side} writes to {other}.")
    return (f"**{other} did not change**: `{how}` copies the numbers into memory of its "
            f"own, so editing {side} leaves {other} alone.")


# -- alias versus copy -------------------------------------------------------------------------

def validate_alias(spec):
    spec = dict(spec)
    if spec.get("mode") not in ALIASES:
        raise ValueError(f"unknown way to make y {spec.get('mode')!r}: choose one of "
                         f"{', '.join(ALIASES)}")
    _check_edit_value(spec.get("value"))
    return spec


def alias(spec, torch):
    """The seed's cells: x = torch.ones([3,2]); y made from x; y[0,0] = value; print both."""
    spec = validate_alias(spec)
    mode, value = spec["mode"], spec["value"]
    x = torch.ones([3, 2], dtype=torch.float)
    if mode == "y = x":
        y = x
    elif mode == "y = x[1:]":
        y = x[1:]
    elif mode == "y.copy_(x)":
        # the seed draws y at random; its numbers are overwritten at once by copy_
        y = torch.rand([3, 2], dtype=torch.float, generator=torch.Generator().manual_seed(0))
        y.copy_(x)
    else:
        y = x.clone()
    y[0, 0] = value
    shares = same_storage(x, y)
    same = y is x
    y_shares = ["x (y is x: one tensor, two names)"] if same else (["x"] if shares else [])
    return {
        "code": "\n".join(("x = torch.ones([3,2],dtype=torch.float)",) + ALIASES[mode] +
                          (f"y[0,0] = {number_code(value)}", "print(x)", "print(y)")),
        "output": f"{x}\n{y}",
        "same_object": same,
        "shares": shares,
        "x": tensor_view_value(x, "x", ["y"] if shares else []),
        "y": tensor_view_value(y, "y", y_shares),
        "verdict": _same_value_hint(value) or _alias_verdict(mode, shares, same),
    }


def _alias_verdict(mode, shares, same):
    if same:
        return ("**x changed too**: `y = x` copies nothing, it gives the same tensor a second "
                "name (`y is x` is True).")
    if shares:
        return ("**x changed too**: `x[1:]` is a view, a new tensor object over x's memory "
                "(storage offset 2), so y[0,0] is x[1,0].")
    return (f"**x did not change**: `{mode}` gives y memory of its own and copies x's "
            f"numbers into it.")

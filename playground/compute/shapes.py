"""The shapes lesson's experiments: broadcasting two shapes, and the view ops (view, reshape,
transpose, permute, narrow, contiguous) on an arange.

Functions of (spec, torch) -> plain data and the strings torch prints, so they run on our
engine and on real torch alike. The answers come from doing the op with torch: the result
shape, or torch's own error text. `validate_*` raise ValueError naming the problem and the fix.
"""
import math

from .tensors import error_text, same_storage, sizes_code, tensor_view_value

MAX_DIMS = 6
MAX_NUMEL = 4096          # per operand of a + b
MAX_RESULT = 1_000_000    # a + b bigger than this is described, not computed
MAX_VIEW_VALUES = 400     # a, b and a + b's values are sent for display up to this size,
MAX_VIEW_DIMS = 2         # and this many dims (higher ones draw as flattened rows: no help)
MAX_BASE_NUMEL = 48       # the view ops' x: small enough to draw its memory cell by cell
MAX_ARG = 10_000

OPS = {  # op -> (how many ints it takes: exact count or None for one or more, a hint)
    "view": (None, "the new sizes, one may be -1: e.g. 2, -1"),
    "reshape": (None, "the new sizes, one may be -1: e.g. 2, -1"),
    "transpose": (2, "the two dims to swap: e.g. 0, 1"),
    "permute": (None, "the new order of all the dims: e.g. 1, 0"),
    "narrow": (3, "dim, start, length: e.g. 1, 1, 2"),
    "contiguous": (0, "nothing"),
}


def check_sizes(shape, what, max_numel):
    """A shape as a tuple within the limits, or ValueError naming the fix."""
    if not isinstance(shape, (list, tuple)) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in shape):
        raise ValueError(f"{what} must be whole sizes like 3, 4 (got {shape!r})")
    if any(n < 0 for n in shape):
        raise ValueError(f"{what} {tuple(shape)} has a negative size: sizes are 0 or more")
    if len(shape) > MAX_DIMS:
        raise ValueError(f"{what} has {len(shape)} dims: at most {MAX_DIMS} here")
    if math.prod(shape) > max_numel:
        raise ValueError(f"{what} {tuple(shape)} holds {math.prod(shape):,} elements, more "
                         f"than the {max_numel:,} allowed here: use smaller sizes")
    return tuple(shape)


# -- broadcasting ------------------------------------------------------------------------------

def alignment(shape_a, shape_b):
    """The broadcasting rule, dim by dim, right-aligned: for each dim of the result the size
    in a and in b (None where that tensor has fewer dims: it counts as 1), the result's size
    (None where the two clash) and what happens to each side: 'same', 'expand' (a 1 is
    repeated), 'missing' (a leading 1 is added) or 'clash'."""
    n = max(len(shape_a), len(shape_b))
    pad_a = [None] * (n - len(shape_a)) + list(shape_a)
    pad_b = [None] * (n - len(shape_b)) + list(shape_b)
    columns = []
    for dim, (sa, sb) in enumerate(zip(pad_a, pad_b)):
        ea, eb = 1 if sa is None else sa, 1 if sb is None else sb
        out = eb if ea == 1 else ea if eb == 1 or ea == eb else None
        columns.append({"dim": dim, "a": sa, "b": sb, "out": out,
                        "a_role": _role(sa, out), "b_role": _role(sb, out)})
    return columns


def _role(size, out):
    if out is None:
        return "clash"
    if size is None:
        return "missing"
    return "expand" if size != out else "same"


def validate_broadcast(spec):
    return {"a": check_sizes(spec.get("a"), "the shape of a", MAX_NUMEL),
            "b": check_sizes(spec.get("b"), "the shape of b", MAX_NUMEL)}


def operand_code(name, shape, scale=""):
    numel = math.prod(shape)
    reshape = "" if len(shape) == 1 else f".reshape({sizes_code(shape)})"
    return f"{name} = {scale}torch.arange(1, {numel + 1}){reshape}"


def broadcast(spec, torch):
    """a + b for a = arange(1..) and b = 10 * arange(1..) of the two shapes: the result's
    shape as torch prints it, or torch's error; the dim-by-dim alignment; small values."""
    spec = validate_broadcast(spec)
    shape_a, shape_b = spec["a"], spec["b"]
    columns = alignment(shape_a, shape_b)
    code = [operand_code("a", shape_a), operand_code("b", shape_b, "10 * "),
            "c = a + b", "print(c.shape)"]
    result = {"code": "\n".join(code), "columns": columns, "shape": None, "output": "",
              "error": "", "reported_dim": None, "views": [], "note": ""}
    a = torch.arange(1, math.prod(shape_a) + 1).reshape(shape_a)
    b = 10 * torch.arange(1, math.prod(shape_b) + 1).reshape(shape_b)
    predicted = [c["out"] for c in columns]
    if None not in predicted and math.prod(predicted) > MAX_RESULT:
        result["note"] = (f"a + b would hold {math.prod(predicted):,} elements, more than the "
                          f"{MAX_RESULT:,} computed here: the shape above follows the rule "
                          f"without running it")
        result["shape"] = predicted
        return result
    try:
        c = a + b
    except RuntimeError as exc:  # torch's own words are the answer
        result["error"] = error_text(exc)
        result["reported_dim"] = _reported_dim(str(exc))
    else:
        result["shape"] = list(c.shape)
        result["output"] = str(c.shape)
        if c.numel() <= MAX_VIEW_VALUES and c.dim() <= MAX_VIEW_DIMS:
            result["views"] = [tensor_view_value(a, "a"), tensor_view_value(b, "b"),
                               tensor_view_value(c, "a + b")]
    return result


def _reported_dim(message):
    """The dim torch names in 'The size of tensor a (3) must match ... at non-singleton
    dimension 1'."""
    tail = message.rsplit("dimension", 1)
    if len(tail) == 2 and tail[1].strip().isdigit():
        return int(tail[1].strip())
    return None


# -- view ops ----------------------------------------------------------------------------------

def parse_ints(text):
    """'2, -1' -> [2, -1]; ValueError naming the bad piece."""
    pieces = [p.strip() for p in str(text).replace("(", " ").replace(")", " ").split(",")]
    if pieces == [""]:
        return []
    values = []
    for p in pieces:
        try:
            values.append(int(p))
        except ValueError:
            raise ValueError(f"'{p}' is not a whole number: write the arguments like "
                             f"2, -1") from None
    return values


def validate_view(spec):
    shape = check_sizes(spec.get("shape"), "the shape of x", MAX_BASE_NUMEL)
    op = spec.get("op")
    if op not in OPS:
        raise ValueError(f"unknown op {op!r}: choose one of {', '.join(OPS)}")
    args = spec.get("args", [])
    if not isinstance(args, (list, tuple)) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in args):
        raise ValueError(f"the arguments must be whole numbers like 2, -1 (got {args!r})")
    count, hint = OPS[op]
    if count is None and not 1 <= len(args) <= MAX_DIMS:
        raise ValueError(f"{op} takes 1 to {MAX_DIMS} numbers, {hint}")
    if count is not None and count and len(args) != count:
        raise ValueError(f"{op} takes {count} numbers, {hint} (got {len(args)})")
    if any(abs(n) > MAX_ARG for n in args):
        raise ValueError(f"the arguments must lie within ±{MAX_ARG:,}")
    return {"shape": shape, "transpose_first": bool(spec.get("transpose_first", False)),
            "op": op, "args": list(args) if count != 0 else []}


def facts(t):
    """What the lesson shows about a tensor, as torch prints each."""
    return [["shape", str(t.shape)], ["stride()", str(t.stride())],
            ["is_contiguous()", str(t.is_contiguous())],
            ["storage_offset()", str(t.storage_offset())]]


def view_op(spec, torch):
    """x = torch.arange(n).reshape(shape) (transposed first if asked), then y = x.op(args):
    y's printout, facts and whether it shares x's memory, or torch's error. Because x's
    memory holds 0, 1, 2, ... in order, y's values are the memory cells it reads."""
    spec = validate_view(spec)
    shape, op, args = spec["shape"], spec["op"], spec["args"]
    numel = math.prod(shape)
    x_code = f"x = torch.arange({numel})" + ("" if len(shape) == 1 else
                                             f".reshape({sizes_code(shape)})")
    if spec["transpose_first"]:
        x_code += ".transpose(0, 1)"
    y_code = f"y = x.{op}({', '.join(map(str, args))})"
    result = {"code": "\n".join([x_code, y_code, "print(y)"]), "numel": numel,
              "x": None, "x_facts": [], "x_output": "", "output": "", "error": "",
              "y": None, "y_facts": [], "shares": None, "positions": None}
    try:
        x = torch.arange(numel).reshape(shape)
        if spec["transpose_first"]:
            x = x.transpose(0, 1)
    except Exception as exc:  # e.g. transposing a 1-d tensor: torch says why
        result["error"] = error_text(exc)
        return result
    result.update(x=tensor_view_value(x, "x"), x_facts=facts(x), x_output=str(x))
    try:
        y = getattr(x, op)(*args)
    except Exception as exc:
        result["error"] = error_text(exc)
        return result
    shares = same_storage(x, y)
    result.update(output=str(y), y_facts=facts(y), shares=shares,
                  y=tensor_view_value(y, "y", ["x"] if shares else []),
                  positions=y.flatten().tolist() if shares else None)
    result["x"]["shared_with"] = ["y"] if shares else []
    return result

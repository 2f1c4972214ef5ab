"""torch dtypes on top of numpy dtypes, and torch's type-promotion rules.

numpy's own promotion differs from torch's in ways students see (int / int gives float64 in
numpy but float32 in torch; float32 array + float64 0-d array gives float64 in numpy but
float32 in torch), so every op asks `result_type` here instead of trusting numpy.
"""
import numpy as np

BOOL, INT, FLOAT = 0, 1, 2  # torch's dtype categories, in promotion order


class dtype:
    """A torch dtype: `torch.float32` etc. One instance per type, compared by identity."""

    __slots__ = ("name", "np", "category", "itemsize", "is_floating_point", "is_signed",
                 "is_complex", "_legacy")
    __module__ = "torch"

    def __init__(self, name, np_dtype, category, legacy):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.category = category
        self.itemsize = self.np.itemsize
        self.is_floating_point = category == FLOAT
        self.is_signed = name not in ("uint8", "bool")
        self.is_complex = False
        self._legacy = legacy  # legacy tensor type name, e.g. 'FloatTensor' (Tensor.type())

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):  # pickling / deepcopy keep the singleton
        return (_by_name, (self.name,))

    def to_real(self):
        return self

    def to_complex(self):
        raise NotImplementedError("playground.torch does not implement complex dtypes yet")


bool_ = dtype("bool", np.bool_, BOOL, "BoolTensor")
uint8 = dtype("uint8", np.uint8, INT, "ByteTensor")
int8 = dtype("int8", np.int8, INT, "CharTensor")
int16 = dtype("int16", np.int16, INT, "ShortTensor")
int32 = dtype("int32", np.int32, INT, "IntTensor")
int64 = dtype("int64", np.int64, INT, "LongTensor")
float16 = dtype("float16", np.float16, FLOAT, "HalfTensor")
float32 = dtype("float32", np.float32, FLOAT, "FloatTensor")
float64 = dtype("float64", np.float64, FLOAT, "DoubleTensor")

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
# torch's aliases: torch.float is float32, torch.long is int64, ...
ALIASES = {"float": float32, "double": float64, "half": float16, "long": int64,
           "int": int32, "short": int16, "bool": bool_}

_BY_NAME = {d.name: d for d in ALL}
_BY_NP = {d.np: d for d in ALL}
_BY_LEGACY = {d._legacy: d for d in ALL}


def _by_name(name):
    return _BY_NAME[name]


def from_numpy_dtype(np_dtype):
    """The torch dtype for a numpy dtype, or None if torch has no equivalent."""
    return _BY_NP.get(np_dtype)


def from_legacy_name(name):
    """'torch.FloatTensor' / 'FloatTensor' / 'torch.float32' -> dtype (Tensor.type(str))."""
    short = name.rsplit(".", 1)[-1]
    d = _BY_LEGACY.get(short) or _BY_NAME.get(short) or ALIASES.get(short)
    if d is None:
        raise ValueError(f"invalid type: '{name}'")
    return d


class _Default:
    """The default floating dtype (torch.set_default_dtype)."""
    float = float32


def get_default_dtype():
    return _Default.float


def set_default_dtype(d):
    if not isinstance(d, dtype) or not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _Default.float = d


def promote_types(a, b):
    """torch.promote_types: the smallest dtype both a and b convert to without losing category."""
    if a is b:
        return a
    key = (a, b)
    r = _PROMOTE.get(key)
    if r is None:
        if a.category != b.category:
            # a float beats any int/bool as is (int64 + float16 -> float16, unlike numpy)
            r = a if a.category > b.category else b
        elif a.category == FLOAT:
            r = a if a.itemsize >= b.itemsize else b
        else:  # both integer: numpy's integer lattice equals torch's (uint8 + int8 -> int16)
            r = _BY_NP[np.promote_types(a.np, b.np)]
        _PROMOTE[key] = r
    return r


_PROMOTE = {}


def scalar_dtype(value):
    """The dtype torch gives a Python scalar wrapped into a tensor (the default float for floats)."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    if isinstance(value, float):
        return _Default.float
    raise TypeError(f"unsupported scalar type {type(value).__name__}")


def _combine(higher, lower):
    """torch's combine_categories: a higher-priority group wins unless a lower one has a higher
    category (an int tensor + a float scalar is a float)."""
    if higher is None:
        return lower
    if lower is None or higher.category == FLOAT:
        return higher
    if higher is bool_ or lower.category == FLOAT:
        return promote_types(higher, lower)
    return higher


def result_type(*operands):
    """torch.result_type over tensors (`dtype`, `ndim` attributes) and Python scalars.

    Three priority groups: tensors with dimensions, zero-dim tensors, Python scalars. Within a
    group dtypes promote normally; across groups a lower group only matters when it brings a
    higher category (float32 tensor + float64 0-dim tensor stays float32; int tensor + 2.5 is
    float32; float32 tensor + float64 tensor with dims is float64).
    """
    dim = zero = wrapped = None
    for o in operands:
        d = getattr(o, "dtype", None)
        if isinstance(d, dtype):
            if o.ndim:
                dim = d if dim is None else promote_types(dim, d)
            else:
                zero = d if zero is None else promote_types(zero, d)
        else:
            d = scalar_dtype(o)
            wrapped = d if wrapped is None else promote_types(wrapped, d)
    return _combine(dim, _combine(zero, wrapped))


def can_cast(src, dst):
    """torch.can_cast: what an in-place op may write into its output (no float -> int, no
    number -> bool)."""
    if src.category == FLOAT and dst.category != FLOAT:
        return False
    if src is not bool_ and dst is bool_:
        return False
    return True


def short_name(d):
    """'Float' for float32 etc., as torch names dtypes in error messages."""
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}[d.name]


class finfo:
    """torch.finfo: the limits of a floating dtype (default: the default dtype)."""

    __module__ = "torch"

    def __init__(self, type=None):
        type = type or get_default_dtype()
        if not type.is_floating_point:
            raise TypeError(f"torch.finfo() requires a floating point input type. Use "
                            f"torch.iinfo to handle '{type!r}'")
        info = np.finfo(type.np)
        self.bits, self.dtype = info.bits, type.name
        self.eps, self.max, self.min = float(info.eps), float(info.max), float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = float(info.resolution)

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """torch.iinfo: the limits of an integer dtype."""

    __module__ = "torch"

    def __init__(self, type):
        if type.is_floating_point:
            raise TypeError(f"torch.iinfo() requires an integer input type. Use torch.finfo to "
                            f"handle '{type!r}'")
        info = np.iinfo(type.np) if type is not bool_ else None
        self.bits = type.itemsize * 8
        self.dtype = type.name
        self.min, self.max = (int(info.min), int(info.max)) if info else (0, 1)

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"

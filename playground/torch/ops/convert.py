"""dtype and device conversion: Tensor.to(...) and the node it records (ToCopyBackward0)."""
import numpy as np

from .. import dtypes
from ..device import canonical, device as device_type
from ..function import Function
from ..tensor import Tensor


class ToCopyBackward0(Function):
    def forward(self, a, np_dtype):
        if a.dtype.kind == "f" and np_dtype.kind in "iu" and np_dtype.itemsize < 8:
            # float -> small int goes through int64, as torch's does on x86: -1.7 -> -1 -> 255
            # for uint8 (a direct cast is undefined in C and saturates in WebAssembly)
            return a.astype(np.int64).astype(np_dtype)
        return a.astype(np_dtype, copy=True)

    def backward(self, g):
        return g  # the engine casts it back to the input's dtype


def parse_to(args, kwargs):
    """torch's overloads: to(dtype), to(device, dtype=None), to(tensor), keyword forms."""
    dev = kwargs.pop("device", None)
    dt = kwargs.pop("dtype", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() received an invalid combination of arguments - got unexpected "
                        f"keyword {next(iter(kwargs))!r}")
    for a in args:
        if isinstance(a, dtypes.dtype):
            dt = a
        elif isinstance(a, (str, device_type, int)):
            dev = a
        elif isinstance(a, Tensor):
            dev, dt = a._device, a._dtype
        elif isinstance(a, bool):
            pass  # non_blocking / copy positional flags
        elif a is not None:
            raise TypeError(f"to() received an invalid combination of arguments - got "
                            f"({type(a).__name__})")
    if isinstance(dev, int):
        dev = f"cuda:{dev}"
    return (canonical(dev) if dev is not None else None), dt, copy


def to(self, *args, **kwargs):
    dev, dt, copy = parse_to(args, dict(kwargs))
    dev = self._device if dev is None else dev
    dt = self._dtype if dt is None else dt
    if dev is self._device and dt is self._dtype and not copy:
        return self
    out = ToCopyBackward0.apply(self, np_dtype=dt.np)
    out._device = dev
    return out

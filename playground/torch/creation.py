"""Making tensors: torch.tensor, from_numpy, zeros/ones/full/eye/arange/linspace, *_like, the
legacy constructors (torch.Tensor(2, 3), torch.FloatTensor([...])) and Tensor.new_*."""
import sys
import warnings

import numpy as np

from . import dtypes
from .device import CPU, canonical
from .tensor import Tensor, _make

FACTORY_GRAD = "Only Tensors of floating point and complex dtype can require gradients"
NUMPY_TYPES = ("float64, float32, float16, complex64, complex128, int64, int32, int16, int8, "
               "uint64, uint32, uint16, uint8, and bool")


def finish(arr, dtype=None, device=None, requires_grad=False):
    """Wrap a fresh array as a leaf on `device`, with the requested dtype and requires_grad."""
    if dtype is not None and arr.dtype != dtype.np:
        arr = arr.astype(dtype.np)
    t = _make(arr, canonical(device))
    if requires_grad:
        if not t._dtype.is_floating_point:
            raise RuntimeError(FACTORY_GRAD)
        t._rg = True
    return t


def size_of(args, name="size"):
    """Sizes given as f(2, 3), f((2, 3)), f([2, 3]) or f(torch.Size([2, 3]))."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    for i, s in enumerate(args):
        if isinstance(s, Tensor) and s._data.ndim == 0 and s._dtype.category == dtypes.INT:
            continue
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"{name}(): argument 'size' (position 1) must be tuple of ints, but "
                            f"found element of type {type(s).__name__} at pos {i}")
    shape = tuple(int(s) for s in args)
    _fits_in_the_browser(shape)
    for s in shape:
        if s < 0:
            if name == "zeros":  # torch's zeros checks sizes itself, with its own words
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(shape)}")
    return shape


# In the browser the whole Python heap lives in 4 GB of WebAssembly memory: a tensor of a few
# GB would take the tab down instead of raising, so the engine refuses it with a clear error.
BROWSER_MAX_ELEMENTS = 2 ** 28  # 1 GiB of float32


def _fits_in_the_browser(shape):
    if sys.platform != "emscripten":
        return
    n = 1
    for s in shape:
        n *= max(int(s), 0)
    if n > BROWSER_MAX_ELEMENTS:
        raise RuntimeError(f"a tensor of shape {list(shape)} has {n:,} elements "
                           f"({n * 4 / 2 ** 30:.1f} GiB as float32): too big for the browser "
                           f"playground, which holds at most {BROWSER_MAX_ELEMENTS:,} elements "
                           "per tensor. Use smaller sizes (or run the code with real torch).")


# -- torch.tensor and friends ------------------------------------------------------------------

def _infer(data, depth=0):
    """(shape, dtype) of nested Python data, with torch's errors for ragged or odd input."""
    if isinstance(data, Tensor):
        if data._data.ndim:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return (), data._dtype
    if isinstance(data, np.ndarray):
        d = dtypes.from_numpy_dtype(data.dtype)
        if d is None:
            raise TypeError(f"can't convert np.ndarray of type numpy.{data.dtype.type.__name__}. "
                            f"The only supported types are: {NUMPY_TYPES}.")
        return data.shape, d
    if isinstance(data, np.generic):
        d = dtypes.from_numpy_dtype(data.dtype)
        if d is None:
            raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
        return (), d
    if isinstance(data, (bool, int, float)):
        return (), dtypes.scalar_dtype(data)
    if isinstance(data, (list, tuple)):
        if not data:
            return (0,), None
        shapes, found = [], None
        for item in data:
            s, d = _infer(item, depth + 1)
            shapes.append(s)
            if d is not None:
                found = d if found is None else dtypes.promote_types(found, d)
        first = shapes[0]
        for s in shapes[1:]:
            if s != first:
                if len(s) != len(first) or not first:
                    raise ValueError(f"expected sequence of length {first[0] if first else 0} at "
                                     f"dim {depth + 1} (got {s[0] if s else 0})")
                raise ValueError(f"expected sequence of length {first[0]} at dim {depth + 1} "
                                 f"(got {s[0]})")
        return (len(data),) + first, found
    if data is None:
        raise RuntimeError("Could not infer dtype of NoneType")
    if isinstance(data, complex):
        raise NotImplementedError("playground.torch does not implement complex tensors yet")
    raise TypeError(f"new(): invalid data type '{type(data).__name__}'")


def _to_array(data, np_dtype):
    if isinstance(data, Tensor):
        return data._data.astype(np_dtype)
    if isinstance(data, (list, tuple)) and any(isinstance(x, (list, tuple, Tensor))
                                              for x in data):
        return np.array([_to_array(x, np_dtype) for x in data], dtype=np_dtype)
    if np.dtype(np_dtype).kind in "iu" and not isinstance(data, np.ndarray):
        return to_integer(np.array(data), np.dtype(np_dtype))
    return np.array(data, dtype=np_dtype)


def to_integer(values, np_dtype):
    """Python numbers into an integer dtype the way torch converts them: ints must fit (an
    unsigned type also takes negatives down to -max, which wrap), floats truncate and wrap."""
    if values.dtype.kind in "iub":
        info = np.iinfo(np_dtype)
        low = -int(info.max) if info.min == 0 else int(info.min)
        if values.size and (values.max() > info.max or values.min() < low):
            raise RuntimeError(f"value cannot be converted to type {np_dtype.name} without "
                               "overflow")
    return values.astype(np.int64).astype(np_dtype)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
        arr = data._data.astype((dtype or data._dtype).np, copy=True)
        return finish(arr, None, device if device is not None else data._device, requires_grad)
    if isinstance(data, (list, tuple)) and data and all(isinstance(x, np.ndarray) for x in data):
        warnings.warn("Creating a tensor from a list of numpy.ndarrays is extremely slow. Please "
                      "consider converting the list to a single numpy.ndarray with numpy.array() "
                      "before converting to a tensor.", UserWarning, stacklevel=2)
    _, inferred = _infer(data)
    dt = dtype or inferred or dtypes.get_default_dtype()
    if isinstance(data, np.ndarray):
        arr = np.array(data, dtype=dt.np, copy=True)
    else:
        arr = _to_array(data, dt.np)
    return finish(arr, None, device, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like tensor(), but shares memory with a tensor or a numpy array when it can."""
    if isinstance(data, Tensor):
        return data.to(device=device if device is not None else data._device,
                       dtype=dtype or data._dtype)
    if isinstance(data, np.ndarray) and dtypes.from_numpy_dtype(data.dtype) is not None:
        t = from_numpy(data)
        if (dtype is None or dtype is t._dtype) and canonical(device) is CPU:
            return t
        return t.to(device=canonical(device), dtype=dtype or t._dtype)
    return tensor(data, dtype=dtype, device=device)


asarray = as_tensor


def from_numpy(ndarray):
    """A tensor that shares memory with the numpy array: writes show through both ways."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if dtypes.from_numpy_dtype(ndarray.dtype) is None:
        raise TypeError(f"can't convert np.ndarray of type numpy.{ndarray.dtype.type.__name__}. "
                        f"The only supported types are: {NUMPY_TYPES}.")
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    if not ndarray.dtype.isnative:
        ndarray = ndarray.astype(ndarray.dtype.newbyteorder("="))
    return _make(ndarray)


# -- the legacy constructors: torch.Tensor(...), torch.FloatTensor(...) -------------------------

def legacy_new(cls, dtype, args, device):
    """torch.Tensor(2, 3) -> uninitialised (here: zeros) of that size; torch.Tensor(data)."""
    dev = canonical(device)
    if not args:
        t = _make(np.zeros(0, dtype.np), dev)
    elif len(args) == 1 and isinstance(args[0], Tensor):
        src = args[0]
        if src._dtype is not dtype:
            raise TypeError(_options_error(dtype, src._dtype))
        return src  # torch returns an alias of the same tensor
    elif all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args) or \
            (len(args) == 1 and type(args[0]).__name__ == "Size"):
        t = _make(np.zeros(size_of(args, "new"), dtype.np), dev)
    elif len(args) == 1:
        data = args[0]
        if isinstance(data, (list, tuple, np.ndarray)) or isinstance(data, (int, float)):
            if isinstance(data, (list, tuple)):
                _infer(data)  # torch's errors for ragged data, before numpy's
            arr = data.astype(dtype.np) if isinstance(data, np.ndarray) else \
                _to_array(data, dtype.np)
            t = _make(arr, dev)
        else:
            raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
    else:
        raise TypeError("new() received an invalid combination of arguments")
    if cls is not Tensor and isinstance(cls, type) and issubclass(cls, Tensor):
        t.__class__ = cls
    return t


def _options_error(want, got):
    def opts(d):
        return (f"TensorOptions(dtype={_c_name(d)}, device=cpu, layout=Strided, "
                "requires_grad=false (default), pinned_memory=false (default), "
                "memory_format=(nullopt))")
    return f"expected {opts(want)} (got {opts(got)})"


def _c_name(d):
    return {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "bool": "bool"}[d.name]


class _LegacyTypeMeta(type):
    """isinstance(t, torch.FloatTensor) is a dtype (and device) check in torch."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj._dtype is cls._dtype and \
            obj._device.type == cls._device_type

    def __repr__(cls):
        return f"<class '{cls.__qualname__}'>"


def _legacy_type(name, dtype, device_type="cpu"):
    def __new__(cls, *args, device=None):
        t = legacy_new(Tensor, dtype, args, device)
        return t.to("cuda") if device_type == "cuda" and not t.is_cuda else t
    qual = ("torch.cuda." if device_type == "cuda" else "torch.") + name
    return _LegacyTypeMeta(name, (), {"__new__": __new__, "_dtype": dtype,
                                       "_device_type": device_type, "__qualname__": qual})


LEGACY_TYPES = {d._legacy: _legacy_type(d._legacy, d) for d in dtypes.ALL}
CUDA_LEGACY_TYPES = {d._legacy: _legacy_type(d._legacy, d, "cuda") for d in dtypes.ALL}


# -- factories ---------------------------------------------------------------------------------

def _factory(fill, name):
    def factory(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
                pin_memory=False, memory_format=None):
        shape = size_of(size, name)
        dt = dtype or dtypes.get_default_dtype()
        return finish(fill(shape, dt.np), None, device, requires_grad)
    return factory


def _zeros(shape, np_dtype):
    return np.zeros(shape, np_dtype)


def _ones(shape, np_dtype):
    return np.ones(shape, np_dtype)


zeros = _factory(_zeros, "zeros")
ones = _factory(_ones, "ones")
# uninitialised memory in torch; zeros here, so printing it is at least reproducible
empty = _factory(_zeros, "empty")


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    shape = size_of((size,) if not isinstance(size, (tuple, list)) else (tuple(size),), "full")
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if isinstance(fill_value, np.generic):
        fill_value = fill_value.item()
    dt = dtype or dtypes.scalar_dtype(fill_value)
    if dt.category == dtypes.INT:
        values = np.full(shape, to_integer(np.asarray(fill_value), dt.np))
    else:
        values = np.full(shape, fill_value, dt.np)
    return finish(values, None, device, requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
        pin_memory=False):
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    dt = dtype or dtypes.get_default_dtype()
    return finish(np.eye(n, n if m is None else m, dtype=dt.np), None, device, requires_grad)


def _number(x):
    return x.item() if isinstance(x, (Tensor, np.generic)) else x


def arange(start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
    if end is None:
        start, end = 0, start
    start, end, step = _number(start), _number(end), _number(step)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) / step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is None:
        any_float = any(isinstance(v, float) for v in (start, end, step))
        dtype = dtypes.get_default_dtype() if any_float else dtypes.int64
    if dtype is dtypes.bool_:
        raise NotImplementedError('"arange_cpu" not implemented for \'Bool\'')
    n = int(np.ceil((end - start) / step))
    values = start + np.arange(n, dtype=np.float64 if dtype.is_floating_point else np.int64) \
        * step
    return finish(values.astype(dtype.np), None, device, requires_grad)


def range_(start, end, step=1, *, dtype=None, device=None, requires_grad=False):
    warnings.warn("torch.range is deprecated and will be removed in a future release because "
                  "its behavior is inconsistent with Python's range builtin. Instead, use "
                  "torch.arange, which produces values in [start, end).", UserWarning,
                  stacklevel=2)
    return arange(start, end + step / 2 if step > 0 else end - abs(step) / 2, step,
                  dtype=dtype or dtypes.get_default_dtype(), device=device,
                  requires_grad=requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    start, end = _number(start), _number(end)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dt = dtype or dtypes.get_default_dtype()
    if steps == 1:
        values = np.array([start], np.float64)
    else:
        # torch fills the first half forward from start and the second half back from end
        step = (end - start) / (steps - 1)
        i = np.arange(steps, dtype=np.float64)
        half = steps // 2
        values = np.where(i < half, start + step * i, end - step * (steps - 1 - i))
    return finish(values.astype(dt.np), None, device, requires_grad)


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False):
    dt = dtype or dtypes.get_default_dtype()
    exps = linspace(start, end, steps, dtype=dtypes.float64)._data
    return finish((base ** exps).astype(dt.np), None, device, requires_grad)


def _like(fill):
    def like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
             memory_format=None):
        dt = dtype or input._dtype
        return finish(fill(input._data.shape, dt.np), None,
                      device if device is not None else input._device, requires_grad)
    return like


zeros_like = _like(_zeros)
ones_like = _like(_ones)
empty_like = _like(_zeros)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    dt = dtype or input._dtype
    return finish(np.full(input._data.shape, fill_value, dt.np), None,
                  device if device is not None else input._device, requires_grad)


# -- Tensor.new_*: same dtype and device as self unless told -------------------------------------

def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    return tensor(data, dtype=dtype or self._dtype,
                  device=device if device is not None else self._device,
                  requires_grad=requires_grad)


def _new_factory(factory):
    def method(self, *size, dtype=None, device=None, requires_grad=False):
        return factory(*size, dtype=dtype or self._dtype,
                       device=device if device is not None else self._device,
                       requires_grad=requires_grad)
    return method


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    return full(size, fill_value, dtype=dtype or self._dtype,
                device=device if device is not None else self._device,
                requires_grad=requires_grad)


Tensor.new_tensor = new_tensor
Tensor.new_zeros = _new_factory(zeros)
Tensor.new_ones = _new_factory(ones)
Tensor.new_empty = _new_factory(empty)
Tensor.new_full = new_full

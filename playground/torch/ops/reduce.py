"""Reductions and normalisations: sum, mean, prod, max/min, std/var, norm, softmax...

The public names shadow the builtins sum/max/min/all/any inside this module (they are
torch's names); the module itself only uses numpy's."""
import collections
import warnings

import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor import Tensor, _make, wrap_dim
from .common import FLOAT, dims, float_dtype


def _expand_back(g, shape, axes, keepdim):
    """A reduced gradient put back into the input's shape (what every reduction's backward
    starts with)."""
    if axes is not None and not keepdim:
        g = np.expand_dims(g, axes)
    return np.broadcast_to(g, shape)


def _axes(input, dim):
    """None for a full reduction, else a sorted tuple of axes (torch's dim=() means all)."""
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return None
    axes = dims(dim, input._data.ndim)  # checks the range (a 0-dim tensor accepts 0 and -1)
    return axes if input._data.ndim else None


class SumBackward0(Function):
    def forward(self, a, dtype=None):
        self.shape = a.shape
        return np.sum(a, dtype=dtype)

    def backward(self, g):
        return np.broadcast_to(g, self.shape)


class SumBackward1(Function):
    def forward(self, a, axes, keepdim, dtype=None):
        self.shape, self.axes, self.keepdim = a.shape, axes, keepdim
        return np.sum(a, axis=axes, keepdims=keepdim, dtype=dtype)

    def backward(self, g):
        return _expand_back(g, self.shape, self.axes, self.keepdim)


def _sum_dtype(input, dtype):
    if dtype is not None:
        return dtype
    return dtypes.int64 if input._dtype.category != FLOAT else None


def sum(input, dim=None, keepdim=False, *, dtype=None):
    dt = _sum_dtype(input, dtype)
    axes = _axes(input, dim)
    if axes is None and not keepdim:
        return SumBackward0.apply(input, dtype=dt.np if dt else None)
    return SumBackward1.apply(input, axes=axes, keepdim=keepdim, dtype=dt.np if dt else None)


class MeanBackward0(Function):
    def forward(self, a):
        self.shape = a.shape
        return np.asarray(a.sum(dtype=a.dtype) / (a.size or np.nan), dtype=a.dtype)

    def backward(self, g):
        return np.broadcast_to(g / (int(np.prod(self.shape)) or 1), self.shape)


class MeanBackward1(Function):
    def forward(self, a, axes, keepdim):
        self.shape, self.axes, self.keepdim = a.shape, axes, keepdim
        self.count = int(np.prod([a.shape[i] for i in axes])) if axes is not None else a.size
        return np.mean(a, axis=axes, keepdims=keepdim, dtype=a.dtype)

    def backward(self, g):
        return _expand_back(g / (self.count or 1), self.shape, self.axes, self.keepdim)


def mean(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is None and input._dtype.category != FLOAT:
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           "floating point or complex dtype. Got: "
                           f"{dtypes.short_name(input._dtype)}")
    axes = _axes(input, dim)
    if axes is None and not keepdim and dim is None:
        return MeanBackward0.apply(input, _cast=dtype)
    return MeanBackward1.apply(input, axes=axes, keepdim=keepdim, _cast=dtype)


class ProdBackward0(Function):
    def forward(self, a, dtype=None):
        out = np.prod(a, dtype=dtype)
        self.saved = (a, out)
        return out

    def backward(self, g):
        a, out = self.saved
        return g * _prod_others(a.reshape(-1), 0, out).reshape(a.shape)


class ProdBackward1(Function):
    def forward(self, a, axis, keepdim, dtype=None):
        out = np.prod(a, axis=axis, keepdims=True, dtype=dtype)
        self.saved = (a, out)
        self.axis, self.keepdim = axis, keepdim
        return out if keepdim else np.squeeze(out, axis)

    def backward(self, g):
        a, out = self.saved
        if not self.keepdim:
            g = np.expand_dims(g, self.axis)
        return g * _prod_others(a, self.axis, out)


def _prod_others(a, axis, out):
    """For each element, the product of the other elements along axis (zeros handled: the
    quotient out / a only works where a != 0)."""
    zeros = (a == 0).sum(axis=axis, keepdims=True)
    with np.errstate(all="ignore"):
        quotient = out / a
    if not zeros.any():
        return quotient
    nonzero_prod = np.prod(np.where(a == 0, 1, a), axis=axis, keepdims=True)
    only_zero_here = np.where(a == 0, nonzero_prod, 0)
    return np.where(zeros == 0, quotient, np.where(zeros == 1, only_zero_here, 0))


def prod(input, dim=None, keepdim=False, *, dtype=None):
    dt = _sum_dtype(input, dtype)
    if dim is None:
        return ProdBackward0.apply(input, dtype=dt.np if dt else None)
    return ProdBackward1.apply(input, axis=wrap_dim(dim, input._data.ndim), keepdim=keepdim,
                               dtype=dt.np if dt else None)


# -- max / min ---------------------------------------------------------------------------

class _ReturnType(tuple):
    """torch.return_types.max(values=..., indices=...)."""

    _name = "max"
    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])

    def __new__(cls, values, indices):
        return tuple.__new__(cls, (values, indices))

    def __repr__(self):
        return (f"torch.return_types.{self._name}(\nvalues={self[0]!r},\n"
                f"indices={self[1]!r})")


def _return_type(name):
    return type(name, (_ReturnType,), {"_name": name})


_RETURN_TYPES = {n: _return_type(n) for n in ("max", "min", "sort", "topk", "mode", "median",
                                               "kthvalue")}


class _EvenlyDistributed(Function):
    """Full max/min: the gradient is shared equally between tied extreme elements."""

    def forward(self, a):
        out = self.reduce(a)
        self.saved = (a, out)
        return out

    def backward(self, g):
        a, out = self.saved
        mask = a == out
        return np.where(mask, g / mask.sum(), 0)


class MaxBackward1(_EvenlyDistributed):
    reduce = staticmethod(np.max)


class MinBackward1(_EvenlyDistributed):
    reduce = staticmethod(np.min)


class _AlongDim(Function):
    """max/min along a dim: the gradient goes to the element each index points at."""

    def forward(self, a, axis, keepdim, indices):
        self.shape, self.axis, self.keepdim, self.indices = a.shape, axis, keepdim, indices
        idx = indices if keepdim else np.expand_dims(indices, axis)
        out = np.take_along_axis(a, idx, axis)
        return out if keepdim else np.squeeze(out, axis)

    def backward(self, g):
        idx = self.indices
        if not self.keepdim:
            idx, g = np.expand_dims(idx, self.axis), np.expand_dims(g, self.axis)
        grad = np.zeros(self.shape, g.dtype)
        np.put_along_axis(grad, idx, g, self.axis)
        return grad


class MaxBackward0(_AlongDim):
    pass


class MinBackward0(_AlongDim):
    pass


def _extreme(name, full_fn, along_fn, argfn, input, dim, keepdim, other):
    if isinstance(dim, Tensor):  # torch.max(a, b) is the elementwise maximum
        other, dim = dim, None
    if other is not None:
        from .pointwise import maximum, minimum
        return (maximum if name == "max" else minimum)(input, other)
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        return full_fn.apply(input)
    axis = wrap_dim(dim, input._data.ndim)
    if input._data.ndim == 0:
        return _RETURN_TYPES[name](input.clone(), _make(np.zeros((), np.int64), input._device))
    idx = argfn(input._data, axis=axis, keepdims=True).astype(np.int64)
    values = along_fn.apply(input, axis=axis, keepdim=keepdim,
                            indices=idx if keepdim else np.squeeze(idx, axis))
    return _RETURN_TYPES[name](values, _make(idx if keepdim else np.squeeze(idx, axis),
                                             input._device))


def max(input, dim=None, keepdim=False, *, other=None):
    return _extreme("max", MaxBackward1, MaxBackward0, np.argmax, input, dim, keepdim, other)


def min(input, dim=None, keepdim=False, *, other=None):
    return _extreme("min", MinBackward1, MinBackward0, np.argmin, input, dim, keepdim, other)


def _arg(fn, input, dim, keepdim):
    if dim is None:
        r = np.asarray(fn(input._data.reshape(-1)), np.int64)
        if keepdim:
            r = r.reshape((1,) * input._data.ndim)
        return _make(r, input._device)
    axis = wrap_dim(dim, input._data.ndim)
    if input._data.ndim == 0:
        return _make(np.zeros((), np.int64), input._device)
    return _make(fn(input._data, axis=axis, keepdims=keepdim).astype(np.int64), input._device)


def argmax(input, dim=None, keepdim=False):
    return _arg(np.argmax, input, dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    return _arg(np.argmin, input, dim, keepdim)


class _AmaxLike(Function):
    def forward(self, a, axes, keepdim):
        out = self.reduce(a, axis=axes, keepdims=True)
        self.saved = (a, out)
        self.axes, self.keepdim = axes, keepdim
        return out if keepdim else np.squeeze(out, axes if axes is not None else None)

    def backward(self, g):
        a, out = self.saved
        if not self.keepdim:
            g = np.expand_dims(g, self.axes) if self.axes is not None else g
        mask = a == out
        return g * mask / mask.sum(axis=self.axes, keepdims=True)  # torch's formula (-0. too)


class AmaxBackward0(_AmaxLike):
    reduce = staticmethod(np.max)


class AminBackward0(_AmaxLike):
    reduce = staticmethod(np.min)


def amax(input, dim=(), keepdim=False):
    return AmaxBackward0.apply(input, axes=_axes(input, dim), keepdim=keepdim)


def amin(input, dim=(), keepdim=False):
    return AminBackward0.apply(input, axes=_axes(input, dim), keepdim=keepdim)


# -- statistics ----------------------------------------------------------------------------

class VarBackward0(Function):
    def forward(self, a, axes, correction, keepdim):
        self.saved = (a,)
        self.axes, self.correction, self.keepdim = axes, correction, keepdim
        with warnings.catch_warnings():  # torch's own warning was given in _stat_args
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.var(a, axis=axes, ddof=correction, keepdims=keepdim)

    def backward(self, g):
        a = self.saved[0]
        n = _count(a, self.axes)
        if self.axes is not None and not self.keepdim:
            g = np.expand_dims(g, self.axes)
        return g * 2 * (a - a.mean(axis=self.axes, keepdims=True)) / (n - self.correction)


class StdBackward0(Function):
    def forward(self, a, axes, correction, keepdim):
        with warnings.catch_warnings():  # torch's own warning was given in _stat_args
            warnings.simplefilter("ignore", RuntimeWarning)
            out = np.std(a, axis=axes, ddof=correction, keepdims=True)
        self.saved = (a, out)
        self.axes, self.correction, self.keepdim = axes, correction, keepdim
        return out if keepdim else (np.squeeze(out, self.axes) if self.axes is not None
                                    else out.reshape(()))

    def backward(self, g):
        a, out = self.saved
        n = _count(a, self.axes)
        if not self.keepdim:
            g = np.expand_dims(g, self.axes) if self.axes is not None else g
        centered = a - a.mean(axis=self.axes, keepdims=True)
        return g * centered / ((n - self.correction) * out)


def _count(a, axes):
    return a.size if axes is None else int(np.prod([a.shape[i] for i in axes]))


def _stat_args(name, input, dim, unbiased, keepdim, correction):
    if isinstance(dim, bool):  # std(True): the legacy positional `unbiased`
        unbiased, dim = dim, None
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    if input._dtype.category != FLOAT:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    axes = _axes(input, dim)
    if _count(input._data, axes) - correction <= 0:
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the reduction factor (input numel divided by output numel). "
                      "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                      "ReduceOps.cpp:1861.)", UserWarning, stacklevel=3)
    return axes, correction, keepdim


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    axes, c, k = _stat_args("var", input, dim, unbiased, keepdim, correction)
    return VarBackward0.apply(input, axes=axes, correction=c, keepdim=k)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    axes, c, k = _stat_args("std", input, dim, unbiased, keepdim, correction)
    return StdBackward0.apply(input, axes=axes, correction=c, keepdim=k)


class LinalgVectorNormBackward0(Function):
    def forward(self, a, p, axes, keepdim):
        self.p, self.axes, self.keepdim = p, axes, keepdim
        if p == 2 and axes is None and not keepdim:  # the common ||x||: one dot product
            flat = a.reshape(-1)
            out = np.sqrt(np.dot(flat, flat))
            self.saved = (a, out)
            return out
        absa = np.abs(a)
        if p == np.inf:
            out = np.max(absa, axis=axes, keepdims=True)
        elif p == -np.inf:
            out = np.min(absa, axis=axes, keepdims=True)
        elif p == 0:
            out = np.sum(absa != 0, axis=axes, keepdims=True).astype(a.dtype)
        elif p == 1:
            out = np.sum(absa, axis=axes, keepdims=True)
        elif p == 2:
            out = np.sqrt(np.sum(a * a, axis=axes, keepdims=True))
        else:
            out = np.sum(absa ** p, axis=axes, keepdims=True) ** (1.0 / p)
        self.saved = (a, out)
        if keepdim:
            return out
        return np.squeeze(out, axes) if axes is not None else out.reshape(())

    def backward(self, g):
        a, out = self.saved
        p = self.p
        if p == 2 and self.axes is None and not self.keepdim:  # torch: a * (grad / norm)
            return a * (g / out) if out != 0 else np.zeros_like(a)
        if not self.keepdim:
            g = np.expand_dims(g, self.axes) if self.axes is not None else g.reshape(
                (1,) * a.ndim)
        if p == 0:
            return np.zeros_like(a)
        if p == 1:
            return g * np.sign(a)
        if p in (np.inf, -np.inf):
            mask = np.abs(a) == out
            return g * np.sign(a) * mask / mask.sum(axis=self.axes, keepdims=True)
        safe = np.where(out == 0, 1, out)
        if p == 2:
            return np.where(out == 0, 0, g * a / safe)
        return np.where(out == 0, 0, g * a * np.abs(a) ** (p - 2) / safe ** (p - 1))


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    if p == "fro" and isinstance(dim, (tuple, list)) and len(dim) > 2:
        raise RuntimeError("linalg.matrix_norm: dim must be a 2-tuple. Got " +
                           " ".join(str(d) for d in dim))
    if p == "fro" or p is None:
        p = 2
    elif p == "nuc":
        raise NotImplementedError("playground.torch does not implement the nuclear norm yet")
    if input._dtype.category != FLOAT:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {dtypes.short_name(input._dtype)}")
    return LinalgVectorNormBackward0.apply(input, p=float(p), axes=_axes(input, dim),
                                           keepdim=keepdim, _cast=dtype)


class LogsumexpBackward0(Function):
    def forward(self, a, axes, keepdim):
        m = np.max(a, axis=axes, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)
        out = np.log(np.sum(np.exp(a - m), axis=axes, keepdims=True)) + m
        self.saved = (a, out)
        self.axes, self.keepdim = axes, keepdim
        return out if keepdim else np.squeeze(out, axes)

    def backward(self, g):
        a, out = self.saved
        if not self.keepdim:
            g = np.expand_dims(g, self.axes)
        return g * np.exp(a - out)


def logsumexp(input, dim, keepdim=False):
    return LogsumexpBackward0.apply(input, axes=dims(dim, input._data.ndim), keepdim=keepdim,
                                    _cast=float_dtype(input._dtype))


class SoftmaxBackward0(Function):
    def forward(self, a, axis):
        e = np.exp(a - np.max(a, axis=axis, keepdims=True))
        out = e / np.sum(e, axis=axis, keepdims=True)
        self.saved = (out,)
        self.axis = axis
        return out

    def backward(self, g):
        out = self.saved[0]
        return out * (g - np.sum(g * out, axis=self.axis, keepdims=True))


class LogSoftmaxBackward0(Function):
    def forward(self, a, axis):
        shifted = a - np.max(a, axis=axis, keepdims=True)
        out = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
        self.saved = (out,)
        self.axis = axis
        return out

    def backward(self, g):
        out = self.saved[0]
        return g - np.exp(out) * np.sum(g, axis=self.axis, keepdims=True)


def _softmax_dim(input, dim, name):
    if dim is None:
        import warnings
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                      "to include dim=X as an argument.", UserWarning, stacklevel=3)
        dim = 0 if input._data.ndim in (0, 1, 3) else 1
    return wrap_dim(dim, input._data.ndim)


def softmax(input, dim=None, dtype=None):
    axis = _softmax_dim(input, dim, "softmax")
    return SoftmaxBackward0.apply(input, axis=axis, _cast=dtype or float_dtype(input._dtype))


def log_softmax(input, dim=None, dtype=None):
    axis = _softmax_dim(input, dim, "log_softmax")
    return LogSoftmaxBackward0.apply(input, axis=axis, _cast=dtype or float_dtype(input._dtype))


class CumsumBackward0(Function):
    def forward(self, a, axis):
        self.axis = axis
        return np.cumsum(a, axis=axis)

    def backward(self, g):
        return np.flip(np.cumsum(np.flip(g, self.axis), axis=self.axis), self.axis)


def cumsum(input, dim, *, dtype=None):
    dt = _sum_dtype(input, dtype)
    return CumsumBackward0.apply(input, axis=wrap_dim(dim, input._data.ndim), _cast=dt)


def all(input, dim=None, keepdim=False):
    axes = _axes(input, dim)
    return _make(np.all(input._data, axis=axes, keepdims=keepdim), input._device)


def any(input, dim=None, keepdim=False):
    axes = _axes(input, dim)
    return _make(np.any(input._data, axis=axes, keepdims=keepdim), input._device)


def count_nonzero(input, dim=None):
    axes = _axes(input, dim)
    return _make(np.asarray(np.count_nonzero(input._data, axis=axes), np.int64), input._device)


SortResult = collections.namedtuple("SortResult", "values indices")

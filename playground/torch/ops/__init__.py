"""All ops, grouped by kind; `bind_methods` makes them Tensor methods and operators."""
import numpy as np

from . import convert, index, inplace, linalg, pointwise, reduce, shape
from .common import operand, promote
from .inplace import binary_inplace, run_inplace

# functions that are also Tensor methods under the same name (input is `self`)
METHODS = {
    pointwise: "add sub mul div floor_divide remainder pow maximum minimum neg abs sign exp expm1 "
               "log log2 log10 log1p sqrt rsqrt reciprocal square sin cos tan tanh sigmoid relu "
               "floor ceil trunc round clamp clamp_min clamp_max eq ne lt le gt ge "
               "bitwise_and bitwise_or bitwise_xor bitwise_not logical_and logical_or "
               "logical_xor logical_not isnan isinf isfinite isclose allclose equal where "
               "masked_fill",
    reduce: "sum mean prod max min argmax argmin amax amin var std norm logsumexp softmax "
            "log_softmax cumsum all any count_nonzero",
    shape: "view view_as reshape reshape_as flatten unflatten squeeze unsqueeze t transpose "
           "swapaxes swapdims permute expand expand_as narrow select clone contiguous repeat "
           "flip tril triu unbind split chunk",
    linalg: "mm mv dot bmm matmul outer addmm",
    index: "nonzero index_select gather masked_select",
    inplace: "copy_ fill_ zero_",
}
ALIASES = {"multiply": "mul", "subtract": "sub", "divide": "div", "true_divide": "div",
           "clip": "clamp", "negative": "neg", "absolute": "abs", "greater": "gt",
           "greater_equal": "ge", "less": "lt", "less_equal": "le", "not_equal": "ne",
           }

_P = pointwise

# in-place twins of out-of-place ops: name_ -> (Function, takes an operand?)
_BINARY_INPLACE = {"add_": _P.AddBackward0, "sub_": _P.SubBackward0, "mul_": _P.MulBackward0,
                   "div_": _P.DivBackward0}
_UNARY_INPLACE = {"neg_": _P.NegBackward0, "abs_": _P.AbsBackward0, "exp_": _P.ExpBackward0,
                  "log_": _P.LogBackward0, "sqrt_": _P.SqrtBackward0,
                  "sigmoid_": _P.SigmoidBackward0, "tanh_": _P.TanhBackward0,
                  "relu_": _P.ReluBackward0, "floor_": _P.FloorBackward0,
                  "ceil_": _P.CeilBackward0, "round_": _P.RoundBackward0,
                  "sin_": _P.SinBackward0, "cos_": _P.CosBackward0,
                  "reciprocal_": _P.ReciprocalBackward0, "sign_": _P.SignBackward0,
                  "trunc_": _P.TruncBackward0}


def _binary_method(cls):
    floats = cls is _P.DivBackward0  # true division: integers compute (and so store) floats

    def method(self, other, *, alpha=1):
        if alpha != 1:
            return binary_inplace(self, cls, other, floats=floats, alpha=alpha)
        return binary_inplace(self, cls, other, floats=floats)
    return method


def _unary_method(cls):
    from .. import dtypes
    exact = cls in (_P.NegBackward0, _P.AbsBackward0, _P.SignBackward0, _P.ReluBackward0,
                    _P.FloorBackward0, _P.CeilBackward0, _P.RoundBackward0, _P.TruncBackward0)

    def method(self):
        if not exact and self._dtype.category != dtypes.FLOAT:
            raise RuntimeError(f"result type Float can't be cast to the desired output type "
                               f"{dtypes.short_name(self._dtype)}")
        return run_inplace(self, cls)
    return method


def pow_(self, exponent):
    from .. import dtypes
    exponent = operand(exponent)
    if hasattr(exponent, "_data"):
        return binary_inplace(self, _P.PowBackward1, exponent)
    dt = promote(self, exponent)
    if not dtypes.can_cast(dt, self._dtype):
        raise RuntimeError(f"result type {dtypes.short_name(dt)} can't be cast to the desired "
                           f"output type {dtypes.short_name(self._dtype)}")
    return run_inplace(self, _P.PowBackward0, exponent=exponent, _cast=dt)


def clamp_(self, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return run_inplace(self, _P.ClampBackward1, min=min, max=max)


def masked_fill_(self, mask, value):
    value = value.item() if hasattr(value, "_data") else value
    return run_inplace(self, _P.MaskedFillBackward0, mask=mask._data, value=value)


def _metadata_inplace(op):
    """t_(), transpose_(), squeeze_(), unsqueeze_(): self takes the shape of op(self)."""
    def method(self, *args):
        inplace.check_inplace(self)
        out = op(self, *args)
        self._data = out._data
        if out._grad_fn is not None:
            self._grad_fn, self._nr = out._grad_fn, 0
        self._vc[0] += 1
        return self
    return method


_NUMBERS = {int, float, bool}
_OPERAND_TYPES = ()  # set by bind_methods (Tensor is defined after this module is imported)


def _operator(fn):
    """An operator method: NotImplemented (so Python raises its usual TypeError naming both
    types) unless the other operand is a tensor, a number or a numpy value."""
    def op(self, other):
        if other.__class__ in _NUMBERS or isinstance(other, _OPERAND_TYPES):
            return fn(self, other)
        return NotImplemented
    op.__name__ = getattr(fn, "__name__", "op")
    return op


def _eq(self, other):
    if other is None or isinstance(other, str):
        return False  # torch: a tensor never equals None
    return pointwise.eq(self, other)


def _ne(self, other):
    if other is None or isinstance(other, str):
        return True
    return pointwise.ne(self, other)


def bind_methods(Tensor):
    global _OPERAND_TYPES
    _OPERAND_TYPES = (Tensor, int, float, np.generic, np.ndarray)
    for module, names in METHODS.items():
        for name in names.split():
            setattr(Tensor, name, getattr(module, name))
    for alias, name in ALIASES.items():
        if name is not None and hasattr(Tensor, name):
            setattr(Tensor, alias, getattr(Tensor, name))
    for name, cls in _BINARY_INPLACE.items():
        setattr(Tensor, name, _binary_method(cls))
    for name, cls in _UNARY_INPLACE.items():
        setattr(Tensor, name, _unary_method(cls))
    Tensor.multiply_ = Tensor.mul_
    Tensor.subtract_ = Tensor.sub_
    Tensor.true_divide_ = Tensor.div_
    Tensor.pow_ = pow_
    Tensor.clamp_ = clamp_
    Tensor.clip_ = clamp_
    Tensor.masked_fill_ = masked_fill_
    Tensor.where = pointwise.where_method
    Tensor.t_ = _metadata_inplace(shape.t)
    Tensor.transpose_ = _metadata_inplace(shape.transpose)
    Tensor.squeeze_ = shape.squeeze_
    Tensor.unsqueeze_ = _metadata_inplace(shape.unsqueeze)
    Tensor.T = property(shape.reversed_dims)
    Tensor.mT = property(shape.matrix_transpose)
    Tensor.to = convert.to
    Tensor.__getitem__ = index.getitem
    Tensor.__setitem__ = index.setitem

    # operators: Python's own TypeError for operands that are no numbers or tensors
    Tensor.__add__ = Tensor.__radd__ = _operator(pointwise.add)
    Tensor.__sub__ = _operator(pointwise.sub)
    Tensor.__rsub__ = _operator(pointwise.rsub)
    Tensor.__mul__ = Tensor.__rmul__ = _operator(pointwise.mul)
    Tensor.__truediv__ = _operator(pointwise.div)
    Tensor.__rtruediv__ = _operator(pointwise.rdiv)
    Tensor.__floordiv__ = _operator(pointwise.floor_divide)
    Tensor.__rfloordiv__ = _operator(lambda self, other: pointwise.floor_divide(
        _as_tensor(other, self), self))
    Tensor.__mod__ = _operator(pointwise.remainder)
    Tensor.__rmod__ = _operator(lambda self, other: pointwise.remainder(
        _as_tensor(other, self), self))
    Tensor.__pow__ = _operator(pointwise.pow)
    Tensor.__rpow__ = _operator(pointwise.rpow)
    Tensor.__matmul__ = _operator(linalg.matmul)
    Tensor.__rmatmul__ = _operator(lambda self, other: linalg.matmul(other, self))
    Tensor.__neg__ = pointwise.neg
    Tensor.__pos__ = lambda self: self
    Tensor.__abs__ = pointwise.abs
    Tensor.__invert__ = pointwise.invert
    Tensor.__and__ = Tensor.__rand__ = _operator(pointwise.bitwise_and)
    Tensor.__or__ = Tensor.__ror__ = _operator(pointwise.bitwise_or)
    Tensor.__xor__ = Tensor.__rxor__ = _operator(pointwise.bitwise_xor)
    Tensor.__eq__ = _eq
    Tensor.__ne__ = _ne
    Tensor.__lt__ = _operator(pointwise.lt)
    Tensor.__le__ = _operator(pointwise.le)
    Tensor.__gt__ = _operator(pointwise.gt)
    Tensor.__ge__ = _operator(pointwise.ge)
    Tensor.__iadd__ = Tensor.add_
    Tensor.__isub__ = Tensor.sub_
    Tensor.__imul__ = Tensor.mul_
    Tensor.__itruediv__ = Tensor.div_
    Tensor.__ipow__ = pow_


def _as_tensor(x, like):
    from ..tensor import _make
    return _make(np.asarray(x, dtype=promote(like, operand(x)).np), like._device)

"""Elementwise ops: one Function per primitive, each backward one formula (derivatives.yaml).

Class names are torch's grad_fn names, so `y.grad_fn` prints as in torch. Gradients that come
out broadcast are reduced by the engine, not here.
"""
import numpy as np

from .. import dtypes
from ..function import Function, NotDifferentiable
from ..tensor import Tensor, _make
from .common import (FLOAT, broadcast_shapes, check_broadcast, device_of, float_dtype,
                     operand, promote, scalar)

# -- binary arithmetic ---------------------------------------------------------------------


class AddBackward0(Function):
    def forward(self, a, b, alpha=1):
        self.alpha = alpha
        return a + b if alpha == 1 else a + alpha * b

    def backward(self, g):
        return g, (g if self.alpha == 1 else g * self.alpha)


class SubBackward0(Function):
    def forward(self, a, b, alpha=1):
        self.alpha = alpha
        return a - b if alpha == 1 else a - alpha * b

    def backward(self, g):
        if not self.needs(1):  # x - constant: no pass for the constant's gradient
            return g, None
        return g, -g if self.alpha == 1 else -self.alpha * g


class RsubBackward1(Function):
    """other - self, for `2 - x` (torch records only the tensor)."""

    def forward(self, a, other, alpha=1):
        self.alpha = alpha
        return other - a if alpha == 1 else other - alpha * a

    def backward(self, g):
        return -g if self.alpha == 1 else -self.alpha * g


class MulBackward0(Function):
    def forward(self, a, b):
        # each factor is kept only if the other one's gradient needs it (as torch does)
        self.saved = (a if self.needs(1) else None, b if self.needs(0) else None)
        return a * b

    def backward(self, g):
        a, b = self.saved
        return g * b if self.needs(0) else None, g * a if self.needs(1) else None


class DivBackward0(Function):
    def forward(self, a, b):
        self.saved = (a if self.needs(1) else None, b)
        return a / b

    def backward(self, g):
        a, b = self.saved
        return g / b if self.needs(0) else None, -g * a / (b * b) if self.needs(1) else None


class PowBackward0(Function):
    """tensor ** number"""

    def forward(self, a, exponent):
        self.saved = (a,)
        self.exponent = exponent
        return a ** exponent

    def backward(self, g):
        (a,), p = self.saved, self.exponent
        # torch's grad * (p * a ** (p - 1)); for p = 2 the factor 2 * a is a + a, exactly
        return np.zeros_like(g) if p == 0 else g * (a + a) if p == 2 else g * p * a ** (p - 1)


class PowBackward1(Function):
    """tensor ** tensor"""

    def forward(self, a, b):
        out = a ** b
        self.saved = (a, b, out)
        return out

    def backward(self, g):
        a, b, out = self.saved
        # torch masks the 0 ** 0 case (b == 0) to a zero gradient for the base
        return (np.where(b == 0, 0, g * b * a ** (b - 1)),
                np.where((a == 0) & (b >= 0), 0, g * out * np.log(a)))


class PowBackward2(Function):
    """number ** tensor"""

    def forward(self, b, base):
        out = base ** b
        self.saved = (out,)
        self.base = base
        return out

    def backward(self, g):
        (out,) = self.saved
        return g * out * np.log(self.base) if self.base != 0 else np.zeros_like(g)


class MaximumBackward0(Function):
    def forward(self, a, b):
        self.saved = (a, b)
        return np.maximum(a, b)

    def backward(self, g):
        a, b = self.saved
        return (np.where(a == b, g / 2, np.where(a > b, g, 0)),
                np.where(a == b, g / 2, np.where(b > a, g, 0)))


class MinimumBackward0(Function):
    def forward(self, a, b):
        self.saved = (a, b)
        return np.minimum(a, b)

    def backward(self, g):
        a, b = self.saved
        return (np.where(a == b, g / 2, np.where(a < b, g, 0)),
                np.where(a == b, g / 2, np.where(b < a, g, 0)))


class RemainderBackward0(Function):
    """tensor % number (Python's sign convention, like torch.remainder)"""

    def forward(self, a, other):
        _no_integer_zero_division(a, other)
        return np.remainder(a, other)

    def backward(self, g):
        return g


class RemainderBackward1(Function):
    def forward(self, a, b):
        _no_integer_zero_division(a, b)
        self.saved = (a, b)
        return np.remainder(a, b)

    def backward(self, g):
        a, b = self.saved
        return g, -g * np.floor_divide(a, b)


class FloorDivide(NotDifferentiable):
    op = "floor_divide"

    def forward(self, a, b):
        _no_integer_zero_division(a, b)
        return np.floor_divide(a, b)


def _no_integer_zero_division(a, b):
    """numpy quietly gives 0 for an integer x // 0 or x % 0; torch raises."""
    if np.asarray(a).dtype.kind in "iub" and np.any(np.asarray(b) == 0):
        raise RuntimeError("ZeroDivisionError")


def _binary(cls, a, b, floats=False, **params):
    """Run an elementwise binary Function with torch's promotion, device and shape rules.

    floats: integer inputs compute in the default float dtype (true division).
    The two common cases (tensor op tensor of one dtype, float tensor op Python number) take
    the short path; everything else goes through the general rules.
    """
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            dt = a._dtype if a._dtype is b._dtype else dtypes.result_type(a, b)
            if a._device is not b._device:
                device_of(a, b)
            if a._data.shape != b._data.shape:
                broadcast_shapes(a._data.shape, b._data.shape)
        elif type(b) is float or type(b) is int:
            dt = a._dtype
            if dt.category != FLOAT and (type(b) is float or dt is dtypes.bool_):
                dt = dtypes.result_type(a, b)
        else:  # bools, numpy scalars and arrays, or something that is no operand at all
            b = operand(b)
            dt = promote(a, b)
            check_broadcast(a, b)
            if isinstance(b, Tensor) and a._device is not b._device:
                device_of(a, b)
    else:
        a, b = operand(a, "input"), operand(b)
        dt = promote(a, b)
        if not isinstance(a, Tensor):  # number op number: compute as 0-dim tensors
            a = _make(np.asarray(a, dtype=dt.np))
        check_broadcast(a, b)
    if floats and dt.category != FLOAT:
        dt = dtypes.get_default_dtype()
    if params:
        return cls.apply(a, b, _cast=dt, **params)
    return cls.apply(a, b, _cast=dt)  # no ** unpacking: the common call stays a plain one


def add(input, other, *, alpha=1, out=None):
    if out is not None:
        _no_out(out)
    if alpha != 1:
        return _binary(AddBackward0, input, other, alpha=alpha)
    return _binary(AddBackward0, input, other)


def sub(input, other, *, alpha=1, out=None):
    if out is not None:
        _no_out(out)
    if isinstance(input, Tensor) and input._dtype is dtypes.bool_ or \
            isinstance(other, Tensor) and other._dtype is dtypes.bool_:
        _refuse_bool_sub(input, other)
    if alpha != 1:
        return _binary(SubBackward0, input, other, alpha=alpha)
    return _binary(SubBackward0, input, other)


def _refuse_bool_sub(input, other):
    """torch's errors for a bool tensor in a subtraction (one of the operands is one)."""
    a_bool = isinstance(input, Tensor) and input._dtype is dtypes.bool_
    b_bool = isinstance(other, Tensor) and other._dtype is dtypes.bool_ or \
        (a_bool and isinstance(other, (bool, np.bool_)))
    if a_bool and b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                       "If you are trying to invert a mask, use the `~` or `logical_not()` "
                       "operator instead.")


def rsub(input, other, *, alpha=1):
    """other - input (what `2 - x` calls)."""
    other = scalar(other)
    if isinstance(other, Tensor):
        return sub(other, input, alpha=alpha)
    dt = promote(input, other)
    return RsubBackward1.apply(input, other=other, alpha=alpha, _cast=dt)


def mul(input, other, *, out=None):
    if out is not None:
        _no_out(out)
    return _binary(MulBackward0, input, other)


def div(input, other, *, rounding_mode=None, out=None):
    if out is not None:
        _no_out(out)
    if rounding_mode is None:
        return _binary(DivBackward0, input, other, floats=True)
    if rounding_mode == "floor":
        return floor_divide(input, other)
    if rounding_mode == "trunc":
        return div(input, other).trunc() if _is_float(input, other) else \
            _int_trunc_div(input, other)
    raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                       f"but found '{rounding_mode}'")


def _is_float(a, b):
    return promote(operand(a), operand(b)).category == FLOAT


def _int_trunc_div(a, b):
    a, b = operand(a), operand(b)
    dt = promote(a, b)
    av = a._data if isinstance(a, Tensor) else a
    bv = b._data if isinstance(b, Tensor) else b
    return _make((np.trunc(np.divide(av, bv))).astype(dt.np), a._device)


def rdiv(input, other):
    """other / input: torch computes input.reciprocal() * other."""
    return mul(reciprocal(input), other)


def floor_divide(input, other, *, out=None):
    _no_out(out)
    return _binary(FloorDivide, input, other)


def remainder(input, other, *, out=None):
    _no_out(out)
    other = operand(other)
    if isinstance(other, Tensor):
        return _binary(RemainderBackward1, input, other)
    dt = promote(input, other)
    return RemainderBackward0.apply(input, other=other, _cast=dt)


def pow(input, exponent, *, out=None):
    if out is not None:
        _no_out(out)
    if isinstance(input, Tensor) and type(exponent) in (int, float) and \
            input._dtype.category == FLOAT:  # the common case: float tensor ** number
        return PowBackward0.apply(input, exponent=exponent)
    if not isinstance(input, Tensor):  # number ** tensor
        exponent = operand(exponent)
        base = scalar(input)
        dt = promote(exponent, base)
        if exponent._dtype.category != FLOAT and dt.category != FLOAT:
            return _make(_int_power(np.asarray(base, dt.np), exponent._data.astype(dt.np)),
                         exponent._device)
        return PowBackward2.apply(exponent, base=base, _cast=dt)
    exponent = operand(exponent)
    if isinstance(exponent, Tensor):
        return _binary(PowBackward1, input, exponent)
    dt = promote(input, exponent)
    if dt.category != FLOAT and isinstance(exponent, int) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return PowBackward0.apply(input, exponent=exponent, _cast=dt)


def _int_power(base, exp):
    """Integer powers as torch computes them: a negative exponent gives 0, except for bases 1
    and -1 (numpy refuses negative integer exponents)."""
    out = np.power(base, np.maximum(exp, 0))
    if np.any(exp < 0):
        odd = exp % 2 == 1
        small = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
        out = np.where(exp < 0, small, out).astype(out.dtype)
    return out


def rpow(input, other):
    return pow(other, input)


def maximum(input, other, *, out=None):
    _no_out(out)
    return _binary(MaximumBackward0, input, _need_tensor(other, "maximum"))


def minimum(input, other, *, out=None):
    _no_out(out)
    return _binary(MinimumBackward0, input, _need_tensor(other, "minimum"))


def _need_tensor(x, op):
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(x).__name__}")
    return x


def _no_out(out):
    if out is not None:
        raise NotImplementedError("playground.torch does not implement the out= argument yet; "
                                  "assign the result instead (y = torch.add(a, b))")

# -- unary ---------------------------------------------------------------------------------


class NegBackward0(Function):
    def forward(self, a):
        return -a

    def backward(self, g):
        return -g


class AbsBackward0(Function):
    def forward(self, a):
        self.saved = (a,)
        return np.abs(a)

    def backward(self, g):
        return g * np.sign(self.saved[0])


class SignBackward0(Function):
    def forward(self, a):
        return np.sign(a)

    def backward(self, g):
        return np.zeros_like(g)


class ExpBackward0(Function):
    def forward(self, a):
        out = np.exp(a)
        self.saved = (out,)
        return out

    def backward(self, g):
        return g * self.saved[0]


class Expm1Backward0(Function):
    def forward(self, a):
        out = np.expm1(a)
        self.saved = (out,)
        return out

    def backward(self, g):
        return g * (self.saved[0] + 1)


class LogBackward0(Function):
    def forward(self, a):
        self.saved = (a,)
        return np.log(a)

    def backward(self, g):
        return g / self.saved[0]


class Log2Backward0(Function):
    def forward(self, a):
        self.saved = (a,)
        return np.log2(a)

    def backward(self, g):
        return g / (self.saved[0] * np.log(2.0))


class Log10Backward0(Function):
    def forward(self, a):
        self.saved = (a,)
        return np.log10(a)

    def backward(self, g):
        return g / (self.saved[0] * np.log(10.0))


class Log1PBackward0(Function):
    def forward(self, a):
        self.saved = (a,)
        return np.log1p(a)

    def backward(self, g):
        return g / (self.saved[0] + 1)


class SqrtBackward0(Function):
    def forward(self, a):
        out = np.sqrt(a)
        self.saved = (out,)
        return out

    def backward(self, g):
        return g / (2 * self.saved[0])


class RsqrtBackward0(Function):
    def forward(self, a):
        out = 1 / np.sqrt(a)
        self.saved = (out,)
        return out

    def backward(self, g):
        return -0.5 * g * self.saved[0] ** 3


class ReciprocalBackward0(Function):
    def forward(self, a):
        out = 1 / a
        self.saved = (out,)
        return out

    def backward(self, g):
        out = self.saved[0]
        return -g * out * out


class SinBackward0(Function):
    def forward(self, a):
        self.saved = (a,)
        return np.sin(a)

    def backward(self, g):
        return g * np.cos(self.saved[0])


class CosBackward0(Function):
    def forward(self, a):
        self.saved = (a,)
        return np.cos(a)

    def backward(self, g):
        return -g * np.sin(self.saved[0])


class TanBackward0(Function):
    def forward(self, a):
        out = np.tan(a)
        self.saved = (out,)
        return out

    def backward(self, g):
        return g * (1 + self.saved[0] ** 2)


class TanhBackward0(Function):
    def forward(self, a):
        out = np.tanh(a)
        self.saved = (out,)
        return out

    def backward(self, g):
        out = self.saved[0]
        if out.ndim == 0 or g.shape != out.shape or g.dtype != out.dtype:
            return g * (1 - out * out)
        d = out * out  # the same formula, computed in one scratch array
        np.subtract(1, d, out=d)
        return np.multiply(g, d, out=d)


class SigmoidBackward0(Function):
    def forward(self, a):
        # torch's formula: exp(-a) overflows to inf for very negative a and 1/inf is exactly 0
        out = 1 / (1 + np.exp(-a))
        self.saved = (out,)
        return out

    def backward(self, g):
        out = self.saved[0]
        return g * out * (1 - out)


class ReluBackward0(Function):
    def forward(self, a):
        if a.dtype == np.bool_:  # relu(), relu_(), F.relu and nn.ReLU all come here
            raise RuntimeError("Boolean inputs not supported for relu")
        # against an array of zeros, even a fresh one: numpy's maximum with a scalar 0 takes
        # the slow path, 2-3x the time (measured 8.4 against 2.8 µs for 8192 float32, 705
        # against 350 µs for 2**20). Zeros first: where the two compare equal numpy's maximum
        # returns its second operand, so relu(-0.) is -0. as in torch (float32/64)
        out = np.maximum(np.zeros(a.shape, a.dtype), a)
        self.saved = (out,)
        return out

    def backward(self, g):
        # g * mask is -0. where g < 0 and the mask is off; + 0. makes it 0., as torch has it
        # (in place: the product is a fresh array, and a second temporary costs a pass)
        out = g * (self.saved[0] > 0)
        out += 0.0
        return out


class LeakyReluBackward0(Function):
    def forward(self, a, negative_slope=0.01):
        self.saved = (a,)
        self.slope = negative_slope
        return np.where(a > 0, a, a * negative_slope)

    def backward(self, g):
        return np.where(self.saved[0] > 0, g, g * self.slope)


class RoundBackward0(Function):
    def forward(self, a, decimals=0):
        return np.round(a, decimals)

    def backward(self, g):
        return np.zeros_like(g)


class FloorBackward0(Function):
    def forward(self, a):
        return np.floor(a)

    def backward(self, g):
        return np.zeros_like(g)


class CeilBackward0(Function):
    def forward(self, a):
        return np.ceil(a)

    def backward(self, g):
        return np.zeros_like(g)


class TruncBackward0(Function):
    def forward(self, a):
        return np.trunc(a)

    def backward(self, g):
        return np.zeros_like(g)


class ClampBackward1(Function):
    """clamp with number bounds"""

    def forward(self, a, min=None, max=None):
        self.saved = (a,)
        self.lo, self.hi = min, max
        return np.clip(a, min, max)

    def backward(self, g):
        a, lo, hi = self.saved[0], self.lo, self.hi
        keep = np.ones(a.shape, bool)
        if lo is not None:
            keep &= a >= lo
        if hi is not None:
            keep &= a <= hi
        return np.where(keep, g, 0)


class ClampBackward0(Function):
    """clamp with tensor bounds"""

    def forward(self, a, lo, hi):
        self.saved = (a, lo, hi)
        out = a
        if lo is not None:
            out = np.maximum(out, lo)
        if hi is not None:
            out = np.minimum(out, hi)
        return out

    def backward(self, g):
        a, lo, hi = self.saved
        below = a < lo if lo is not None else np.zeros(a.shape, bool)
        above = a > hi if hi is not None else np.zeros(a.shape, bool)
        return (np.where(below | above, 0, g), np.where(below, g, 0), np.where(above, g, 0))


def _unary(cls, x, floats=True, **params):
    """Run a one-input Function; float-only ops compute integer inputs in the default float."""
    x = _tensor_arg(x)
    dt = float_dtype(x._dtype) if floats else None
    if params:
        return cls.apply(x, _cast=dt, **params)
    return cls.apply(x, _cast=dt)


def _tensor_arg(x):
    if isinstance(x, Tensor):
        return x
    raise TypeError(f"expected Tensor as argument 0, but got {type(x).__name__}")


def neg(input):
    if input._dtype is dtypes.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you "
                           "are trying to invert a mask, use the `~` or `logical_not()` operator "
                           "instead.")
    return _unary(NegBackward0, input, floats=False)


def abs(input):
    return _unary(AbsBackward0, input, floats=False)


def sign(input):
    return _unary(SignBackward0, input, floats=False)


def exp(input):
    return _unary(ExpBackward0, input)


def expm1(input):
    return _unary(Expm1Backward0, input)


def log(input):
    return _unary(LogBackward0, input)


def log2(input):
    return _unary(Log2Backward0, input)


def log10(input):
    return _unary(Log10Backward0, input)


def log1p(input):
    return _unary(Log1PBackward0, input)


def sqrt(input):
    return _unary(SqrtBackward0, input)


def rsqrt(input):
    return _unary(RsqrtBackward0, input)


def reciprocal(input):
    return _unary(ReciprocalBackward0, input)


def square(input):
    return pow(input, 2)


def sin(input):
    return _unary(SinBackward0, input)


def cos(input):
    return _unary(CosBackward0, input)


def tan(input):
    return _unary(TanBackward0, input)


def tanh(input):
    return _unary(TanhBackward0, input)


def sigmoid(input):
    return _unary(SigmoidBackward0, input)


def relu(input):
    return _unary(ReluBackward0, input, floats=False)


def leaky_relu(input, negative_slope=0.01):
    return _unary(LeakyReluBackward0, input, negative_slope=negative_slope)


def floor(input):
    return _unary(FloorBackward0, input, floats=False)


def ceil(input):
    return _unary(CeilBackward0, input, floats=False)


def trunc(input):
    return _unary(TruncBackward0, input, floats=False)


def round(input, *, decimals=0):
    return _unary(RoundBackward0, input, floats=False, decimals=decimals)


def clamp(input, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        lo = operand(min) if min is not None else None
        hi = operand(max) if max is not None else None
        dt = input._dtype
        for bound in (lo, hi):
            if bound is not None:
                dt = dtypes.promote_types(dt, bound._dtype if isinstance(bound, Tensor)
                                          else dtypes.scalar_dtype(bound))
        return ClampBackward0.apply(input, lo, hi, _cast=dt)
    min, max = scalar(min), scalar(max)
    dt = input._dtype
    for bound in (min, max):
        if bound is not None:
            dt = promote(input, bound) if dt is input._dtype else dt
    return ClampBackward1.apply(input, min=min, max=max, _cast=dt)


def clamp_min(input, min):
    return clamp(input, min=min)


def clamp_max(input, max):
    return clamp(input, max=max)


# -- comparisons and logic: no gradients ---------------------------------------------------

def _compare(ufunc, a, b):
    a, b = operand(a, "input"), operand(b)
    dt = promote(a, b)
    dev = device_of(a, b)
    check_broadcast(a, b)
    av = a._data if isinstance(a, Tensor) else a
    bv = b._data if isinstance(b, Tensor) else b
    if isinstance(a, Tensor) and a._dtype is not dt:
        av = av.astype(dt.np)
    if isinstance(b, Tensor) and b._dtype is not dt:
        bv = bv.astype(dt.np)
    return _make(ufunc(av, bv), dev)


def eq(input, other):
    return _compare(np.equal, input, other)


def ne(input, other):
    return _compare(np.not_equal, input, other)


def lt(input, other):
    return _compare(np.less, input, other)


def le(input, other):
    return _compare(np.less_equal, input, other)


def gt(input, other):
    return _compare(np.greater, input, other)


def ge(input, other):
    return _compare(np.greater_equal, input, other)


def _bitwise(ufunc, name, a, b):
    a, b = operand(a, "input"), operand(b)
    dt = promote(a, b)
    if dt.category == FLOAT:
        raise NotImplementedError(f'"{name}_cpu" not implemented for '
                                  f"'{dtypes.short_name(dt)}'")
    return _compare(ufunc, a, b)


def bitwise_and(input, other):
    return _bitwise(np.bitwise_and, "bitwise_and", input, other)


def bitwise_or(input, other):
    return _bitwise(np.bitwise_or, "bitwise_or", input, other)


def bitwise_xor(input, other):
    return _bitwise(np.bitwise_xor, "bitwise_xor", input, other)


def bitwise_not(input):
    if input._dtype.category == FLOAT:
        raise NotImplementedError(f'"bitwise_not_cpu" not implemented for '
                                  f"'{dtypes.short_name(input._dtype)}'")
    return _make(np.invert(input._data), input._device)


def invert(input):
    """~x: Python's operator, with torch's TypeError for floats."""
    if input._dtype.category == FLOAT:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return bitwise_not(input)


def logical_and(input, other):
    return _compare(np.logical_and, input, other)


def logical_or(input, other):
    return _compare(np.logical_or, input, other)


def logical_xor(input, other):
    return _compare(np.logical_xor, input, other)


def logical_not(input):
    return _make(np.logical_not(input._data), input._device)


def isnan(input):
    return _make(np.isnan(input._data), input._device)


def isinf(input):
    return _make(np.isinf(input._data), input._device)


def isfinite(input):
    return _make(np.isfinite(input._data), input._device)


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = input, operand(other)
    if isinstance(b, Tensor) and a._dtype is not b._dtype:
        raise RuntimeError(f"{dtypes.short_name(a._dtype)} did not match "
                           f"{dtypes.short_name(b._dtype)}")
    bv = b._data if isinstance(b, Tensor) else b
    # as torch computes it: `a == b`, then the tolerance test or-ed in place (version 1)
    out = _make(a._data == bv, a._device)
    out._data |= np.isclose(a._data, bv, rtol=rtol, atol=atol, equal_nan=equal_nan)
    out._vc[0] += 1
    return out


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other):
    return input._data.shape == other._data.shape and bool(np.array_equal(input._data,
                                                                           other._data))


# -- where and masked_fill -----------------------------------------------------------------

class WhereBackward0(Function):
    def forward(self, a, b, condition):
        self.saved = (condition,)
        return np.where(condition, a, b)

    def backward(self, g):
        c = self.saved[0]
        return np.where(c, g, 0), np.where(c, 0, g)


class MaskedFillBackward0(Function):
    def forward(self, a, mask, value):
        self.saved = (mask,)
        return np.where(mask, value, a)

    def backward(self, g):
        return np.where(self.saved[0], 0, g)


def where(condition, input=None, other=None):
    if input is None and other is None:
        from .index import nonzero
        return nonzero(condition, as_tuple=True)
    if condition._dtype is not dtypes.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {dtypes.short_name(condition._dtype)}")
    a, b = operand(input, "input"), operand(other)
    dt = promote(a, b)
    shapes = [condition._data.shape] + [x._data.shape for x in (a, b) if isinstance(x, Tensor)]
    broadcast_shapes(*shapes)
    for x in (a, b):
        if isinstance(x, Tensor) and x._device is not condition._device and x._data.ndim:
            device_of(condition, x)
    if not isinstance(a, Tensor):
        a = _make(np.asarray(a, dtype=dt.np))
    return WhereBackward0.apply(a, b, condition=condition._data, _cast=dt)


def where_method(self, condition, other):
    """x.where(condition, y) is torch.where(condition, x, y)."""
    return where(condition, self, other)


def masked_fill(input, mask, value):
    if mask._dtype is not dtypes.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{dtypes.short_name(mask._dtype).lower()}")
    value = value.item() if isinstance(value, Tensor) else scalar(value)
    return MaskedFillBackward0.apply(input, mask=mask._data, value=value)

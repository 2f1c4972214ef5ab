"""playground.torch: a numpy-backed engine with torch's API for the first PyTorch lessons.

`import playground.torch as torch`, or `playground.install_as_torch()` and then `import torch`.
Anything the first lessons do not need fails loudly, naming what is missing.
"""
import builtins as _builtins

import numpy as _np

# torch never warns on overflow, division by zero or nan; numpy would, on every lesson that
# diverges, so the engine switches numpy's floating-point warnings off for the process
_np.seterr(all="ignore")

from .tensor import Size, Tensor  # noqa: E402  (tensor first: the ops import it)
from . import dtypes as _dtypes  # noqa: E402
from .dtypes import (bool_ as bool, can_cast, dtype, finfo, float16, float32,  # noqa: E402
                     float64, get_default_dtype, iinfo, int8, int16, int32, int64, promote_types,
                     set_default_dtype, uint8)
from .device import device  # noqa: E402
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,  # noqa: E402
                        set_grad_enabled)
from .printing import set_printoptions  # noqa: E402
from .creation import (arange, as_tensor, asarray, empty, empty_like, eye,  # noqa: E402
                       from_numpy, full, full_like, linspace, logspace, ones, ones_like, tensor,
                       zeros, zeros_like, LEGACY_TYPES as _LEGACY)
from .creation import range_ as range  # noqa: E402,A001
from .random import (Generator, bernoulli, default_generator, get_rng_state,  # noqa: E402
                     initial_seed, manual_seed, multinomial, normal, rand, rand_like, randint,
                     randint_like, randn, randn_like, randperm, seed, set_rng_state)
from .ops import pointwise as _pw, reduce as _red, shape as _shape  # noqa: E402
from .ops import linalg as _linalg, index as _index  # noqa: E402
from .ops.pointwise import (abs, add, allclose, bitwise_and, bitwise_not,  # noqa: E402,A004
                            bitwise_or, bitwise_xor, ceil, clamp, clamp_max, clamp_min, cos, div,
                            eq, equal, exp, expm1, floor, floor_divide, ge, gt, isclose, isfinite,
                            isinf, isnan, le, log, log10, log1p, log2, logical_and, logical_not,
                            logical_or, logical_xor, lt, masked_fill, maximum, minimum, mul, ne,
                            neg, pow, reciprocal, relu, remainder, round, rsqrt, rsub, sigmoid,
                            sign, sin, sqrt, square, sub, tan, tanh, trunc, where)
from .ops.reduce import (all, amax, amin, any, argmax, argmin, count_nonzero,  # noqa: E402
                         cumsum, logsumexp, log_softmax, max, mean, min, norm, prod, softmax,
                         std, sum, var)
from .ops.shape import (broadcast_tensors, broadcast_to, cat, chunk, clone,  # noqa: E402
                        concat, concatenate, flatten, flip, hstack, narrow, permute, repeat,
                        reshape, select, split, squeeze, stack, swapaxes, swapdims, t, transpose,
                        tril, triu, unbind, unflatten, unsqueeze, vstack)
from .ops.linalg import (addmm, bmm, dot, inner, matmul, mm, mv, outer,  # noqa: E402
                         trace, vdot)
from .ops.index import (argwhere, gather, index_select, masked_select, nonzero)  # noqa: E402
from .ops.common import broadcast_shapes as _broadcast_shapes  # noqa: E402
from . import cuda, autograd  # noqa: E402

__version__ = "2.13.0+playground"

half, float, double = float16, float32, float64  # noqa: A001
short, int, long = int16, int32, int64  # noqa: A001
pi, e, inf, nan = _np.pi, _np.e, _np.inf, _np.nan

globals().update(_LEGACY)  # FloatTensor, DoubleTensor, LongTensor, ...
multiply, subtract, divide, true_divide = mul, sub, div, div
clip, negative, absolute = clamp, neg, abs
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def broadcast_shapes(*shapes):
    # (`int` here is torch.int, the dtype: the builtin is reached through _builtins)
    return Size(_broadcast_shapes(*((s,) if isinstance(s, _builtins.int) else tuple(s)
                                    for s in shapes)))


def is_tensor(obj):
    return isinstance(obj, Tensor)


def is_floating_point(input):
    return input.is_floating_point()


def numel(input):
    return input.numel()


def result_type(tensor1, tensor2):
    return _dtypes.result_type(tensor1, tensor2)


def set_num_threads(n):
    """The engine is single-threaded numpy; accepted so torch code runs unchanged."""


def get_num_threads():
    return 1


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Every op here is deterministic already."""


def set_default_device(device):
    raise NotImplementedError("playground.torch does not implement torch.set_default_device yet")


from . import nn, optim  # noqa: E402  (they use the namespace above)


def __getattr__(name):
    # only reached for names this module lacks: say so instead of a bare AttributeError
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"playground.torch does not implement torch.{name} yet (it covers the "
                         "tensors, autograd, nn and optim of the first PyTorch lessons)")

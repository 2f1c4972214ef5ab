"""What many ops share: operand normalisation, dtype promotion, device and shape checks."""
import numbers

import numpy as np

from .. import dtypes
from ..device import CPU
from ..tensor import Tensor, _make, wrap_dim

FLOAT = dtypes.FLOAT


def scalar(x):
    """A numpy scalar as the Python scalar torch treats it as; other values unchanged."""
    if isinstance(x, np.generic):
        return x.item()
    return x


def is_scalar(x):
    return isinstance(x, (bool, int, float)) or isinstance(x, np.generic)


def operand(x, name="other"):
    """A tensor or a Python scalar, or torch's TypeError for anything else."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.generic):  # first: np.float64 is also a float, but numpy's, not weak
        return x.item()
    if isinstance(x, (bool, int, float)):
        return x
    if isinstance(x, np.ndarray):
        return _make(x)
    if isinstance(x, numbers.Number):
        raise NotImplementedError("playground.torch does not implement complex numbers yet")
    raise TypeError(f"unsupported operand type for a tensor op: '{type(x).__name__}'")


def promote(a, b):
    """torch's result dtype for an elementwise op on a and b (tensors or Python scalars).

    The common cases are answered without the general rule: two tensors of one dtype, and a
    float tensor with a Python number.
    """
    if isinstance(a, Tensor):
        da = a._dtype
        if isinstance(b, Tensor):
            if b._dtype is da:
                return da
        elif da.category == FLOAT or (type(b) is int and da is not dtypes.bool_):
            return da
    return dtypes.result_type(a, b)


def device_of(a, b, op=None):
    """The device the result of an op on a and b lives on, with torch's mixed-device error.

    A 0-dim CPU tensor may join a CUDA tensor (it is treated like a scalar), as in torch.
    """
    da = a._device if isinstance(a, Tensor) else None
    db = b._device if isinstance(b, Tensor) else None
    if da is db or db is None:
        return da or db
    if da is None:
        return db
    if da is CPU and a._data.ndim == 0:
        return db
    if db is CPU and b._data.ndim == 0:
        return da
    raise device_mismatch(da if da is not CPU else db, CPU)


def device_mismatch(common, other):
    return RuntimeError("Expected all tensors to be on the same device, but found at least two "
                        f"devices, {common} and {other}!")


def broadcast_shapes(*shapes):
    """The broadcast shape, with torch's error text when shapes do not broadcast (torch's
    infer_size walks from the last dimension and names the first mismatch it meets)."""
    ndim = max(len(s) for s in shapes)
    out = [1] * ndim
    for i in range(ndim - 1, -1, -1):
        for k, s in enumerate(shapes):
            j = i - (ndim - len(s))
            n = s[j] if j >= 0 else 1
            if n != 1:
                if out[i] != 1 and out[i] != n:
                    raise RuntimeError(f"The size of tensor a ({out[i]}) must match the size of "
                                       f"tensor b ({n}) at non-singleton dimension {i}")
                out[i] = n
    return tuple(out)


def check_broadcast(a, b):
    """Raise torch's error if two operands' shapes do not broadcast (numpy's text differs)."""
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        sa, sb = a._data.shape, b._data.shape
        if sa != sb:
            broadcast_shapes(sa, sb)


def dims(dim, ndim):
    """A dim argument (int, tuple or list, possibly negative) as a sorted tuple of axes."""
    if isinstance(dim, (tuple, list)):
        return tuple(sorted(wrap_dim(d, ndim) for d in dim))
    return (wrap_dim(dim, ndim),)


def float_dtype(d):
    """The dtype a float-only op (exp, sqrt, mean...) computes in for an input of dtype d."""
    return d if d.category == FLOAT else dtypes.get_default_dtype()


def as_tensor_arg(x):
    """An argument that must be a tensor (cat's list items, where's condition)."""
    if isinstance(x, Tensor):
        return x
    raise TypeError(f"expected Tensor as element 0 in argument 0, but got {type(x).__name__}")

"""In-place ops: the one mechanism behind add_, mul_, copy_, x[i] = v, += ...

`run_inplace(self, Function, *others)` computes the out-of-place Function and writes the result
into self's memory, bumps the shared version counter (so backward can refuse saved values that
changed), and, when autograd records, makes the Function self's new grad_fn. On a view the
base's history is rewritten instead: the base gets a CopySlices node that applies the op's
backward to the viewed region of the base's gradient, and the view is re-derived from the base
(AsStridedBackward0), exactly as torch does.
"""
import numpy as np

from .. import dtypes
from ..function import Function, edge, link_inputs, record_versions
from ..grad_mode import GradMode
from ..tensor import Tensor
from .common import broadcast_shapes, check_broadcast, operand, promote, scalar
from .shape import replay

_new = object.__new__

LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_INPLACE = ("a view of a leaf Variable that requires grad is being used in an "
                        "in-place operation.")
OVERLAP = ("unsupported operation: more than one element of the written-to tensor refers to a "
           "single memory location. Please clone() the tensor before performing the operation.")


class CopySlices(Function):
    """The base's node after an in-place op on one of its views."""

    def name(self):
        return "torch::autograd::CopySlices"

    def __init__(self, base, steps, fn):
        self.like = base._data  # the base's layout, to replay the view steps on its gradient
        self.steps, self.fn = steps, fn
        self.saved = fn.saved
        self._versions = fn._versions
        self.next_functions = (edge(base),) + fn.next_functions[1:]
        self._meta = ((base._data.shape, base._dtype.np),) + fn._meta[1:]
        self._seq = fn._seq

    def backward(self, g):
        result = np.empty_like(self.like)
        result[...] = g
        region = replay(self.steps, result)
        grads = self.fn.backward(region.copy())
        if type(grads) is not tuple:
            grads = (grads,)
        region[...] = 0 if grads[0] is None else grads[0]
        return (result,) + tuple(grads[1:])

    def _run_backward(self, grads, retain_graph):
        out = super()._run_backward(grads, retain_graph)
        if not retain_graph:
            self.fn.saved = ()
        return out


class AsStridedBackward0(Function):
    """A view re-derived from its base after the base was changed in place."""

    def backward(self, g):
        grad = np.zeros_like(self.like)
        replay(self.steps, grad)[...] = g
        return grad


def view_of_base(view):
    base = view._base
    node = _new(AsStridedBackward0)
    node.like, node.steps = base._data, view._view_fn
    node.next_functions = (edge(base),)
    node._meta = ((base._data.shape, base._dtype.np),)
    # just after the base's node: the engine runs later nodes first, and this one feeds it
    node._seq = base._grad_fn._seq + 0.5 if base._grad_fn is not None else 0
    return node


def check_inplace(self):
    """torch's refusal to change, in place, a leaf (or a view of a leaf) that requires grad."""
    if not GradMode.enabled:
        return
    if self._base is not None:
        base = self._base
        if base._rg and base._grad_fn is None:
            raise RuntimeError(VIEW_OF_LEAF_INPLACE)
    elif self._rg and self._grad_fn is None:
        raise RuntimeError(LEAF_INPLACE)


def _writable(self):
    if not self._data.flags.writeable:
        raise RuntimeError(OVERLAP)


def run_inplace(self, cls, *others, _cast=None, **params):
    """self <- cls(self, *others) in place; returns self."""
    check_inplace(self)
    _writable(self)
    node = _new(cls)
    inputs = (self,) + others
    record = GradMode.enabled and link_inputs(node, inputs)
    if not record:
        node._meta = (None,) * len(inputs)
    arrays = [_array(o, _cast) for o in others]
    mine = self._data
    if _cast is not None and self._dtype is not _cast:
        mine = mine.astype(_cast.np)
    elif record:
        mine = mine.copy()  # the op's backward may need the value from before the write
    out = node.forward(mine, *arrays, **params)
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    if out.shape != self._data.shape:
        raise RuntimeError(f"output with shape {list(self._data.shape)} doesn't match the "
                           f"broadcast shape {list(out.shape)}")
    np.copyto(self._data, out, casting="unsafe")
    if record:
        record_versions(node, inputs, [mine] + arrays, ())
        # the pre-write copy is private to the node: no version to check for it
        node._versions = tuple(v for v in node._versions if v[0] is not self)
        _rewrite_history(self, node)
    self._vc[0] += 1
    return self


def _array(x, cast):
    """A tensor's values (cast to the op's dtype if needed); other operands as they are."""
    if not isinstance(x, Tensor):
        return x
    return x._data if cast is None or x._dtype is cast else x._data.astype(cast.np)


def _rewrite_history(self, node):
    if self._base is None:
        self._grad_fn, self._nr = node, 0
        return
    base = self._base
    base._grad_fn = CopySlices(base, self._view_fn, node)
    base._nr = 0
    self._grad_fn, self._nr = view_of_base(self), 0
    self._view_gen = base._grad_fn


def binary_inplace(self, cls, other, floats=False, **params):
    """add_/mul_/...: the result dtype must fit into self (torch's can_cast rule)."""
    other = operand(other)
    dt = promote(self, other)
    if floats and dt.category != dtypes.FLOAT:
        dt = dtypes.get_default_dtype()
    if not dtypes.can_cast(dt, self._dtype):
        raise RuntimeError(f"result type {dtypes.short_name(dt)} can't be cast to the desired "
                           f"output type {dtypes.short_name(self._dtype)}")
    check_broadcast(self, other)
    if isinstance(other, Tensor) and other._device is not self._device and other._data.ndim:
        from .common import device_of
        device_of(self, other)
    return run_inplace(self, cls, other, _cast=dt, **params)


# -- the in-place Functions that have no out-of-place twin ----------------------------------

class CopyBackwards(Function):
    """self.copy_(src): the new value comes from src alone (broadcast, cast to self's dtype)."""

    def forward(self, old, src):
        return np.broadcast_to(_fit(src, old.shape), old.shape).astype(old.dtype, copy=True)

    def backward(self, g):
        return None, g


def _fit(src, shape):
    """src without the leading size-1 dims torch ignores when copying (t[0, 0] = ones(1, 1))."""
    src = np.asarray(src)
    while src.ndim > len(shape) and src.shape[0] == 1:
        src = src[0]
    return src


class FillBackward0(Function):
    def forward(self, old, value):
        return np.full_like(old, value)

    def backward(self, g):
        return np.zeros_like(g)


class ZeroBackward0(Function):
    def forward(self, old):
        return np.zeros_like(old)

    def backward(self, g):
        return np.zeros_like(g)


def copy_(self, src, non_blocking=False):
    src = operand(src, "src")
    if not isinstance(src, Tensor):
        return fill_(self, src)
    shape = broadcast_shapes(self._data.shape, _fit(src._data, self._data.shape).shape)
    if shape != self._data.shape:
        raise RuntimeError(f"output with shape {list(self._data.shape)} doesn't match the "
                           f"broadcast shape {list(shape)}")
    return run_inplace(self, CopyBackwards, src)


def fill_(self, value):
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value._data.ndim} dimensions.")
        value = value.item()
    return run_inplace(self, FillBackward0, value=scalar(value))


def zero_(self):
    if not (GradMode.enabled and self.requires_grad):  # the optimizer-loop case, kept cheap
        if self._base is not None:  # a plain tensor here needs no grad: nothing to refuse
            check_inplace(self)
        _writable(self)
        self._data.fill(0)
        self._vc[0] += 1
        return self
    return run_inplace(self, ZeroBackward0)

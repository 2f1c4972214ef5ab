"""Indexing, the way torch does it: integers select, slices slice, None unsqueezes (all views,
each its own node), then any tensor/list indices gather in one IndexBackward0 (a copy).

Doing integers first (not numpy's mixed advanced indexing) matters: x[0, :, [0, 1]] has shape
(n, 2) in torch but (2, n) in numpy.
"""
import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor import Tensor, _make
from . import inplace, shape as shape_ops
from .common import operand


class IndexBackward0(Function):
    def forward(self, a, key):
        self.shape, self.key = a.shape, key
        # torch lays the gathered result out contiguously, with canonical strides
        return np.array(a[key], order="C")

    def backward(self, g):
        grad = np.zeros(self.shape, g.dtype)
        np.add.at(grad, self.key, g)
        return grad


class IndexPutBackward0(Function):
    """x[tensor_index] = values (index_put_)."""

    def forward(self, old, values, key):
        self.key = key
        out = old.copy()
        out[key] = values
        return out

    def backward(self, g):
        kept = g.copy()
        kept[self.key] = 0
        return kept, g[self.key]


def _split_key(x, key):
    """Walk an index: apply ints, slices and None as views; collect tensor indices.

    Returns (view, advanced) where advanced maps a dim of the view to an index array.
    """
    if not isinstance(key, tuple):
        key = (key,)
    consumed = sum(_dims_used(k) for k in key if k is not None and k is not Ellipsis)
    nd = x._data.ndim
    if consumed > nd:
        if nd == 0 and isinstance(key[0], (int, np.integer)):
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError(f"too many indices for tensor of dimension {nd}")
    if sum(1 for k in key if k is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    out, dim, advanced = x, 0, []
    for k in key:
        if k is None:
            out = shape_ops.unsqueeze(out, dim)
            dim += 1
        elif k is Ellipsis:
            dim += nd - consumed
        elif isinstance(k, bool) or isinstance(k, np.bool_):
            out = shape_ops.unsqueeze(out, dim)  # torch: x[True] adds a dim (x[False] empties)
            if not k:
                advanced.append((dim, np.zeros(0, np.int64)))
            dim += 1
        elif isinstance(k, (int, np.integer)):
            out = shape_ops.select(out, dim, int(k))
        elif isinstance(k, slice):
            size = out._data.shape[dim]
            if k.step == 0:
                raise ValueError("slice step cannot be zero")
            if k.step is not None and k.step < 0:
                raise ValueError("step must be greater than zero")
            start, stop, step = k.indices(size)
            if (start, stop, step) != (0, size, 1):
                out = shape_ops.slice_dim(out, dim, start, max(stop, start), step)
            dim += 1
        else:
            arr = _index_array(k)
            if arr.dtype == np.bool_:
                _check_mask(arr, out._data.shape, dim)
                for a in np.nonzero(arr):
                    advanced.append((dim, a.astype(np.int64)))
                    dim += 1
            else:
                advanced.append((dim, arr))
                dim += 1
    return out, advanced


def _dims_used(k):
    if isinstance(k, (Tensor, np.ndarray)) and k.dtype in (np.bool_, dtypes.bool_):
        return k.ndim
    if isinstance(k, (bool, np.bool_)):
        return 0
    return 1


def _index_array(k):
    if isinstance(k, (float, str)) or k is None:
        raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                         f"Variables are valid indices (got {type(k).__name__})")
    if isinstance(k, Tensor):
        if k._dtype.category == dtypes.FLOAT:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        arr = k._data
    else:
        arr = np.asarray(k)
        if arr.dtype.kind == "f":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if arr.dtype.kind not in "biu":
            raise TypeError(f"only integers, slices (`:`), ellipsis (`...`), None and long or "
                            f"byte Variables are valid indices (got {type(k).__name__})")
    return arr if arr.dtype == np.bool_ else arr.astype(np.int64)


def _check_mask(mask, shape, dim):
    for i, n in enumerate(mask.shape):
        if dim + i >= len(shape) or shape[dim + i] != n:
            raise IndexError(f"The shape of the mask {list(mask.shape)} at index {i} does not "
                             f"match the shape of the indexed tensor {list(shape)} at index "
                             f"{dim + i}")


def _full_key(ndim, advanced):
    key = [slice(None)] * ndim
    for d, a in advanced:
        key[d] = a
    return tuple(key)


def _bounds_check(shape, advanced):
    for d, a in advanced:
        if a.size:
            n = shape[d]
            bad = a[(a >= n) | (a < -n)]
            if bad.size:
                raise IndexError(f"index {bad.flat[0]} is out of bounds for dimension {d} with "
                                 f"size {n}")


def getitem(x, key):
    if type(key) is int and x._data.ndim:  # x[i], the most common index, without parsing
        return shape_ops.select(x, 0, key)
    view, advanced = _split_key(x, key)
    if not advanced:
        if view is x:  # x[:] or x[...]: torch returns a new view of the same memory
            return shape_ops.slice_dim(x, 0, 0, x._data.shape[0], 1) if x._data.ndim \
                else shape_ops.as_view(shape_ops.ViewBackward0, x, shape=())
        return view
    _bounds_check(view._data.shape, advanced)
    return IndexBackward0.apply(view, key=_full_key(view._data.ndim, advanced))


def setitem(x, key, value):
    view, advanced = _split_key(x, key)
    if isinstance(value, Tensor):
        src = value
    else:
        src = operand(value) if not isinstance(value, (list, tuple, np.ndarray)) else \
            _make(np.asarray(value, dtype=x._dtype.np))
    if not advanced:
        if view is x and not isinstance(src, Tensor):
            inplace.fill_(x, src)
            return
        if not isinstance(src, Tensor):
            src = _make(np.asarray(src, dtype=x._dtype.np), x._device)
        # x[i] = v expands v to the slot (torch's expand error, not copy_'s broadcast one)
        shape_ops.expanded_shape(inplace._fit(src._data, view._data.shape).shape,
                                 view._data.shape)
        inplace.copy_(view, src)
        return
    _bounds_check(view._data.shape, advanced)
    key = _full_key(view._data.ndim, advanced)
    if not isinstance(src, Tensor):
        src = _make(np.asarray(src, dtype=x._dtype.np), x._device)
    target_shape = np.empty(view._data.shape, np.bool_)[key].shape
    _values_fit(src._data.shape, target_shape)
    inplace.run_inplace(view, IndexPutBackward0, src, _cast=None, key=key)


def _values_fit(value_shape, target_shape):
    from .common import broadcast_shapes
    shape = tuple(value_shape)
    while len(shape) > len(target_shape) and shape[0] == 1:
        shape = shape[1:]
    try:
        fits = broadcast_shapes(target_shape, shape) == tuple(target_shape)
    except RuntimeError:
        fits = False
    if not fits:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(value_shape)} cannot be "
                           f"broadcast to indexing result of shape {list(target_shape)}")


def nonzero(input, *, as_tuple=False):
    idx = np.nonzero(input._data)
    if as_tuple:
        return tuple(_make(i.astype(np.int64), input._device) for i in idx)
    # torch fills the result column by column: its strides are (1, rows)
    out = np.stack(idx, axis=1).astype(np.int64) if idx else np.zeros((0, 0), np.int64)
    return _make(np.asfortranarray(out), input._device)


def argwhere(input):
    return nonzero(input)


class IndexSelectBackward0(Function):
    def forward(self, a, axis, index):
        self.shape, self.axis, self.index = a.shape, axis, index
        return np.take(a, index, axis=axis)

    def backward(self, g):
        grad = np.zeros(self.shape, g.dtype)
        np.add.at(grad, (slice(None),) * self.axis + (self.index,), g)
        return grad


def index_select(input, dim, index):
    from ..tensor import wrap_dim
    return IndexSelectBackward0.apply(input, axis=wrap_dim(dim, input._data.ndim),
                                      index=_index_array(index))


class GatherBackward0(Function):
    def forward(self, a, axis, index):
        self.shape, self.axis, self.index = a.shape, axis, index
        return np.take_along_axis(a, index, axis)

    def backward(self, g):
        grad = np.zeros(self.shape, g.dtype)
        np.add.at(grad, _along_axis_key(self.index, self.axis), g)
        return grad


def _along_axis_key(index, axis):
    key = list(np.indices(index.shape, sparse=True))
    key[axis] = index
    return tuple(key)


def gather(input, dim, index):
    from ..tensor import wrap_dim
    return GatherBackward0.apply(input, axis=wrap_dim(dim, input._data.ndim),
                                 index=_index_array(index))


def masked_select(input, mask):
    return getitem(input.expand_as(mask) if input.shape != mask.shape else input, mask)

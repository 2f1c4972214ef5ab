"""Shape ops. Most are views: the result is a numpy view of the input's memory, shares its
version counter, and remembers (as `_view_fn` steps) how to find itself inside its base, so an
in-place op on the view can be replayed on the base's gradient."""
import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor import Tensor, _make, wrap_dim


class ViewFunction(Function):
    """A view op: `view(array, **params)` is both the forward and the replay step."""

    @staticmethod
    def view(a, **params):
        raise NotImplementedError

    def forward(self, a, **params):
        self.shape = a.shape
        return self.view(a, **params)


def as_view(cls, x, **params):
    """Run a view Function on x and link the result to x's storage and base."""
    out = cls.apply(x, **params) if params else cls.apply(x)  # t(), .T: no ** call
    link_view(out, x, ((cls.view, params),))
    return out


def link_view(out, x, steps):
    out._vc = x._vc
    if x._base is not None:
        out._base = x._base
        out._view_fn = x._view_fn + steps
    else:
        out._base = x
        out._view_fn = steps
    out._view_gen = out._base._grad_fn


def replay(steps, arr):
    """Apply recorded view steps to an array shaped like the base."""
    for fn, params in steps:
        arr = fn(arr, **params)
    return arr


# -- view / reshape ----------------------------------------------------------------------

def infer_shape(shape, numel, op="view", arg="size"):
    """A requested shape with one -1 filled in, with torch's errors."""
    shape = list(shape)
    for i, s in enumerate(shape):
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"{op}(): argument '{arg}' failed to unpack the object at pos {i + 1} "
                            f'with error "type must be tuple of ints,but got '
                            f'{type(s).__name__}"')
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape "
                               f"{_show(shape)}")
    known = 1
    for i, s in enumerate(shape):
        if i not in unknown:
            known *= s
    if unknown and numel == 0 and known == 0:
        raise RuntimeError(f"cannot reshape tensor of 0 elements into shape {_show(shape)} "
                           "because the unspecified dimension size -1 can be any value and is "
                           "ambiguous")
    if unknown:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{_show(shape)}' is invalid for input of size {numel}")
        shape[unknown[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{_show(shape)}' is invalid for input of size {numel}")
    return tuple(int(s) for s in shape)


def _show(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def size_args(args):
    """view(2, 3), view((2, 3)) and view([2, 3]) all mean the shape (2, 3)."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    if len(args) == 1 and isinstance(args[0], Tensor):
        return tuple(args[0].tolist())
    return tuple(args)


def _reshaped_view(a, shape):
    """a.reshape(shape) only if that needs no copy, else None."""
    r = a.reshape(shape)
    if a.size and not np.shares_memory(r, a):
        return None
    return r


class ViewBackward0(ViewFunction):
    @staticmethod
    def view(a, shape):
        r = _reshaped_view(a, shape)
        if r is None:
            raise RuntimeError("view size is not compatible with input tensor's size and stride "
                               "(at least one dimension spans across two contiguous subspaces). "
                               "Use .reshape(...) instead.")
        return r

    def backward(self, g):
        return g.reshape(self.shape)


class UnsafeViewBackward0(Function):
    """The reshape of a fresh copy (reshape of a non-contiguous tensor): not a view."""

    def forward(self, a, shape):
        self.shape = a.shape
        return a.reshape(shape)

    def backward(self, g):
        return g.reshape(self.shape)


def view(input, *shape):
    if len(shape) == 1 and isinstance(shape[0], dtypes.dtype):
        raise NotImplementedError("playground.torch does not implement Tensor.view(dtype) yet")
    shape = infer_shape(size_args(shape), input._data.size)
    return as_view(ViewBackward0, input, shape=shape)


def view_as(input, other):
    return view(input, other.shape)


def reshape(input, *shape):
    shape = infer_shape(size_args(shape), input._data.size, "reshape", "shape")
    if _reshaped_view(input._data, shape) is not None:
        return as_view(ViewBackward0, input, shape=shape)
    return unsafe_view(clone(input, contiguous=True), shape)


def unsafe_view(input, shape):
    """A reshape torch does not count as a view (matmul's fold/unfold, reshape of a copy)."""
    return UnsafeViewBackward0.apply(input, shape=tuple(shape))


def reshape_as(input, other):
    return reshape(input, other.shape)


def flatten(input, start_dim=0, end_dim=-1):
    nd = input._data.ndim
    if nd == 0:
        return reshape(input, 1)
    s, e = wrap_dim(start_dim, nd), wrap_dim(end_dim, nd)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    shape = input._data.shape
    return reshape(input, shape[:s] + (-1,) + shape[e + 1:])


def unflatten(input, dim, sizes):
    dim = wrap_dim(dim, input._data.ndim)
    shape = input._data.shape
    return view(input, shape[:dim] + tuple(sizes) + shape[dim + 1:])


# -- squeeze / unsqueeze -----------------------------------------------------------------

class SqueezeBackward0(ViewFunction):
    @staticmethod
    def view(a):
        return a.reshape(tuple(s for s in a.shape if s != 1))

    def backward(self, g):
        return g.reshape(self.shape)


class SqueezeBackward1(ViewFunction):
    @staticmethod
    def view(a, axis):
        return a.reshape(a.shape[:axis] + a.shape[axis + 1:]) if a.shape[axis] == 1 else a

    def backward(self, g):
        return g.reshape(self.shape)


class SqueezeBackward4(ViewFunction):
    """squeeze_(dim), in place (what matmul uses to drop the dim it added)."""

    view = staticmethod(SqueezeBackward1.view)

    def backward(self, g):
        return g.reshape(self.shape)


class UnsqueezeBackward0(ViewFunction):
    @staticmethod
    def view(a, axis):
        return np.expand_dims(a, axis)

    def backward(self, g):
        return g.reshape(self.shape)


def squeeze(input, dim=None):
    if dim is None:
        return as_view(SqueezeBackward0, input)
    if isinstance(dim, (tuple, list)):
        out = input
        for d in sorted((wrap_dim(d, input._data.ndim) for d in dim), reverse=True):
            out = squeeze(out, d)
        return out
    if input._data.ndim == 0:
        wrap_dim(dim, 0)
        return as_view(SqueezeBackward0, input)
    return as_view(SqueezeBackward1, input, axis=wrap_dim(dim, input._data.ndim))


def squeeze_(input, dim=None):
    """In place: the tensor itself takes the squeezed shape (a view of its own memory)."""
    from .inplace import check_inplace
    check_inplace(input)
    if dim is None:
        out = as_view(SqueezeBackward0, input)
    else:
        out = SqueezeBackward4.apply(input, axis=wrap_dim(dim, input._data.ndim))
    input._data = out._data
    if out._grad_fn is not None:
        input._grad_fn, input._nr = out._grad_fn, 0
    input._vc[0] += 1
    return input


def unsqueeze(input, dim):
    return as_view(UnsqueezeBackward0, input, axis=wrap_dim(dim, input._data.ndim + 1))


# -- transposes ---------------------------------------------------------------------------

class TBackward0(ViewFunction):
    @staticmethod
    def view(a):
        return a.T

    def backward(self, g):
        return g.T


class TransposeBackward0(ViewFunction):
    @staticmethod
    def view(a, d0, d1):
        return np.swapaxes(a, d0, d1)

    def forward(self, a, d0, d1):
        self.d0, self.d1 = d0, d1
        return np.swapaxes(a, d0, d1)

    def backward(self, g):
        return np.swapaxes(g, self.d0, self.d1)


class PermuteBackward0(ViewFunction):
    @staticmethod
    def view(a, order):
        return np.transpose(a, order)

    def forward(self, a, order):
        self.order = order
        return np.transpose(a, order)

    def backward(self, g):
        return np.transpose(g, np.argsort(self.order))


def t(input):
    nd = input._data.ndim
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    return as_view(TBackward0, input)


def transpose(input, dim0, dim1):
    nd = input._data.ndim
    return as_view(TransposeBackward0, input, d0=wrap_dim(dim0, nd), d1=wrap_dim(dim1, nd))


swapaxes = transpose
swapdims = transpose


def permute(input, *dims):
    order = size_args(dims)
    nd = input._data.ndim
    if len(order) != nd:
        raise RuntimeError("permute(sparse_coo): number of dimensions in the tensor input does "
                           "not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {nd} is not equal to len(dims) = {len(order)}")
    order = tuple(wrap_dim(d, nd) for d in order)
    if len(set(order)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return as_view(PermuteBackward0, input, order=order)


_T_WARNINGS = {  # torch warns once per process for each (TORCH_WARN_ONCE)
    0: "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases. "
       "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4321.)",
    1: "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
       "deprecated and it will throw an error in a future release. Consider `x.mT` to transpose "
       "batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the "
       "dimensions of a tensor. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/"
       "native/TensorShape.cpp:4314.)",
}
_warned = set()


def reversed_dims(input):
    """x.T: all dims reversed (torch warns, once, for ndim other than 2)."""
    nd = input._data.ndim
    if nd != 2:
        kind = 0 if nd == 0 else 1
        if kind not in _warned:
            _warned.add(kind)
            import warnings
            warnings.warn(_T_WARNINGS[kind], UserWarning, stacklevel=3)
    return permute(input, tuple(range(nd - 1, -1, -1)))


def matrix_transpose(input):
    if input._data.ndim < 2:
        raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got "
                           f"{input._data.ndim}-D tensor.")
    return transpose(input, -2, -1)


# -- expand / narrow / select / slice -------------------------------------------------------

class ExpandBackward0(ViewFunction):
    @staticmethod
    def view(a, shape):
        return np.broadcast_to(a, shape)

    def backward(self, g):
        return g  # the engine sums it back to the input's shape


def expand(input, *sizes):
    shape = expanded_shape(input._data.shape, size_args(sizes))
    return as_view(ExpandBackward0, input, shape=shape)


def expanded_shape(shape, sizes):
    """The shape `expand(*sizes)` gives a tensor of `shape` (-1 keeps a size), or torch's
    error (copy_ and x[i] = v use the same rule)."""
    nd = len(sizes)
    if nd < len(shape):
        raise RuntimeError(f"expand(torch.FloatTensor{{{_show(shape)}}}, size={_show(sizes)}): "
                           f"the number of sizes provided ({nd}) must be greater or equal to the "
                           f"number of dimensions in the tensor ({len(shape)})")
    lead = nd - len(shape)
    out = []
    for i, s in enumerate(sizes):
        if s == -1:
            if i < lead:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            s = shape[i - lead]
        elif i >= lead and shape[i - lead] != 1 and shape[i - lead] != s:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing "
                               f"size ({shape[i - lead]}) at non-singleton dimension {i}.  "
                               f"Target sizes: {_show(sizes)}.  Tensor sizes: {_show(shape)}")
        out.append(s)
    return tuple(out)


def expand_as(input, other):
    return expand(input, other.shape)


class SliceBackward0(ViewFunction):
    @staticmethod
    def view(a, axis, start, stop, step):
        return a[(slice(None),) * axis + (slice(start, stop, step),)]

    def forward(self, a, axis, start, stop, step):
        self.shape, self.key = a.shape, (slice(None),) * axis + (slice(start, stop, step),)
        return a[self.key]

    def backward(self, g):
        grad = np.zeros(self.shape, g.dtype)
        grad[self.key] = g
        return grad


class SelectBackward0(ViewFunction):
    # the trailing Ellipsis keeps a 0-d result a view (numpy returns a scalar copy without it)
    @staticmethod
    def view(a, axis, index):
        return a[(slice(None),) * axis + (index, Ellipsis)]

    def forward(self, a, axis, index):
        self.shape, self.key = a.shape, (slice(None),) * axis + (index, Ellipsis)
        return a[self.key]

    def backward(self, g):
        grad = np.zeros(self.shape, g.dtype)
        grad[self.key] = g
        return grad


def narrow(input, dim, start, length):
    if input._data.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(dim, input._data.ndim)
    size = input._data.shape[dim]
    if isinstance(start, Tensor):
        start = start.item()
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                         f"but got {start})")
    if start < 0:
        start += size
    if start + length > size or length < 0:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    return as_view(SliceBackward0, input, axis=dim, start=start, stop=start + length, step=1)


def select(input, dim, index):
    nd = input._data.ndim
    if nd == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(dim, nd)
    size = input._data.shape[dim]
    if not -size <= index < size:
        raise IndexError(f"index {index} is out of bounds for dimension {dim} with size {size}")
    return as_view(SelectBackward0, input, axis=dim, index=index + size if index < 0 else index)


def slice_dim(input, dim, start, stop, step):
    """x[start:stop:step] along dim (what basic indexing with a slice does)."""
    if step is not None and step <= 0:
        raise ValueError("step must be greater than zero")
    return as_view(SliceBackward0, input, axis=dim, start=start, stop=stop, step=step)


# -- copies -------------------------------------------------------------------------------

class CloneBackward0(Function):
    def forward(self, a, order="K"):
        return np.array(a, order=order, copy=True)

    def backward(self, g):
        return g


def clone(input, *, memory_format=None, contiguous=False):
    return CloneBackward0.apply(input, order="C" if contiguous else "K")


def contiguous(input, memory_format=None):
    if input._data.flags.c_contiguous:
        return input
    return clone(input, contiguous=True)


class CatBackward0(Function):
    def forward(self, *arrays, axis):
        self.axis = axis
        self.sizes = [a.shape[axis] for a in arrays]
        return np.concatenate(arrays, axis=axis)

    def backward(self, g):
        return tuple(np.split(g, np.cumsum(self.sizes)[:-1], axis=self.axis))


def cat(tensors, dim=0, *, out=None):
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be "
                               "concatenated")
    # torch skips legacy empty 1-D tensors (shape [0]) when the others have more dims
    ref = next((t for t in tensors if t._data.shape != (0,)), tensors[0])
    dim = wrap_dim(dim, ref._data.ndim)
    shape = ref._data.shape
    kept = [t for t in tensors if t._data.shape != (0,) or t is ref]
    for i, t in enumerate(tensors):
        if t._data.shape == (0,) and t is not ref:
            continue
        s = t._data.shape
        if len(s) != len(shape):
            raise RuntimeError(f"Tensors must have same number of dimensions: got {len(shape)} "
                               f"and {len(s)}")
        for d, (a, b) in enumerate(zip(shape, s)):
            if d != dim and a != b:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. "
                                   f"Expected size {a} but got size {b} for tensor number {i} "
                                   "in the list.")
    _same_device(kept, "cat")
    dt = kept[0]._dtype
    for t in kept[1:]:
        dt = dtypes.promote_types(dt, t._dtype)
    return CatBackward0.apply(*kept, axis=dim, _cast=dt)


concat = cat
concatenate = cat


def _same_device(tensors, op):
    dev = tensors[0]._device
    for t in tensors[1:]:
        if t._device is not dev:
            from .common import device_mismatch
            raise device_mismatch(dev if dev.type != "cpu" else t._device, "cpu")


class StackBackward0(Function):
    def forward(self, *arrays, axis):
        self.axis = axis
        return np.stack(arrays, axis=axis)

    def backward(self, g):
        return tuple(np.moveaxis(g, self.axis, 0))


def stack(tensors, dim=0, *, out=None):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    shape = tensors[0]._data.shape
    for i, t in enumerate(tensors[1:], 1):
        if t._data.shape != shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{_show(shape)} at entry 0 and {_show(t._data.shape)} at entry "
                               f"{i}")
    _same_device(tensors, "stack")
    dim = wrap_dim(dim, len(shape) + 1)
    dt = tensors[0]._dtype
    for t in tensors[1:]:
        dt = dtypes.promote_types(dt, t._dtype)
    return StackBackward0.apply(*tensors, axis=dim, _cast=dt)


def hstack(tensors):
    tensors = list(tensors)
    return cat(tensors, 0 if tensors[0]._data.ndim == 1 else 1)


def vstack(tensors):
    return cat([t if t._data.ndim >= 2 else t.reshape(1, -1) for t in tensors], 0)


# -- multi-output views: unbind, split, chunk --------------------------------------------------

class _MultiView(Function):
    """Several views of one input; missing output gradients count as zeros."""

    multi_output = True

    def forward(self, a, axis, bounds):
        self.shape, self.axis, self.bounds = a.shape, axis, bounds
        self.n_outputs = len(bounds)
        return tuple(self.piece(a, axis, lo, hi) for lo, hi in bounds)

    def backward(self, grads):
        grad = np.zeros(self.shape, next(g for g in grads if g is not None).dtype)
        for g, (lo, hi) in zip(grads, self.bounds):
            if g is not None:
                grad[(slice(None),) * self.axis + self.key(lo, hi)] = g
        return grad


class UnbindBackward0(_MultiView):
    @staticmethod
    def piece(a, axis, lo, hi):
        return a[(slice(None),) * axis + (lo, Ellipsis)]

    @staticmethod
    def key(lo, hi):
        return (lo, Ellipsis)


class SplitBackward0(_MultiView):
    @staticmethod
    def piece(a, axis, lo, hi):
        return a[(slice(None),) * axis + (slice(lo, hi),)]

    @staticmethod
    def key(lo, hi):
        return (slice(lo, hi),)


class SplitWithSizesBackward0(SplitBackward0):
    pass


def _multi_view(cls, input, axis, bounds):
    """Apply a multi-output view Function; each piece becomes a view of the input."""
    outs = cls.apply(input, axis=axis, bounds=bounds)
    piece = cls.piece
    for o, (lo, hi) in zip(outs, bounds):
        link_view(o, input, ((piece, {"axis": axis, "lo": lo, "hi": hi}),))
    return outs


def unbind(input, dim=0):
    if input._data.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    axis = wrap_dim(dim, input._data.ndim)
    n = input._data.shape[axis]
    return _multi_view(UnbindBackward0, input, axis, tuple((i, i + 1) for i in range(n)))


def split(input, split_size_or_sections, dim=0):
    axis = wrap_dim(dim, input._data.ndim)
    n = input._data.shape[axis]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size <= 0 and n:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {n}")
        bounds = tuple((lo, min(lo + size, n)) for lo in range(0, n, size)) if n else ((0, 0),)
        return _multi_view(SplitBackward0, input, axis, bounds)
    sizes = list(split_size_or_sections)
    if sum(sizes) != n:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input "
                           f"tensor's size at dimension {axis}), but got split_sizes="
                           f"{_show(sizes)}")
    edges = np.cumsum([0] + sizes)
    return _multi_view(SplitWithSizesBackward0, input, axis,
                       tuple((int(lo), int(hi)) for lo, hi in zip(edges[:-1], edges[1:])))


def chunk(input, chunks, dim=0):
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    n = input._data.shape[wrap_dim(dim, input._data.ndim)]
    size = -(-n // chunks) if n else 1
    return split(input, max(size, 1), dim)


# -- repeat, flip, tril/triu ------------------------------------------------------------------

class RepeatBackward0(Function):
    def forward(self, a, reps):
        self.shape, self.reps = a.shape, reps
        return np.tile(a, reps)

    def backward(self, g):
        lead = len(self.reps) - len(self.shape)
        shape = (1,) * lead + self.shape
        split = []
        for r, s in zip(self.reps, shape):
            split += [r, s]
        return g.reshape(split).sum(axis=tuple(range(0, 2 * len(shape), 2))).reshape(self.shape)


def repeat(input, *sizes):
    reps = size_args(sizes)
    if len(reps) < input._data.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    return RepeatBackward0.apply(input, reps=tuple(reps))


class FlipBackward0(Function):
    def forward(self, a, axes):
        self.axes = axes
        return np.flip(a, axes).copy()

    def backward(self, g):
        return np.flip(g, self.axes)


def flip(input, dims):
    from .common import dims as _dims
    return FlipBackward0.apply(input, axes=_dims(dims, input._data.ndim))


class TrilBackward0(Function):
    def forward(self, a, k):
        self.k = k
        return np.tril(a, k)

    def backward(self, g):
        return np.tril(g, self.k)


class TriuBackward0(Function):
    def forward(self, a, k):
        self.k = k
        return np.triu(a, k)

    def backward(self, g):
        return np.triu(g, self.k)


def tril(input, diagonal=0):
    return TrilBackward0.apply(input, k=diagonal)


def triu(input, diagonal=0):
    return TriuBackward0.apply(input, k=diagonal)


def broadcast_tensors(*tensors):
    from .common import broadcast_shapes
    shape = broadcast_shapes(*(t._data.shape for t in tensors))
    return tuple(expand(t, shape) for t in tensors)


def broadcast_to(input, size):
    return expand(input, size)


def atleast_2d(input):
    return input.reshape(1, -1) if input._data.ndim < 2 else input

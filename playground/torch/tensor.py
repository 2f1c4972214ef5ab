"""The Tensor: a numpy array plus torch's dtype, device, autograd and view bookkeeping.

Storage: `_data` is a numpy array. Views (view, t, slicing, expand...) are numpy views of the
same memory and share the version counter `_vc` with their base, exactly as torch views share
storage and version; `_base` and `_view_fn` remember how to find a view inside its base so an
in-place op on a view can be replayed on the base's gradient (CopySlices).

Arithmetic lives in ops/; the methods are bound onto the class at the end of this file.
"""
import warnings

import numpy as np

from . import dtypes
from .device import CPU, CUDA0, canonical
from .grad_mode import GradMode
from .printing import tensor_repr

_new = object.__new__
_BY_NP = dtypes._BY_NP

NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If "
    "you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. "
    "See github.com/pytorch/pytorch/pull/30531 for more information. (Triggered internally at "
    "/__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)")
NON_LEAF_REQUIRES_GRAD = (
    "you can only change requires_grad flags of leaf variables. If you want to use a computed "
    "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().")
FLOAT_ONLY_GRAD = "only Tensors of floating point dtype can require gradients"


class Size(tuple):
    """torch.Size: a tuple of ints that prints as torch.Size([3, 5])."""

    __module__ = "torch"

    def __repr__(self):
        return f"torch.Size({list(self)})"

    __str__ = __repr__

    def __getitem__(self, key):
        r = tuple.__getitem__(self, key)
        return Size(r) if isinstance(key, slice) else r

    def __add__(self, other):
        return Size(tuple.__add__(self, tuple(other)))

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self))

    def __mul__(self, n):
        return Size(tuple.__mul__(self, n))

    __rmul__ = __mul__

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n


def _make(arr, device=CPU):
    """A fresh leaf tensor around a numpy array (the one constructor every op uses)."""
    if type(arr) is not np.ndarray:
        arr = np.asarray(arr)
    t = _new(Tensor)
    t._data = arr
    try:
        t._dtype = _BY_NP[arr.dtype]
    except KeyError:
        raise TypeError(f"playground.torch does not support numpy dtype {arr.dtype}; use one of "
                        "float16/32/64, int8/16/32/64, uint8 or bool") from None
    t._device = device
    t._rg = False
    t._grad = None
    t._grad_fn = None
    t._vc = [0]
    t._base = None
    # left unset, to keep this hot path short: _nr (set with _grad_fn), _view_fn and
    # _view_gen (set by link_view when _base is), _acc and _retains (read with getattr)
    return t


def type_name(dtype, device):
    """Tensor.type() for a dtype and device: 'torch.FloatTensor', 'torch.cuda.FloatTensor'."""
    return ("torch.cuda." if device.type == "cuda" else "torch.") + dtype._legacy


def _dim_error(dim, ndim):
    lo, hi = (-ndim, ndim - 1) if ndim else (-1, 0)
    return IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got "
                      f"{dim})")


def wrap_dim(dim, ndim):
    """A possibly negative dim as an axis number, with torch's error when out of range."""
    n = ndim if ndim else 1
    if not -n <= dim < n:
        raise _dim_error(dim, ndim)
    return dim + n if dim < 0 else dim


class Tensor:
    __module__ = "torch"  # type(t) prints <class 'torch.Tensor'>, as in torch
    __slots__ = ("_data", "_dtype", "_device", "_rg", "_grad", "_grad_fn", "_nr", "_vc", "_base",
                 "_view_fn", "_view_gen", "_acc", "_retains", "__weakref__")
    # numpy defers to our reflected operators (np_array + tensor gives a tensor, as in torch)
    __array_priority__ = 1000
    __hash__ = object.__hash__

    def __new__(cls, *args, device=None):
        """The legacy constructor: Tensor(2, 3) (uninitialised, here zeros) or Tensor(data)."""
        from .creation import legacy_new
        return legacy_new(cls, dtypes.float32, args, device)

    # -- what a tensor is --------------------------------------------------------------------
    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[wrap_dim(dim, self._data.ndim)]

    def dim(self):
        return self._data.ndim

    ndimension = dim

    @property
    def ndim(self):
        return self._data.ndim

    def numel(self):
        return self._data.size

    nelement = numel

    @property
    def dtype(self):
        return self._dtype

    @property
    def device(self):
        return self._device

    @property
    def is_cuda(self):
        return self._device.type == "cuda"

    @property
    def is_cpu(self):
        return self._device.type == "cpu"

    def get_device(self):
        return -1 if self._device.type == "cpu" else self._device.index

    def is_floating_point(self):
        return self._dtype.is_floating_point

    def is_complex(self):
        return False

    def is_signed(self):
        return self._dtype.is_signed

    def element_size(self):
        return self._dtype.itemsize

    @property
    def itemsize(self):
        return self._dtype.itemsize

    @property
    def nbytes(self):
        return self._data.nbytes

    def stride(self, dim=None):
        if self._data.size or self._data.base is not None:
            strides = tuple(s // self._data.itemsize for s in self._data.strides)
        else:  # numpy may report 0 for a fresh empty array; torch gives contiguous strides
            strides, step = [], 1
            for n in reversed(self._data.shape):
                strides.insert(0, step)
                step *= max(n, 1)
            strides = tuple(strides)
        return strides if dim is None else strides[wrap_dim(dim, self._data.ndim)]

    def is_contiguous(self, memory_format=None):
        return self._data.flags.c_contiguous

    def data_ptr(self):
        return self._data.__array_interface__["data"][0]

    def storage_offset(self):
        return (self.data_ptr() - _owner(self._data).__array_interface__["data"][0]) \
            // self._data.itemsize

    def untyped_storage(self):
        return UntypedStorage(_owner(self._data))

    def _is_view(self):
        return self._base is not None

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def is_sparse(self):
        return False

    @property
    def layout(self):
        return "torch.strided"

    @property
    def _version(self):
        return self._vc[0]

    # -- autograd attributes ---------------------------------------------------------------
    @property
    def requires_grad(self):
        return self._rg or self.grad_fn is not None

    @requires_grad.setter
    def requires_grad(self, value):
        if value and not self._dtype.is_floating_point:  # the setter words it differently
            raise RuntimeError("only Tensors of floating point and complex dtype can require "
                               "gradients")
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad=True):
        if self.grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(NON_LEAF_REQUIRES_GRAD)
            return self
        if requires_grad and not self._dtype.is_floating_point:
            raise RuntimeError(FLOAT_ONLY_GRAD)
        self._rg = bool(requires_grad)
        return self

    @property
    def grad_fn(self):
        if self._base is not None:
            return self._current_grad_fn()
        return self._grad_fn

    def _current_grad_fn(self):
        """A view's node, renewed after an in-place op changed its base (torch regenerates it
        as AsStridedBackward0 from the base's new CopySlices node)."""
        base = self._base
        if base._grad_fn is not self._view_gen and base._grad_fn is not None:
            from .ops.inplace import view_of_base
            self._grad_fn = view_of_base(self)
            self._nr = 0
            self._view_gen = base._grad_fn
        return self._grad_fn

    @property
    def grad(self):
        if self._grad_fn is None and self._base is None:  # a leaf: no warning to consider
            return self._grad
        if self.grad_fn is not None and not getattr(self, "_retains", False):
            warnings.warn(NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(value).__name__}")
            if value._dtype is not self._dtype:
                from .ops.linalg import _name
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_name(value._dtype)}' to a "
                    f"tensor with grad_dtype '{dtypes.short_name(self._dtype)}'. The gradient "
                    "must match the tensor's grad_dtype (defaults to the tensor's dtype). You "
                    "can set the tensor's grad_dtype attribute with a specific dtype, or None to "
                    "allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a "
                    "tensor and its gradient may break downstream systems that assume they "
                    "match.")
            if value._device != self._device:
                raise RuntimeError("assigned grad has data located on a different device")
            if value._data.shape != self._data.shape:
                raise RuntimeError(f"attempting to assign a gradient of size "
                                   f"'{list(value._data.shape)}' to a tensor of size "
                                   f"'{list(self._data.shape)}'. Please ensure that the gradient "
                                   "and the tensor are the same size")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def retains_grad(self):
        return getattr(self, "_retains", False)

    def retain_grad(self):
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        fn = self.grad_fn
        if fn is None or getattr(self, "_retains", False):
            return
        import weakref
        if fn._retained_map is None:
            fn._retained_map = {}
        fn._retained_map[self._nr] = weakref.ref(self)
        self._retains = True

    def _accumulator(self):
        """This leaf's AccumulateGrad node (see function.accumulator)."""
        from .function import accumulator
        return accumulator(self)

    def register_hook(self, hook):
        raise NotImplementedError("playground.torch does not implement Tensor.register_hook yet")

    @property
    def data(self):
        t = _make(self._data, self._device)
        return t

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, not {type(value).__name__}")
        self._data = value._data
        self._dtype = value._dtype
        self._device = value._device

    def detach(self):
        t = _make(self._data, self._device)
        t._vc = self._vc  # a detached tensor is the same storage, so in-place ops are seen
        return t

    def detach_(self):
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are "
                               "using DistributedDataParallel (DDP) for training, and "
                               "gradient_as_bucket_view is set as True, gradients are views of "
                               "DDP buckets, and hence detach_() cannot be called on these "
                               "gradients. To fix this error, please refer to the "
                               "Optimizer.zero_grad() function in torch/optim/optimizer.py as the "
                               "solution.")
        self._grad_fn = None
        self._rg = False
        return self

    # -- conversion --------------------------------------------------------------------------
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to "
                               "Scalar")
        return self._data.reshape(-1)[0].item()

    def tolist(self):
        return self._data.tolist()

    def numpy(self, *, force=False):
        if not force:
            if self._device is not CPU:
                raise TypeError(f"can't convert {self._device} device type tensor to numpy. Use "
                                "Tensor.cpu() to copy the tensor to host memory first.")
            if self.requires_grad:
                raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                                   "tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)

    def type(self, dtype=None, non_blocking=False, **kwargs):
        if dtype is None:
            return type_name(self._dtype, self._device)
        if isinstance(dtype, str):
            if ".cuda." in dtype:
                return self.to(CUDA0 if canonical("cuda") else CPU,
                               dtypes.from_legacy_name(dtype))
            dtype = dtypes.from_legacy_name(dtype)
        elif isinstance(dtype, type) and hasattr(dtype, "_dtype"):  # torch.FloatTensor etc.
            dtype = dtype._dtype
        return self.to(dtype)

    def cpu(self, memory_format=None):
        return self.to(CPU)

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        return self.to(canonical("cuda" if device is None else
                                 (f"cuda:{device}" if isinstance(device, int) else device)))

    def float(self, memory_format=None):
        return self.to(dtypes.float32)

    def double(self, memory_format=None):
        return self.to(dtypes.float64)

    def half(self, memory_format=None):
        return self.to(dtypes.float16)

    def long(self, memory_format=None):
        return self.to(dtypes.int64)

    def int(self, memory_format=None):
        return self.to(dtypes.int32)

    def short(self, memory_format=None):
        return self.to(dtypes.int16)

    def char(self, memory_format=None):
        return self.to(dtypes.int8)

    def byte(self, memory_format=None):
        return self.to(dtypes.uint8)

    def bool(self, memory_format=None):
        return self.to(dtypes.bool_)

    # -- Python protocols --------------------------------------------------------------------
    def __repr__(self, *, tensor_contents=None):
        fn = self.grad_fn
        return tensor_repr(self._data, self._dtype.name, device=str(self._device),
                           requires_grad=self.requires_grad,
                           grad_fn_name=fn.type_name() if fn is not None else None,
                           default_float=dtypes.get_default_dtype().name)

    __str__ = __repr__

    def __format__(self, spec):
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(-1)[0])

    def __float__(self):
        return float(self._scalar("float"))

    def __int__(self):
        return int(self._scalar("int"))

    def __index__(self):
        if self._dtype.category != dtypes.INT and self._dtype is not dtypes.bool_:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self._scalar("index"))

    def _scalar(self, kind):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(-1)[0]

    def __contains__(self, element):
        return bool((self == element).any())

    def __deepcopy__(self, memo):
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment.  If you were "
                               "attempting to deepcopy a module, this may be because of a "
                               "torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        t = _make(self._data.copy(), self._device)
        t.__class__ = type(self)
        t._rg = self._rg
        if self._grad is not None:
            t._grad = self._grad.__deepcopy__(memo)
        memo[id(self)] = t
        return t

    def __reduce_ex__(self, protocol):
        return (_rebuild, (self._data.copy(), str(self._device), self._rg))


def _rebuild(arr, device, rg):
    t = _make(arr, canonical(device))
    t._rg = rg
    return t


def _owner(arr):
    """The numpy array that owns the memory a view looks into."""
    while isinstance(arr.base, np.ndarray):
        arr = arr.base
    return arr


class UntypedStorage:
    """Just enough of torch.UntypedStorage to ask whether two tensors share memory."""

    def __init__(self, owner):
        self._owner = owner

    def data_ptr(self):
        return self._owner.__array_interface__["data"][0]

    def nbytes(self):
        return self._owner.nbytes

    def size(self):
        return self._owner.nbytes

    def __len__(self):
        return self._owner.nbytes


# the ops import Tensor from this module, so they are imported (and bound) last
from .ops import bind_methods  # noqa: E402

bind_methods(Tensor)

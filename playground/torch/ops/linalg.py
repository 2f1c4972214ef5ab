"""Matrix products: mm, mv, dot, bmm, addmm, and matmul's dispatch between them (as torch's,
so `x @ y` records the same node names)."""
import sys

import numpy as np

from .. import dtypes
from ..device import CPU
from ..function import NO_EDGE, Function, edge, next_seq
from ..grad_mode import GradMode
from ..tensor import Tensor, _make
from . import shape as shape_ops
from .shape import TBackward0

_new = object.__new__
# dtypes numpy hands to BLAS; Pyodide's numpy has no BLAS, and its own np.dot loop makes an
# outer product 5x slower than a broadcast multiply (measured under Node), so none there
_BLAS = () if sys.platform == "emscripten" else (np.dtype(np.float32), np.dtype(np.float64))


def _mm(a, b):
    """a @ b for two matrices. np.dot hands a transposed operand (nn.Linear's weight.t(), a
    batch's transpose in a weight gradient) to BLAS as it is, where matmul first copies it:
    0.2-0.5 µs less for each of a small MLP's six products (interleaved runs; 1.56 against
    1.98 µs for 256x32 times 32x1 float32), and 1 800 random shapes and layouts gave identical
    values. Without BLAS (see _BLAS) matmul's own loop is the faster one."""
    return np.dot(a, b) if a.dtype is b.dtype and a.dtype in _BLAS else a @ b


def mm2(a, b):
    """a @ b for matrices, cheaper when one is a broadcast (stride-0) array, as the gradient
    of a sum or mean is: a repeated row or column needs a matrix-vector product, not a
    matrix product. A product over a single inner index (the input gradient of a layer with
    one output) is an outer product: np.dot hands it to BLAS for float32/64 (twice as fast as
    numpy's broadcast multiply, which buffers both operands; numpy's own matmul loop is several
    times slower still), and each entry is the one product either way (see _BLAS)."""
    if a.shape[1] == 1:
        return np.dot(a, b) if a.dtype is b.dtype and a.dtype in _BLAS else a * b
    if a.strides[0] == 0:  # every row of a is a[0]: so is every row of the product
        return np.broadcast_to(a[0] @ b, (a.shape[0], b.shape[1]))
    if b.strides[1] == 0:  # every column of b is b[:, 0]: so is every column of the product
        return np.broadcast_to((a @ b[:, 0])[:, None], (a.shape[0], b.shape[1]))
    if a.strides[1] == 0:  # a[i, k] = a[i, 0]
        return np.outer(a[:, 0], b.sum(axis=0))
    if b.strides[0] == 0:  # b[k, j] = b[0, j]
        return np.outer(a.sum(axis=1), b[0])
    return _mm(a, b)


def _keep_for_other(node, a, b):
    """A product's operands, each kept only if the other one's gradient needs it."""
    return (a if node.needs(1) else None, b if node.needs(0) else None)


class MmBackward0(Function):
    def forward(self, a, b):
        self.saved = _keep_for_other(self, a, b)
        return a @ b

    def backward(self, g):
        a, b = self.saved
        return (mm2(g, b.T) if self.needs(0) else None, mm2(a.T, g) if self.needs(1) else None)


class MvBackward0(Function):
    def forward(self, m, v):
        self.saved = _keep_for_other(self, m, v)
        return m @ v

    def backward(self, g):
        m, v = self.saved
        return (np.outer(g, v) if self.needs(0) else None, m.T @ g if self.needs(1) else None)


class DotBackward0(Function):
    def forward(self, a, b):
        self.saved = _keep_for_other(self, a, b)
        return np.dot(a, b)

    def backward(self, g):
        a, b = self.saved
        return g * b if self.needs(0) else None, g * a if self.needs(1) else None


class BmmBackward0(Function):
    def forward(self, a, b):
        self.saved = _keep_for_other(self, a, b)
        return a @ b

    def backward(self, g):
        a, b = self.saved
        return (g @ np.swapaxes(b, -1, -2) if self.needs(0) else None,
                np.swapaxes(a, -1, -2) @ g if self.needs(1) else None)


class AddmmBackward0(Function):
    """beta * bias + alpha * (m1 @ m2): nn.Linear's forward on a batch."""

    def forward(self, bias, m1, m2, beta=1, alpha=1):
        self.saved = (m1 if self.needs(2) else None, m2 if self.needs(1) else None)
        self.beta, self.alpha = beta, alpha
        prod = _mm(m1, m2)
        if alpha != 1:
            prod = prod * alpha
        if beta == 1 and bias.dtype == prod.dtype and (bias.ndim <= 1 or bias.shape == prod.shape):
            prod += bias  # the product is a fresh array: add into it (nn.Linear's common case)
            return prod
        return prod + bias if beta == 1 else prod + beta * bias

    def backward(self, g):
        m1, m2 = self.saved
        ga = g if self.alpha == 1 else g * self.alpha
        return ((g if self.beta == 1 else g * self.beta),
                mm2(ga, m2.T) if self.needs(1) else None, mm2(m1.T, ga) if self.needs(2) else None)


def _name(d):
    return {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
            "bool": "bool"}[d.name]


def _same_dtype(a, b):
    if a._dtype is not b._dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_name(a._dtype)} != {_name(b._dtype)}")


def _same_device(a, b, arg, op):
    if a._device is not b._device:
        first, other = (a, b) if a._device.type == "cuda" else (b, a)
        raise RuntimeError(f"Expected all tensors to be on the same device, but got {arg} is on "
                           f"{other._device}, different from other tensors on {first._device} "
                           f"(when checking argument in method wrapper_CUDA_{op})")


def _tensors(a, b, op):
    for x, n in ((a, "input"), (b, "other")):
        if not isinstance(x, Tensor):
            raise TypeError(f"{op}(): argument '{n}' must be Tensor, not {type(x).__name__}")


def _mm_checks(m1, m2, op="mm"):
    """torch's errors for a matrix product of m1 (n x k) and m2 (k x m)."""
    s1, s2 = m1._data.shape, m2._data.shape
    if len(s1) != 2:
        raise RuntimeError("self must be a matrix")
    if len(s2) != 2:
        raise RuntimeError("mat2 must be a matrix")
    if s1[1] != s2[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({s1[0]}x{s1[1]} and "
                           f"{s2[0]}x{s2[1]})")
    if m1._dtype is not m2._dtype:
        _same_dtype(m1, m2)
    if m1._device is not m2._device:
        _same_device(m1, m2, "mat2", op)


def mm(input, mat2):
    _tensors(input, mat2, "mm")
    _mm_checks(input, mat2)
    return MmBackward0.apply(input, mat2)


def mv(input, vec):
    _tensors(input, vec, "mv")
    if input._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input._data.ndim}, "
                           f"{vec._data.ndim}")
    if input._data.shape[1] != vec._data.shape[0]:
        n, k = input._data.shape
        raise RuntimeError(f"size mismatch, got input ({n}), mat ({n}x{k}), vec "
                           f"({vec._data.shape[0]})")
    _same_dtype(input, vec)
    _same_device(input, vec, "vec", "mv")
    return MvBackward0.apply(input, vec)


def dot(input, tensor):
    _tensors(input, tensor, "dot")
    if input._data.ndim != 1 or tensor._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input._data.ndim}D and "
                           f"{tensor._data.ndim}D tensors")
    na, nb = input._data.shape[0], tensor._data.shape[0]
    if na != nb:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{na}] and src [{nb}] to "
                           f"have the same number of elements, but got {na} and {nb} elements "
                           "respectively")
    if input._dtype is not tensor._dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{dtypes.short_name(input._dtype)} and "
                           f"{dtypes.short_name(tensor._dtype)}")
    _same_device(input, tensor, "tensor", "dot")
    return DotBackward0.apply(input, tensor)


vdot = dot
inner = dot


def bmm(input, mat2):
    _tensors(input, mat2, "bmm")
    if input._data.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor")
    if mat2._data.ndim != 3:
        raise RuntimeError(f"batch2 must be a 3D tensor")
    (b, n, k), (b2, k2, m) = input._data.shape, mat2._data.shape
    if b != b2 or k != k2:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{b}, {k}] but got: [{b2}, {k2}].")
    _same_dtype(input, mat2)
    _same_device(input, mat2, "mat2", "bmm")
    return BmmBackward0.apply(input, mat2)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    _mm_checks(mat1, mat2, "addmm")
    return AddmmBackward0.apply(input, mat1, mat2, beta=beta, alpha=alpha)


def matmul(input, other):
    """torch.matmul's dispatch: dot, mv, mm, or a folded / batched mm."""
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        _tensors(input, other, "matmul")
    da, db = input._data.ndim, other._data.ndim
    if da == 2 and db == 2:  # the common case first
        _mm_checks(input, other)
        return MmBackward0.apply(input, other)
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D "
                           f"and {db}D")
    if da == 1 and db == 1:
        return dot(input, other)
    if da == 2 and db == 1:
        return mv(input, other)
    if da == 1 and db == 2:  # torch: unsqueeze(0).mm(other).squeeze_(0)
        return shape_ops.squeeze_(mm(shape_ops.unsqueeze(input, 0), other), 0)
    if da == 2 and db == 2:
        return mm(input, other)
    if _all_ones(input._data.shape[:-2]) and db >= 3 and da - 2 <= db - 2:
        # torch treats a matrix with size-1 batch dims as the matrix (then folds it below)
        matrix = input
        while matrix._data.ndim > 2:
            matrix = shape_ops.squeeze(matrix, 0)
        return matmul(matrix, other)
    if _should_fold(input, other):
        return _folded(input, other)
    return _batched(input, other)


def _all_ones(sizes):
    return len(sizes) > 0 and all(s == 1 for s in sizes)


def _should_fold(t1, t2):
    """torch's should_fold: one operand >= 3-D and the other a vector or a matrix, computed as
    one mm on the larger operand's rows (when that needs no copy, or the gradient pays off)."""
    larger = t1._data.ndim >= t2._data.ndim
    big = t1 if larger else t2
    small_dims = t2._data.ndim if larger else t1._data.ndim
    if not (big._data.ndim >= 3 and small_dims <= 2):
        return False
    if t2.requires_grad:
        return True
    if t1._data.ndim == 2:
        return False
    if big._data.size == 0:
        return True
    shape = big._data.shape if larger else big._data.shape[:-2] + big._data.shape[:-3:-1]
    strides = big.stride() if larger else big.stride()[:-2] + big.stride()[:-3:-1]
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(len(shape) - 2))


def _folded(tensor1, tensor2):
    transpose = tensor2._data.ndim > tensor1._data.ndim
    t1 = shape_ops.matrix_transpose(tensor2) if transpose else tensor1
    t2 = tensor2 if not transpose else (shape_ops.t(tensor1) if tensor1._data.ndim == 2
                                        else tensor1)
    out_shape = t1._data.shape[:-1] + ((t2._data.shape[-1],) if t2._data.ndim == 2 else ())
    folded = shape_ops.reshape(t1, -1, t1._data.shape[-1])
    if t2._data.ndim == 1:
        return shape_ops.unsafe_view(mv(folded, t2), out_shape)
    out = shape_ops.unsafe_view(mm(folded, t2), out_shape)
    if not transpose:
        return out
    # torch's output.mT().contiguous(): a real copy with canonical strides
    return shape_ops.clone(shape_ops.matrix_transpose(out), contiguous=True)


def _batched(a, b):
    """Both batched (or a vector times a batch): broadcast the batch dims, then bmm."""
    if a._data.ndim == 1:
        return shape_ops.squeeze(_batched(shape_ops.unsqueeze(a, 0), b), -2)
    if b._data.ndim == 1:
        return shape_ops.squeeze(_batched(a, shape_ops.unsqueeze(b, -1)), -1)
    (n, k), (k2, m) = a._data.shape[-2:], b._data.shape[-2:]
    if k != k2:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{int(np.prod(a._data.shape[:-2]))}, {k}] but got: "
                           f"[{int(np.prod(b._data.shape[:-2]))}, {k2}].")
    from .common import broadcast_shapes
    batch = broadcast_shapes(a._data.shape[:-2], b._data.shape[:-2])
    a3 = shape_ops.reshape(shape_ops.expand(a, batch + (n, k)), -1, n, k)
    b3 = shape_ops.reshape(shape_ops.expand(b, batch + (k, m)), -1, k, m)
    return shape_ops.unsafe_view(bmm(a3, b3), batch + (n, m))


def outer(input, vec2):
    return shape_ops.reshape(input, -1, 1) * vec2


ger = outer


def linear(input, weight, bias=None):
    """F.linear: input @ weight.T + bias, recorded as torch records it: one addmm for a batch
    of rows (other contiguous inputs are flattened to rows and viewed back), else matmul."""
    if bias is not None and input._data.ndim == 2:
        _linear_checks(input, weight, bias)
        if weight._data.ndim == 2 and input._device is CPU and bias._device is CPU:
            return _linear_rows(input, weight, bias)
        return AddmmBackward0.apply(bias, input, shape_ops.t(weight))
    wt = shape_ops.t(weight)
    if bias is not None and input._data.flags.c_contiguous:
        _linear_checks(input, weight, bias)
        lead = input._data.shape[:-1]
        flat = shape_ops.view(input, -1, input._data.shape[-1])
        return shape_ops.view(AddmmBackward0.apply(bias, flat, wt),
                              lead + (weight._data.shape[0],))
    _linear_checks(input, weight, bias)
    out = matmul(input, wt)
    return out if bias is None else out + bias


def _linear_rows(input, weight, bias):
    """AddmmBackward0.apply(bias, input, weight.t()) for checked CPU tensors, built directly:
    the same graph (a TBackward0 node for the weight under the AddmmBackward0, created in that
    order), the same saved values and version checks. nn.Linear is the hot path of every
    training loop, and the general route (a view tensor for weight.t(), two passes through
    Function.apply) cost about as much as a small layer's arithmetic."""
    wt = weight._data.T
    node = _new(AddmmBackward0)
    eb, ei, ew = (edge(bias), edge(input), edge(weight)) if GradMode.enabled else (NO_EDGE,) * 3
    if eb[0] is None and ei[0] is None and ew[0] is None:
        return _make(node.forward(bias._data, input._data, wt))
    et = NO_EDGE
    if ew[0] is not None:
        tn = _new(TBackward0)
        tn.next_functions = (ew,)
        tn._meta = ((weight._data.shape, weight._dtype.np),)
        tn.shape = weight._data.shape
        tn._seq = next_seq()
        et = (tn, 0)
    np_dtype = input._dtype.np
    node._meta = (None if eb[0] is None else (bias._data.shape, np_dtype),
                  None if ei[0] is None else (input._data.shape, np_dtype),
                  None if et[0] is None else (wt.shape, np_dtype))
    result = _make(node.forward(bias._data, input._data, wt))
    node.next_functions = (eb, ei, et)
    node._seq = next_seq()
    # the version checks _saved_versions would note, written out: it costs 1.6 % of a
    # training step here (valgrind), and the saved values are known: input, weight.t()
    m1, m2 = node.saved
    versions = []
    if m1 is not None:
        versions.append((input, input._vc, input._vc[0], None))
    if m2 is not None:  # a view of the weight: what a version error names, as torch would
        w_t = _make(wt)
        w_t._vc, w_t._grad_fn, w_t._nr, w_t._base = weight._vc, et[0], 0, weight
        versions.append((w_t, w_t._vc, w_t._vc[0], None))
    node._versions = tuple(versions)
    result._grad_fn = node
    result._nr = 0
    return result


def _linear_checks(input, weight, bias):
    """F.linear's own message for mismatched dtypes (not the one of `@`), and devices."""
    if input._device is not weight._device:
        _same_device(weight, input, "mat1", "addmm")
    for other in (weight, bias):
        if other is not None and other._dtype is not input._dtype:
            raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                               f"{dtypes.short_name(input._dtype)} and "
                               f"{dtypes.short_name(other._dtype)}")
    k = input._data.shape[-1] if input._data.ndim else 1
    if weight._data.shape[-1] != k:
        rows = input._data.size // k if k else 0
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k} and "
                           f"{weight._data.shape[1]}x{weight._data.shape[0]})")


class TraceBackward0(Function):
    def forward(self, a):
        self.shape = a.shape
        return np.trace(a)

    def backward(self, g):
        grad = np.zeros(self.shape, g.dtype)
        np.fill_diagonal(grad, g)
        return grad


def trace(input):
    if input._data.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim "
                           f"{input._data.ndim}")
    return TraceBackward0.apply(input)

"""torch.nn.functional: activations, linear, losses, dropout, one_hot."""
import warnings

import numpy as np

from .. import dtypes
from ..function import Function
from ..ops import pointwise as _pw, reduce as _red
from ..ops.linalg import linear  # noqa: F401  (re-exported: F.linear)
from ..random import default_generator
from ..ops.common import broadcast_shapes
from ..tensor import _make

sigmoid = _pw.sigmoid
tanh = _pw.tanh


def relu(input, inplace=False):
    return input.relu_() if inplace else _pw.relu(input)


def _float_kernel(input, kernel):
    """torch has no integer kernel for these activations (its NotImplementedError)."""
    if not input._dtype.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{dtypes.short_name(input._dtype)}'")


def _softmax_kernel(name, input, dim):
    last = dim is not None and dim in (-1, input._data.ndim - 1)
    return f"{name}_lastdim_kernel_impl" if last else f"{name}_kernel_impl"


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dtype is None:
        _float_kernel(input, _softmax_kernel("softmax", input, dim))
    return _red.softmax(input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dtype is None:
        _float_kernel(input, _softmax_kernel("log_softmax", input, dim))
    return _red.log_softmax(input, dim, dtype)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    _float_kernel(input, "leaky_relu_cpu")
    if inplace:
        from ..ops.inplace import run_inplace
        return run_inplace(input, _pw.LeakyReluBackward0, negative_slope=negative_slope)
    return _pw.leaky_relu(input, negative_slope)


def relu6(input, inplace=False):
    return _pw.clamp(input, 0, 6)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    return _pw.clamp(input, min_val, max_val)


def softplus(input, beta=1.0, threshold=20.0):
    scaled = input * beta
    return _pw.where(scaled > threshold, input, _pw.log1p(_pw.exp(scaled)) / beta)


def silu(input, inplace=False):
    return input * _pw.sigmoid(input)


def elu(input, alpha=1.0, inplace=False):
    return _pw.where(input > 0, input, alpha * _pw.expm1(input))


def gelu(input, approximate="none"):
    if approximate == "tanh":
        c = float(np.sqrt(2 / np.pi))
        return 0.5 * input * (1 + _pw.tanh(c * (input + 0.044715 * input ** 3)))
    raise NotImplementedError("playground.torch implements gelu(approximate='tanh') only")


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _reduce_array(values, reduction):
    if reduction == "mean":
        # sum / count: what np.mean does, without its Python-level wrapper
        return np.asarray(np.add.reduce(values, axis=None, dtype=values.dtype) /
                          (values.size or np.nan), dtype=values.dtype)
    if reduction == "sum":
        return np.sum(values)
    return values


def _size_warning(input, target, stacklevel=3):
    if input.shape != target.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=stacklevel)


def _check_reduction(reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")


class MseLossBackward0(Function):
    def forward(self, a, b, reduction):
        d = a - b
        self.saved = (d,)
        self.reduction = reduction
        return _reduce_array(d * d, reduction)

    def backward(self, g):
        d = self.saved[0]
        scale = 2.0 / d.size if self.reduction == "mean" else 2.0
        return (g * scale * d if self.needs(0) else None,
                -g * scale * d if self.needs(1) else None)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    return _pair_loss(MseLossBackward0, input, target, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    _check_reduction(reduction)
    _size_warning(input, target)
    return _reduce((input - target).abs(), reduction)


class SmoothL1LossBackward0(Function):
    def forward(self, a, b, reduction, beta):
        d = a - b
        self.saved = (d,)
        self.reduction, self.beta = reduction, beta
        ad = np.abs(d)
        return _reduce_array(np.where(ad < beta, 0.5 * d * d / beta, ad - 0.5 * beta), reduction)

    def backward(self, g):
        d = self.saved[0]
        step = np.where(np.abs(d) < self.beta, d / self.beta, np.sign(d))
        scale = g / d.size if self.reduction == "mean" else g
        return scale * step, -scale * step


class HuberLossBackward0(Function):
    def forward(self, a, b, reduction, delta):
        d = a - b
        self.saved = (d,)
        self.reduction, self.delta = reduction, delta
        ad = np.abs(d)
        return _reduce_array(np.where(ad <= delta, 0.5 * d * d, delta * (ad - 0.5 * delta)),
                             reduction)

    def backward(self, g):
        d = self.saved[0]
        step = np.where(np.abs(d) <= self.delta, d, self.delta * np.sign(d))
        scale = g / d.size if self.reduction == "mean" else g
        return scale * step, -scale * step


def _pair_loss(cls, input, target, reduction, **params):
    _check_reduction(reduction)
    if input._data.shape != target._data.shape:
        _size_warning(input, target, stacklevel=4)
        broadcast_shapes(input._data.shape, target._data.shape)
    return cls.apply(input, target, reduction=reduction,
                     _cast=dtypes.promote_types(input._dtype, target._dtype), **params)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    return _pair_loss(SmoothL1LossBackward0, input, target, reduction, beta=beta)


def huber_loss(input, target, reduction="mean", delta=1.0):
    return _pair_loss(HuberLossBackward0, input, target, reduction, delta=delta)


class NllLossBackward0(Function):
    def forward(self, logp, target, weight, reduction, ignore_index):
        rows = np.arange(target.shape[0]) if logp.ndim > 1 else None
        t = np.where(target == ignore_index, 0, target)
        picked = logp[rows, t] if rows is not None else logp[t]
        w = weight[t] if weight is not None else np.ones(t.shape, logp.dtype)
        w = np.where(target == ignore_index, 0, w).astype(logp.dtype)
        self.shape, self.rows, self.t, self.w = logp.shape, rows, t, w
        self.reduction = reduction
        self.total = w.sum()
        losses = -picked * w
        if reduction == "mean":
            return (losses.sum() / self.total).astype(logp.dtype)
        return _reduce_array(losses, reduction)

    def backward(self, g):
        grad = np.zeros(self.shape, np.result_type(g, self.w))
        scale = (-self.w / self.total if self.reduction == "mean" else -self.w) * g
        if self.rows is not None:
            grad[self.rows, self.t] = scale
        else:
            grad[self.t] = scale
        return grad


def _class_targets(target):
    if target._dtype not in (dtypes.int64, dtypes.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{dtypes.short_name(target._dtype)}")


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    _check_reduction(reduction)
    _class_targets(target)
    if input._data.ndim > 2:
        raise NotImplementedError("playground.torch implements nll_loss / cross_entropy for "
                                  "(N, C) or (C,) inputs only")
    n_in = input._data.shape[0] if input._data.ndim == 2 else 1
    n_t = target._data.shape[0] if target._data.ndim else 1
    if input._data.ndim == 2 and n_in != n_t:
        raise ValueError(f"Expected input batch_size ({n_in}) to match target batch_size "
                         f"({n_t}).")
    classes = input._data.shape[-1]
    bad = target._data[(target._data != ignore_index) &
                        ((target._data < 0) | (target._data >= classes))]
    if bad.size:
        raise IndexError(f"Target {bad.flat[0]} is out of bounds.")
    return NllLossBackward0.apply(input, target=target._data,
                                  weight=weight._data if weight is not None else None,
                                  reduction=reduction, ignore_index=ignore_index)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    class_dim = 1 if input._data.ndim > 1 else 0
    if target._dtype.is_floating_point and target.shape == input.shape:  # class probabilities
        losses = -(target * log_softmax(input, class_dim)).sum(class_dim)
        if reduction == "mean":  # torch divides the sum by the batch size (DivBackward1)
            return DivBackward1.apply(losses.sum(), other=input._data.size //
                                      input._data.shape[class_dim])
        return _reduce(losses, reduction)
    _class_targets(target)
    if label_smoothing:
        raise NotImplementedError("playground.torch does not implement label_smoothing yet")
    return nll_loss(log_softmax(input, 1 if input._data.ndim > 1 else 0), target, weight,
                    ignore_index=ignore_index, reduction=reduction)


class DivBackward1(Function):
    """Division by a number inside an op (torch's div.Scalar): what a mean over a batch is."""

    def forward(self, a, other):
        self.other = other
        return (a / other).astype(a.dtype)

    def backward(self, g):
        return g / self.other


class BinaryCrossEntropyBackward0(Function):
    def forward(self, p, y, weight, reduction):
        logp = np.maximum(np.log(p), -100)
        log1mp = np.maximum(np.log1p(-p), -100)
        self.saved = (p, y)
        self.weight, self.reduction = weight, reduction
        loss = -(y * logp + (1 - y) * log1mp)
        if weight is not None:
            loss = loss * weight
        return _reduce_array(loss.astype(p.dtype), reduction)

    def backward(self, g):
        p, y = self.saved
        eps = 1e-12
        scale = g / p.size if self.reduction == "mean" else g
        if self.weight is not None:
            scale = scale * self.weight
        grad_p = scale * (p - y) / np.maximum((1 - p) * p, eps)
        grad_y = scale * (np.maximum(np.log1p(-p), -100) - np.maximum(np.log(p), -100))
        return grad_p, grad_y


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    _check_reduction(reduction)
    if target._dtype is not input._dtype:
        raise RuntimeError(f"Found dtype {dtypes.short_name(target._dtype)} but expected "
                           f"{dtypes.short_name(input._dtype)}")
    if input.shape != target.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input "
                         f"size ({input.shape}) is deprecated. Please ensure they have the same "
                         "size.")
    p = input._data
    if p.size and (p.min() < 0 or p.max() > 1):
        raise RuntimeError("all elements of input should be between 0 and 1")
    return BinaryCrossEntropyBackward0.apply(input, target,
                                             weight=weight._data if weight is not None else None,
                                             reduction=reduction)


class BinaryCrossEntropyWithLogitsBackward0(Function):
    def forward(self, x, t, weight, pos_weight, reduction):
        # softplus(-x) = log(1 + exp(-x)), written so it never overflows
        sp = np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)
        lw = 1 if pos_weight is None else 1 + (pos_weight - 1) * t
        loss = (1 - t) * x + lw * sp
        if weight is not None:
            loss = loss * weight
        self.saved = (x, t)
        self.weight, self.pos_weight, self.reduction = weight, pos_weight, reduction
        return _reduce_array(loss.astype(x.dtype), reduction)

    def backward(self, g):
        x, t = self.saved
        sig = 1 / (1 + np.exp(-x))
        pw = self.pos_weight
        if pw is None:
            gx, gt = sig - t, -x
        else:
            gx = (pw * t + 1 - t) * sig - pw * t
            gt = -x + (pw - 1) * (np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0))
        scale = g / x.size if self.reduction == "mean" else g
        if self.weight is not None:
            scale = scale * self.weight
        return scale * gx, scale * gt


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    _check_reduction(reduction)
    if input.shape != target.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    return BinaryCrossEntropyWithLogitsBackward0.apply(
        input, target, weight=weight._data if weight is not None else None,
        pos_weight=pos_weight._data if pos_weight is not None else None, reduction=reduction)


def dropout(input, p=0.5, training=True, inplace=False):
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    keep = default_generator.uniform(input._data.shape, np.float32) >= p
    return input * _make((keep / (1 - p)).astype(input._dtype.np), input._device)


def one_hot(tensor, num_classes=-1):
    if tensor._dtype is not dtypes.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    n = int(tensor._data.max()) + 1 if num_classes == -1 else num_classes
    if tensor._data.size and (tensor._data.min() < 0 or tensor._data.max() >= n):
        raise RuntimeError("Class values must be smaller than num_classes.")
    return _make(np.eye(n, dtype=np.int64)[tensor._data], tensor._device)


def normalize(input, p=2.0, dim=1, eps=1e-12):
    n = _red.norm(input, p, dim, keepdim=True).clamp_min(eps)
    return input / n.expand_as(input)


def pad(input, pad, mode="constant", value=0.0):
    raise NotImplementedError("playground.torch does not implement F.pad yet")

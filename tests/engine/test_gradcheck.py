"""Numerical gradient checks of the engine alone, in float64: for every differentiable op the
gradient that backward() puts into the leaves must match central differences of the forward
pass, on hypothesis-drawn shapes, data, dims and indices.

Each spec draws its inputs (numpy float64 arrays) and returns a function f(torch, *leaves)
whose output is weighted by a fixed, non-uniform upstream gradient w and summed:
loss = (f(x...) * w).sum(). Data are drawn away from the kinks of the op (0 for abs/relu,
the bounds of clamp, ties for max/min), where a derivative is not defined.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import playground.torch as ptorch

EPS = 1e-6
RTOL, ATOL = 1e-5, 1e-6
SETTINGS = settings(deadline=None, max_examples=6, derandomize=True,
                    phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.too_slow])


def _weights(shape):
    n = int(np.prod(shape)) if len(shape) else 1
    return np.linspace(-1.0, 2.0, n).reshape(shape) if n > 1 else np.full(shape, 1.5)


def _loss(f, arrays, requires_grad):
    leaves = [ptorch.tensor(a, requires_grad=requires_grad) for a in arrays]
    out = f(ptorch, *leaves)
    return (out * ptorch.tensor(_weights(tuple(out.shape)))).sum(), out, leaves


def gradcheck(f, arrays):
    """Compare backward's gradients with central differences for every input array."""
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    loss, out, leaves = _loss(f, arrays, True)
    assert out.requires_grad, "the op's output does not require grad"
    assert str(out.dtype) == "torch.float64", f"float64 inputs gave {out.dtype}"
    loss.backward()
    for i, (a, leaf) in enumerate(zip(arrays, leaves)):
        analytic = np.zeros_like(a) if leaf.grad is None else leaf.grad.numpy()
        assert analytic.shape == a.shape, f"grad of input {i}: shape {analytic.shape}"
        numeric = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            vals = []
            for step in (EPS, -EPS):
                moved = [b.copy() for b in arrays]
                moved[i][idx] += step
                with ptorch.no_grad():
                    vals.append(_loss(f, moved, False)[0].item())
            numeric[idx] = (vals[0] - vals[1]) / (2 * EPS)
        np.testing.assert_allclose(analytic, numeric, rtol=RTOL, atol=ATOL,
                                   err_msg=f"gradient of input {i} (shape {a.shape})")


# -- drawing data ------------------------------------------------------------------------------

def floats(lo=-2.0, hi=2.0, away=()):
    """floats in [lo, hi], at least 0.05 from each value in `away`, and no denormals."""
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False).filter(
        lambda v: all(abs(v - k) > 0.05 for k in away) and (v == 0 or abs(v) > 1e-3))


def mix(t, *parts):
    """One output from several: each part weighted differently and summed (only mul and sum,
    so a check of indexing does not also depend on cat)."""
    total = None
    for k, p in enumerate(parts):
        term = (p * (k + 1.5)).sum()
        total = term if total is None else total + term
    return total


def arr(data, shape, elements=None, unique=False, label="x"):
    return data.draw(hnp.arrays(np.float64, shape,
                                elements=elements if elements is not None else floats(),
                                unique=unique), label=label)


def shape_of(data, min_dims=0, max_dims=3, min_side=1, max_side=3, label="shape"):
    return data.draw(hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                                      max_side=max_side), label=label)


def spread(data, shape, label="x"):
    """Distinct values at least 0.05 apart (ties make max/min/clamp non-differentiable)."""
    n = int(np.prod(shape))
    perm = data.draw(st.permutations(range(n)), label=label)
    return (np.array(perm, dtype=np.float64) * 0.37 - 1.1).reshape(shape)


def dim_of(data, ndim, label="dim"):
    d = data.draw(st.integers(0, ndim - 1), label=label)
    return d - ndim if data.draw(st.booleans(), label=label + " negative") else d


SPECS = {}


def spec(fn):
    SPECS[fn.__name__] = fn
    return fn


# -- pointwise ---------------------------------------------------------------------------------

UNARY = {
    "exp": (lambda t, x: x.exp(), floats()),
    "log": (lambda t, x: x.log(), floats(0.2, 3.0)),
    "sqrt": (lambda t, x: x.sqrt(), floats(0.2, 3.0)),
    "sin": (lambda t, x: x.sin(), floats()),
    "cos": (lambda t, x: t.cos(x), floats()),
    "tanh": (lambda t, x: x.tanh(), floats()),
    "sigmoid": (lambda t, x: t.sigmoid(x), floats()),
    "relu": (lambda t, x: x.relu(), floats(away=(0,))),
    "abs": (lambda t, x: abs(x), floats(away=(0,))),
    "neg": (lambda t, x: -x, floats()),
    "square": (lambda t, x: t.square(x), floats()),
    "pow_int": (lambda t, x: x ** 3, floats()),
    "pow_frac": (lambda t, x: x ** 1.5, floats(0.2, 3.0)),
    "pow_negative": (lambda t, x: x.pow(-2), floats(0.3, 3.0)),
    "rpow": (lambda t, x: 2.5 ** x, floats()),
    "reciprocal": (lambda t, x: x.reciprocal(), floats(0.3, 3.0)),
    "rdiv": (lambda t, x: 3 / x, floats(0.3, 3.0)),
    "rsub": (lambda t, x: 3 - x * 2, floats()),
    "rsqrt": (lambda t, x: x.rsqrt(), floats(0.3, 3.0)),
    "log1p": (lambda t, x: x.log1p(), floats(-0.5, 3.0)),
    "expm1": (lambda t, x: x.expm1(), floats()),
    "clamp": (lambda t, x: x.clamp(-0.5, 0.7), floats(away=(-0.5, 0.7))),
    "clamp_min": (lambda t, x: x.clamp(min=0.1), floats(away=(0.1,))),
    "clamp_max": (lambda t, x: t.clamp(x, max=-0.2), floats(away=(-0.2,))),
    "leaky_relu": (lambda t, x: t.nn.functional.leaky_relu(x, 0.1), floats(away=(0,))),
    "softplus": (lambda t, x: t.nn.functional.softplus(x), floats()),
    "silu": (lambda t, x: t.nn.functional.silu(x), floats()),
    "elu": (lambda t, x: t.nn.functional.elu(x), floats(away=(0,))),
    "gelu_tanh": (lambda t, x: t.nn.functional.gelu(x, approximate="tanh"), floats()),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@SETTINGS
@given(data=st.data())
def test_unary(name, data):
    f, elements = UNARY[name]
    gradcheck(f, [arr(data, shape_of(data), elements)])


def test_dtype_round_trip_gradient():
    """Through float32 and back (no float64 central differences possible): the derivative is
    the identity, and the gradient comes back in the leaf's dtype."""
    x = ptorch.tensor([[0.5, -1.25], [2.0, 3.0]], dtype=ptorch.float64, requires_grad=True)
    y = x.float().half().double() * 1
    y.backward(ptorch.tensor(_weights((2, 2))))
    np.testing.assert_array_equal(x.grad.numpy(), _weights((2, 2)))
    assert str(x.grad.dtype) == "torch.float64"


BINARY = {
    "add": lambda t, a, b: a + b,
    "sub": lambda t, a, b: t.sub(a, b, alpha=2),
    "mul": lambda t, a, b: a * b,
    "div": lambda t, a, b: a / b,
    "pow": lambda t, a, b: a ** b,
    "maximum": lambda t, a, b: t.maximum(a, b),
    "minimum": lambda t, a, b: t.minimum(a, b),
    "where": lambda t, a, b: t.where(a > 0.3, a, b * 2),
    "clamp_tensor_bounds": lambda t, a, b: a.clamp(min=b, max=b + 1),
    "mse": lambda t, a, b: t.nn.functional.mse_loss(a, b, reduction="none"),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.filterwarnings("ignore:Using a target size")  # mse_loss broadcasting on purpose
@SETTINGS
@given(data=st.data())
def test_binary_broadcasting(name, data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3,
                                                         max_side=3), label="shapes")
    sa, sb = shapes.input_shapes
    a = arr(data, sa, floats(away=(0.3,)), label="a")
    b = arr(data, sb, floats(0.3, 2.0) if name in ("div", "pow") else None, label="b")
    if name == "pow":
        a = np.abs(a) + 0.3
    if name in ("maximum", "minimum", "clamp_tensor_bounds"):
        # keep every pair of broadcast elements apart
        full = np.broadcast_shapes(sa, sb)
        b = b + 0.0
        gap = np.abs(np.broadcast_to(a, full) - np.broadcast_to(b, full))
        gap1 = np.abs(np.broadcast_to(a, full) - np.broadcast_to(b + 1, full))
        if (gap < 0.05).any() or (gap1 < 0.05).any():
            b = b + 5.0 if name != "clamp_tensor_bounds" else b - 5.0
    gradcheck(BINARY[name], [a, b])


# -- reductions --------------------------------------------------------------------------------

REDUCTIONS = {
    "sum": lambda t, x, d, k: x.sum(d, keepdim=k),
    "sum_all": lambda t, x, d, k: x.sum(),
    "mean": lambda t, x, d, k: x.mean(d, keepdim=k),
    "mean_all": lambda t, x, d, k: t.mean(x),
    "prod": lambda t, x, d, k: x.prod(d[0], keepdim=k),
    "prod_all": lambda t, x, d, k: x.prod(),
    "max_dim": lambda t, x, d, k: x.max(d[0], keepdim=k).values,
    "min_dim": lambda t, x, d, k: t.min(x, d[0], keepdim=k)[0],
    "max_all": lambda t, x, d, k: x.max(),
    "min_all": lambda t, x, d, k: x.min(),
    "amax": lambda t, x, d, k: x.amax(d, keepdim=k),
    "amin": lambda t, x, d, k: x.amin(d, keepdim=k),
    "std": lambda t, x, d, k: x.std(d, keepdim=k),
    "std_all": lambda t, x, d, k: x.std(),
    "var": lambda t, x, d, k: x.var(d, keepdim=k),
    "var_biased": lambda t, x, d, k: x.var(d, keepdim=k, unbiased=False),
    "norm": lambda t, x, d, k: x.norm(dim=d, keepdim=k),
    "norm_all": lambda t, x, d, k: x.norm(),
    "norm_p1": lambda t, x, d, k: x.norm(p=1, dim=d, keepdim=k),
    "norm_p3": lambda t, x, d, k: x.norm(p=3, dim=d, keepdim=k),
    "norm_inf": lambda t, x, d, k: x.norm(p=float("inf"), dim=d, keepdim=k),
    "softmax": lambda t, x, d, k: x.softmax(d[0]),
    "log_softmax": lambda t, x, d, k: t.log_softmax(x, dim=d[0]),
    "logsumexp": lambda t, x, d, k: t.logsumexp(x, d[0], keepdim=k),
    "cumsum": lambda t, x, d, k: x.cumsum(d[0]),
}
ONE_DIM = ("prod", "max_dim", "min_dim", "softmax", "log_softmax", "logsumexp", "cumsum")


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@SETTINGS
@given(data=st.data())
def test_reductions(name, data):
    shape = shape_of(data, min_dims=1)
    nd = len(shape)
    count = 1 if name in ONE_DIM else data.draw(
        st.integers(1, min(nd, 2) if name.startswith("norm") else nd), label="ndims")
    axes = data.draw(st.permutations(range(nd)), label="axes")[:count]
    dims = tuple(a - nd if data.draw(st.booleans(), label="negative") else a for a in axes)
    keep = data.draw(st.booleans(), label="keepdim")
    if name.startswith(("std", "var")) and int(np.prod([shape[a] for a in axes])) < 2:
        shape, dims = shape + (2,), (nd,)
    # distinct, away from 0 (norm/prod kinks) and from each other (max/min ties)
    x = spread(data, shape)
    x = np.where(np.abs(x) < 0.05, 0.6, x)
    if name == "norm_inf":
        x = np.abs(x) * np.where(np.arange(x.size).reshape(shape) % 2, 1, -1)
    gradcheck(lambda t, v: REDUCTIONS[name](t, v, dims, keep), [x])


# -- matrix products ---------------------------------------------------------------------------

@spec
def mm(data):
    n, k, m = (data.draw(st.integers(1, 3), label=s) for s in "nkm")
    return (lambda t, a, b: t.mm(a, b)), [arr(data, (n, k)), arr(data, (k, m))]


@spec
def mv(data):
    n, k = (data.draw(st.integers(1, 3), label=s) for s in "nk")
    return (lambda t, a, b: a.mv(b)), [arr(data, (n, k)), arr(data, (k,))]


@spec
def dot(data):
    k = data.draw(st.integers(1, 4), label="k")
    return (lambda t, a, b: t.dot(a, b)), [arr(data, (k,)), arr(data, (k,))]


@spec
def bmm(data):
    bs, n, k, m = (data.draw(st.integers(1, 3), label=s) for s in "bnkm")
    return (lambda t, a, b: t.bmm(a, b)), [arr(data, (bs, n, k)), arr(data, (bs, k, m))]


@spec
def matmul_broadcast(data):
    n, k, m = (data.draw(st.integers(1, 3), label=s) for s in "nkm")
    batch = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2,
                                                        max_side=2), label="batch")
    sa = (k,) if data.draw(st.booleans(), label="a vector") else batch.input_shapes[0] + (n, k)
    sb = (k,) if data.draw(st.booleans(), label="b vector") else batch.input_shapes[1] + (k, m)
    return (lambda t, a, b: a @ b), [arr(data, sa), arr(data, sb)]


@spec
def linear(data):
    n, i, o = (data.draw(st.integers(1, 3), label=s) for s in "nio")
    lead = data.draw(st.sampled_from([(), (n,), (2, n)]), label="lead")
    return ((lambda t, x, w, b: t.nn.functional.linear(x, w, b)),
            [arr(data, lead + (i,)), arr(data, (o, i)), arr(data, (o,))])


@spec
def addmm(data):
    n, k, m = (data.draw(st.integers(1, 3), label=s) for s in "nkm")
    return ((lambda t, c, a, b: t.addmm(c, a, b)),
            [arr(data, (m,)), arr(data, (n, k)), arr(data, (k, m))])


# -- shape ops and views -----------------------------------------------------------------------

@spec
def cat(data):
    shape = shape_of(data, min_dims=1)
    d = dim_of(data, len(shape))
    sizes = data.draw(st.lists(st.integers(1, 3), min_size=2, max_size=3), label="sizes")
    shapes = [shape[:d % len(shape)] + (s,) + shape[d % len(shape) + 1:] for s in sizes]
    arrays = [arr(data, s, label=f"x{i}") for i, s in enumerate(shapes)]
    return (lambda t, *xs: t.cat(xs, d)), arrays


@spec
def stack(data):
    shape = shape_of(data)
    d = dim_of(data, len(shape) + 1)
    n = data.draw(st.integers(2, 3), label="n")
    return (lambda t, *xs: t.stack(xs, dim=d)), [arr(data, shape, label=f"x{i}") for i in range(n)]


@spec
def view_and_reshape(data):
    shape = shape_of(data, min_dims=1)
    n = int(np.prod(shape))
    new = data.draw(st.sampled_from([(-1,), (n, 1), (1, -1, 1)]), label="new shape")
    kind = data.draw(st.sampled_from(["view", "reshape", "reshape of transposed", "flatten"]),
                     label="kind")

    def f(t, x):
        if kind == "view":
            return x.view(*new) * 1
        if kind == "reshape":
            return x.reshape(new)
        if kind == "flatten":
            return x.flatten()
        return x.transpose(0, -1).reshape(new)
    return f, [arr(data, shape)]


@spec
def transposes(data):
    shape = shape_of(data, min_dims=2)
    perm = data.draw(st.permutations(range(len(shape))), label="perm")
    d0, d1 = dim_of(data, len(shape), "d0"), dim_of(data, len(shape), "d1")
    return (lambda t, x: x.permute(*perm).transpose(d0, d1) * x.permute(*perm).transpose(d0, d1)
            ), [arr(data, shape)]


@spec
def t_and_T(data):
    shape = shape_of(data, min_dims=1, max_dims=2)
    return (lambda t, x: x.t() * 2 + (x.T if x.dim() == 2 else x.t())), [arr(data, shape)]


@spec
def expand(data):
    shape = shape_of(data)
    target = data.draw(st.tuples(*[st.sampled_from([s] if s != 1 else [1, 2, 3])
                                   for s in shape]), label="target")
    lead = data.draw(st.sampled_from([(), (2,)]), label="lead")
    return (lambda t, x: x.expand(*(lead + target)) * 1.5), [arr(data, shape)]


@spec
def squeeze_unsqueeze(data):
    shape = shape_of(data, min_side=1, max_side=2)
    d = dim_of(data, len(shape) + 1)
    return (lambda t, x: x.unsqueeze(d).squeeze(d).squeeze() * x.squeeze().sum()
            ), [arr(data, shape)]


@spec
def narrow_and_slices(data):
    shape = shape_of(data, min_dims=1, min_side=2, max_side=4)
    d = dim_of(data, len(shape))
    start = data.draw(st.integers(0, shape[d] - 1), label="start")
    length = data.draw(st.integers(0, shape[d] - start), label="length")
    step = data.draw(st.integers(1, 3), label="step")
    return (lambda t, x: mix(t, x.narrow(d, start, length) ** 2, x[..., ::step])
            ), [arr(data, shape)]


@spec
def multi_output_views(data):
    shape = shape_of(data, min_dims=1, min_side=2, max_side=4)
    d = dim_of(data, len(shape))
    k = data.draw(st.integers(1, shape[d]), label="split size")
    which = data.draw(st.sampled_from(["unbind", "split", "chunk"]), label="which")

    def f(t, x):
        parts = x.unbind(d) if which == "unbind" else (x.split(k, d) if which == "split"
                                                        else x.chunk(k, d))
        return mix(t, *[p * p for i, p in enumerate(parts) if i != 1])
    return f, [arr(data, shape)]


@spec
def flip_repeat_tril(data):
    shape = shape_of(data, min_dims=2, max_dims=2)
    return (lambda t, x: x.flip(0).repeat(2, 1).tril() + x.triu(1).repeat(2, 1)
            ), [arr(data, shape)]


# -- indexing ----------------------------------------------------------------------------------

@spec
def index_get(data):
    shape = shape_of(data, min_dims=1, max_side=4)
    n = shape[0]
    idx = data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=5), label="idx")
    i = data.draw(st.integers(-n, n - 1), label="i")

    def f(t, x):
        return mix(t, x[idx], x[i], x[t.tensor(idx)] * x[t.tensor(idx)], x[1:], x[None, ..., ::2])
    return f, [arr(data, shape)]


@spec
def index_mask(data):
    shape = shape_of(data, min_dims=1)
    mask = data.draw(hnp.arrays(np.bool_, shape), label="mask")
    return (lambda t, x: x[t.tensor(mask)] * 3), [arr(data, shape)]


@spec
def index_mixed(data):
    shape = shape_of(data, min_dims=2, max_dims=3, max_side=3)
    idx = data.draw(st.lists(st.integers(0, shape[1] - 1), min_size=1, max_size=3), label="idx")
    return (lambda t, x: x[:, idx] + x[0, idx].sum()), [arr(data, shape)]


@spec
def index_select_gather(data):
    shape = shape_of(data, min_dims=2, max_dims=2, max_side=3)
    idx = data.draw(st.lists(st.integers(0, shape[1] - 1), min_size=1, max_size=4), label="idx")
    gidx = data.draw(hnp.arrays(np.int64, shape, elements=st.integers(0, shape[1] - 1)),
                     label="gather index")

    def f(t, x):
        return mix(t, x.index_select(1, t.tensor(idx)) ** 2, x.gather(1, t.tensor(gidx)))
    return f, [arr(data, shape)]


@spec
def setitem_into_clone(data):
    shape = shape_of(data, min_dims=1, max_side=4)
    n = shape[0]
    idx = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True),
                    label="idx")
    kind = data.draw(st.sampled_from(["list", "slice", "int", "mask"]), label="kind")

    def f(t, x, v):
        y = x.clone() * 1
        if kind == "list":
            y[idx] = v[: len(idx)] * 2
        elif kind == "slice":
            y[: len(idx)] = v[: len(idx)].exp()
        elif kind == "int":
            y[idx[0]] = v[0] * v[-1]
        else:
            m = t.zeros(n, dtype=t.bool)
            m[idx] = True
            y[m] = v[: len(idx)] + 1
        return y
    return f, [arr(data, shape, label="x"), arr(data, (n,) + shape[1:], label="v")]


@spec
def inplace_on_views_of_non_leaf(data):
    shape = shape_of(data, min_dims=2, max_dims=2, min_side=2)
    op = data.draw(st.sampled_from(["mul_", "add_", "div_", "sub_", "copy_", "exp_", "clamp_",
                                    "zero_", "fill_", "sigmoid_", "tanh_", "pow_"]), label="op")
    where = data.draw(st.sampled_from(["row", "column", "t row", "slice", "whole"]),
                      label="view")

    def f(t, x, w):
        y = x * 1
        v = {"row": lambda: y[0], "column": lambda: y[:, 1], "t row": lambda: y.t()[1],
             "slice": lambda: y[1:, ::2], "whole": lambda: y}[where]()
        other = w[: v.shape[-1]] if v.dim() else w[0]
        if op in ("mul_", "add_", "div_", "sub_", "copy_"):
            getattr(v, op)(other + 3 if op == "div_" else other)
        elif op == "clamp_":
            v.clamp_(-0.9, 0.8)
        elif op == "fill_":
            v.fill_(2.0)
        elif op == "pow_":
            v.pow_(2)
        else:
            getattr(v, op)()
        return y * y
    x = spread(data, shape, "x")
    return f, [x, arr(data, (shape[1],), floats(0.1, 2.0), label="w")]


@spec
def inplace_on_non_leaf_chain(data):
    shape = shape_of(data)

    def f(t, x):
        y = x * 2
        y.add_(1)
        y.mul_(x)
        y.exp_()
        z = y.clone()
        z.sub_(x)
        return z
    return f, [arr(data, shape, floats(-1, 1))]


# -- losses ------------------------------------------------------------------------------------

@spec
def losses(data):
    n, c = data.draw(st.integers(1, 3), label="n"), data.draw(st.integers(2, 4), label="c")
    target = data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n), label="target")
    probs = data.draw(hnp.arrays(np.float64, (n, c), elements=st.floats(0.0, 1.0)), label="p")
    which = data.draw(st.sampled_from(["cross_entropy", "nll", "bce", "bce_logits", "mse", "l1",
                                       "smooth_l1", "huber"]), label="loss")

    def f(t, x):
        F = t.nn.functional
        tgt = t.tensor(target)
        p = t.tensor(probs)
        if which == "cross_entropy":
            return F.cross_entropy(x, tgt)
        if which == "nll":
            return F.nll_loss(F.log_softmax(x, dim=1), tgt)
        if which == "bce":
            return F.binary_cross_entropy(t.sigmoid(x), p)
        if which == "bce_logits":
            return F.binary_cross_entropy_with_logits(x, p)
        if which == "mse":
            return F.mse_loss(x, p)
        if which == "l1":
            return F.l1_loss(x, p)
        if which == "smooth_l1":
            return F.smooth_l1_loss(x, p)
        return F.huber_loss(x, p, delta=0.5)
    x = arr(data, (n, c), floats(2.0, 4.0) if which in ("l1", "smooth_l1", "huber") else None)
    return f, [x]


@pytest.mark.parametrize("name", sorted(SPECS))
@SETTINGS
@given(data=st.data())
def test_op(name, data):
    f, arrays = SPECS[name](data)
    gradcheck(f, arrays)


def test_gradcheck_catches_a_wrong_gradient():
    """The checker itself: a function whose backward is deliberately wrong must fail."""
    def wrong(t, x):
        return x * x.detach()  # forward x**2, but backward sees only d/dx x * const
    with pytest.raises(AssertionError):
        gradcheck(wrong, [np.array([1.0, 2.0])])

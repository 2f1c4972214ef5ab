"""Differential tests of playground.torch.nn against real torch.nn.

Most tests are scenarios written once as ``scenario(T)`` and run with ``T = torch`` and with
``T = playground.torch``; inputs and weights come from numpy with fixed seeds, so both sides
see the same numbers.  ``check_both`` compares what each side returned (tensors: dtype, shape,
requires_grad and values), the exception (``Type: message``) and the warnings.  Where torch's
parameters are random, the engine's module gets a copy of torch's under no_grad.
"""
from __future__ import annotations

import collections
import math
import warnings

import numpy as np
import pytest
import torch

import playground.torch as pt

TENSOR_TYPES = (torch.Tensor, pt.Tensor)


# -- helpers (test_optim.py uses them too) -------------------------------------------------------

def array(t) -> np.ndarray:
    return t.detach().numpy()


def outcome(fn, T):
    """(value, 'Type: message' or None, warnings) of fn(T)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value, error = fn(T), None
        except Exception as exc:
            value, error = None, f"{type(exc).__name__}: {exc}"
    return value, error, [f"{w.category.__name__}: {w.message}" for w in caught]


def assert_same(got, want, rtol=1e-6, atol=1e-7, path="value"):
    """got (engine) matches want (torch): tensors by dtype, shape, requires_grad, values."""
    if isinstance(want, TENSOR_TYPES):
        assert isinstance(got, TENSOR_TYPES), f"{path}: engine gave {got!r}, torch a tensor"
        assert str(got.dtype) == str(want.dtype), f"{path}: dtype {got.dtype} != {want.dtype}"
        assert tuple(got.shape) == tuple(want.shape), \
            f"{path}: shape {tuple(got.shape)} != {tuple(want.shape)}"
        assert got.requires_grad == want.requires_grad, f"{path}: requires_grad differs"
        np.testing.assert_allclose(array(got), array(want), rtol=rtol, atol=atol,
                                   equal_nan=True, err_msg=path)
    elif isinstance(want, dict):
        assert isinstance(got, dict), f"{path}: engine gave {type(got).__name__}"
        assert list(got) == list(want), f"{path}: keys {list(got)} != {list(want)}"
        for k in want:
            assert_same(got[k], want[k], rtol, atol, f"{path}[{k!r}]")
    elif isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(want), \
            f"{path}: engine gave {got!r}, torch {want!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same(g, w, rtol, atol, f"{path}[{i}]")
    elif isinstance(want, float) and isinstance(got, float):
        assert math.isclose(got, want, rel_tol=rtol, abs_tol=atol) or \
            (math.isnan(got) and math.isnan(want)), f"{path}: {got!r} != {want!r}"
    else:
        assert got == want, f"{path}: engine {got!r} != torch {want!r}"


def check_both(fn, rtol=1e-6, atol=1e-7, expect="ok"):
    """Run fn(torch) and fn(engine): same exception, same warnings, same value.  expect says
    what torch must do, so that a scenario broken on both sides cannot pass: "ok" (no
    exception), "error" (an exception) or "error_or_warning"."""
    want, want_err, want_warn = outcome(fn, torch)
    if expect == "ok":
        assert want_err is None, f"the scenario fails on torch itself: {want_err}"
    elif expect == "error":
        assert want_err is not None, "torch raised nothing"
    elif expect == "error_or_warning":
        assert want_err is not None or want_warn, "torch neither raised nor warned"
    got, got_err, got_warn = outcome(fn, pt)
    assert got_err == want_err, f"exception:\n torch  {want_err}\n engine {got_err}"
    assert got_warn == want_warn, f"warnings:\n torch  {want_warn}\n engine {got_warn}"
    assert_same(got, want, rtol, atol)
    return want, got


def rng_tensor(T, shape, seed=0, dtype="float32", requires_grad=False, low=None, high=None):
    rng = np.random.default_rng(seed)
    data = rng.uniform(low, high, shape) if low is not None else rng.standard_normal(shape)
    return T.tensor(data.astype(dtype), requires_grad=requires_grad)


def init_like(module, T, seed=0):
    """Give every parameter numpy-seeded values (the same on both sides)."""
    rng = np.random.default_rng(seed)
    with T.no_grad():
        for _, p in module.named_parameters():
            p.copy_(T.tensor(rng.uniform(-0.5, 0.5, tuple(p.shape)).astype(np.float32)))
    return module


def copy_torch_params(src, dst):
    """torch module src -> engine module dst, parameter by parameter, under no_grad."""
    dst_params = dict(dst.named_parameters())
    assert list(dst_params) == [n for n, _ in src.named_parameters()]
    with pt.no_grad():
        for name, p in src.named_parameters():
            dst_params[name].copy_(pt.tensor(array(p)))


def grad_fn_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


# -- Module -----------------------------------------------------------------------------------

def make_net(T):
    nn = T.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(2, 3), nn.Tanh(),
                                      nn.Sequential(nn.Linear(3, 3), nn.ReLU()))
            self.scale = nn.Parameter(T.ones(1))
            self.head = nn.Linear(3, 1, bias=False)
            self.act = nn.Sigmoid()
            self.plain = T.ones(2)  # a plain tensor attribute: neither parameter nor buffer
            self.register_buffer("running", T.zeros(3))
            self.register_buffer("scratch", T.zeros(1), persistent=False)

        def forward(self, x):
            return self.act(self.head(self.body(x)) * self.scale)

    return init_like(Net(), T)


def test_parameters_and_names():
    def scenario(T):
        net = make_net(T)
        return {"named": [(n, tuple(p.shape), p.requires_grad, type(p).__name__)
                          for n, p in net.named_parameters()],
                "parameters": [tuple(p.shape) for p in net.parameters()],
                "no_recurse": [n for n, _ in net.named_parameters(recurse=False)],
                "prefixed": [n for n, _ in net.named_parameters(prefix="net")],
                "buffers": [n for n, _ in net.named_buffers()],
                "count": sum(p.numel() for p in net.parameters())}
    check_both(scenario)


def test_children_and_modules():
    def scenario(T):
        net = make_net(T)
        return {"children": [type(m).__name__ for m in net.children()],
                "named_children": [n for n, _ in net.named_children()],
                "modules": [type(m).__name__ for m in net.modules()],
                "named_modules": [n for n, _ in net.named_modules()],
                "body_children": [type(m).__name__ for m in net.body.children()],
                "len_body": len(net.body),
                "index": [type(net.body[0]).__name__, type(net.body[-1]).__name__],
                "slice": repr(net.body[1:]),
                "iter": [type(m).__name__ for m in net.body]}
    check_both(scenario)


def test_shared_module_is_listed_once():
    def scenario(T):
        lin = T.nn.Linear(2, 2)
        seq = T.nn.Sequential(lin, T.nn.ReLU(), lin)
        return ([n for n, _ in seq.named_parameters()], [n for n, _ in seq.named_modules()],
                len(list(seq.children())), repr(seq))
    check_both(scenario)


def test_call_runs_forward():
    def scenario(T):
        net = make_net(T)
        x = rng_tensor(T, (4, 2))
        out = net(x)
        return out, grad_fn_name(out), net.forward(x)
    check_both(scenario)


def test_module_without_forward():
    def scenario(T):
        class Empty(T.nn.Module):
            pass
        return Empty()(T.ones(1))
    check_both(scenario, expect="error")


def test_zero_grad_set_to_none_default():
    def scenario(T):
        net = make_net(T)
        net(rng_tensor(T, (4, 2))).sum().backward()
        before = [p.grad is None for p in net.parameters()]
        net.zero_grad()
        return before, [p.grad for p in net.parameters()]
    check_both(scenario)


def test_zero_grad_set_to_none_false():
    def scenario(T):
        net = make_net(T)
        net(rng_tensor(T, (4, 2))).sum().backward()
        net.zero_grad(set_to_none=False)
        grads = [p.grad for p in net.parameters()]
        # and the zeroed grads accumulate again from zero
        net(rng_tensor(T, (4, 2))).sum().backward()
        return grads, [g.grad_fn is None for g in grads], [p.grad for p in net.parameters()]
    check_both(scenario)


def test_train_eval_flags():
    def scenario(T):
        net = make_net(T)
        flags = [[m.training for m in net.modules()]]
        assert net.eval() is net
        flags.append([m.training for m in net.modules()])
        net.body.train()
        flags.append([m.training for m in net.modules()])
        assert net.train(False) is net
        flags.append([m.training for m in net.modules()])
        return flags
    check_both(scenario)


def test_apply_visits_children_first():
    def scenario(T):
        net = make_net(T)
        seen = []

        def init(m):
            seen.append(type(m).__name__)
            if isinstance(m, T.nn.Linear):
                T.nn.init.constant_(m.weight, 0.5)
        assert net.apply(init) is net
        return seen, [p for n, p in net.named_parameters() if n.endswith("weight")]
    check_both(scenario)


def test_dropout_train_and_eval():
    def scenario(T):
        T.manual_seed(0)
        drop = T.nn.Dropout(0.25)
        x = T.ones(200, 500)
        y = drop(x)
        values = sorted(set(np.round(array(y), 5).ravel().tolist()))
        # 100,000 draws: the fraction dropped is within 0.01 of p (7 standard deviations)
        zero_fraction = abs(float((y == 0).float().mean()) - 0.25) < 0.01
        drop.eval()
        return values, zero_fraction, drop(x) is x or bool((drop(x) == x).all()), \
            T.nn.functional.dropout(x, 0.25, training=False) is x
    check_both(scenario)


def test_train_mode_must_be_bool():
    check_both(lambda T: T.nn.Linear(2, 2).train("yes"), expect="error")


REPR_CASES = {
    "linear": lambda T: T.nn.Linear(2, 3),
    "linear_nobias": lambda T: T.nn.Linear(2, 3, bias=False),
    "relu": lambda T: T.nn.ReLU(),
    "relu_inplace": lambda T: T.nn.ReLU(inplace=True),
    "sigmoid": lambda T: T.nn.Sigmoid(),
    "tanh": lambda T: T.nn.Tanh(),
    "softmax": lambda T: T.nn.Softmax(dim=1),
    "softmax_nodim": lambda T: T.nn.Softmax(),
    "leaky_relu": lambda T: T.nn.LeakyReLU(),
    "leaky_relu_slope": lambda T: T.nn.LeakyReLU(0.2),
    "dropout": lambda T: T.nn.Dropout(),
    "dropout_p": lambda T: T.nn.Dropout(0.1),
    "flatten": lambda T: T.nn.Flatten(),
    "identity": lambda T: T.nn.Identity(),
    "mse": lambda T: T.nn.MSELoss(),
    "l1_sum": lambda T: T.nn.L1Loss(reduction="sum"),
    "cross_entropy": lambda T: T.nn.CrossEntropyLoss(),
    "nll": lambda T: T.nn.NLLLoss(),
    "bce": lambda T: T.nn.BCELoss(),
    "bce_logits": lambda T: T.nn.BCEWithLogitsLoss(),
    "sequential": lambda T: T.nn.Sequential(T.nn.Linear(2, 32), T.nn.Tanh(),
                                            T.nn.Linear(32, 32), T.nn.ReLU(),
                                            T.nn.Linear(32, 1)),
    "nested_sequential": lambda T: T.nn.Sequential(
        T.nn.Sequential(T.nn.Linear(2, 3), T.nn.ReLU()),
        T.nn.Sequential(T.nn.Sequential(T.nn.Linear(3, 3)), T.nn.Softmax(dim=-1))),
    "ordered_dict_sequential": lambda T: T.nn.Sequential(collections.OrderedDict(
        [("fc", T.nn.Linear(2, 3)), ("act", T.nn.LeakyReLU(0.1))])),
    "empty_sequential": lambda T: T.nn.Sequential(),
    "module_list": lambda T: T.nn.ModuleList([T.nn.Linear(1, 1), T.nn.ReLU()]),
    "module_dict": lambda T: T.nn.ModuleDict({"a": T.nn.Linear(1, 2), "b": T.nn.Tanh()}),
    "custom": make_net,
}


@pytest.mark.parametrize("case", list(REPR_CASES))
def test_module_repr(case):
    check_both(lambda T: repr(REPR_CASES[case](T)))


def test_custom_module_repr_with_extra_repr():
    def scenario(T):
        class Scaled(T.nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = T.nn.Linear(2, 2)

            def extra_repr(self):
                return "factor=2"

        class Bare(T.nn.Module):
            def forward(self, x):
                return x

        return repr(Scaled()), repr(Bare()), str(T.nn.Sequential(Bare(), Scaled()))
    check_both(scenario)


def test_parameter_repr():
    def scenario(T):
        p = T.nn.Parameter(T.tensor([1.0, 2.0]))
        q = T.nn.Parameter(T.tensor([[1.5, -2.0]]), requires_grad=False)
        lin = init_like(T.nn.Linear(2, 2), T)
        return (repr(p), str(p), repr(q), repr(lin.weight), repr(lin.bias),
                p.is_leaf, p.requires_grad, isinstance(p, T.Tensor), type(p).__name__,
                repr(T.nn.Parameter(T.tensor([1.0, 2.0], dtype=T.float64))))
    check_both(scenario)


TYPE_CASES = {
    "Tensor": lambda T: T.ones(1),
    "Parameter": lambda T: T.nn.Parameter(T.ones(1)),
    "Module": lambda T: T.nn.Module(),
    "Linear": lambda T: T.nn.Linear(1, 1),
    "Sequential": lambda T: T.nn.Sequential(),
    "ReLU": lambda T: T.nn.ReLU(),
    "Softmax": lambda T: T.nn.Softmax(dim=0),
    "MSELoss": lambda T: T.nn.MSELoss(),
    "CrossEntropyLoss": lambda T: T.nn.CrossEntropyLoss(),
    "grad_fn": lambda T: (T.ones(1, requires_grad=True) * 2).grad_fn,
}


@pytest.mark.parametrize("case", list(TYPE_CASES))
def test_type_repr(case):
    """print(type(x)) in a lesson shows torch's module path."""
    check_both(lambda T: repr(type(TYPE_CASES[case](T))))


def test_state_dict():
    def scenario(T):
        net = make_net(T)
        sd = net.state_dict()
        return (type(sd).__name__, list(sd), {k: v for k, v in sd.items()},
                [v.requires_grad for v in sd.values()])
    check_both(scenario)


def test_state_dict_shares_memory_with_parameters():
    def scenario(T):
        lin = init_like(T.nn.Linear(2, 2), T)
        lin.state_dict()["weight"].fill_(3.0)
        return lin.weight
    check_both(scenario)


def test_load_state_dict_round_trip():
    def scenario(T):
        src, dst = make_net(T), init_like(make_net(T), T, seed=5)
        result = dst.load_state_dict(src.state_dict())
        return repr(result), dst.state_dict(), [p.requires_grad for p in dst.parameters()]
    check_both(scenario)


LOAD_CASES = {
    "missing": lambda T: T.nn.Linear(3, 2).load_state_dict({"weight": T.ones(2, 3)}),
    "unexpected": lambda T: T.nn.Linear(3, 2).load_state_dict(
        {"weight": T.ones(2, 3), "bias": T.ones(2), "extra": T.ones(1)}),
    "both": lambda T: T.nn.Linear(3, 2).load_state_dict({"weight": T.ones(2, 3), "b": T.ones(2)}),
    "nested_missing": lambda T: T.nn.Sequential(T.nn.Linear(1, 1)).load_state_dict({}),
    "size_mismatch": lambda T: T.nn.Linear(3, 2).load_state_dict(
        {"weight": T.ones(2, 4), "bias": T.ones(2)}),
    "not_strict": lambda T: repr(T.nn.Linear(3, 2).load_state_dict(
        {"weight": T.ones(2, 3), "extra": T.ones(1)}, strict=False)),
    "not_strict_clean": lambda T: repr(T.nn.Linear(3, 2).load_state_dict(
        {"weight": T.ones(2, 3), "bias": T.ones(2)}, strict=False)),
}


@pytest.mark.parametrize("case", list(LOAD_CASES))
def test_load_state_dict_errors(case):
    check_both(LOAD_CASES[case], expect="ok" if case.startswith("not_strict") else "error")


def test_module_to_dtype():
    def scenario(T):
        net = make_net(T)
        net.register_buffer("steps", T.zeros(2, dtype=T.int64))
        same = net.to(T.float64) is net
        out = net(rng_tensor(T, (2, 2), dtype="float64"))
        dtypes = sorted((n, str(t.dtype)) for n, t in [*net.named_parameters(),
                                                        *net.named_buffers()])
        net.float()
        back = [str(p.dtype) for p in net.parameters()]
        net.double()
        return same, out, dtypes, back, [str(p.dtype) for p in net.parameters()], \
            [p.requires_grad for p in net.parameters()], type(net.scale).__name__
    check_both(scenario)


# -- Linear -----------------------------------------------------------------------------------

def test_linear_forward_backward_matches_torch():
    torch.manual_seed(0)
    tl = torch.nn.Linear(4, 3)
    el = pt.nn.Linear(4, 3)
    copy_torch_params(tl, el)
    x = np.random.default_rng(1).standard_normal((5, 4)).astype(np.float32)
    outs = []
    for T, lin in ((torch, tl), (pt, el)):
        xt = T.tensor(x, requires_grad=True)
        y = lin(xt)
        (y ** 2).sum().backward()
        outs.append((y, grad_fn_name(y), lin.weight.grad, lin.bias.grad, xt.grad))
    assert_same(outs[1], outs[0], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape", [(5, 4), (4,), (2, 5, 4)], ids=["2d", "1d", "3d"])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_shapes_and_grad_fn(shape, bias):
    def scenario(T):
        lin = init_like(T.nn.Linear(4, 3, bias=bias), T)
        x = rng_tensor(T, shape, requires_grad=True)
        y = lin(x)
        y.sum().backward()
        return y, grad_fn_name(y), x.grad, lin.weight.grad
    check_both(scenario, rtol=1e-5, atol=1e-6)


def test_linear_wrong_input_size():
    check_both(lambda T: T.nn.Linear(4, 3)(T.ones(2, 5)), expect="error")


def test_linear_dtype_mismatch():
    check_both(lambda T: T.nn.Linear(4, 3)(T.ones(2, 4, dtype=T.float64)), expect="error")


def test_linear_integer_input():
    check_both(lambda T: T.nn.Linear(2, 1)(T.tensor([[1, 2]])), expect="error")


def test_linear_attributes():
    def scenario(T):
        lin = T.nn.Linear(4, 3)
        l64 = T.nn.Linear(2, 2, dtype=T.float64)
        return (lin.in_features, lin.out_features, str(lin.weight.dtype), tuple(lin.weight.shape),
                tuple(lin.bias.shape), lin.weight.requires_grad, lin.weight.is_leaf,
                str(l64.weight.dtype), str(l64.bias.dtype), T.nn.Linear(2, 2, bias=False).bias)
    check_both(scenario)


def _assert_uniform(values, bound, what):
    """values look like U(-bound, bound): within bounds, and mean, variance and a 10-bin
    histogram within a few standard errors of the uniform's (n >= 1e5 keeps these tight)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    n = v.size
    assert np.abs(v).max() <= bound * (1 + 1e-6), f"{what}: outside +-{bound}"
    var = bound ** 2 / 3
    assert abs(v.mean()) < 5 * math.sqrt(var / n), f"{what}: mean {v.mean()}"
    # the sample variance of U(-b, b) has standard error b^2 * sqrt(4 / (45 n))
    assert abs(v.var() - var) < 5 * bound ** 2 * math.sqrt(4 / (45 * n)), \
        f"{what}: variance {v.var()} vs {var}"
    counts, _ = np.histogram(v, bins=10, range=(-bound, bound))
    expected = n / 10
    assert np.all(np.abs(counts - expected) < 5 * math.sqrt(expected)), \
        f"{what}: histogram {counts.tolist()}"
    # and it is not a narrower uniform: the extremes come close to the bound
    assert np.abs(v).max() > bound * (1 - 20 / n)


@pytest.mark.parametrize("T", [torch, pt], ids=["torch", "engine"])
def test_linear_init_distribution(T):
    """torch's Linear init: weight and bias ~ U(-1/sqrt(in), 1/sqrt(in)).  Checked on torch
    too, to show the statistical test itself holds."""
    T.manual_seed(0)
    bound = 1 / math.sqrt(250)
    weights, biases = [], []
    for _ in range(4):
        lin = T.nn.Linear(250, 100)
        weights.append(array(lin.weight))
        biases.append(array(lin.bias))
    _assert_uniform(np.concatenate([w.ravel() for w in weights]), bound, "weight")
    # 400 biases: bounds, and mean/variance loosely
    b = np.concatenate(biases)
    assert np.abs(b).max() <= bound * (1 + 1e-6)
    assert abs(b.mean()) < 5 * bound / math.sqrt(3 * b.size)
    assert abs(b.var() / (bound ** 2 / 3) - 1) < 0.25
    # each layer is freshly random
    assert not np.array_equal(weights[0], weights[1])


def test_linear_init_is_seeded():
    pt.manual_seed(3)
    a = array(pt.nn.Linear(5, 5).weight)
    pt.manual_seed(3)
    b = array(pt.nn.Linear(5, 5).weight)
    np.testing.assert_array_equal(a, b)


# -- activations ------------------------------------------------------------------------------

ACTIVATIONS = {
    "ReLU": lambda T: T.nn.ReLU(),
    "Sigmoid": lambda T: T.nn.Sigmoid(),
    "Tanh": lambda T: T.nn.Tanh(),
    "Softmax1": lambda T: T.nn.Softmax(dim=1),
    "Softmax0": lambda T: T.nn.Softmax(dim=0),
    "SoftmaxNeg": lambda T: T.nn.Softmax(dim=-1),
    "LeakyReLU": lambda T: T.nn.LeakyReLU(),
    "LeakyReLU0.2": lambda T: T.nn.LeakyReLU(0.2),
    "F.relu": lambda T: T.nn.functional.relu,
    "F.sigmoid": lambda T: T.nn.functional.sigmoid,
    "F.tanh": lambda T: T.nn.functional.tanh,
    "F.softmax": lambda T: lambda x: T.nn.functional.softmax(x, dim=1),
    "F.leaky_relu": lambda T: lambda x: T.nn.functional.leaky_relu(x, 0.2),
    "F.leaky_relu_default": lambda T: T.nn.functional.leaky_relu,
    "torch.relu": lambda T: T.relu,
    "torch.sigmoid": lambda T: T.sigmoid,
    "torch.tanh": lambda T: T.tanh,
    "torch.softmax": lambda T: lambda x: T.softmax(x, 1),
    "Tensor.relu": lambda T: lambda x: x.relu(),
    "Tensor.sigmoid": lambda T: lambda x: x.sigmoid(),
    "Tensor.tanh": lambda T: lambda x: x.tanh(),
    "Tensor.softmax": lambda T: lambda x: x.softmax(dim=1),
}


def _activation_input(T, dtype="float32"):
    data = np.array([[-2.0, -0.5, 0.0, 0.5], [3.0, 0.0, -1.0, 1e-3], [10.0, -10.0, 0.25, 2.0]],
                    dtype=dtype)
    return T.tensor(data, requires_grad=True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_values_and_grads(name, dtype):
    def scenario(T):
        fn = ACTIVATIONS[name](T)
        x = _activation_input(T, dtype)
        y = fn(x)
        weights = T.tensor(np.arange(12, dtype=dtype).reshape(3, 4) / 7)
        (y * weights).sum().backward()
        return y, grad_fn_name(y), x.grad
    check_both(scenario, rtol=1e-6 if dtype == "float32" else 1e-12, atol=1e-7)


@pytest.mark.parametrize("name", ["ReLU", "Sigmoid", "Tanh", "F.softmax", "LeakyReLU"])
def test_activation_on_integer_input(name):
    # torch computes some in float, and has no integer kernel for others: either way, alike
    check_both(lambda T: ACTIVATIONS[name](T)(T.tensor([-1, 1, 0, 3]).reshape(2, 2)),
               expect=None)


def test_activation_reprs_of_outputs():
    def scenario(T):
        x = _activation_input(T)
        return [repr(T.nn.ReLU()(x)), repr(T.nn.Sigmoid()(x)), repr(T.nn.Tanh()(x)),
                repr(T.nn.Softmax(dim=1)(x)), repr(T.nn.LeakyReLU(0.2)(x))]
    check_both(scenario)


def test_softmax_implicit_dim_warns():
    def scenario(T):
        x = rng_tensor(T, (2, 3))
        return T.nn.Softmax()(x), T.nn.functional.softmax(x), T.nn.functional.softmax(x[0])
    check_both(scenario)


def test_leaky_relu_inplace_and_relu_inplace():
    def scenario(T):
        x = rng_tensor(T, (2, 3))
        y = T.nn.ReLU(inplace=True)(x)
        z = rng_tensor(T, (2, 3), seed=1)
        w = T.nn.LeakyReLU(0.1, inplace=True)(z)
        u = rng_tensor(T, (2, 3), seed=2)
        v = T.nn.functional.relu(u, inplace=True)
        return x, y is x, z, w is z, u, v is u, T.nn.functional.relu(u, False) is u
    check_both(scenario)


# -- losses -----------------------------------------------------------------------------------

def _loss_inputs(T, kind):
    rng = np.random.default_rng(7)
    if kind in ("MSELoss", "L1Loss"):
        x = rng.standard_normal((4, 3)).astype(np.float32)
        y = rng.standard_normal((4, 3)).astype(np.float32)
        return T.tensor(x, requires_grad=True), T.tensor(y)
    if kind in ("CrossEntropyLoss", "NLLLoss"):
        logits = rng.standard_normal((5, 4)).astype(np.float32)
        if kind == "NLLLoss":  # log-probabilities, as a leaf
            logits = logits - np.log(np.exp(logits).sum(1, keepdims=True))
        return T.tensor(logits, requires_grad=True), T.tensor([0, 3, 1, 1, 2])
    if kind == "BCELoss":
        p = rng.uniform(0.05, 0.95, (6,)).astype(np.float32)
        return T.tensor(p, requires_grad=True), T.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    if kind == "BCEWithLogitsLoss":
        z = (rng.standard_normal((3, 2)) * 3).astype(np.float32)
        return T.tensor(z, requires_grad=True), T.tensor([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    raise ValueError(kind)


FUNCTIONAL = {"MSELoss": "mse_loss", "L1Loss": "l1_loss", "CrossEntropyLoss": "cross_entropy",
              "NLLLoss": "nll_loss", "BCELoss": "binary_cross_entropy",
              "BCEWithLogitsLoss": "binary_cross_entropy_with_logits"}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("kind", list(FUNCTIONAL))
@pytest.mark.parametrize("form", ["module", "functional"])
def test_loss(kind, reduction, form):
    def scenario(T):
        x, y = _loss_inputs(T, kind)
        if form == "module":
            loss = getattr(T.nn, kind)(reduction=reduction)(x, y)
        else:
            loss = getattr(T.nn.functional, FUNCTIONAL[kind])(x, y, reduction=reduction)
        out = loss.sum() * 1.0 if reduction == "none" else loss
        if reduction == "none":
            g = np.linspace(0.5, 2.0, loss.numel()).reshape(tuple(loss.shape)).astype(np.float32)
            loss.backward(T.tensor(g))
        else:
            loss.backward()
        return loss, grad_fn_name(loss), x.grad, out
    check_both(scenario, rtol=1e-5, atol=1e-6)


LOSS_OPTION_CASES = {
    "ce_weight": lambda T, x, y: T.nn.CrossEntropyLoss(
        weight=T.tensor([1.0, 2.0, 0.5, 1.5]))(x, y),
    "ce_weight_sum": lambda T, x, y: T.nn.CrossEntropyLoss(
        weight=T.tensor([1.0, 2.0, 0.5, 1.5]), reduction="sum")(x, y),
    "ce_ignore_index": lambda T, x, y: T.nn.CrossEntropyLoss(ignore_index=1)(x, y),
    "ce_probabilities": lambda T, x, y: T.nn.CrossEntropyLoss()(
        x, T.softmax(T.tensor(np.arange(20, dtype=np.float32).reshape(5, 4) / 10), 1)),
    "ce_1d_input": lambda T, x, y: T.nn.functional.cross_entropy(x[0], y[1]),
    "nll_weight": lambda T, x, y: T.nn.NLLLoss(weight=T.tensor([1.0, 2.0, 0.5, 1.5]))(
        T.log_softmax(x, 1), y),
}


@pytest.mark.parametrize("case", list(LOSS_OPTION_CASES))
def test_loss_options(case):
    def scenario(T):
        x, y = _loss_inputs(T, "CrossEntropyLoss")
        loss = LOSS_OPTION_CASES[case](T, x, y)
        loss.sum().backward()
        return loss, grad_fn_name(loss), x.grad
    check_both(scenario, rtol=1e-5, atol=1e-6)


def test_bce_weight_and_bce_logits_pos_weight():
    def scenario(T):
        p, y = _loss_inputs(T, "BCELoss")
        a = T.nn.BCELoss(weight=T.tensor([1.0, 2.0, 1.0, 0.5, 1.0, 3.0]))(p, y)
        z, t = _loss_inputs(T, "BCEWithLogitsLoss")
        b = T.nn.BCEWithLogitsLoss(pos_weight=T.tensor([2.0, 0.5]))(z, t)
        (a + b).backward()
        return a, b, p.grad, z.grad
    check_both(scenario, rtol=1e-5, atol=1e-6)


def test_bce_extreme_probabilities():
    def scenario(T):
        p = T.tensor([0.0, 1.0, 1e-30, 1.0 - 1e-7], requires_grad=True)
        loss = T.nn.BCELoss(reduction="none")(p, T.tensor([1.0, 0.0, 1.0, 0.0]))
        return loss
    check_both(scenario, rtol=1e-5)


def _ce(T):
    return _loss_inputs(T, "CrossEntropyLoss")


LOSS_ERROR_CASES = {
    "ce_int32_target": lambda T: T.nn.CrossEntropyLoss()(_ce(T)[0], _ce(T)[1].int()),
    "ce_float_target_wrong_shape": lambda T: T.nn.CrossEntropyLoss()(
        _ce(T)[0], _ce(T)[1].float()),
    "ce_batch_mismatch": lambda T: T.nn.CrossEntropyLoss()(_ce(T)[0], T.tensor([0, 1])),
    "ce_target_out_of_bounds": lambda T: T.nn.CrossEntropyLoss()(
        _ce(T)[0], T.tensor([0, 1, 7, 1, 0])),
    "ce_negative_target": lambda T: T.nn.CrossEntropyLoss()(_ce(T)[0], T.tensor([0, 1, -3, 1, 0])),
    "ce_2d_target": lambda T: T.nn.CrossEntropyLoss()(_ce(T)[0], T.tensor([[0, 1, 2, 1, 0]])),
    "nll_float_target": lambda T: T.nn.NLLLoss()(_ce(T)[0], _ce(T)[1].float()),
    "mse_size_mismatch_warns": lambda T: T.nn.MSELoss()(
        T.tensor([[1.0], [2.0], [3.0]]), T.tensor([1.0, 2.5, 2.0])),
    "mse_broadcast_fails": lambda T: T.nn.MSELoss()(T.ones(3, 2), T.ones(4)),
    "mse_long_target": lambda T: T.nn.MSELoss()(T.ones(3), T.tensor([1, 2, 3])),
    "mse_long_target_backward": lambda T: T.nn.MSELoss()(
        T.ones(3, requires_grad=True), T.tensor([1, 2, 3])).backward(),
    "l1_size_mismatch_warns": lambda T: T.nn.L1Loss()(T.ones(3, 1), T.ones(3)),
    "bce_size_mismatch": lambda T: T.nn.BCELoss()(T.full((3, 1), 0.5), T.ones(3)),
    "bce_out_of_range": lambda T: T.nn.BCELoss()(T.tensor([0.5, 1.5]), T.tensor([1.0, 0.0])),
    "bce_long_target": lambda T: T.nn.BCELoss()(T.tensor([0.5, 0.2]), T.tensor([1, 0])),
    "bce_logits_size_mismatch": lambda T: T.nn.BCEWithLogitsLoss()(T.ones(3, 1), T.ones(3)),
    "bad_reduction": lambda T: T.nn.MSELoss(reduction="avg")(T.ones(2), T.ones(2)),
    "bad_reduction_functional": lambda T: T.nn.functional.l1_loss(T.ones(2), T.ones(2),
                                                                  reduction="avg"),
}


@pytest.mark.parametrize("case", list(LOSS_ERROR_CASES))
def test_loss_bad_inputs(case):
    # torch takes an integer target in mse_loss, forward and backward
    check_both(LOSS_ERROR_CASES[case],
               expect=None if case.startswith("mse_long") else "error_or_warning")


# -- nn.init ------------------------------------------------------------------------------------

def test_init_constants():
    def scenario(T):
        w = T.nn.Parameter(T.empty(3, 4))
        r = [T.nn.init.zeros_(w) is w, w.clone()]
        T.nn.init.ones_(w)
        r.append(w.clone())
        T.nn.init.constant_(w, 0.3)
        r += [w, w.is_leaf, w.grad_fn is None, w.requires_grad]
        T.nn.init.eye_(w)
        return r + [w.clone()]
    check_both(scenario)


@pytest.mark.parametrize("T", [torch, pt], ids=["torch", "engine"])
def test_init_random_fills(T):
    T.manual_seed(0)
    init = T.nn.init
    w = T.empty(400, 500)  # fan_in 500, fan_out 400
    assert init.uniform_(w, -2.0, 3.0) is w
    v = array(w)
    assert v.min() >= -2 and v.max() <= 3 and abs(v.mean() - 0.5) < 0.02
    init.normal_(w, 1.0, 2.0)
    v = array(w)
    assert abs(v.mean() - 1) < 0.02 and abs(v.std() - 2) < 0.02
    xb = math.sqrt(6 / 900)
    init.xavier_uniform_(w)
    _assert_uniform(array(w), xb, "xavier_uniform_")
    init.xavier_uniform_(w, gain=2.0)
    _assert_uniform(array(w), 2 * xb, "xavier_uniform_ gain 2")
    init.xavier_normal_(w)
    assert abs(array(w).std() / math.sqrt(2 / 900) - 1) < 0.01
    init.kaiming_uniform_(w)  # a=0, leaky_relu: gain sqrt(2), bound sqrt(6 / fan_in)
    _assert_uniform(array(w), math.sqrt(6 / 500), "kaiming_uniform_")
    init.kaiming_uniform_(w, a=math.sqrt(5))
    _assert_uniform(array(w), 1 / math.sqrt(500), "kaiming_uniform_ a=sqrt(5)")
    init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")
    _assert_uniform(array(w), math.sqrt(6 / 400), "kaiming_uniform_ fan_out")
    init.kaiming_normal_(w)
    assert abs(array(w).std() / math.sqrt(2 / 500) - 1) < 0.01
    assert abs(array(w).mean()) < 0.001


def test_init_gain_and_errors():
    def scenario(T):
        init = T.nn.init
        gains = [init.calculate_gain(n) for n in ("linear", "sigmoid", "tanh", "relu", "selu")]
        gains.append(init.calculate_gain("leaky_relu", 0.2))
        return gains
    check_both(scenario)
    check_both(lambda T: T.nn.init.xavier_uniform_(T.empty(5)), expect="error")
    check_both(lambda T: T.nn.init.kaiming_uniform_(T.empty(2, 2), mode="fan_avg"),
               expect="error")
    check_both(lambda T: T.nn.init.calculate_gain("swish"), expect="error")


def test_init_does_not_record_grad():
    def scenario(T):
        lin = T.nn.Linear(3, 2)
        T.nn.init.normal_(lin.weight)
        T.nn.init.zeros_(lin.bias)
        return (lin.weight.is_leaf, lin.weight.grad_fn is None, lin.weight.requires_grad,
                lin.bias)
    check_both(scenario)

"""Differential tests of playground.torch.optim against real torch.optim.

Both start from identical parameter values (from numpy), take the same steps on the same
loss, and must agree on the parameter trajectory, the optimizer state (momentum_buffer,
exp_avg, ...), param_groups, state_dict, repr and the errors for bad hyper-parameters.
Scenarios are written once as ``scenario(T)``; see test_nn.py for check_both.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

import playground.torch as pt
from test_nn import array, assert_same, check_both, copy_torch_params

STEPS = 20

CONFIGS = {
    "sgd": ("SGD", dict(lr=0.1)),
    "sgd_momentum": ("SGD", dict(lr=0.05, momentum=0.9)),
    "sgd_dampening": ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3)),
    "sgd_nesterov": ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    "sgd_weight_decay": ("SGD", dict(lr=0.05, momentum=0.5, weight_decay=0.1)),
    "sgd_weight_decay_plain": ("SGD", dict(lr=0.05, weight_decay=0.1)),
    "sgd_maximize": ("SGD", dict(lr=0.05, momentum=0.9, maximize=True)),
    "adam": ("Adam", dict(lr=0.05)),
    "adam_amsgrad": ("Adam", dict(lr=0.05, amsgrad=True)),
    "adam_weight_decay": ("Adam", dict(lr=0.05, weight_decay=0.1)),
    "adam_betas_eps": ("Adam", dict(lr=0.02, betas=(0.8, 0.9), eps=1e-6)),
    "adam_maximize": ("Adam", dict(lr=0.05, maximize=True)),
    "adamw": ("AdamW", dict(lr=0.05)),
    "adamw_amsgrad_weight_decay": ("AdamW", dict(lr=0.05, weight_decay=0.3, amsgrad=True)),
    "rmsprop": ("RMSprop", dict(lr=0.01)),
    "rmsprop_momentum": ("RMSprop", dict(lr=0.01, momentum=0.9)),
    "rmsprop_centered": ("RMSprop", dict(lr=0.01, centered=True)),
    "rmsprop_centered_momentum_wd": ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.5,
                                                     centered=True, weight_decay=0.1)),
    "rmsprop_maximize": ("RMSprop", dict(lr=0.01, maximize=True)),
    "adagrad": ("Adagrad", dict(lr=0.1)),
    "adagrad_lr_decay": ("Adagrad", dict(lr=0.1, lr_decay=0.05)),
    "adagrad_initial_accumulator_wd": ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.5,
                                                       weight_decay=0.1)),
    "adagrad_maximize": ("Adagrad", dict(lr=0.1, maximize=True)),
}


def _problem(T, dtype):
    """Parameters w (3, 2), b (2,) and a non-quadratic loss of them, the same on both sides."""
    rng = np.random.default_rng(42)
    w = T.tensor(rng.uniform(-1, 1, (3, 2)).astype(dtype), requires_grad=True)
    b = T.tensor(rng.uniform(-1, 1, (2,)).astype(dtype), requires_grad=True)
    X = T.tensor(rng.standard_normal((8, 3)).astype(dtype))
    Y = T.tensor(rng.standard_normal((8, 2)).astype(dtype))

    def loss_fn():  # sum() / 16, not mean(): the optimizers are under test here, not mean
        return ((X @ w + b - Y) ** 2).sum() / 16 + 0.1 * (w ** 4).sum()
    return [w, b], loss_fn


def _state(opt, params):
    """The per-parameter state, keys sorted, in parameter order."""
    return [{k: opt.state[p][k] for k in sorted(opt.state[p])} if p in opt.state else None
            for p in params]


def _groups(opt):
    return [{k: g[k] for k in sorted(g) if k != "params"} for g in opt.param_groups]


def _train(T, name, dtype, steps=STEPS):
    cls, kwargs = CONFIGS[name]
    params, loss_fn = _problem(T, dtype)
    sign = -1.0 if kwargs.get("maximize") else 1.0  # maximize climbs -loss
    opt = getattr(T.optim, cls)(params, **kwargs)
    trajectory, losses = [], []
    for _ in range(steps):
        opt.zero_grad()
        loss = sign * loss_fn()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        trajectory.append([p.detach().clone() for p in params])
    return opt, params, trajectory, losses


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", list(CONFIGS))
def test_trajectory_and_state(name, dtype):
    def scenario(T):
        opt, params, trajectory, losses = _train(T, name, dtype)
        return {"trajectory": trajectory, "losses": losses, "state": _state(opt, params),
                "groups": _groups(opt)}
    tight = dtype == "float64"
    check_both(scenario, rtol=1e-10 if tight else 2e-5, atol=1e-12 if tight else 1e-6)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_repr(name):
    def scenario(T):
        cls, kwargs = CONFIGS[name]
        params, _ = _problem(T, "float32")
        return repr(getattr(T.optim, cls)(params, **kwargs))
    check_both(scenario)


@pytest.mark.parametrize("cls", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_type_repr(cls):
    check_both(lambda T: repr(type(getattr(T.optim, cls)(_problem(T, "float32")[0]))))


@pytest.mark.parametrize("name", ["sgd_momentum", "adam", "rmsprop_centered", "adagrad"])
def test_state_dict(name):
    def scenario(T):
        opt, _, _, _ = _train(T, name, "float64", steps=3)
        sd = opt.state_dict()
        return sd, repr(sd["param_groups"])
    check_both(scenario, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["sgd_momentum", "adam_amsgrad", "rmsprop_momentum"])
def test_load_state_dict_continues_the_same(name):
    def scenario(T):
        cls, kwargs = CONFIGS[name]
        opt, params, _, _ = _train(T, name, "float64", steps=5)
        fresh = getattr(T.optim, cls)(params, **kwargs)
        fresh.load_state_dict(opt.state_dict())
        out = []
        for _ in range(5):
            fresh.zero_grad()
            loss = ((params[0] ** 2).sum() + params[1].sum())
            loss.backward()
            fresh.step()
            out.append([p.detach().clone() for p in params])
        return out, _state(fresh, params)
    check_both(scenario, rtol=1e-10, atol=1e-12)


def test_param_groups_with_own_lr():
    def scenario(T):
        (w, b), loss_fn = _problem(T, "float64")
        opt = T.optim.SGD([{"params": [w]}, {"params": b, "lr": 0.01, "momentum": 0.5}],
                          lr=0.1, momentum=0.9)
        for _ in range(10):
            opt.zero_grad()
            loss_fn().backward()
            opt.step()
        return w, b, _groups(opt), repr(opt), _state(opt, [w, b])
    check_both(scenario, rtol=1e-10, atol=1e-12)


def test_add_param_group():
    def scenario(T):
        (w, b), loss_fn = _problem(T, "float64")
        opt = T.optim.Adam([w], lr=0.1)
        opt.add_param_group({"params": [b], "lr": 0.5})
        for _ in range(5):
            opt.zero_grad()
            loss_fn().backward()
            opt.step()
        return w, b, _groups(opt), repr(opt)
    check_both(scenario, rtol=1e-10, atol=1e-12)


def test_step_with_closure():
    def scenario(T):
        params, loss_fn = _problem(T, "float64")
        opt = T.optim.SGD(params, lr=0.1)

        def closure():
            opt.zero_grad()
            loss = loss_fn()
            loss.backward()
            return loss
        returned = [opt.step(closure) for _ in range(3)]
        return returned, params
    check_both(scenario, rtol=1e-10, atol=1e-12)


def test_step_skips_params_without_grad():
    def scenario(T):
        (w, b), _ = _problem(T, "float64")
        opt = T.optim.Adam([w, b], lr=0.1)
        (w ** 2).sum().backward()
        opt.step()
        return w, b, b.grad, _state(opt, [w, b])
    check_both(scenario, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cls", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_zero_grad(cls):
    def scenario(T):
        params, loss_fn = _problem(T, "float32")
        opt = getattr(T.optim, cls)(params, lr=0.1)
        loss_fn().backward()
        had = [p.grad is not None for p in params]
        opt.zero_grad()
        after_default = [p.grad for p in params]
        loss_fn().backward()
        opt.zero_grad(set_to_none=False)
        zeroed = [p.grad for p in params]
        loss_fn().backward()  # accumulates into the zeroed grads
        return had, after_default, zeroed, [p.grad for p in params]
    check_both(scenario, rtol=1e-6, atol=1e-7)


def test_optimizer_zero_grad_touches_only_its_params():
    def scenario(T):
        (w, b), loss_fn = _problem(T, "float32")
        opt = T.optim.SGD([w], lr=0.1)
        loss_fn().backward()
        opt.zero_grad()
        return w.grad, b.grad
    check_both(scenario)


ERROR_CASES = {
    "sgd_lr": lambda T, p: T.optim.SGD(p, lr=-0.1),
    "sgd_momentum": lambda T, p: T.optim.SGD(p, lr=0.1, momentum=-0.5),
    "sgd_weight_decay": lambda T, p: T.optim.SGD(p, lr=0.1, weight_decay=-1),
    "sgd_nesterov_no_momentum": lambda T, p: T.optim.SGD(p, lr=0.1, nesterov=True),
    "sgd_nesterov_dampening": lambda T, p: T.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1,
                                                       nesterov=True),
    "adam_lr": lambda T, p: T.optim.Adam(p, lr=-1e-3),
    "adam_eps": lambda T, p: T.optim.Adam(p, eps=-1e-8),
    "adam_beta0": lambda T, p: T.optim.Adam(p, betas=(1.0, 0.999)),
    "adam_beta1": lambda T, p: T.optim.Adam(p, betas=(0.9, -0.1)),
    "adam_weight_decay": lambda T, p: T.optim.Adam(p, weight_decay=-0.1),
    "adamw_lr": lambda T, p: T.optim.AdamW(p, lr=-1.0),
    "adamw_beta": lambda T, p: T.optim.AdamW(p, betas=(0.9, 1.5)),
    "rmsprop_lr": lambda T, p: T.optim.RMSprop(p, lr=-0.01),
    "rmsprop_alpha": lambda T, p: T.optim.RMSprop(p, alpha=-0.5),
    "rmsprop_eps": lambda T, p: T.optim.RMSprop(p, eps=-1.0),
    "rmsprop_momentum": lambda T, p: T.optim.RMSprop(p, momentum=-0.9),
    "rmsprop_weight_decay": lambda T, p: T.optim.RMSprop(p, weight_decay=-0.9),
    "adagrad_lr": lambda T, p: T.optim.Adagrad(p, lr=-0.01),
    "adagrad_lr_decay": lambda T, p: T.optim.Adagrad(p, lr_decay=-0.1),
    "adagrad_initial_accumulator": lambda T, p: T.optim.Adagrad(
        p, initial_accumulator_value=-1.0),
    "adagrad_eps": lambda T, p: T.optim.Adagrad(p, eps=-1.0),
    "adagrad_weight_decay": lambda T, p: T.optim.Adagrad(p, weight_decay=-1.0),
    "empty_params": lambda T, p: T.optim.SGD([], lr=0.1),
    "single_tensor": lambda T, p: T.optim.SGD(p[0], lr=0.1),
    "non_leaf": lambda T, p: T.optim.SGD([p[0] * 2], lr=0.1),
    "duplicate_groups": lambda T, p: T.optim.SGD([{"params": [p[0]]}, {"params": [p[0]]}],
                                                 lr=0.1),
    "not_a_tensor": lambda T, p: T.optim.SGD([p[0], 3.0], lr=0.1),
}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_invalid_hyper_parameters(case):
    def scenario(T):
        params, _ = _problem(T, "float32")
        return ERROR_CASES[case](T, params)
    check_both(scenario, expect="error")


# -- the W3 training loop -----------------------------------------------------------------------

def _mlp(T):
    nn = T.nn
    return nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.ReLU(),
                         nn.Linear(32, 1))


def test_w3_training_loop_loss_curves_agree():
    """MLP 2-32-32-1 (tanh, relu), SGD with momentum, from identical initial weights on fixed
    data: the two loss curves agree within float32 tolerance over 50 steps."""
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, (64, 2)).astype(np.float32)
    y = (np.sin(3 * X[:, :1]) * X[:, 1:] + 0.1 * X[:, :1]).astype(np.float32)
    torch.manual_seed(0)
    models = {"torch": _mlp(torch), "engine": _mlp(pt)}
    copy_torch_params(models["torch"], models["engine"])
    curves, finals = {}, {}
    for key, T in (("torch", torch), ("engine", pt)):
        model = models[key]
        opt = T.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        loss_fn = T.nn.MSELoss()
        xt, yt = T.tensor(X), T.tensor(y)
        curve = []
        for _ in range(50):
            opt.zero_grad()
            loss = loss_fn(model(xt), yt)
            loss.backward()
            opt.step()
            curve.append(loss.item())
        curves[key] = np.array(curve)
        finals[key] = [array(p) for p in model.parameters()]
    assert curves["torch"][-1] < 0.5 * curves["torch"][0]  # it does learn
    np.testing.assert_allclose(curves["engine"], curves["torch"], rtol=1e-4, atol=1e-6)
    for got, want in zip(finals["engine"], finals["torch"]):
        np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-5)


def test_w3_loop_state_after_training():
    """The same loop, shorter: momentum buffers and grads match torch's."""
    torch.manual_seed(1)
    tm, em = _mlp(torch), _mlp(pt)
    copy_torch_params(tm, em)
    X = np.random.default_rng(4).uniform(-1, 1, (16, 2)).astype(np.float32)
    out = []
    for T, model in ((torch, tm), (pt, em)):
        opt = T.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        for _ in range(5):
            opt.zero_grad()
            T.nn.MSELoss()(model(T.tensor(X)), T.zeros(16, 1)).backward()
            opt.step()
        params = list(model.parameters())
        out.append((_state(opt, params), [p.grad for p in params]))
    assert_same(out[1], out[0], rtol=1e-4, atol=1e-6)


def test_state_container():
    def scenario(T):
        w = T.tensor([1.0, -2.0], requires_grad=True)
        opt = T.optim.SGD([w], lr=0.1, momentum=0.9)
        before = (type(opt.state).__name__, repr(opt.state), repr(opt.state_dict()))
        (w ** 2).sum().backward()
        opt.step()
        return before, type(opt.state).__name__, repr(opt.state), repr(opt.state_dict())
    check_both(scenario)

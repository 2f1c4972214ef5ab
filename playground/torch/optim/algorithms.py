"""SGD, Adam(W), RMSprop, Adagrad with torch's update rules (its single-tensor CPU path),
written on the parameters' numpy arrays: the step is bookkeeping, not something to record."""
import math

import numpy as np

from .optimizer import Optimizer


def _check(name, value, low=0.0):
    if value < low:
        raise ValueError(f"Invalid {name}: {value}")


def _decayed(g, p, weight_decay):
    return g + weight_decay * p._data if weight_decay else g


class SGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        _check("learning rate", lr)
        _check("momentum value", momentum)
        _check("weight_decay value", weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize, foreach=foreach,
                                      differentiable=differentiable, fused=fused))

    def _step_group(self, group, pairs):
        # the settings read once per group: SGD's own work per parameter is a few array ops
        lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
        weight_decay, nesterov, state = group["weight_decay"], group["nesterov"], self.state
        for p, g in pairs:
            if weight_decay:
                g = _decayed(g, p, weight_decay)
            if momentum:  # plain SGD keeps no state at all, as in torch
                s = state[p]
                buf = s.get("momentum_buffer")
                if buf is None:
                    buf = s["momentum_buffer"] = self._buffer(p, g)
                else:
                    b = buf._data
                    b *= momentum
                    b += (1 - dampening) * g if dampening else g  # 1 * g is g: skip that pass
                g = g + momentum * buf._data if nesterov else buf._data
            p._data -= lr * g


class Adam(Optimizer):
    decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=None):
        _check("learning rate", lr)
        _check("epsilon value", eps)
        for i, b in enumerate(betas):
            if not 0.0 <= b < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {b}")
        _check("weight_decay value", weight_decay)
        if decoupled_weight_decay is None:
            decoupled_weight_decay = self.decoupled
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize, foreach=foreach, capturable=capturable,
                                      differentiable=differentiable, fused=fused,
                                      decoupled_weight_decay=decoupled_weight_decay))

    def _update(self, p, g, group):
        state = self.state[p]
        if not state:
            state["step"] = _step_tensor()
            state["exp_avg"] = self._buffer(p)
            state["exp_avg_sq"] = self._buffer(p)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = self._buffer(p)
        beta1, beta2 = group["betas"]
        lr, wd = group["lr"], group["weight_decay"]
        state["step"]._data += 1
        step = float(state["step"]._data)
        if wd:
            if group["decoupled_weight_decay"]:
                p._data *= 1 - lr * wd
            else:
                g = g + wd * p._data
        m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
        m += (g - m) * (1 - beta1)  # lerp, as torch
        v *= beta2
        v += (1 - beta2) * g * g
        bias1 = 1 - beta1 ** step
        bias2_sqrt = math.sqrt(1 - beta2 ** step)
        if group["amsgrad"]:
            vmax = state["max_exp_avg_sq"]._data
            np.maximum(vmax, v, out=vmax)
            denom = np.sqrt(vmax) / bias2_sqrt + group["eps"]
        else:
            denom = np.sqrt(v) / bias2_sqrt + group["eps"]
        p._data -= (lr / bias1) * m / denom


class AdamW(Adam):
    decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, **kwargs):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, **kwargs)


def _step_tensor():
    from ..tensor import _make
    return _make(np.zeros((), np.float32))


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        _check("learning rate", lr)
        _check("epsilon value", eps)
        _check("momentum value", momentum)
        _check("weight_decay value", weight_decay)
        _check("alpha value", alpha)
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps,
                                      centered=centered, weight_decay=weight_decay,
                                      capturable=capturable, foreach=foreach, maximize=maximize,
                                      differentiable=differentiable))

    def _update(self, p, g, group):
        state = self.state[p]
        if not state:
            state["step"] = _step_tensor()
            state["square_avg"] = self._buffer(p)
            if group["momentum"] > 0:
                state["momentum_buffer"] = self._buffer(p)
            if group["centered"]:
                state["grad_avg"] = self._buffer(p)
        state["step"]._data += 1
        g = _decayed(g, p, group["weight_decay"])
        alpha = group["alpha"]
        sq = state["square_avg"]._data
        sq *= alpha
        sq += (1 - alpha) * g * g
        if group["centered"]:
            ga = state["grad_avg"]._data
            ga += (g - ga) * (1 - alpha)
            avg = np.sqrt(sq - ga * ga) + group["eps"]
        else:
            avg = np.sqrt(sq) + group["eps"]
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]._data
            buf *= group["momentum"]
            buf += g / avg
            p._data -= group["lr"] * buf
        else:
            p._data -= group["lr"] * g / avg


class Adagrad(Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        _check("learning rate", lr)
        _check("lr_decay value", lr_decay)
        _check("weight_decay value", weight_decay)
        _check("initial_accumulator_value value", initial_accumulator_value)
        _check("epsilon value", eps)
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps,
                                      weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      foreach=foreach, maximize=maximize,
                                      differentiable=differentiable, fused=fused))
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = {"step": _step_tensor(), "sum": self._buffer(
                    p, np.full_like(p._data, group["initial_accumulator_value"]))}

    def _update(self, p, g, group):
        state = self.state[p]
        state["step"]._data += 1
        step = float(state["step"]._data)
        g = _decayed(g, p, group["weight_decay"])
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        s = state["sum"]._data
        s += g * g
        p._data -= clr * g / (np.sqrt(s) + group["eps"])


for _cls, _mod in ((SGD, "sgd"), (Adam, "adam"), (AdamW, "adamw"), (RMSprop, "rmsprop"),
                   (Adagrad, "adagrad")):
    _cls.__module__ = f"torch.optim.{_mod}"  # type(opt) prints as in torch

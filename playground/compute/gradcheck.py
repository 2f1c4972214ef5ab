"""Gradient check: autograd against the analytic formula and finite differences.

Two functions from the seeds, each with its hand-derived gradient:
  cost = aᵀa, a = W x + b (seed 1):      dcost/dW = 2 a xᵀ,  dcost/db = 2 a
  l = Σ (exp(w x + b) − y*)² (seed 4):   dl/dw = 2 (y − y*) y x,  dl/db = 2 (y − y*) y

The parameters are drawn in float64 (from the spec's seed) and then stored in the chosen
dtype; every method computes in that dtype. Errors are measured against the exact gradient:
the analytic formula evaluated in float64 on the very same (rounded) parameter values. Each
error is relative: max |g − exact| / max |exact| over all parameters.

Finite differences follow the seed's loop (nudge one entry by eps, difference the cost):
forward (f(p + eps) − f(p)) / eps, and central (f(p + eps) − f(p − eps)) / (2 eps). Their
error has two parts: truncation, which shrinks with eps (∝ eps forward, ∝ eps² central; zero
for central differences on a quadratic like the cost), and rounding, which grows as eps
shrinks (≈ u·|f| / eps, u the dtype's unit roundoff): hence the V on a log-log plot.
"""
import itertools
import math

from ..protocol import GRADCHECK_DTYPES as DTYPES, GRADCHECK_FUNCTIONS as FUNCTIONS
# half the distance from 1 to the next number: the relative error of storing a number
# (torch.finfo(dtype).eps / 2; written out because the engine has no torch.finfo)
UNIT_ROUNDOFF = {"float64": 2.0 ** -53, "float32": 2.0 ** -24}


def draw(spec, torch, function="cost"):
    """The function's random inputs in float64, {name: nested list}, from a torch.Generator
    seeded with spec['seed'] (the same numbers on the engine and on real torch)."""
    _check(function, "float64")
    g = torch.Generator().manual_seed(spec["seed"])
    f64 = torch.float64
    if function == "cost":
        return {"W": torch.randn(2, 3, generator=g, dtype=f64).tolist(),
                "b": torch.randn(2, 1, generator=g, dtype=f64).tolist()}
    return {"ystar": torch.randn(1, generator=g, dtype=f64).tolist()}


def setup(spec, torch, device="cpu", dtype="float64", function="cost", data=None):
    """(params, constants) of `function`: {name: tensor} each, params requiring grad, all in
    `dtype` (drawn in float64, then rounded to it). `data`: the random inputs (see draw)."""
    _check(function, dtype)
    data = data if data is not None else draw(spec, torch, function)
    f64 = torch.float64
    if function == "cost":
        params = {"W": torch.tensor(data["W"], dtype=f64), "b": torch.tensor(data["b"], dtype=f64)}
        consts = {"x": torch.tensor([[1, 2, 3]], dtype=f64).T}
    else:  # the seed's fixed point w = 0.5, b = 2, x = 0.5 and a random target y*
        params = {"w": torch.tensor([0.5], dtype=f64), "b": torch.tensor([2.0], dtype=f64)}
        consts = {"x": torch.tensor([0.5], dtype=f64),
                  "ystar": torch.tensor(data["ystar"], dtype=f64)}
    kind = getattr(torch, dtype)
    params = {k: v.to(device=device, dtype=kind).requires_grad_(True) for k, v in params.items()}
    consts = {k: v.to(device=device, dtype=kind) for k, v in consts.items()}
    return params, consts


def _check(function, dtype):
    if function not in FUNCTIONS:
        raise ValueError(f"unknown function '{function}': choose one of {', '.join(FUNCTIONS)}")
    if dtype not in DTYPES:
        raise ValueError(f"unknown dtype '{dtype}': choose one of {', '.join(DTYPES)}")


def evaluate(function, params, consts, torch):
    """The function's value (a one-element tensor), as the seeds write it."""
    if function == "cost":
        a = params["W"] @ consts["x"] + params["b"]
        return a.T @ a
    y = torch.exp(params["w"] * consts["x"] + params["b"])
    return torch.sum((y - consts["ystar"]) ** 2)


def analytic(function, params, consts, torch):
    """The hand-derived gradient, {name: tensor}, in the dtype of the inputs."""
    with torch.no_grad():
        if function == "cost":
            a = params["W"] @ consts["x"] + params["b"]
            return {"W": 2 * a * consts["x"].T, "b": 2 * a}
        y = torch.exp(params["w"] * consts["x"] + params["b"])
        return {"w": 2 * (y - consts["ystar"]) * y * consts["x"],
                "b": 2 * (y - consts["ystar"]) * y}


def numeric(function, params, consts, eps, torch, central=False):
    """The seed's loop: nudge one entry by eps, difference quotient of the function."""
    with torch.no_grad():
        base = evaluate(function, params, consts, torch)
        grads = {}
        for name, p in params.items():
            g = torch.zeros(p.shape, dtype=p.dtype, device=p.device)
            for idx in itertools.product(*(range(n) for n in p.shape)):
                d = torch.zeros(p.shape, dtype=p.dtype, device=p.device)
                d[idx] = eps
                plus = evaluate(function, {**params, name: p + d}, consts, torch)
                if central:
                    minus = evaluate(function, {**params, name: p - d}, consts, torch)
                    g[idx] = ((plus - minus) / (2 * eps)).item()
                else:
                    g[idx] = ((plus - base) / eps).item()
            grads[name] = g
    return grads


def exact(function, params, consts, torch):
    """The reference: the analytic formula in float64 on the same (rounded) values."""
    as64 = {k: v.detach().to(torch.float64) for k, v in params.items()}
    return analytic(function, as64, {k: v.to(torch.float64) for k, v in consts.items()},
                    torch)


def relative_error(grads, reference):
    """max |g − ref| / max |ref|, over every entry of every parameter (in float64)."""
    worst = max(float((g.detach().to(r.dtype) - r).abs().max()) for g, r in
                zip(grads.values(), reference.values()))
    scale = max(float(r.abs().max()) for r in reference.values())
    return worst / scale if scale > 0 else worst


def gradcheck_at(spec, torch, eps=1e-7, device="cpu", dtype="float64", function="cost",
                 data=None):
    """The three gradients at one eps and how far each is from the exact one."""
    if not (isinstance(eps, (int, float)) and 0 < eps <= 1):
        raise ValueError(f"eps must be a number in (0, 1], got {eps!r}")
    params, consts = setup(spec, torch, device, dtype, function, data)
    value = evaluate(function, params, consts, torch)
    value.sum().backward()
    auto = {k: p.grad for k, p in params.items()}
    formula = analytic(function, params, consts, torch)
    forward = numeric(function, params, consts, eps, torch)
    central = numeric(function, params, consts, eps, torch, central=True)
    truth = exact(function, params, consts, torch)
    return {
        "function": function, "dtype": dtype, "eps": eps, "cost": value.item(),
        "unit_roundoff": UNIT_ROUNDOFF[dtype],
        "params": {k: p.tolist() for k, p in params.items()},
        "autograd": _lists(auto), "analytic": _lists(formula), "numeric": _lists(forward),
        "central": _lists(central), "exact": _lists(truth),
        "error_autograd": relative_error(auto, truth),
        "error_analytic": relative_error(formula, truth),
        "error_numeric": relative_error(forward, truth),
        "error_central": relative_error(central, truth),
    }


def error_sweep(spec, torch, device="cpu", dtype="float64", function="cost", data=None):
    """Relative error of forward and central differences for eps from eps_low to eps_high
    (spec['points'] values, evenly spaced in log10), and where each is smallest."""
    params, consts = setup(spec, torch, device, dtype, function, data)
    truth = exact(function, params, consts, torch)
    lo, hi, n = math.log10(spec["eps_low"]), math.log10(spec["eps_high"]), spec["points"]
    sweep = [10 ** (lo + (hi - lo) * i / (n - 1)) for i in range(n)]
    curves = {"forward": [], "central": []}
    for e in sweep:
        for kind in curves:
            grads = numeric(function, params, consts, e, torch, central=kind == "central")
            curves[kind].append(relative_error(grads, truth))
    best = {kind: _lowest(sweep, errors) for kind, errors in curves.items()}
    return {"eps": sweep, **curves, "best": best}


def gradcheck(spec, torch, device="cpu", data=None):
    """gradcheck_at(spec's eps) with the error sweep under 'sweep' (compute.run's experiment),
    for spec's function and dtype."""
    kw = {"dtype": spec["dtype"], "function": spec["function"], "data": data}
    result = gradcheck_at(spec, torch, spec["eps"], device, **kw)
    result["sweep"] = error_sweep(spec, torch, device, **kw)
    return result


def _lowest(eps, errors):
    """{'eps', 'error'} where the error is smallest (the bottom of the V)."""
    i = min(range(len(errors)), key=errors.__getitem__)
    return {"eps": eps[i], "error": errors[i]}


def _lists(grads):
    return {k: g.tolist() for k, g in grads.items()}

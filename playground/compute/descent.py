"""Gradient descent experiments: the seed's 1-D loop on f(x), and optimizers side by side on
2-D surfaces. Every number comes from autograd on the torch module passed in."""
import math

from . import surfaces

DIVERGED = 1e6  # |x| beyond this (or a non-finite value) counts as diverged


def _diverged(*values):
    return any(not math.isfinite(v) or abs(v) > DIVERGED for v in values)


def descent_1d(spec, torch, device="cpu"):
    """x <- x - lr * f'(x), written as in the seed notebook (x.data update, grad.zero_())."""
    name, lr, steps = spec["function"], spec["lr"], spec["steps"]
    x = torch.tensor([float(spec["x0"])], dtype=torch.float64, device=device, requires_grad=True)
    rows = []  # the seed's table: iteration, x, f(x), f'(x)
    diverged_at = None
    for i in range(steps):
        y = surfaces.f1d(name, x, torch)
        y.backward()
        xv, fv, gv = x.item(), y.item(), x.grad.item()
        rows.append((i, xv, fv, gv))
        if _diverged(xv, fv, gv):
            diverged_at = i
            break
        x.data = x.data - lr * x.grad
        x.grad.zero_()
    final = x.item()
    if diverged_at is None and _diverged(final):
        diverged_at = len(rows)
    curvature = _curvature_at_minimum(name, torch)
    return {
        "iterations": [r[0] for r in rows],
        "x": [r[1] for r in rows],
        "f": [r[2] for r in rows],
        "grad": [r[3] for r in rows],
        "final_x": final,
        "diverged_at": diverged_at,
        "curve": _curve_1d(name, torch, rows),
        "curvature": curvature,
        "bands": _bands(curvature),
        "verdict": _verdict(lr, curvature, diverged_at, rows),
    }


def _curve_1d(name, torch, rows, points=300):
    lo, hi = surfaces.range1d(name)
    finite = [r[1] for r in rows if not _diverged(r[1])]
    if finite:  # widen the plot to show where the steps went (within reason)
        lo, hi = min(lo, min(finite) - 0.5), max(hi, max(finite) + 0.5)
        lo, hi = max(lo, -50.0), min(hi, 50.0)
    with torch.no_grad():
        xs = torch.linspace(lo, hi, points, dtype=torch.float64)
        fs = surfaces.f1d(name, xs, torch)
    return {"x": xs.tolist(), "f": fs.tolist()}


def _curvature_at_minimum(name, torch):
    """f''(x*) at the global minimum on the plot range: what decides which learning rates
    converge (for a quadratic exactly, elsewhere near the minimum)."""
    lo, hi = surfaces.range1d(name)
    with torch.no_grad():
        xs = torch.linspace(lo, hi, 4001, dtype=torch.float64)
        fs = surfaces.f1d(name, xs, torch)
        xmin = xs[int(fs.argmin())].item()

    def slope(v):
        x = torch.tensor([v], dtype=torch.float64, requires_grad=True)
        surfaces.f1d(name, x, torch).backward()
        return x.grad.item()
    h = 1e-4
    return {"x_min": xmin, "value": (slope(xmin + h) - slope(xmin - h)) / (2 * h)}


def _bands(curvature):
    """Learning-rate bands for curvature L: below 1/L the steps approach the minimum from one
    side, between 1/L and 2/L they overshoot and oscillate in, above 2/L they grow."""
    L = curvature["value"]
    if L <= 0:
        return []
    return [{"name": "monotone", "low": 0.0, "high": 1 / L},
            {"name": "oscillating", "low": 1 / L, "high": 2 / L},
            {"name": "diverging", "low": 2 / L, "high": math.inf}]


def _verdict(lr, curvature, diverged_at, rows):
    L = curvature["value"]
    if diverged_at is not None:
        return (f"Diverged at step {diverged_at}: with lr = {lr:g} each step overshoots the "
                f"minimum by more than it corrects (the curvature there is about {L:.3g}, so "
                f"steps grow once lr > 2/{L:.3g} = {2 / L:.3g}). Lower the learning rate.")
    if L > 0 and lr > 2 / L:
        return (f"lr = {lr:g} is above 2/L = {2 / L:.3g}: near the minimum the steps grow; "
                "it has not blown up yet within these steps.")
    if L > 0 and lr > 1 / L:
        return (f"lr = {lr:g} is between 1/L = {1 / L:.3g} and 2/L = {2 / L:.3g}: the steps "
                "overshoot and oscillate around the minimum while they converge.")
    return f"lr = {lr:g} is below 1/L = {1 / L:.3g}: the steps approach the minimum from one side."


# -- 2-D --------------------------------------------------------------------------------------

def make_optimizer(name, params, lr, momentum, torch):
    optim = torch.optim
    if name == "sgd":
        return optim.SGD(params, lr=lr)
    if name == "momentum":
        return optim.SGD(params, lr=lr, momentum=momentum)
    if name == "nesterov":
        return optim.SGD(params, lr=lr, momentum=momentum or 0.9, nesterov=True)
    if name == "rmsprop":
        return optim.RMSprop(params, lr=lr)
    if name == "adagrad":
        return optim.Adagrad(params, lr=lr)
    if name == "adam":
        return optim.Adam(params, lr=lr)
    raise ValueError(f"unknown optimizer '{name}'")


def descent_2d(spec, torch, device="cpu"):
    name, cond = spec["surface"], spec["condition"]
    runs = {}
    for opt_name in spec["optimizers"]:
        runs[opt_name] = _run_optimizer(name, cond, opt_name, spec, torch, device)
    return {"surface": surface_grid(name, cond, spec["grid"], torch),
            "minima": [list(m) for m in surfaces.minima2d(name)],
            "runs": runs}


def _run_optimizer(name, cond, opt_name, spec, torch, device):
    p = torch.tensor([float(v) for v in spec["start"]], dtype=torch.float64, device=device,
                     requires_grad=True)
    opt = make_optimizer(opt_name, [p], spec["lr"], spec["momentum"], torch)
    xs, ys, losses, grads = [], [], [], []
    diverged_at = None
    for i in range(spec["steps"] + 1):
        opt.zero_grad()
        loss = surfaces.f2d(name, p[0], p[1], torch, cond)
        loss.backward()
        x, y = p.tolist()
        lv, g = loss.item(), p.grad.norm().item()
        xs.append(x), ys.append(y), losses.append(lv), grads.append(g)
        if _diverged(x, y, lv):
            diverged_at = i
            break
        if i < spec["steps"]:
            opt.step()
    return {"x": xs, "y": ys, "loss": losses, "grad": grads, "diverged_at": diverged_at}


def surface_grid(name, cond, resolution, torch):
    x0, x1, y0, y1 = surfaces.box2d(name)
    with torch.no_grad():
        gx = torch.linspace(x0, x1, resolution, dtype=torch.float64)
        gy = torch.linspace(y0, y1, resolution, dtype=torch.float64)
        z = surfaces.f2d(name, gx.view(1, -1), gy.view(-1, 1), torch, cond)
    return {"x": gx.tolist(), "y": gy.tolist(), "z": z.tolist()}

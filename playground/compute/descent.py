"""Gradient descent in 1-D: the seed's loop on f(x), with the learning-rate bands that decide
whether it converges. Every number comes from autograd on the torch module passed in."""
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

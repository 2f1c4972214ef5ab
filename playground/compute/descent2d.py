"""Gradient descent in 2-D: torch's optimizers side by side on a surface, the surface's grid
for the contour plot, and the curvature at its minimum that limits the learning rate.

All runs share one forward and one backward pass per step: their points are stacked into a
K x 2 tensor, the surface is evaluated on the batch and summed, and since each run's loss
depends on its own point only, backward leaves each run exactly its own gradient. Each run
still has its own leaf tensor and its own torch.optim optimizer. Positions are kept as
tensors and converted once at the end, where one batched pass gives every point's loss
and gradient (the numbers the optimizers saw, less any added noise).
"""
import math

from . import surfaces
from .descent import DIVERGED
from .optimizers import make_optimizer

CHECK_EVERY = 10      # steps between checks for runs that blew up (a check costs a sync)
REACHED = 1e-2        # within this distance of a minimum counts as having reached it
STALLED_GRAD = 1e-3   # a gradient this small near a saddle point: stuck on it


def descent_2d(spec, torch, device="cpu"):
    """Everything the lesson draws: the surface grid, its minima and saddles, the runs."""
    return {**landscape(spec["surface"], spec["condition"], spec["grid"], torch),
            **trajectories(spec, torch, device)}


def landscape(name, cond, resolution, torch):
    """What does not depend on the optimizers: the surface on a grid, its known minima and
    saddle points."""
    surface = surfaces.surface2d(name)
    return {"surface": surface_grid(name, cond, resolution, torch),
            "minima": [list(m) for m in surface.minima],
            "saddles": [list(s) for s in surface.saddles]}


def trajectories(spec, torch, device="cpu", noise=None):
    """{'runs': {optimizer: run}, 'curvature': ...}. `noise` (steps x 1 x 2, added to every
    run's gradient) defaults to draws from spec's 'seed' when spec's 'noise' is above 0."""
    name, cond, steps = spec["surface"], spec["condition"], spec["steps"]
    names = list(spec["optimizers"])
    f64 = torch.float64
    start = [float(v) for v in spec["start"]]
    points = [torch.tensor(start, dtype=f64, device=device, requires_grad=True) for _ in names]
    optimizers, notes = [], {}
    for opt_name, p in zip(names, points):
        opt, notes[opt_name] = _optimizer(opt_name, p, spec, torch)
        optimizers.append(opt)
    if noise is None:
        noise = gradient_noise(spec, torch, device)

    history = []                   # K x 2 positions before each step, then the final ones
    active = list(range(len(names)))
    for step in range(steps):
        P = torch.stack(points)    # one graph node gathers every run's point
        history.append(P.detach())
        x, y = P.unbind(1)
        loss = surfaces.f2d(name, x, y, torch, cond).sum()
        if noise is not None:      # a random linear term: its gradient is the noise
            loss = loss + (P * noise[step]).sum()
        loss.backward()
        for k in active:
            optimizers[k].step()
        for opt in optimizers:
            opt.zero_grad()
        if (step + 1) % CHECK_EVERY == 0:
            active = _still_bounded(torch.stack(points).detach(), active)
            if not active:
                break
    history.append(torch.stack([p.detach() for p in points]))
    xy, loss, grad = _evaluate(name, cond, torch.stack(history), torch)

    curvature = curvature_at_minimum(name, cond, torch)
    runs = {}
    for k, opt_name in enumerate(names):
        run = _run(name, [row[k] for row in xy], [row[k] for row in loss],
                   [row[k] for row in grad])
        run["verdict"] = verdict(name, opt_name, run, spec, curvature, notes[opt_name])
        runs[opt_name] = run
    return {"runs": runs, "curvature": curvature}


def _optimizer(opt_name, p, spec, torch):
    """The run's optimizer, and a note where the spec's settings had to be adapted."""
    if opt_name == "nesterov" and spec["momentum"] == 0:
        # torch refuses Nesterov without momentum; with none it is plain gradient descent
        return (make_optimizer("sgd", [p], spec["lr"], 0.0, torch),
                "nesterov with momentum 0 is plain gradient descent (torch refuses it), "
                "so it ran as sgd")
    return make_optimizer(opt_name, [p], spec["lr"], spec["momentum"], torch), ""


def gradient_noise(spec, torch, device="cpu"):
    """Gaussian noise of std spec['noise'] for each step's gradient (the same draws for
    every run, so they face the same luck), from a generator seeded with spec['seed']."""
    scale = float(spec["noise"])
    if scale <= 0:
        return None
    g = torch.Generator().manual_seed(int(spec["seed"]))
    draws = torch.randn(spec["steps"], 1, 2, generator=g, dtype=torch.float64)
    return (scale * draws).to(device)


def _still_bounded(P, active):
    """The active runs whose point is still finite and within DIVERGED (one sync)."""
    ok = (P.abs() < DIVERGED).all(1).tolist()   # nan compares False: not ok
    return [k for k in active if ok[k]]


def _evaluate(name, cond, path, torch):
    """Loss and gradient at every point of `path` (T x K x 2) in one batched pass, as lists."""
    with torch.enable_grad():
        Z = path.detach().clone().requires_grad_(True)
        L = surfaces.f2d(name, Z[..., 0], Z[..., 1], torch, cond)
        L.sum().backward()
    return Z.detach().cpu().tolist(), L.detach().cpu().tolist(), Z.grad.cpu().tolist()


def _run(name, xy, loss, grad):
    """One run's columns, cut after the step where it diverged."""
    box = surfaces.box2d(name)
    diverged_at = next((t for t, ((x, y), lv) in enumerate(zip(xy, loss))
                        if _blown_up(x, y, lv)), None)
    end = len(xy) if diverged_at is None else diverged_at + 1
    left_at = None  # the step from which the run stays outside the plotted box
    for t in range(end - 1, -1, -1):
        x, y = xy[t]
        if box[0] <= x <= box[1] and box[2] <= y <= box[3]:
            break
        left_at = t
    gx = [g[0] for g in grad[:end]]
    gy = [g[1] for g in grad[:end]]
    return {"x": [p[0] for p in xy[:end]], "y": [p[1] for p in xy[:end]],
            "loss": loss[:end], "grad": [math.hypot(a, b) for a, b in zip(gx, gy)],
            "gx": gx, "gy": gy, "diverged_at": diverged_at, "left_at": left_at}


def _blown_up(*values):
    return any(not math.isfinite(v) or abs(v) > DIVERGED for v in values)


def surface_grid(name, cond, resolution, torch):
    """The surface on a resolution x resolution grid over its box: z[i][j] = f(x[j], y[i])."""
    x0, x1, y0, y1 = surfaces.box2d(name)
    with torch.no_grad():
        gx = torch.linspace(x0, x1, resolution, dtype=torch.float64)
        gy = torch.linspace(y0, y1, resolution, dtype=torch.float64)
        z = surfaces.f2d(name, gx.view(1, -1), gy.view(-1, 1), torch, cond)
    return {"x": gx.tolist(), "y": gy.tolist(), "z": z.tolist()}


def curvature_at_minimum(name, cond, torch, h=1e-4):
    """The Hessian's eigenvalues at the surface's first minimum (None without one), from
    central differences of autograd gradients. Plain gradient descent is stable there only
    for lr < 2 / largest eigenvalue; their ratio is the condition number."""
    minima = surfaces.minima2d(name)
    if not minima:
        return None
    mx, my = minima[0]
    offsets = [(h, 0.0), (-h, 0.0), (0.0, h), (0.0, -h)]
    P = torch.tensor([[mx + dx, my + dy] for dx, dy in offsets], dtype=torch.float64,
                     requires_grad=True)
    surfaces.f2d(name, P[:, 0], P[:, 1], torch, cond).sum().backward()
    g = P.grad.tolist()
    a = (g[0][0] - g[1][0]) / (2 * h)
    c = (g[2][1] - g[3][1]) / (2 * h)
    b = ((g[0][1] - g[1][1]) + (g[2][0] - g[3][0])) / (4 * h)
    mid, half = (a + c) / 2, math.hypot((a - c) / 2, b)
    low, high = mid - half, mid + half
    return {"at": [mx, my], "eigenvalues": [low, high],
            "condition": high / low if low > 0 else math.inf,
            "lr_limit": 2 / high if high > 0 else math.inf}


def random_start(name, seed, torch):
    """A start drawn uniformly from the inner 80% of the surface's box, from `seed`."""
    x0, x1, y0, y1 = surfaces.box2d(name)
    u = torch.rand(2, generator=torch.Generator().manual_seed(int(seed)),
                   dtype=torch.float64).tolist()
    return (round(x0 + (0.1 + 0.8 * u[0]) * (x1 - x0), 2),
            round(y0 + (0.1 + 0.8 * u[1]) * (y1 - y0), 2))


def stability_limit(opt_name, curvature, momentum):
    """The largest lr for which `opt_name` converges on the quadratic model at the minimum
    (None for the adaptive optimizers, whose step does not scale with the gradient)."""
    if curvature is None:
        return None
    L = curvature["eigenvalues"][1]
    if opt_name == "sgd" or (opt_name == "nesterov" and momentum == 0):
        return 2 / L
    if opt_name == "momentum":
        return 2 * (1 + momentum) / L
    if opt_name == "nesterov":
        return 2 * (1 + momentum) / ((1 + 2 * momentum) * L)
    return None


def verdict(name, opt_name, run, spec, curvature, note=""):
    """One sentence on how the run went, and why where the reason is known."""
    surface = surfaces.surface2d(name)
    lr, steps = spec["lr"], len(run["x"]) - 1
    limit = stability_limit(opt_name, curvature, spec["momentum"])
    prefix = f"{note}. " if note else ""
    if run["diverged_at"] is not None:
        why = ""
        if limit is not None and lr > limit:
            why = (f": lr = {lr:g} is above its stability limit {limit:.3g} at the minimum "
                   f"(curvature {curvature['eigenvalues'][1]:.3g}); lower the learning rate")
        elif not surface.bounded_below:
            why = ": this surface has no minimum, so downhill never ends"
        return f"{prefix}diverged at step {run['diverged_at']}{why}."
    x, y = run["x"][-1], run["y"][-1]
    reached = _settled_near(run, surface.minima, REACHED)
    if reached is not None:
        t, (mx, my) = reached
        return f"{prefix}reached the minimum ({mx:g}, {my:g}) at step {t}."
    if surface.saddles and run["grad"][-1] < STALLED_GRAD:
        sx, sy = min(surface.saddles, key=lambda s: math.hypot(s[0] - x, s[1] - y))
        if math.hypot(sx - x, sy - y) < 0.1:
            return (f"{prefix}stalled at the saddle point ({sx:g}, {sy:g}): the gradient "
                    f"vanishes there although it is no minimum.")
    if run["left_at"] is not None:
        why = (" (this surface has no minimum: downhill never ends)"
               if not surface.bounded_below else "")
        return f"{prefix}left the plotted region for good at step {run['left_at']}{why}."
    return (f"{prefix}after {steps} steps at ({x:.3g}, {y:.3g}), loss {run['loss'][-1]:.3g}, "
            f"gradient {run['grad'][-1]:.3g}: still on its way (more steps or another lr).")


def _settled_near(run, minima, tolerance):
    """(t, minimum) when the run ends within `tolerance` of a minimum and stays there from
    step t on; None otherwise."""
    x, y = run["x"][-1], run["y"][-1]
    near = [m for m in minima if math.hypot(x - m[0], y - m[1]) < tolerance]
    if not near:
        return None
    mx, my = near[0]
    t = len(run["x"]) - 1
    while t > 0 and math.hypot(run["x"][t - 1] - mx, run["y"][t - 1] - my) < tolerance:
        t -= 1
    return t, near[0]

"""Gradient descent in 2-D: torch's optimizers side by side on a surface, and the surface's
grid for the contour plot."""
from . import surfaces
from .descent import _diverged
from .optimizers import make_optimizer


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

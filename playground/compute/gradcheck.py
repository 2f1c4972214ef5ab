"""The gradient check of the first seed: cost = a^T a with a = W x + b, by autograd, by the
analytic formula (dcost/dW = 2 a x^T, dcost/db = 2 a) and by finite differences."""
import math


def setup(spec, torch, device="cpu"):
    g = torch.Generator().manual_seed(spec["seed"])
    x = torch.tensor([[1, 2, 3]], dtype=torch.double).T.to(device)
    W = torch.randn(2, 3, generator=g, dtype=torch.double).to(device).requires_grad_(True)
    b = torch.randn(2, 1, generator=g, dtype=torch.double).to(device).requires_grad_(True)
    return x, W, b


def cost_fn(W, b, x):
    a = W @ x + b
    return a.T @ a


def numeric_grad(W, b, x, eps, torch, central=False):
    """The seed's loop: nudge one entry by eps, difference quotient of the cost."""
    with torch.no_grad():
        base = cost_fn(W, b, x)
        out = []
        for p in (W, b):
            g = torch.zeros(p.shape, dtype=torch.double, device=p.device)
            for idx in _indices(p.shape):
                d = torch.zeros(p.shape, dtype=torch.double, device=p.device)
                d[idx] = eps
                plus = cost_fn(W + d, b, x) if p is W else cost_fn(W, b + d, x)
                if central:
                    minus = cost_fn(W - d, b, x) if p is W else cost_fn(W, b - d, x)
                    g[idx] = ((plus - minus) / (2 * eps)).item()
                else:
                    g[idx] = ((plus - base) / eps).item()
            out.append(g)
    return out


def _indices(shape):
    return [(i, j) for i in range(shape[0]) for j in range(shape[1])]


def gradcheck(spec, torch, device="cpu", eps=1e-7):
    x, W, b = setup(spec, torch, device)
    cost = cost_fn(W, b, x)
    cost.backward()
    with torch.no_grad():
        a = W @ x + b
        analytic = [2 * a * x.T, 2 * a]
    auto = [W.grad, b.grad]
    numeric = numeric_grad(W, b, x, eps, torch)
    lo, hi, n = math.log10(spec["eps_low"]), math.log10(spec["eps_high"]), spec["points"]
    sweep = [10 ** (lo + (hi - lo) * i / (n - 1)) for i in range(n)]
    forward_err, central_err = [], []
    for e in sweep:
        fwd = numeric_grad(W, b, x, e, torch)
        cen = numeric_grad(W, b, x, e, torch, central=True)
        forward_err.append(_max_error(fwd, auto))
        central_err.append(_max_error(cen, auto))
    return {"cost": cost.item(), "eps": eps,
            "autograd": {"W": W.grad.tolist(), "b": b.grad.tolist()},
            "analytic": {"W": analytic[0].tolist(), "b": analytic[1].tolist()},
            "numeric": {"W": numeric[0].tolist(), "b": numeric[1].tolist()},
            "error_analytic": _max_error(analytic, auto),
            "error_numeric": _max_error(numeric, auto),
            "sweep": {"eps": sweep, "forward": forward_err, "central": central_err}}


def _max_error(grads, reference):
    return max(float((g - r).abs().max()) for g, r in zip(grads, reference))

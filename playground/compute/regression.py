"""Linear regression by gradient descent, the seed's way: loss = ||y - X beta||^2 / n, and
the closed-form answer to compare with.

Three parts, so a lesson can redo only what an input changed: `make_data` (n, noise, true
beta, seed), `landscape` (the closed form, the RSS over a grid of betas around it and the
start, the curvature that limits the learning rate) and `descend` (the seed's loop).
`regression` runs all three, for callers that want everything at once.
"""
import math

from .descent import DIVERGED

CHECK_EVERY = 10  # steps between checks for a run that blew up (a check costs a sync)


def make_data(spec, torch, device="cpu"):
    """X (n x 2, standard normal) and y = X @ beta + noise * N(0, 1), from spec's seed."""
    g = torch.Generator().manual_seed(spec["seed"])
    n = spec["n"]
    X = torch.randn(n, 2, generator=g, dtype=torch.float64)
    beta = torch.tensor([[float(b)] for b in spec["beta"]], dtype=torch.float64)
    y = X @ beta + spec["noise"] * torch.randn(n, 1, generator=g, dtype=torch.float64)
    return X.to(device), y.to(device)


def rss(X, y, beta, torch):
    """The seed's loss: the mean squared residual."""
    return torch.norm(y - X @ beta) ** 2 / X.shape[0]


def closed_form(X, y, torch):
    """beta* = (X^T X)^-1 X^T y, with the 2x2 inverse written out (no linalg needed)."""
    A = X.t() @ X
    b = X.t() @ y
    a, bb, c, d = A[0, 0], A[0, 1], A[1, 0], A[1, 1]
    det = a * d - bb * c
    inv = torch.stack([torch.stack([d, -bb]), torch.stack([-c, a])]) / det
    return (inv @ b).view(2)


def regression(spec, torch, device="cpu"):
    """Everything at once: the data, the landscape, the fit and its verdict."""
    X, y = make_data(spec, torch, device)
    land = landscape(X, y, spec, torch)
    fit = descend(X, y, spec, torch)
    return {"X": X.cpu().tolist(), "y": y.view(-1).cpu().tolist(), **land, **fit,
            "verdict": verdict(spec["lr"], fit, land)}


def landscape(X, y, spec, torch):
    """What does not depend on the learning rate: the closed-form answer and its loss, the
    RSS on a grid, each feature's partial residuals, and the RSS's curvatures."""
    best = closed_form(X, y, torch)
    b, b_loss = best.cpu().tolist(), rss(X, y, best.view(2, 1), torch).item()
    return {"closed_form": b, "closed_form_loss": b_loss,
            "true_beta": [float(v) for v in spec["beta"]],
            "contour": loss_grid(X, b, b_loss, spec["start"], spec["grid"], torch),
            "partial": partial_residuals(X, y, best, torch),
            "curvature": curvature(X, torch)}


def descend(X, y, spec, torch):
    """The seed's loop: loss, backward, beta.data -= lr * grad, grad.zero_(). Each step's
    values are kept as tensors and converted once at the end. 'beta' is the path (the start,
    then the beta after each step, which the seed prints), 'path_loss' the loss at each of
    them; 'loss' and 'grad' are each step's (at the beta before it), as in the seed."""
    lr, steps = spec["lr"], spec["steps"]
    beta = torch.tensor([[float(v)] for v in spec["start"]], dtype=torch.float64,
                        device=X.device, requires_grad=True)
    betas, losses, grads = [beta.detach().clone()], [], []
    for i in range(steps):
        loss = rss(X, y, beta, torch)
        loss.backward()
        beta.data = beta.data - lr * beta.grad
        losses.append(loss.detach())
        grads.append(beta.grad.detach().clone())
        betas.append(beta.detach().clone())
        beta.grad.zero_()
        if (i + 1) % CHECK_EVERY == 0 and not _bounded(betas[-1], torch):
            break
    with torch.no_grad():
        losses.append(rss(X, y, beta, torch))  # at the last beta
    path = torch.stack(betas).view(-1, 2).cpu().tolist()
    path_loss = torch.stack(losses).cpu().tolist()
    grad_rows = torch.stack(grads).view(-1, 2).cpu().tolist()
    diverged_at = next((i for i in range(len(path) - 1)
                        if _blown_up(path_loss[i], *path[i + 1])), None)
    end = len(path) if diverged_at is None else diverged_at + 2  # keep the beta that blew up
    return {"beta": path[:end], "path_loss": path_loss[:end], "loss": path_loss[:end - 1],
            "grad": grad_rows[:end - 1], "diverged_at": diverged_at}


def _bounded(beta, torch):
    return bool((beta.abs() < DIVERGED).all().item())  # nan compares False


def _blown_up(*values):
    return any(not math.isfinite(v) or abs(v) > DIVERGED for v in values)


def curvature(X, torch):
    """Eigenvalues of the RSS's Hessian 2 X^T X / n (the same everywhere: it is a quadratic).
    Gradient descent overshoots once lr > 1/largest and diverges once lr > 2/largest."""
    H = (2 * X.t() @ X / X.shape[0]).cpu().tolist()
    a, b, c = H[0][0], H[0][1], H[1][1]
    mid, half = (a + c) / 2, math.hypot((a - c) / 2, b)
    low, high = mid - half, mid + half
    return {"eigenvalues": [low, high], "condition": high / low if low > 0 else math.inf,
            "lr_limit": 2 / high if high > 0 else math.inf}


def partial_residuals(X, y, best, torch):
    """For each feature j: x_j and y minus the other feature's fitted part, so the points
    show y's dependence on x_j alone (the closed-form line through them has slope beta_j)."""
    out = []
    for j in (0, 1):
        other = 1 - j
        residual = y.view(-1) - best[other] * X[:, other]
        out.append({"x": X[:, j].cpu().tolist(), "y": residual.cpu().tolist()})
    return out


def loss_grid(X, best, best_loss, start, resolution, torch):
    """RSS over a square grid of (beta0, beta1) centred on the closed form and reaching past
    the start. A converging run never gets further from the answer than its start, so its
    whole path is inside. The RSS is exactly quadratic around its minimum,
    RSS(b) = RSS(b*) + (b - b*)^T (X^T X / n) (b - b*), so the grid costs G^2 operations
    whatever n is (and its contours are ellipses along X^T X's eigenvectors)."""
    A = (X.t() @ X / X.shape[0]).cpu().tolist()
    reach = 1.15 * max(math.hypot(start[0] - best[0], start[1] - best[1]), 0.5)
    with torch.no_grad():
        g0 = torch.linspace(best[0] - reach, best[0] + reach, resolution, dtype=torch.float64)
        g1 = torch.linspace(best[1] - reach, best[1] + reach, resolution, dtype=torch.float64)
        d0 = (g0 - best[0]).view(1, -1)   # columns: beta0
        d1 = (g1 - best[1]).view(-1, 1)   # rows: beta1
        z = best_loss + A[0][0] * d0 ** 2 + 2 * A[0][1] * d0 * d1 + A[1][1] * d1 ** 2
    return {"x": g0.tolist(), "y": g1.tolist(), "z": z.tolist()}


def verdict(lr, fit, land):
    """How the run went and why, in terms of the curvature L of the RSS."""
    low, L = land["curvature"]["eigenvalues"]
    if fit["diverged_at"] is not None:
        return (f"Diverged at step {fit['diverged_at']}: lr = {lr:g} is above 2/L = {2 / L:.3g}"
                f" (L = {L:.3g}, the RSS's largest curvature), so each step overshoots more "
                f"than it corrects. Lower the learning rate.")
    b, best = fit["beta"][-1], land["closed_form"]
    gap = math.hypot(b[0] - best[0], b[1] - best[1])
    # closer than rounding can tell: the digits of such a gap are noise, not a result
    distance = "on" if gap <= 1e-12 * (1 + math.hypot(*best)) else f"{gap:.2g} from"
    where = (f"After {len(fit['loss'])} steps beta = ({b[0]:.4f}, {b[1]:.4f}), "
             f"{distance} the closed form ({best[0]:.4f}, {best[1]:.4f}).")
    if lr > 2 / L:
        how = (f"lr = {lr:g} is above 2/L = {2 / L:.3g}: the steps grow; it has not blown up "
               f"within these steps.")
    elif lr > 1 / L:
        how = (f"lr = {lr:g} is between 1/L = {1 / L:.3g} and 2/L = {2 / L:.3g}: the steps "
               f"overshoot and zig-zag in.")
    else:
        how = (f"lr = {lr:g} is below 1/L = {1 / L:.3g}: every step goes straight downhill; the "
               f"flattest direction (curvature {low:.3g}) shrinks by a factor "
               f"{abs(1 - lr * low):.3g} per step.")
    return f"{how} {where}"

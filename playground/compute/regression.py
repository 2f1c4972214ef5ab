"""Linear regression by gradient descent, the seed's way: loss = ||y - X beta||^2 / n."""


def make_data(spec, torch):
    g = torch.Generator().manual_seed(spec["seed"])
    n = spec["n"]
    X = torch.randn(n, 2, generator=g, dtype=torch.float64)
    beta = torch.tensor([[float(b)] for b in spec["beta"]], dtype=torch.float64)
    y = X @ beta + spec["noise"] * torch.randn(n, 1, generator=g, dtype=torch.float64)
    return X, y


def rss(X, y, beta, torch):
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
    X, y = make_data(spec, torch)
    X, y = X.to(device), y.to(device)
    beta = torch.tensor([[float(v)] for v in spec["start"]], dtype=torch.float64, device=device,
                        requires_grad=True)
    betas, losses, grads = [], [], []
    diverged_at = None
    for i in range(spec["steps"]):
        loss = rss(X, y, beta, torch)
        loss.backward()
        b = beta.detach().view(2).tolist()
        betas.append(b), losses.append(loss.item()), grads.append(beta.grad.view(2).tolist())
        if not all(abs(v) < 1e8 for v in b + [loss.item()]):
            diverged_at = i
            break
        beta.data = beta.data - spec["lr"] * beta.grad
        beta.grad.zero_()
    final = beta.detach().view(2).tolist()
    best = closed_form(X, y, torch)
    with torch.no_grad():
        best_loss = rss(X, y, best.view(2, 1), torch).item()
    return {
        "X": X.cpu().tolist(), "y": y.view(-1).cpu().tolist(),
        "beta": betas + [final], "loss": losses, "grad": grads,
        "closed_form": best.cpu().tolist(), "closed_form_loss": best_loss,
        "diverged_at": diverged_at,
        "contour": loss_grid(X, y, betas + [final], best.cpu().tolist(), spec["grid"], torch),
    }


def loss_grid(X, y, path, best, resolution, torch):
    """RSS over a grid of (beta0, beta1) around the path and the solution, in one batch."""
    pts = [p for p in path if all(abs(v) < 1e3 for v in p)] + [best]
    b0 = [p[0] for p in pts]
    b1 = [p[1] for p in pts]
    pad0 = max(1.0, 0.25 * (max(b0) - min(b0)))
    pad1 = max(1.0, 0.25 * (max(b1) - min(b1)))
    with torch.no_grad():
        g0 = torch.linspace(min(b0) - pad0, max(b0) + pad0, resolution, dtype=torch.float64)
        g1 = torch.linspace(min(b1) - pad1, max(b1) + pad1, resolution, dtype=torch.float64)
        B0 = g0.view(1, -1).expand(resolution, resolution).reshape(-1)
        B1 = g1.view(-1, 1).expand(resolution, resolution).reshape(-1)
        B = torch.stack([B0, B1]).to(X.device)            # 2 x G^2 candidate betas
        residual = y - X @ B                               # n x G^2
        z = (residual ** 2).mean(0).view(resolution, resolution)
    return {"x": g0.tolist(), "y": g1.tolist(), "z": z.cpu().tolist()}

"""A first network, TensorFlow Playground style: an MLP on a 2-D toy dataset, trained live,
with train/test losses and the decision map."""
import math

from .optimizers import make_optimizer


def make_dataset(spec, torch):
    """Points in [-5, 5]^2 with labels 0/1: circle, xor, gauss or spiral, plus noise."""
    g = torch.Generator().manual_seed(spec["seed"])
    n, noise, kind = spec["points"], spec["noise"], spec["dataset"]
    f64 = torch.float64
    if kind == "circle":
        r = torch.cat([torch.rand(n // 2, generator=g, dtype=f64) * 2.0,
                       2.5 + torch.rand(n - n // 2, generator=g, dtype=f64) * 2.0])
        a = torch.rand(n, generator=g, dtype=f64) * 2 * math.pi
        X = torch.stack([r * torch.cos(a), r * torch.sin(a)], 1)
        labels = (r < 2.25).to(f64)
    elif kind == "xor":
        X = torch.rand(n, 2, generator=g, dtype=f64) * 10 - 5
        X = X + torch.sign(X) * 0.3  # keep points off the axes, as the playground does
        labels = (X[:, 0] * X[:, 1] > 0).to(f64)
    elif kind == "gauss":
        centers = torch.tensor([[2.0, 2.0], [-2.0, -2.0]], dtype=f64)
        labels = (torch.arange(n) % 2).to(f64)
        X = centers[(1 - labels).long()] + torch.randn(n, 2, generator=g, dtype=f64)
    elif kind == "spiral":
        half = n // 2
        t = torch.linspace(0, 1, half, dtype=f64).repeat(2)[:n]
        if t.shape[0] < n:
            t = torch.cat([t, torch.ones(n - t.shape[0], dtype=f64)])
        which = (torch.arange(n) >= half).to(f64)
        angle = t * 1.75 * 2 * math.pi + which * math.pi
        X = torch.stack([5 * t * torch.sin(angle), 5 * t * torch.cos(angle)], 1)
        labels = which
    else:
        raise ValueError(f"unknown dataset '{kind}'")
    X = X + noise * 2.5 * torch.randn(n, 2, generator=g, dtype=f64)
    order = torch.randperm(n, generator=g)
    return X[order].float(), labels[order].float().view(-1, 1)


def make_model(spec, torch):
    nn = torch.nn
    act = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}[spec["activation"]]
    layers, width = [], 2
    for h in spec["hidden"]:
        layers += [nn.Linear(width, h), act()]
        width = h
    layers.append(nn.Linear(width, 1))
    return nn.Sequential(*layers)


def training(spec, torch, device="cpu"):
    X, Y = make_dataset(spec, torch)
    X, Y = X.to(device), Y.to(device)
    n_test = max(1, int(round(spec["test_fraction"] * X.shape[0])))
    Xte, Yte, Xtr, Ytr = X[:n_test], Y[:n_test], X[n_test:], Y[n_test:]
    torch.manual_seed(spec["seed"])
    model = make_model(spec, torch).to(device)
    opt = make_optimizer(spec["optimizer"], model.parameters(), spec["lr"], 0.9, torch)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    train_loss, test_loss = [], []
    diverged_at = None
    for step in range(spec["steps"]):
        opt.zero_grad()
        loss = loss_fn(model(Xtr), Ytr)
        loss.backward()
        opt.step()
        with torch.no_grad():
            train_loss.append(loss.item())
            test_loss.append(loss_fn(model(Xte), Yte).item())
        if not math.isfinite(train_loss[-1]):
            diverged_at = step
            break
    with torch.no_grad():
        acc_tr = ((model(Xtr) > 0).float() == Ytr).float().mean().item()
        acc_te = ((model(Xte) > 0).float() == Yte).float().mean().item()
        grid = decision_map(model, spec["grid"], torch, device)
    return {"train": {"x": Xtr[:, 0].cpu().tolist(), "y": Xtr[:, 1].cpu().tolist(),
                      "label": Ytr.view(-1).cpu().tolist()},
            "test": {"x": Xte[:, 0].cpu().tolist(), "y": Xte[:, 1].cpu().tolist(),
                     "label": Yte.view(-1).cpu().tolist()},
            "train_loss": train_loss, "test_loss": test_loss,
            "train_accuracy": acc_tr, "test_accuracy": acc_te,
            "diverged_at": diverged_at, "map": grid,
            "parameters": sum(p.numel() for p in model.parameters())}


def decision_map(model, resolution, torch, device):
    g = torch.linspace(-6, 6, resolution)
    xx = g.view(1, -1).expand(resolution, resolution).reshape(-1)
    yy = g.view(-1, 1).expand(resolution, resolution).reshape(-1)
    p = torch.sigmoid(model(torch.stack([xx, yy], 1).to(device))).view(resolution, resolution)
    return {"x": g.tolist(), "y": g.tolist(), "p": p.cpu().tolist()}


def activation_curves(torch, lo=-5.0, hi=5.0, points=201):
    """ReLU, Sigmoid and Tanh and their derivatives, the derivatives by autograd."""
    out = {}
    for name in ("relu", "sigmoid", "tanh"):
        x = torch.linspace(lo, hi, points, dtype=torch.float64, requires_grad=True)
        y = getattr(torch, name)(x)
        y.sum().backward()
        out[name] = {"x": x.detach().tolist(), "y": y.detach().tolist(), "dy": x.grad.tolist()}
    return out

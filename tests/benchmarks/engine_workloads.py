"""The engine benchmark's workloads, each a function of a torch-like module, so the very same
code runs on real torch, on playground.torch, and inside Pyodide (stdlib only here)."""


def w1_descent_1d(torch, steps=2000):
    """1-D gradient descent on (x-2)^2, the seed's loop (x.data update, grad.zero_())."""
    x = torch.tensor([5.0], requires_grad=True)
    for _ in range(steps):
        y = (x - 2) ** 2
        y.backward()
        x.data = x.data - 0.1 * x.grad
        x.grad.zero_()
    return x.item()


def _regression_data(torch, n=50):
    g = torch.Generator().manual_seed(0)
    X = torch.randn(n, 2, generator=g)
    y = X @ torch.tensor([[-1.0], [2.0]]) + 0.1 * torch.randn(n, 1, generator=g)
    return X, y


def w2_regression(torch, steps=2000, n=50):
    """Linear regression 50x2 by gradient descent on norm(y - X beta)^2 / n (the seed's rss)."""
    X, y = _regression_data(torch, n)
    beta = torch.tensor([[1.0], [0.0]], requires_grad=True)
    for _ in range(steps):
        loss = torch.norm(y - X @ beta) ** 2 / n
        loss.backward()
        beta.data = beta.data - 0.1 * beta.grad
        beta.grad.zero_()
    return loss.item()


def w3_mlp(torch, steps=500, points=256):
    """MLP 2-32-32-1 (tanh, relu) on 256 points, SGD with momentum, MSE loss."""
    g = torch.Generator().manual_seed(0)
    X = torch.randn(points, 2, generator=g)
    Y = (X[:, :1] * X[:, 1:] > 0).float()
    torch.manual_seed(0)
    nn = torch.nn
    model = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.ReLU(),
                          nn.Linear(32, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.MSELoss()
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        opt.step()
    return loss.item()


def w4_matmul(torch, passes=10, n=512):
    """((A@B).tanh()@B).sum() with 512x512 float32, 10 backward passes."""
    g = torch.Generator().manual_seed(0)
    A = torch.randn(n, n, generator=g, requires_grad=True)
    B = torch.randn(n, n, generator=g, requires_grad=True)
    for _ in range(passes):
        ((A @ B).tanh() @ B).sum().backward()
    return float(A.grad.abs().sum())


WORKLOADS = {"W1": w1_descent_1d, "W2": w2_regression, "W3": w3_mlp, "W4": w4_matmul}

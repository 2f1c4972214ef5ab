"""A first network, TensorFlow Playground style: an MLP on a 2-D toy dataset, trained by
full-batch gradient descent, with train/test losses, accuracies and the decision map.

    run = TrainingRun(spec, torch)      # data, split, a fresh network, its optimizer
    run.advance(20)                     # 20 more updates (a page trains in such chunks)
    run.points(); run.progress()        # the data once; the losses, map... after each chunk

`training(spec, torch)` runs the whole spec at once (compute.run's and the backend's entry).
Randomness comes only from torch.Generators seeded by spec["seed"] (the data, and the
initial weights from a second stream), never from the global RNG, so a run is reproducible
and training never disturbs the random numbers of code the student runs alongside.
"""
import math
import time

from .activations import MODULES, activation_curves  # noqa: F401  (re-exported)
from .optimizers import make_optimizer

MAP_EXTENT = 6.0  # the decision map covers [-6, 6]^2; the noiseless data lie within +-5.3
INIT_STREAM = 104_729  # the weights' generator is seeded with seed + this: not the data's stream


def make_dataset(spec, torch):
    """(X, labels): points in about [-5, 5]^2 with labels 0/1 (circle, xor, gauss or spiral),
    shuffled, plus Gaussian noise of std 2.5 * spec["noise"]."""
    g = torch.Generator().manual_seed(spec["seed"])
    n, noise, kind = spec["points"], spec["noise"], spec["dataset"]
    f64 = torch.float64
    if kind == "circle":  # class 1 inside radius 2, class 0 on a ring from 2.5 to 4.5
        r = torch.cat([torch.rand(n // 2, generator=g, dtype=f64) * 2.0,
                       2.5 + torch.rand(n - n // 2, generator=g, dtype=f64) * 2.0])
        a = torch.rand(n, generator=g, dtype=f64) * 2 * math.pi
        X = torch.stack([r * torch.cos(a), r * torch.sin(a)], 1)
        labels = (r < 2.25).to(f64)
    elif kind == "xor":  # class 1 where x and y have the same sign
        X = torch.rand(n, 2, generator=g, dtype=f64) * 10 - 5
        X = X + torch.sign(X) * 0.3  # keep points off the axes, as the playground does
        labels = (X[:, 0] * X[:, 1] > 0).to(f64)
    elif kind == "gauss":  # two blobs of std 1 around (2, 2) (class 1) and (-2, -2)
        centers = torch.tensor([[2.0, 2.0], [-2.0, -2.0]], dtype=f64)
        labels = (torch.arange(n) % 2).to(f64)
        X = centers[(1 - labels).long()] + torch.randn(n, 2, generator=g, dtype=f64)
    elif kind == "spiral":  # two interleaved arms, 1.75 turns each
        half = n // 2
        t = torch.cat([torch.linspace(0, 1, half, dtype=f64),
                       torch.linspace(0, 1, n - half, dtype=f64)])
        which = (torch.arange(n) >= half).to(f64)
        angle = t * 1.75 * 2 * math.pi + which * math.pi
        X = torch.stack([5 * t * torch.sin(angle), 5 * t * torch.cos(angle)], 1)
        labels = which
    else:
        raise ValueError(f"unknown dataset '{kind}'")
    X = X + noise * 2.5 * torch.randn(n, 2, generator=g, dtype=f64)
    order = torch.randperm(n, generator=g)
    return X[order].float(), labels[order].float().view(-1, 1)


def split(X, Y, test_fraction):
    """((X_train, Y_train), (X_test, Y_test)): the first round(fraction * n) shuffled points
    are held out for testing; both parts keep at least one point."""
    n = X.shape[0]
    n_test = min(n - 1, max(1, int(round(test_fraction * n))))
    return (X[n_test:], Y[n_test:]), (X[:n_test], Y[:n_test])


def make_model(spec, torch, generator=None):
    """nn.Sequential(Linear(2, h1), act, ..., Linear(h_last, 1)): one logit per point.
    With a generator, the weights are drawn from it (see init_uniform)."""
    nn = torch.nn
    activation = getattr(nn, MODULES[spec["activation"]])
    rng = torch.get_rng_state()  # nn.Linear draws its weights from the global RNG: keep it
    try:
        layers, width = [], 2
        for h in spec["hidden"]:
            layers += [nn.Linear(width, h), activation()]
            width = h
        layers.append(nn.Linear(width, 1))
        model = nn.Sequential(*layers)
    finally:
        if generator is not None:
            torch.set_rng_state(rng)
    if generator is not None:
        init_uniform(model, torch, generator)
    return model


def init_uniform(model, torch, generator):
    """nn.Linear's own default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases
    (kaiming_uniform_ with a=sqrt(5) comes to that), drawn from `generator`."""
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, torch.nn.Linear):
                bound = 1.0 / math.sqrt(layer.in_features)
                for p in (layer.weight, layer.bias):
                    p.copy_((torch.rand(tuple(p.shape), generator=generator) * 2 - 1) * bound)


class TrainingRun:
    """One training run that can be advanced step by step.

    data: optional {"X": [[x, y], ...], "Y": [label, ...]} used instead of make_dataset, and
    weights: optional {name: nested list} loaded into the network; with both, two engines
    whose RNGs differ can be given the same numbers and compared.
    """

    def __init__(self, spec, torch, device="cpu", data=None, weights=None):
        self.spec, self.torch, self.device = spec, torch, device
        if data is None:
            X, Y = make_dataset(spec, torch)
        else:
            X = torch.tensor(data["X"], dtype=torch.float32)
            Y = torch.tensor(data["Y"], dtype=torch.float32).view(-1, 1)
        (Xtr, Ytr), (Xte, Yte) = split(X, Y, spec["test_fraction"])
        self.Xtr, self.Ytr = Xtr.to(device), Ytr.to(device)
        self.Xte, self.Yte = Xte.to(device), Yte.to(device)
        init = torch.Generator().manual_seed(spec["seed"] + INIT_STREAM)
        self.model = make_model(spec, torch, init)
        if weights is not None:
            self.model.load_state_dict({k: torch.tensor(v, dtype=torch.float32)
                                        for k, v in weights.items()})
        self.model.to(device)
        self.optimizer = make_optimizer(spec["optimizer"], self.model.parameters(), spec["lr"],
                                        0.9, torch)
        self.loss_fn = torch.nn.BCEWithLogitsLoss()
        self.step = 0  # updates made so far
        # losses[k]: the loss with the parameters after k updates (k = 0 .. step - 1)
        self.train_loss, self.test_loss = [], []
        self.diverged_at = None

    @property
    def done(self):
        return self.step >= self.spec["steps"] or self.diverged_at is not None

    def advance(self, steps, budget_s=None):
        """Up to `steps` more updates, never past spec["steps"]; stops at divergence, or once
        `budget_s` seconds are spent (at least one update is made). Returns how many."""
        started = time.perf_counter()
        made = 0
        while made < steps and not self.done:
            if budget_s is not None and made and time.perf_counter() - started > budget_s:
                break
            self._update()
            made += 1
        return made

    def _update(self):
        self.optimizer.zero_grad()
        loss = self.loss_fn(self.model(self.Xtr), self.Ytr)
        loss.backward()
        with self.torch.no_grad():  # the test loss for the same parameters, before the step
            test = self.loss_fn(self.model(self.Xte), self.Yte).item()
        train = loss.item()
        self.train_loss.append(train)
        self.test_loss.append(test)
        if not (math.isfinite(train) and math.isfinite(test)):
            self.diverged_at = self.step  # a step from nan/inf would only spread it
            return
        self.optimizer.step()
        self.step += 1

    def points(self):
        """The training and test points with their labels (they don't change as it trains)."""
        def columns(X, Y):
            X, Y = X.cpu(), Y.view(-1).cpu()
            return {"x": X[:, 0].tolist(), "y": X[:, 1].tolist(), "label": Y.tolist()}
        return {"train": columns(self.Xtr, self.Ytr), "test": columns(self.Xte, self.Yte)}

    def progress(self, grid=40):
        """Where training stands: loss curves (entry k: after k updates), accuracies, the
        decision map, the best test loss so far, the model as torch prints it."""
        torch = self.torch
        train_loss, test_loss = list(self.train_loss), list(self.test_loss)
        with torch.no_grad():
            if self.diverged_at is None:  # the current parameters' losses end the curves
                train_loss.append(self.loss_fn(self.model(self.Xtr), self.Ytr).item())
                test_loss.append(self.loss_fn(self.model(self.Xte), self.Yte).item())
            acc_tr = accuracy(self.model(self.Xtr), self.Ytr)
            acc_te = accuracy(self.model(self.Xte), self.Yte)
            decision = decision_map(self.model, grid, torch, self.device)
        finite = [(v, k) for k, v in enumerate(test_loss) if math.isfinite(v)]
        best_loss, best_step = min(finite) if finite else (None, None)
        best = {"step": best_step, "loss": best_loss}
        return {"step": self.step, "steps": self.spec["steps"],
                "train_loss": train_loss, "test_loss": test_loss,
                "train_accuracy": acc_tr, "test_accuracy": acc_te, "best_test": best,
                "diagnosis": diagnose(train_loss, test_loss, best, self.diverged_at),
                "diverged_at": self.diverged_at, "map": decision,
                "parameters": sum(p.numel() for p in self.model.parameters()),
                "model": repr(self.model)}


COIN_FLIP_LOSS = math.log(2)  # the cross-entropy of always answering p = 0.5


def diagnose(train_loss, test_loss, best_test, diverged_at):
    """What the curves say, as a list of: 'diverged' (a loss became nan or inf),
    'overshooting' (the train loss jumps well above where it started, or above a coin
    flip's), 'overfitting' (the test loss has risen well above its best while the train loss
    kept falling)."""
    if diverged_at is not None:
        return ["diverged"]
    if len(train_loss) < 2:
        return []
    recent = [v for v in train_loss[-10:] if math.isfinite(v)]
    if recent and max(recent) > 1.5 * max(train_loss[0], COIN_FLIP_LOSS):
        return ["overshooting"]
    best_step, best_loss = best_test["step"], best_test["loss"]
    if best_step is not None and test_loss[-1] > 1.25 * best_loss + 0.01 and \
            train_loss[-1] < train_loss[best_step]:
        return ["overfitting"]
    return []


def accuracy(logits, Y):
    """The fraction of points on the right side of the boundary (logit > 0 means class 1)."""
    return ((logits > 0).float() == Y).float().mean().item()


def decision_map(model, resolution, torch, device="cpu"):
    """p(class 1) = sigmoid(model(x, y)) on a resolution x resolution grid over the plot;
    p[i][j] is at (x[j], y[i]) (rows go up in y, as an image's rows do)."""
    g = torch.linspace(-MAP_EXTENT, MAP_EXTENT, resolution)
    xx = g.view(1, -1).expand(resolution, resolution).reshape(-1)
    yy = g.view(-1, 1).expand(resolution, resolution).reshape(-1)
    p = torch.sigmoid(model(torch.stack([xx, yy], 1).to(device))).view(resolution, resolution)
    return {"x": g.tolist(), "y": g.tolist(), "p": p.cpu().tolist()}


def training(spec, torch, device="cpu", data=None, weights=None):
    """The whole run at once: the points and the progress after spec["steps"] updates."""
    run = TrainingRun(spec, torch, device, data=data, weights=weights)
    run.advance(spec["steps"])
    return {**run.points(), **run.progress(spec["grid"])}

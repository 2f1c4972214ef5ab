"""Optimizers by the names the lessons use, built from the torch module they are given."""


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

"""Optimizers by the names the lessons use (protocol.OPTIMIZERS), built from the torch module
they are given. Only the learning rate and, for the two momentum methods, the momentum are
set; everything else keeps torch's defaults."""


def make_optimizer(name, params, lr, momentum, torch):
    optim = torch.optim
    if name == "sgd":
        return optim.SGD(params, lr=lr)
    if name == "momentum":
        return optim.SGD(params, lr=lr, momentum=momentum)
    if name == "nesterov":
        if momentum <= 0:  # torch's own message ("requires a momentum") names no fix
            raise ValueError("nesterov needs a momentum above 0 (with none it is plain sgd)")
        return optim.SGD(params, lr=lr, momentum=momentum, nesterov=True)
    if name == "rmsprop":
        return optim.RMSprop(params, lr=lr)
    if name == "adagrad":
        return optim.Adagrad(params, lr=lr)
    if name == "adam":
        return optim.Adam(params, lr=lr)
    raise ValueError(f"unknown optimizer '{name}': choose one of sgd, momentum, nesterov, "
                     f"rmsprop, adagrad, adam")

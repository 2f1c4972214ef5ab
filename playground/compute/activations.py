"""The activation functions of a first network and their derivatives, the derivatives taken by
autograd (not written out), so the plot shows what backward() really passes back."""

# protocol.ACTIVATIONS name -> the torch.nn module class the network uses
MODULES = {"relu": "ReLU", "sigmoid": "Sigmoid", "tanh": "Tanh"}


def activation_curves(torch, lo=-5.0, hi=5.0, points=201):
    """{name: {"x", "y", "dy", "module"}} for ReLU, Sigmoid and Tanh on [lo, hi].

    Each curve goes through the nn module (`nn.Tanh()(x)`), as in the network; dy is
    x.grad after `y.sum().backward()`: the sum's gradient with respect to x_i is f'(x_i),
    since x_i only enters the i-th term. (ReLU'(0) is 0, as torch defines it.)
    """
    out = {}
    for name, cls in MODULES.items():
        module = getattr(torch.nn, cls)()
        x = torch.linspace(lo, hi, points, dtype=torch.float64, requires_grad=True)
        y = module(x)
        y.sum().backward()
        out[name] = {"x": x.detach().tolist(), "y": y.detach().tolist(),
                     "dy": x.grad.tolist(), "module": repr(module)}
    return out

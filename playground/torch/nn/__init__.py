"""torch.nn for the first lessons: Module, Parameter, Linear, activations, losses."""
from . import functional, init, utils  # noqa: F401
from .layers import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, Dropout, ELU,  # noqa: F401
                     Flatten, HuberLoss, Identity, L1Loss, LeakyReLU, Linear, LogSoftmax,
                     ModuleDict, ModuleList, MSELoss, NLLLoss, ReLU, Sequential, Sigmoid, SiLU,
                     SmoothL1Loss, Softmax, Softplus, Tanh)
from .module import Module  # noqa: F401
from .parameter import Parameter  # noqa: F401


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"playground.torch does not implement torch.nn.{name} yet (it covers "
                         "Linear, the common activations and losses, and containers)")

"""torch.optim for the first lessons: SGD (momentum, Nesterov), Adam, AdamW, RMSprop, Adagrad."""
from .algorithms import SGD, Adagrad, Adam, AdamW, RMSprop  # noqa: F401
from .optimizer import Optimizer  # noqa: F401


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise AttributeError(f"playground.torch does not implement torch.optim.{name} yet (it has "
                         "SGD, Adam, AdamW, RMSprop and Adagrad)")

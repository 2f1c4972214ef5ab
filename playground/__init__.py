"""playground: PyTorch's first lessons, live in the browser, on a numpy-based torch engine."""
import importlib.abc
import importlib.machinery
import sys

__version__ = "0.1.0"

# what `import torch...` resolves to once installed: torch.<key> -> playground.torch.<value>
TORCH_MODULES = {"torch": "", "torch.nn": ".nn", "torch.nn.functional": ".nn.functional",
                 "torch.nn.init": ".nn.init", "torch.nn.utils": ".nn.utils",
                 "torch.nn.parameter": ".nn.parameter", "torch.autograd": ".autograd",
                 "torch.optim": ".optim", "torch.cuda": ".cuda"}


class _MissingTorchModule(importlib.abc.MetaPathFinder):
    """`import torch.fft` (any torch submodule we lack) fails with a message that names it."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.startswith("torch.") and fullname not in TORCH_MODULES and \
                sys.modules.get("torch") is sys.modules.get("playground.torch"):
            raise ModuleNotFoundError(
                f"playground.torch does not implement {fullname} yet (it covers the tensors, "
                "autograd, nn and optim of the first PyTorch lessons)", name=fullname)
        return None


def install_as_torch():
    """Make `import torch`, `import torch.nn as nn`, `from torch.autograd import Variable`...
    load the playground engine. Safe to call more than once."""
    from . import torch as engine
    for name, rel in TORCH_MODULES.items():
        sys.modules[name] = importlib.import_module("playground.torch" + rel) if rel else engine
    if not any(isinstance(f, _MissingTorchModule) for f in sys.meta_path):
        sys.meta_path.insert(0, _MissingTorchModule())
    return engine

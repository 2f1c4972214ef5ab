"""Which torch the lessons compute with: our engine by default (the only one in the browser),
or real torch in-process with `panel serve playground/app.py --args --engine torch`."""
import importlib

_choice = {"engine": "playground"}
ENGINES = ("playground", "torch")


def use(name):
    if name not in ENGINES:
        raise ValueError(f"unknown engine '{name}': use one of {', '.join(ENGINES)}")
    _choice["engine"] = name


def name():
    return _choice["engine"]


def torch_module():
    """The torch module lessons and code cells use."""
    if _choice["engine"] == "torch":
        return importlib.import_module("torch")
    return importlib.import_module("playground.torch")


def device():
    """'cuda' when real torch has a GPU, else 'cpu' (the engine computes on the CPU)."""
    torch = torch_module()
    if _choice["engine"] == "torch" and torch.cuda.is_available():
        return "cuda"
    return "cpu"

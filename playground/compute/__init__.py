"""Experiments as pure functions of (spec, torch) -> result.

They receive the torch module as an argument, so the same function runs on our engine (in the
browser), on real torch in-process (`panel serve` on a GPU machine), or on the backend server.
Specs are validated by playground.protocol; results are JSON-safe dicts.
"""
import time

from .. import protocol
from .benchmark import matmul
from .descent import descent_1d
from .descent2d import descent_2d
from .gradcheck import gradcheck
from .regression import regression
from .training import training

EXPERIMENTS = {"descent1d": descent_1d, "descent2d": descent_2d, "regression": regression,
               "training": training, "gradcheck": gradcheck, "matmul": matmul}


def run(name, spec, torch, device="cpu"):
    """Validate `spec`, run experiment `name` on `torch`, and return its JSON-safe result with
    where it ran and how long it took."""
    spec = protocol.validate(name, spec)
    t0 = time.perf_counter()
    kwargs = {} if name == "matmul" else {"device": device}
    result = EXPERIMENTS[name](spec, torch, **kwargs)
    elapsed = time.perf_counter() - t0
    return protocol.json_safe({"experiment": name, "spec": spec, "result": result,
                               "ran_on": {"engine": _engine_name(torch), "device": str(device)},
                               "seconds": elapsed})


def _engine_name(torch):
    return "playground.torch" if torch.__name__.startswith("playground") else \
        f"torch {torch.__version__}"

"""torch.cuda for a CPU-only engine: unavailable by default, like a CPU build of torch.

`simulate(True)` switches on one simulated GPU ('cuda:0'): tensors can be moved there and print
`device='cuda:0'`, mixing devices raises torch's error, and `.numpy()` refuses cuda tensors.
The arithmetic still runs on the CPU; only the bookkeeping is simulated.
"""
from .device import _Simulation, cuda_unavailable


def simulate(on=True):
    """Turn the simulated CUDA device on or off. Returns the previous setting."""
    previous = _Simulation.on
    _Simulation.on = bool(on)
    return previous


def is_simulated():
    return _Simulation.on


def _lazy_init():
    if not _Simulation.on:
        raise cuda_unavailable()


def is_available():
    return _Simulation.on


def device_count():
    return 1 if _Simulation.on else 0


def current_device():
    _lazy_init()
    return 0


def get_device_name(device=None):
    _lazy_init()
    return "Simulated CUDA device (playground)"


def synchronize(device=None):
    _lazy_init()


def is_initialized():
    return _Simulation.on


def manual_seed(seed):
    """Seeds nothing extra: the simulated device draws from the CPU generator."""


def manual_seed_all(seed):
    """See manual_seed."""


def empty_cache():
    """Nothing is cached."""

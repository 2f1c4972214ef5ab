"""torch.device, and the one place that decides whether a device can be used.

The engine computes everything with numpy on the CPU. A CUDA device exists only when the
simulation is switched on (`playground.torch.cuda.simulate(True)`): tensors then carry
device='cuda:0' and behave as on a GPU (same-device checks, .numpy() refused), so the devices
lesson can show what real torch shows. Without it we behave like a CPU-only torch build.
"""
import re

_TYPES = ("cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, "
          "vulkan, mps, meta, hpu, mtia, privateuseone")
_KNOWN = tuple(t.strip() for t in _TYPES.split(","))


class device:
    """torch.device('cpu'), torch.device('cuda:0'), torch.device('cuda', 0)."""

    __slots__ = ("type", "index")
    __module__ = "torch"

    def __init__(self, type, index=None):
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if isinstance(type, int):
            raise RuntimeError("Cannot access accelerator device when none is available.")
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({_typename(type)})")
        kind, _, num = type.partition(":")
        if kind not in _KNOWN:
            raise RuntimeError(f"Expected one of {_TYPES} device type at start of device string: "
                               f"{type}")
        if num:
            if not re.fullmatch(r"\d+", num) or index is not None:
                raise RuntimeError(f"Invalid device string: '{type}'")
            index = int(num)
        self.type, self.index = kind, index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        # torch.device('cpu') == 'cpu' is False in torch: only devices compare equal
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))


def _typename(x):
    return type(x).__name__


CPU = device("cpu")
CUDA0 = device("cuda", 0)


class _Simulation:
    on = False


def cuda_unavailable():
    """The error a CPU-only torch build raises when CUDA is asked for."""
    return AssertionError("Torch not compiled with CUDA enabled")


def canonical(dev):
    """The concrete device a tensor lives on for a `device=` argument (None means CPU).

    Raises torch's errors: an unknown device string, or CUDA on a build without it.
    """
    if dev is None or dev is CPU:
        return CPU
    if not isinstance(dev, device):
        dev = device(dev)
    if dev.type == "cpu":
        return CPU
    if dev.type == "cuda":
        if not _Simulation.on:
            raise cuda_unavailable()
        if dev.index not in (None, 0):
            raise RuntimeError("CUDA error: invalid device ordinal\nCUDA kernel errors might be "
                               "asynchronously reported at some other API call, so the stacktrace "
                               "below might be incorrect.")
        return CUDA0
    raise RuntimeError(f"playground.torch does not implement the '{dev.type}' device; it has the "
                       f"CPU and a simulated CUDA device (playground.torch.cuda.simulate(True))")

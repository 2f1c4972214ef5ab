"""Our own reproducible random numbers: torch.manual_seed, Generator, rand/randn/randint...

The values differ from torch's (its generator is a Mersenne Twister with its own transforms),
but the same seed always gives the same values here, in CPython and in Pyodide alike (numpy's
PCG64 is platform independent).
"""
import pickle
import secrets

import numpy as np

from . import dtypes
from .creation import finish, size_of
from .ops.inplace import run_inplace
from .function import Function
from .tensor import Tensor, _make

DEFAULT_SEED = 67280421310721  # torch's initial seed at start-up


class Generator:
    def __init__(self, device="cpu"):
        self.device = device
        self.manual_seed(DEFAULT_SEED)

    def manual_seed(self, seed):
        seed = int(seed)
        self._seed = seed
        self._rng = np.random.Generator(np.random.PCG64(seed & (2 ** 64 - 1)))
        return self

    def seed(self):
        s = secrets.randbits(63)
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._seed

    def get_state(self):
        return _make(np.frombuffer(pickle.dumps(self._rng.bit_generator.state), np.uint8).copy())

    def set_state(self, state):
        self._rng.bit_generator.state = pickle.loads(state._data.tobytes())
        return self

    def __repr__(self):
        return f"<torch._C.Generator object at {id(self):#x}>"


default_generator = Generator()


def _rng(generator):
    return (generator or default_generator)._rng


def manual_seed(seed):
    return default_generator.manual_seed(seed)


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(state):
    default_generator.set_state(state)


def _uniform(rng, shape, np_dtype):
    if np_dtype in (np.float32, np.float64):
        return rng.random(shape, dtype=np_dtype)
    return rng.random(shape, dtype=np.float32).astype(np_dtype)


def _normal(rng, shape, np_dtype):
    if np_dtype in (np.float32, np.float64):
        return rng.standard_normal(shape, dtype=np_dtype)
    return rng.standard_normal(shape, dtype=np.float32).astype(np_dtype)


def _float_dtype(dtype, name):
    dt = dtype or dtypes.get_default_dtype()
    if not dt.is_floating_point:
        raise NotImplementedError(f'"{name}" not implemented for \'{dtypes.short_name(dt)}\'')
    return dt


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    dt = _float_dtype(dtype, "check_uniform_bounds")
    return finish(_uniform(_rng(generator), size_of(size, "rand"), dt.np), None, device,
                  requires_grad)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    dt = _float_dtype(dtype, "normal_kernel_cpu")
    return finish(_normal(_rng(generator), size_of(size, "randn"), dt.np), None, device,
                  requires_grad)


def randint(*args, size=None, generator=None, dtype=None, device=None, requires_grad=False,
            **kwargs):
    """randint(high, size) or randint(low, high, size)."""
    args = list(args)
    if size is None:
        if not args or not isinstance(args[-1], (tuple, list)):
            raise TypeError("randint() received an invalid combination of arguments - expected "
                            "(int low, int high, tuple of ints size, ...)")
        size = args.pop()
    low, high = (0, args[0]) if len(args) == 1 else (args[0], args[1])
    low, high = kwargs.get("low", low), kwargs.get("high", high)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    dt = dtype or dtypes.int64
    values = _rng(generator).integers(low, high, size=size_of((size,), "randint"))
    return finish(values.astype(dt.np), None, device, requires_grad)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False, **kwargs):
    dt = dtype or dtypes.int64
    return finish(_rng(generator).permutation(n).astype(dt.np), None, device, requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False):
    rng = _rng(generator)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        m = mean._data if isinstance(mean, Tensor) else mean
        s = std._data if isinstance(std, Tensor) else std
        like = mean if isinstance(mean, Tensor) else std
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
        return finish((m + s * _normal(rng, shape, like._dtype.np)).astype(like._dtype.np),
                      None, like._device, requires_grad)
    dt = _float_dtype(dtype, "normal_kernel_cpu")
    values = mean + std * _normal(rng, size_of((size,), "normal"), dt.np)
    return finish(values.astype(dt.np), None, device, requires_grad)


def bernoulli(input, p=None, *, generator=None):
    probs = input._data if p is None else np.full(input._data.shape, p)
    draw = _rng(generator).random(input._data.shape) < probs
    return _make(draw.astype(input._dtype.np), input._device)


def multinomial(input, num_samples, replacement=False, *, generator=None):
    rng = _rng(generator)
    probs = np.atleast_2d(input._data.astype(np.float64))
    rows = [rng.choice(probs.shape[1], num_samples, replace=replacement, p=row / row.sum())
            for row in probs]
    out = np.array(rows, np.int64)
    return _make(out if input._data.ndim == 2 else out[0], input._device)


def rand_like(input, *, dtype=None, device=None, requires_grad=False, **kwargs):
    return rand(input.shape, dtype=dtype or input._dtype,
                device=device if device is not None else input._device,
                requires_grad=requires_grad)


def randn_like(input, *, dtype=None, device=None, requires_grad=False, **kwargs):
    return randn(input.shape, dtype=dtype or input._dtype,
                 device=device if device is not None else input._device,
                 requires_grad=requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False):
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input._dtype,
                   device=device if device is not None else input._device,
                   requires_grad=requires_grad)


# -- in-place samplers (nn.init uses them under no_grad) -----------------------------------

class _Sample(Function):
    """Overwrite with fresh random values; the old values get no gradient."""

    def forward(self, old, draw):
        return draw(old.shape).astype(old.dtype)

    def backward(self, g):
        return np.zeros_like(g)


class UniformBackward0(_Sample):
    pass


class NormalBackward0(_Sample):
    pass


def uniform_(self, a=0.0, b=1.0, *, generator=None):
    rng = _rng(generator)
    return run_inplace(self, UniformBackward0,
                       draw=lambda shape: a + (b - a) * _uniform(rng, shape, np.float64))


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    rng = _rng(generator)
    return run_inplace(self, NormalBackward0,
                       draw=lambda shape: mean + std * _normal(rng, shape, np.float64))


def random_(self, from_=0, to=None, *, generator=None):
    rng = _rng(generator)
    if to is None:
        from_, to = 0, from_ if from_ else 2 ** 24
    return run_inplace(self, UniformBackward0,
                       draw=lambda shape: rng.integers(from_, to, size=shape))


def bernoulli_(self, p=0.5, *, generator=None):
    rng = _rng(generator)
    return run_inplace(self, UniformBackward0, draw=lambda shape: rng.random(shape) < p)


def exponential_(self, lambd=1.0, *, generator=None):
    rng = _rng(generator)
    return run_inplace(self, UniformBackward0,
                       draw=lambda shape: rng.exponential(1.0 / lambd, size=shape))


Tensor.uniform_ = uniform_
Tensor.normal_ = normal_
Tensor.random_ = random_
Tensor.bernoulli_ = bernoulli_
Tensor.exponential_ = exponential_
Tensor.bernoulli = bernoulli
Tensor.multinomial = multinomial

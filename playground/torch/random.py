"""torch's CPU random numbers: torch.manual_seed, Generator, rand/randn/randint/randperm...

The same seed gives the same values as real torch on the CPU: the generator is torch's
Mersenne Twister (mt19937 seeded as at::mt19937 does, via numpy's MT19937 bit generator) and
each sampler transforms its draws the way ATen's CPU kernels do:

  rand / uniform_   one 32-bit draw per value, masked to the dtype's mantissa digits
                    (24 for float32 and float16); float64 takes a 64-bit draw, 53 digits
  randn / normal_   16 or more values: all uniforms first, then Box-Muller on blocks of 16
                    (ATen's normal_fill; a ragged tail redraws the last 16); fewer: one
                    Box-Muller pair per two values in float64, the second kept for the next
                    call (the generator's cached normal, cleared by manual_seed)
  randint / random_ a 32-bit draw modulo the range (a 64-bit one past 2**32)
  randperm          Fisher-Yates from arange(n) with 32-bit draws

so `torch.manual_seed(0); torch.rand(3)` prints what real torch prints, and an experiment
seeded the same way sees the same data in the browser and on a real-torch backend (last-bit
differences of libm aside). bernoulli, multinomial, exponential_ and dropout draw from the
same stream but do not reproduce torch's values (its CPU kernels for them go through MKL).
Numpy's MT19937 is platform independent, so CPython and Pyodide agree.
"""
import math
import pickle
import secrets

import numpy as np

from . import dtypes
from .creation import finish, size_of
from .ops.inplace import run_inplace
from .function import Function
from .tensor import Tensor, _make

DEFAULT_SEED = 67280421310721  # torch's initial seed at start-up
_DIGITS = {np.dtype(np.float16): 24, np.dtype(np.float32): 24, np.dtype(np.float64): 53}
_MASK32 = np.uint64(0xFFFFFFFF)


def _mt19937(seed):
    """numpy's MT19937 in the state at::mt19937(seed) starts from (init_genrand on the low 32
    bits of the seed; pos 624: the first draw regenerates the table, as torch's does)."""
    key = np.empty(624, np.uint32)
    x = seed & 0xFFFFFFFF
    key[0] = x
    for j in range(1, 624):
        x = (1812433253 * (x ^ (x >> 30)) + j) & 0xFFFFFFFF
        key[j] = x
    bits = np.random.MT19937(0)
    bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": 624}}
    return bits


class Generator:
    def __init__(self, device="cpu"):
        self.device = device
        self.manual_seed(DEFAULT_SEED)

    def manual_seed(self, seed):
        seed = int(seed) & (2 ** 64 - 1)
        self._seed = seed
        self._bits = _mt19937(seed)
        self._next_normal = None  # the second value of the last Box-Muller pair
        return self

    def seed(self):
        s = secrets.randbits(63)
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._seed

    def get_state(self):
        state = (self._bits.state, self._next_normal, self._seed)
        return _make(np.frombuffer(pickle.dumps(state), np.uint8).copy())

    def set_state(self, state):
        bits_state, self._next_normal, self._seed = pickle.loads(state._data.tobytes())
        self._bits.state = bits_state
        return self

    def __repr__(self):
        return f"<torch._C.Generator object at {id(self):#x}>"

    # -- draws, in torch's order ---------------------------------------------------------
    def random32(self, n):
        """n draws of at::mt19937's random(), as uint64."""
        return self._bits.random_raw(n) & _MASK32

    def random64(self, n):
        """n of CPUGeneratorImpl::random64(): two draws each, the first the high word."""
        raw = self.random32(2 * n)
        return (raw[0::2] << np.uint64(32)) | raw[1::2]

    def uniform(self, shape, np_dtype):
        """[0, 1) values (float64 array) as uniform_real_distribution<dtype> makes them."""
        n = math.prod(shape)
        digits = _DIGITS.get(np.dtype(np_dtype), 24)
        bits = self.random64(n) if digits == 53 else self.random32(n)
        bits &= np.uint64((1 << digits) - 1)
        return (bits * 2.0 ** -digits).reshape(shape)

    def normal(self, shape, np_dtype, mean=0.0, std=1.0):
        n = math.prod(shape)
        if n >= 16 and np.dtype(np_dtype) in _DIGITS:
            return self._normal_fill(n, np_dtype, mean, std).reshape(shape)
        out = np.empty(n, np.float64)
        for i in range(n):
            if self._next_normal is not None:
                value, self._next_normal = self._next_normal, None
            else:
                u1, u2 = self.uniform((2,), np.float64)
                radius = math.sqrt(-2.0 * math.log1p(-u2))
                theta = 2.0 * math.pi * u1
                self._next_normal = radius * math.sin(theta)
                value = radius * math.cos(theta)
            out[i] = value * std + mean
        return out.astype(np_dtype).reshape(shape)

    def _normal_fill(self, n, np_dtype, mean, std):
        """ATen's normal_fill: uniforms for every value, then Box-Muller in blocks of 16 (the
        first 8 of a block give the radii, the last 8 the angles), in the dtype's precision;
        a ragged tail redraws 16 uniforms for the last 16 values."""
        data = self.uniform((n,), np_dtype).astype(np_dtype)
        full = n - n % 16
        _box_muller_16(data[:full].reshape(-1, 16), mean, std)
        if n % 16:
            tail = self.uniform((1, 16), np_dtype).astype(np_dtype)
            _box_muller_16(tail, mean, std)
            data[n - 16:] = tail[0]
        return data

    def integers(self, low, high, shape):
        """random_from_to: a draw modulo the range, plus low."""
        span = high - low
        n = math.prod(shape)
        draws = self.random64(n) if span >= 2 ** 32 else self.random32(n)
        return ((draws % np.uint64(span)).astype(np.int64) + low).reshape(shape)

    def permutation(self, n):
        """randperm_cpu: Fisher-Yates over arange(n), swapping i with i + random() % (n - i)."""
        out = list(range(n))
        if n > 1:
            draws = (self.random32(n - 1) if n < 2 ** 32 // 20 else self.random64(n - 1)).tolist()
            for i, d in enumerate(draws):
                z = d % (n - i) + i
                out[i], out[z] = out[z], out[i]
        return np.array(out, np.int64)


def _box_muller_16(blocks, mean, std):
    """normal_fill_16 on each row of a (k, 16) array, in place."""
    u1 = 1 - blocks[:, :8]
    u2 = blocks[:, 8:]
    radius = np.sqrt(-2 * np.log(u1))
    theta = 2.0 * np.pi * u2
    blocks[:, :8], blocks[:, 8:] = radius * np.cos(theta) * std + mean, \
        radius * np.sin(theta) * std + mean


default_generator = Generator()


def _gen(generator):
    return generator or default_generator


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


def _float_dtype(dtype, name):
    dt = dtype or dtypes.get_default_dtype()
    if not dt.is_floating_point:
        raise NotImplementedError(f'"{name}" not implemented for \'{dtypes.short_name(dt)}\'')
    return dt


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    dt = _float_dtype(dtype, "check_uniform_bounds")
    values = _gen(generator).uniform(size_of(size, "rand"), dt.np).astype(dt.np)
    return finish(values, None, device, requires_grad)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    dt = _float_dtype(dtype, "normal_kernel_cpu")
    return finish(_gen(generator).normal(size_of(size, "randn"), dt.np), None, device,
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
    values = _gen(generator).integers(low, high, size_of((size,), "randint"))
    return finish(values.astype(dt.np), None, device, requires_grad)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False, **kwargs):
    dt = dtype or dtypes.int64
    return finish(_gen(generator).permutation(n).astype(dt.np), None, device, requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False):
    gen = _gen(generator)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        m = mean._data if isinstance(mean, Tensor) else mean
        s = std._data if isinstance(std, Tensor) else std
        like = mean if isinstance(mean, Tensor) else std
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
        draws = gen.normal(shape, like._dtype.np)
        return finish((m + s * draws).astype(like._dtype.np), None, like._device, requires_grad)
    dt = _float_dtype(dtype, "normal_kernel_cpu")
    values = gen.normal(size_of((size,), "normal"), dt.np, mean, std)
    return finish(values, None, device, requires_grad)


def bernoulli(input, p=None, *, generator=None):
    probs = input._data if p is None else np.full(input._data.shape, p)
    draw = _gen(generator).uniform(input._data.shape, np.float32) < probs
    return _make(draw.astype(input._dtype.np), input._device)


def multinomial(input, num_samples, replacement=False, *, generator=None):
    gen = _gen(generator)
    probs = np.atleast_2d(input._data.astype(np.float64))
    out = np.array([_sample_row(gen, row, num_samples, replacement) for row in probs], np.int64)
    return _make(out if input._data.ndim == 2 else out[0], input._device)


def _sample_row(gen, weights, num_samples, replacement):
    """num_samples category indices drawn with probabilities proportional to weights (each
    drawn one removed when not replacing), by inverting the cumulative sum."""
    weights = weights.copy()
    picks = []
    for _ in range(num_samples):
        cdf = np.cumsum(weights)
        pick = int(np.searchsorted(cdf, gen.uniform((1,), np.float64)[0] * cdf[-1], "right"))
        pick = min(pick, len(weights) - 1)
        picks.append(pick)
        if not replacement:
            weights[pick] = 0.0
    return picks


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
    gen, dt = _gen(generator), self._dtype.np  # computed in double, as ATen's acc type
    return run_inplace(self, UniformBackward0,
                       draw=lambda shape: gen.uniform(shape, dt) * (b - a) + a)


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    gen, dt = _gen(generator), self._dtype.np
    return run_inplace(self, NormalBackward0, draw=lambda shape: gen.normal(shape, dt, mean, std))


def random_(self, from_=0, to=None, *, generator=None):
    gen = _gen(generator)
    if to is None:
        from_, to = 0, from_ if from_ else 2 ** 24
    return run_inplace(self, UniformBackward0,
                       draw=lambda shape: gen.integers(from_, to, shape))


def bernoulli_(self, p=0.5, *, generator=None):
    gen = _gen(generator)
    return run_inplace(self, UniformBackward0,
                       draw=lambda shape: gen.uniform(shape, np.float64) < p)


def exponential_(self, lambd=1.0, *, generator=None):
    gen = _gen(generator)
    return run_inplace(self, UniformBackward0,
                       draw=lambda shape: -np.log1p(-gen.uniform(shape, np.float64)) / lambd)


Tensor.uniform_ = uniform_
Tensor.normal_ = normal_
Tensor.random_ = random_
Tensor.bernoulli_ = bernoulli_
Tensor.exponential_ = exponential_
Tensor.bernoulli = bernoulli
Tensor.multinomial = multinomial

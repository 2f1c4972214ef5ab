"""The engine's random numbers are torch's: the same seed gives the same values as real torch
on the CPU (rand, randn on both of ATen's paths, randint, randperm, the *_like forms, uniform_
and normal_, nn.Linear's initialisation, generators and the global seed), in CPython and, for
the cases marked web=True, inside Pyodide."""
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from oracle import Registry, check_callable, check_case

cases = Registry("random")
add = cases.add

SETTINGS = settings(deadline=None, max_examples=15, derandomize=True,
                    phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.too_slow])


@add(web=True)
def rand_after_manual_seed(torch):
    torch.manual_seed(0)
    return torch.rand(3), torch.rand(2, 4), torch.rand(5, dtype=torch.float64)


@add(web=True)
def randn_short_uses_the_cached_second_sample(torch):
    # fewer than 16 values: Box-Muller pairs in float64, the odd one kept for the next call
    torch.manual_seed(1)
    return torch.randn(3), torch.randn(1), torch.randn(2, dtype=torch.float64)


@add(web=True)
def randn_long_fills_blocks_of_16(torch):
    torch.manual_seed(2)
    return torch.randn(16, dtype=torch.float64), torch.randn(37, dtype=torch.float64)


@add
def randn_float32_long(torch):
    torch.manual_seed(3)
    return torch.randn(5, 7)


@add(web=True)
def manual_seed_clears_the_cached_normal(torch):
    torch.manual_seed(4)
    torch.randn(1)
    torch.manual_seed(4)
    return torch.randn(2, dtype=torch.float64)


@add(web=True)
def randint_and_randperm(torch):
    torch.manual_seed(5)
    return (torch.randint(10, (6,)), torch.randint(-3, 3, (2, 3)),
            torch.randint(0, 2 ** 40, (3,)), torch.randperm(12))


@add(web=True)
def own_generators_are_independent(torch):
    g = torch.Generator().manual_seed(7)
    h = torch.Generator().manual_seed(7)
    a = torch.rand(3, generator=g)
    torch.manual_seed(99)
    torch.rand(10)  # the global generator does not touch g or h
    return a, torch.rand(3, generator=h), torch.randn(4, generator=g, dtype=torch.float64)


@add
def state_round_trip(torch):
    torch.manual_seed(8)
    state = torch.get_rng_state()
    a = torch.randn(3)
    torch.set_rng_state(state)
    return a, torch.randn(3)


@add(web=True)
def like_forms(torch):
    torch.manual_seed(9)
    x = torch.zeros(2, 3, dtype=torch.float64)
    return torch.rand_like(x), torch.randn_like(x), torch.randint_like(x, 5)


@add(web=True)
def uniform_and_normal_in_place(torch):
    torch.manual_seed(10)
    return (torch.empty(6).uniform_(-2, 3), torch.empty(20).normal_(1.5, 0.5),
            torch.empty(4, dtype=torch.float64).normal_(-1, 2))


@add
def normal_function_forms(torch):
    torch.manual_seed(11)
    return (torch.normal(2.0, 3.0, size=(4,)),
            torch.normal(torch.zeros(3), torch.ones(3) * 2))


@add(web=True)
def linear_layer_initialisation(torch):
    torch.manual_seed(12)
    layer = torch.nn.Linear(4, 3)
    return layer.weight.detach(), layer.bias.detach()


@add
def sequential_initialisation(torch):
    torch.manual_seed(13)
    model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    return [p.detach() for p in model.parameters()]


@add
def half_precision_rand(torch):
    torch.manual_seed(14)
    return torch.rand(5, dtype=torch.float16)


@pytest.mark.parametrize("case", cases.params(), ids=cases.ids())
def test_same_numbers_as_torch(case):
    check_case(case)


@SETTINGS
@given(seed=st.integers(0, 2 ** 63 - 1), n=st.integers(1, 70),
       dtype=st.sampled_from(["float32", "float64"]))
def test_any_seed_and_size(seed, n, dtype):
    def draw(torch, seed, n, dtype):
        g = torch.Generator().manual_seed(seed)
        dt = getattr(torch, dtype)
        return (torch.rand(n, generator=g, dtype=dt), torch.randn(n, generator=g, dtype=dt),
                torch.randint(0, n + 1, (n,), generator=g), torch.randperm(n, generator=g))
    check_callable(draw, seed, n, dtype, ignore=("repr",))

"""Differential tests: playground.torch.printing must print exactly like torch.

Each test builds a real torch tensor, takes torch's ``repr`` and compares it
with ``tensor_repr`` given the same values (as a numpy array), dtype and
autograd state.  Print options are always changed on both sides together.
"""

import contextlib
import importlib.util
import math
import pathlib
import sys

import numpy as np
import pytest
import torch
import torch._tensor_str
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp


def _import_printing():
    try:
        from playground.torch import printing
    except Exception:
        # playground/torch/__init__.py is written in parallel with this module
        # and may be missing or broken for a while; load the file on its own.
        path = pathlib.Path(__file__).parents[2] / "playground" / "torch" / "printing.py"
        spec = importlib.util.spec_from_file_location("_playground_printing", path)
        printing = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = printing  # dataclasses looks the module up
        spec.loader.exec_module(printing)
    return printing


printing = _import_printing()
PRINT_OPTS = printing.PRINT_OPTS
get_printoptions = printing.get_printoptions
printoptions = printing.printoptions
set_printoptions = printing.set_printoptions
tensor_repr = printing.tensor_repr


# ---------------------------------------------------------------------------
# helpers


def _dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def ours(t: torch.Tensor, **kwargs) -> str:
    """tensor_repr called the way our Tensor class calls it, with t's state."""
    return tensor_repr(
        t.detach().numpy(),
        _dtype_name(t.dtype),
        requires_grad=t.requires_grad,
        grad_fn_name=None if t.grad_fn is None else type(t.grad_fn).__name__,
        default_float=_dtype_name(torch.get_default_dtype()),
        **kwargs,
    )


def assert_same(t: torch.Tensor) -> None:
    assert ours(t) == repr(t)


@contextlib.contextmanager
def both_printoptions(**kwargs):
    """Set the same print options in torch and here; restore the defaults after."""
    torch.set_printoptions(**kwargs)
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        torch.set_printoptions(profile="default")
        set_printoptions(profile="default")


@pytest.fixture(autouse=True)
def _restore_defaults():
    torch.set_printoptions(profile="default")
    set_printoptions(profile="default")
    yield
    torch.set_printoptions(profile="default")
    set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)


nan, inf = math.nan, math.inf


def t(values, dtype=None):
    return torch.tensor(values, dtype=dtype)


# ---------------------------------------------------------------------------
# hand-picked cases, compared with torch under the default options

CASES = {
    # 0-dim
    "scalar": lambda: t(5.4772),
    "scalar_sqrt": lambda: torch.tensor(30.0).sqrt(),
    "scalar_int_valued": lambda: t(3.0),
    "scalar_neg_zero": lambda: t(-0.0),
    "scalar_zero": lambda: t(0.0),
    "scalar_nan": lambda: t(nan),
    "scalar_neg_inf": lambda: t(-inf),
    "scalar_small": lambda: t(1e-5),
    "scalar_huge": lambda: t(1e9),
    "scalar_f64": lambda: t(2.5, torch.float64),
    "scalar_f16": lambda: t(0.1, torch.float16),
    "scalar_int": lambda: t(7),
    "scalar_neg_int8": lambda: t(-7, torch.int8),
    "scalar_bool": lambda: t(True),
    # 1-D floats: modes, widths, alignment
    "ints_as_floats": lambda: t([1.0, 2.0, 3.0]),
    "neg_ints_as_floats": lambda: t([-1.0, 20.0, -300.0]),
    "fractions": lambda: t([1.5, -2.25, 0.125]),
    "negative_alignment": lambda: t([-1.5, 10.25, -100.125, 7.0]),
    "neg_zero": lambda: t([-0.0, 0.0]),
    "neg_zero_and_one": lambda: t([-0.0, 1.0]),
    "zeros": lambda: t([0.0, 0.0]),
    "nan_inf_only": lambda: t([nan, inf, -inf]),
    "int_valued_and_nan": lambda: t([1.0, nan]),
    "mixed_nan_inf": lambda: t([1.0, nan, inf, -inf, 2.5]),
    "mixed_nan_inf_sci": lambda: t([1e-5, 1e9, nan, -inf]),
    "ratio_1000": lambda: t([1.0, 1000.0]),
    "ratio_over_1000": lambda: t([1.0, 1001.0]),
    "ratio_over_1000_fraction": lambda: t([0.5, 600.0]),
    "max_1e8": lambda: t([1e8, 2.0], torch.float64),
    "max_over_1e8": lambda: t([1.5e8, 2e8], torch.float64),
    "min_1e-4": lambda: t([1e-4, 2e-4], torch.float64),
    "min_under_1e-4": lambda: t([9e-5, 2e-4], torch.float64),
    "tiny": lambda: t([1e-5, 3e-5]),
    "huge": lambda: t([1e9, 3e9]),
    "huge_int_valued": lambda: t([123456789.0, 1.0]),
    "rounds_up_width": lambda: t([9.99996, 0.5]),
    "f64_precision": lambda: t([1 / 3, 2 / 3], torch.float64),
    "f16": lambda: t([0.1, 65504.0, -2.0], torch.float16),
    "f16_subnormal": lambda: t([1e-7, 1.0], torch.float16),
    "f16_overflow": lambda: t([7e4, 1.0], torch.float32).half(),
    "f16_int_valued": lambda: t([1.0, 2048.0], torch.float16),
    # integer and bool dtypes
    "bool": lambda: t([True, False]),
    "bool_all_true": lambda: t([True, True]),
    "bool_2d": lambda: t([[True, False], [False, True]]),
    "uint8": lambda: t([0, 7, 255], torch.uint8),
    "int8": lambda: t([-128, 0, 127], torch.int8),
    "int16": lambda: t([-32768, 5, 32767], torch.int16),
    "int32": lambda: t([-(2**31), 5, 2**31 - 1], torch.int32),
    "int64": lambda: t([-(2**63), 5, 2**63 - 1]),
    "int64_small": lambda: t([1, -2, 30]),
    # empty
    "empty": lambda: t([]),
    "empty_2d": lambda: torch.zeros(0, 3),
    "empty_3d": lambda: torch.zeros(2, 0, 4),
    "empty_int64": lambda: torch.zeros(0, dtype=torch.int64),
    "empty_bool_2d": lambda: torch.zeros(0, 3, dtype=torch.bool),
    "empty_f64": lambda: torch.zeros(0, dtype=torch.float64),
    "empty_f16": lambda: torch.zeros(3, 0, dtype=torch.float16),
    "empty_uint8": lambda: torch.zeros(0, dtype=torch.uint8),
    # multi-dim without summarisation
    "2d": lambda: t([[1.0, 2.5], [-3.0, 4.0]]),
    "2d_int": lambda: torch.arange(6).reshape(2, 3),
    "3d": lambda: torch.arange(8.0).reshape(2, 2, 2) / 3,
    "4d": lambda: torch.arange(16.0).reshape(2, 1, 2, 4) - 5,
    "4d_f64": lambda: torch.arange(24, dtype=torch.float64).reshape(2, 3, 2, 2) * 1e-5,
    "singleton_dims": lambda: t([[[7.0]]]),
    # wrapping at 80 columns
    "wrap_1d": lambda: torch.arange(100.0) / 3,
    "wrap_1d_int": lambda: torch.arange(60),
    "wrap_1d_int64_big": lambda: torch.arange(30) * 10**12,
    "wrap_1d_bool": lambda: torch.arange(40) % 3 == 0,
    "wrap_1d_sci": lambda: torch.arange(1, 40.0) ** 6,
    "wrap_2d": lambda: torch.arange(120.0).reshape(3, 40) * -1.5,
    "wrap_3d": lambda: torch.arange(90.0).reshape(3, 2, 15) / 7,
    "wrap_f64_suffix": lambda: torch.arange(16, dtype=torch.float64) / 7,
    # summarisation (numel > 1000)
    "summarize_1d": lambda: torch.arange(2000.0),
    "summarize_1d_int": lambda: torch.arange(1001),
    "summarize_1d_bool": lambda: torch.arange(1500) % 2 == 0,
    "summarize_1d_hidden_huge": lambda: torch.cat([torch.ones(5), torch.full((1000,), 1e9), torch.ones(5)]),
    "summarize_2d": lambda: torch.arange(2000.0).reshape(20, 100) / 7,
    "summarize_2d_rows_only": lambda: torch.arange(2000.0).reshape(1000, 2),
    "summarize_2d_cols_only": lambda: torch.arange(2000.0).reshape(2, 1000),
    "summarize_3d": lambda: torch.arange(8000.0).reshape(20, 20, 20),
    "summarize_3d_inner": lambda: torch.arange(6000.0).reshape(2, 3, 1000),
    "summarize_4d": lambda: torch.arange(1250.0).reshape(5, 5, 5, 10) - 600,
    "summarize_4d_big": lambda: torch.linspace(-1, 1, 7 * 8 * 9 * 10).reshape(7, 8, 9, 10),
    "summarize_f64": lambda: torch.linspace(0, 1e-6, 1200, dtype=torch.float64),
    "summarize_int32": lambda: torch.arange(3000, dtype=torch.int32).reshape(30, 100),
    "summarize_nan_inf": lambda: torch.cat([t([nan, inf]), torch.arange(1000.0) / 9, t([-inf])]),
}


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_matches_torch(make):
    assert_same(make())


def test_random_values_match_torch():
    gen = torch.Generator().manual_seed(0)
    for shape in [(5,), (4, 6), (3, 4, 5), (2, 3, 4, 5), (40, 40), (11, 11, 11)]:
        assert_same(torch.randn(shape, generator=gen))
        assert_same(torch.randn(shape, generator=gen, dtype=torch.float64) * 1e4)
        assert_same(torch.randint(-(10**6), 10**6, shape, generator=gen, dtype=torch.int32))


# ---------------------------------------------------------------------------
# autograd suffixes


def test_requires_grad_leaf():
    assert_same(torch.ones(3, requires_grad=True))
    assert_same(torch.ones(3, dtype=torch.float64, requires_grad=True))
    assert_same(torch.tensor(2.5, requires_grad=True))
    assert_same(torch.zeros(0, requires_grad=True))
    assert_same(torch.zeros(0, 2, dtype=torch.float16, requires_grad=True))
    assert ours(torch.ones(2, requires_grad=True)) == "tensor([1., 1.], requires_grad=True)"


def test_grad_fn_from_ops():
    x = torch.arange(6.0).reshape(2, 3).requires_grad_()
    w = torch.linspace(-1, 1, 3, dtype=torch.float64, requires_grad=True)
    for result in [
        x * 2,
        x + 1,
        x.sum(),
        x[0],
        x.exp(),
        x @ x.T,
        x.double(),
        x.double() * w,
        x.reshape(-1),
        torch.arange(2000.0, requires_grad=True) / 3,
    ]:
        assert_same(result)
    assert ours(x * 2).endswith(", grad_fn=<MulBackward0>)")


def test_detached_tensor_has_no_autograd_suffix():
    x = torch.ones(2, requires_grad=True)
    assert_same((x * 2).detach())


def test_suffixes_wrap_onto_new_lines():
    # lines that nearly fill the width push the dtype / grad_fn suffixes down
    x = (torch.arange(7, dtype=torch.float64) / 7).requires_grad_()
    assert "\n" in repr(x)
    assert_same(x)
    assert_same(x * 3)
    with both_printoptions(linewidth=40):
        assert_same(x)
        assert_same(torch.zeros(0, 3, dtype=torch.int32))


# ---------------------------------------------------------------------------
# device, default dtype and prefix (torch here is CPU-only, so device strings
# are checked against hand-written text in torch's format)


def test_device_suffix():
    a = np.array([1.0, 2.0], dtype=np.float32)
    assert tensor_repr(a, "float32", device="cuda:0") == "tensor([1., 2.], device='cuda:0')"
    assert tensor_repr(a, "float32", device="cpu") == "tensor([1., 2.])"
    assert (
        tensor_repr(a.astype(np.float64), "float64", device="cuda:0", requires_grad=True)
        == "tensor([1., 2.], device='cuda:0', dtype=torch.float64, requires_grad=True)"
    )
    assert (
        tensor_repr(np.zeros((0, 2)), "float64", device="cuda:1", grad_fn_name="AddBackward0")
        == "tensor([], device='cuda:1', size=(0, 2), dtype=torch.float64,\n       grad_fn=<AddBackward0>)"
    )


def test_device_suffix_wraps():
    row = np.arange(8, dtype=np.float64) / 7
    assert tensor_repr(row, "float64", device="cuda:0") == (
        "tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000],\n"
        "       device='cuda:0', dtype=torch.float64)"
    )


def test_default_dtype_float64():
    torch.set_default_dtype(torch.float64)
    assert_same(torch.tensor([1.5, 2.0]))
    assert_same(torch.tensor([1.5, 2.0], dtype=torch.float32))
    assert_same(torch.tensor([1, 2]))
    assert_same(torch.zeros(0))
    assert_same(torch.zeros(0, dtype=torch.float32))
    assert_same(torch.zeros(0, dtype=torch.int64))
    assert ours(torch.tensor([1.5])) == "tensor([1.5000])"


class _Sub(torch.Tensor):
    pass


def test_prefix_sets_indent():
    # torch prints subclasses with their class name as the prefix
    for base in [torch.arange(40.0) / 7, torch.arange(24.0).reshape(2, 3, 4), torch.arange(3000.0).reshape(3, 1000)]:
        sub = base.as_subclass(_Sub)
        assert ours(base, prefix="_Sub(") == repr(sub)


# ---------------------------------------------------------------------------
# print options


@pytest.mark.parametrize(
    "options",
    [
        {"precision": 10},
        {"precision": 0},
        {"precision": 1},
        {"precision": 2, "sci_mode": True},
        {"sci_mode": True},
        {"sci_mode": False},
        {"precision": 10, "sci_mode": False},
        {"threshold": 5},
        {"threshold": 5, "edgeitems": 1},
        {"threshold": 5, "edgeitems": 0},
        {"threshold": 10, "edgeitems": 5},
        {"edgeitems": 0},
        {"linewidth": 40},
        {"linewidth": 200},
        {"linewidth": 5},
        {"profile": "short"},
        {"profile": "full"},
        {"profile": "short", "precision": 6},
    ],
    ids=repr,
)
def test_printoptions_match_torch(options):
    tensors = [
        t(5.4772),
        t([1.0, 2.0, 3.0]),
        t([1.123456789, -22.5, 1e-5, nan, inf], torch.float64),
        t([1e9, 1.0]),
        t([-0.0, 0.0]),
        torch.arange(2000.0) / 3,
        torch.arange(1500).reshape(30, 50),
        torch.arange(8000.0).reshape(20, 20, 20) * 1e-6,
        torch.arange(1250.0).reshape(5, 5, 5, 10),
        torch.arange(30.0).reshape(2, 3, 5) / 7,
        torch.arange(12).reshape(3, 4) % 2 == 0,
        torch.zeros(0, 3),
        (torch.arange(1200.0, requires_grad=True) * 2),
    ]
    with both_printoptions(**options):
        assert get_printoptions() == torch._tensor_str.get_printoptions()
        for tensor in tensors:
            assert_same(tensor)


def test_set_and_get_printoptions():
    assert get_printoptions() == {
        "precision": 4,
        "threshold": 1000,
        "edgeitems": 3,
        "linewidth": 80,
        "sci_mode": None,
    }
    set_printoptions(profile="full")
    assert get_printoptions()["threshold"] == math.inf
    set_printoptions(sci_mode=True)
    assert PRINT_OPTS.sci_mode is True
    # as in torch, a call without sci_mode switches it back to automatic
    set_printoptions(precision=2)
    assert PRINT_OPTS.sci_mode is None
    assert PRINT_OPTS.precision == 2
    set_printoptions(profile="default")
    assert get_printoptions()["precision"] == 4


def test_printoptions_context_manager_restores():
    set_printoptions(precision=6, sci_mode=False)
    before = get_printoptions()
    with printoptions(precision=2, threshold=5):
        assert PRINT_OPTS.precision == 2
        assert tensor_repr(np.arange(10), "int64") == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    assert get_printoptions() == before


# ---------------------------------------------------------------------------
# property tests

INT_DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.int64]
FLOAT_DTYPES = [np.float16, np.float32, np.float64]

finite_floats = st.floats(allow_nan=False, allow_infinity=False)
special_floats = st.sampled_from([nan, inf, -inf, 0.0, -0.0])
FLOAT_ELEMENTS = [
    # anything, so mostly scientific notation
    st.floats(),
    # integer-valued, sometimes with specials: the "1." mode
    st.one_of(st.integers(-(10**6), 10**6).map(float), special_floats),
    # moderate fractions: fixed notation
    st.floats(-100, 100),
    # mixed magnitudes around the 1e-4 / 1e8 / ratio-1000 thresholds
    st.builds(
        lambda mantissa, exponent: mantissa * 10.0**exponent,
        st.floats(-10, 10, allow_nan=False),
        st.integers(-9, 10),
    ),
    st.one_of(finite_floats, special_floats),
]


@st.composite
def arrays(draw, shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=6)):
    shape = draw(shape)
    size = math.prod(shape)
    kind = draw(st.sampled_from(["bool", "int", "float"]))
    if kind == "bool":
        return np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size)), dtype=np.bool_).reshape(shape)
    if kind == "int":
        dtype = draw(st.sampled_from(INT_DTYPES))
        info = np.iinfo(dtype)
        elements = draw(st.sampled_from([st.integers(info.min, info.max), st.integers(max(info.min, -5), 20)]))
        return np.array(draw(st.lists(elements, min_size=size, max_size=size)), dtype=dtype).reshape(shape)
    dtype = draw(st.sampled_from(FLOAT_DTYPES))
    values = draw(st.lists(draw(st.sampled_from(FLOAT_ELEMENTS)), min_size=size, max_size=size))
    with np.errstate(over="ignore"):  # float16/float32 overflow to inf, as in torch
        return np.array(values, dtype=np.float64).astype(dtype).reshape(shape)


print_options = st.one_of(
    st.just({}),
    st.fixed_dictionaries(
        {},
        optional={
            "precision": st.integers(0, 10),
            "threshold": st.sampled_from([1000, 0, 5, 30, 200]),
            "edgeitems": st.integers(0, 4),
            "linewidth": st.integers(10, 120),
            "sci_mode": st.sampled_from([None, True, False]),
        },
    ),
)


def _to_torch(array: np.ndarray, autograd: str) -> torch.Tensor:
    tensor = torch.from_numpy(array.copy())
    if tensor.is_floating_point() and autograd == "leaf":
        tensor.requires_grad_()
    elif tensor.is_floating_point() and autograd == "op":
        tensor = tensor.requires_grad_() * 1
    return tensor


NO_FIXTURE_CHECK = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@settings(NO_FIXTURE_CHECK, max_examples=400)
@given(arrays(), print_options, st.sampled_from(["none", "leaf", "op"]))
def test_property_matches_torch(array, options, autograd):
    tensor = _to_torch(array, autograd)
    with both_printoptions(**options):
        assert_same(tensor)


@st.composite
def large_arrays(draw):
    """Arrays over the 1000-element threshold; values come from numpy's RNG, as
    hypothesis lists of this size would be slow."""
    shape = draw(
        hnp.array_shapes(min_dims=1, max_dims=4, min_side=2, max_side=40).filter(lambda s: 1000 < math.prod(s) <= 20000)
    )
    dtype = draw(st.sampled_from([np.float16, np.float32, np.float64, np.int32, np.int64, np.bool_]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = rng.standard_normal(shape) * 10.0 ** draw(st.integers(-6, 9))
    if draw(st.booleans()):
        values = np.round(values)
    if draw(st.booleans()):
        values.flat[rng.integers(0, values.size, 20)] = rng.choice([nan, inf, -inf, 0.0], 20)
    if np.issubdtype(dtype, np.floating):
        with np.errstate(over="ignore"):
            return values.astype(dtype)
    return np.nan_to_num(values, posinf=0, neginf=0).clip(-(2**31), 2**31 - 1).astype(dtype)


@settings(NO_FIXTURE_CHECK, max_examples=40)
@given(large_arrays(), print_options)
def test_property_summarised_matches_torch(array, options):
    with both_printoptions(**options):
        assert_same(torch.from_numpy(array))

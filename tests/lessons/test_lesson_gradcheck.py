"""Lesson 4 (gradcheck): the State without a browser, and the experiment on both engines."""
import importlib
import math

import pytest
import torch as real_torch

import playground.torch as engine
from playground import compute, protocol
from playground.lessons import gradcheck, urlstate

# compute/__init__ exports the function gradcheck under the module's name: import the module
gc = importlib.import_module("playground.compute.gradcheck")


def spec(seed=0, points=gradcheck.SWEEP_POINTS):
    return protocol.validate("gradcheck", {"seed": seed, "eps_low": 1e-15, "eps_high": 1.0,
                                           "points": points})


def test_defaults_are_the_seeds_check():
    s = gradcheck.State()
    r = s.result
    assert (r["function"], r["dtype"], r["eps"]) == ("cost", "float64", 1e-7)
    # autograd and the formula 2·a·xᵀ agree with the exact gradient to the last bits
    assert r["error_autograd"] < 1e-15 and r["error_analytic"] < 1e-15
    # the seed's forward difference with eps = 1e-7 gets about 7-8 digits
    assert 1e-9 < r["error_numeric"] < 1e-6
    assert len(s.rows()) == 8 and s.rows()[0][0] == "W[0, 0]"
    assert s.error == ""


def test_forward_differences_make_a_v_that_float32_moves():
    s = gradcheck.State()
    sweep = s.sweep
    fwd = sweep["forward"]
    best = sweep["best"]["forward"]
    assert 1e-9 <= best["eps"] <= 1e-7 and best["error"] < 1e-7  # √u ≈ 1e-8
    assert fwd[0] > 1e3 * best["error"] and fwd[-1] > 1e3 * best["error"]  # both arms rise
    s.dtype = "float32"
    best32 = s.sweep["best"]["forward"]
    assert 1e-5 <= best32["eps"] <= 1e-2 and best32["error"] > 1e3 * best["error"]
    assert s.sweep["forward"][0] == 1.0  # p + eps == p: the difference is 0, the error 100 %
    assert "u = 6.0e-08" in s.summary()


def test_central_differences_are_exact_on_the_quadratic_cost_but_not_on_l():
    cost = gradcheck.State().sweep["central"]
    # only rounding is left: the error keeps falling as eps grows (no right arm)
    assert cost[-1] < 1e-14 and cost[-1] < cost[len(cost) // 2]
    s = gradcheck.State(function="l")
    best = s.sweep["best"]["central"]
    assert 1e-7 <= best["eps"] <= 1e-4  # ∛u ≈ 5e-6
    assert s.sweep["central"][-1] > 1e3 * best["error"]


def test_moving_eps_rechecks_without_redoing_the_sweep():
    s = gradcheck.State()
    sweep, before = s.sweep, s.result["error_numeric"]
    s.eps = 1e-3
    assert s.sweep is sweep
    assert s.result["eps"] == 1e-3 and s.result["error_numeric"] > 100 * before
    s.seed = 5
    assert s.sweep is not sweep


def test_l_uses_the_seeds_point_and_formula():
    s = gradcheck.State(function="l", seed=2)
    r = s.result
    assert r["params"] == {"w": [0.5], "b": [2.0]}
    assert [entry for entry, _ in s.rows()] == ["w[0]", "b[0]"]
    assert r["error_analytic"] < 1e-15


def test_bad_values_from_a_link_are_explained_not_applied():
    s = gradcheck.State()
    problems = urlstate.apply_query(s, {"function": "loss", "eps": "0", "dtype": "float16",
                                        "seed": "1.5"})
    assert len(problems) == 4
    assert "function='loss' was ignored" in problems[0] and "cost, l" in problems[0]
    assert "seed='1.5'" in problems[1] and "whole number" in problems[1]
    assert "eps='0' was ignored (it must be between 1e-15 and 1)" in problems[2]
    assert "float64, float32" in problems[3]
    assert (s.function, s.seed, s.eps, s.dtype) == ("cost", 0, 1e-7, "float64")


def test_url_round_trip():
    s = gradcheck.State(function="l", seed=9, eps=3e-5, dtype="float32")
    query = urlstate.parse_query(urlstate.query_for(s))
    assert query["lesson"] == "gradcheck"
    t = gradcheck.State()
    assert urlstate.apply_query(t, query) == []
    assert t.url_state() == s.url_state()


def test_table_marks_the_digits_that_differ():
    assert gradcheck._digits(6.1735771, 6.1735769) == \
        "6.17357<span style='color:#c62828'>71</span>"
    assert gradcheck._digits(2.5, 2.5) == "2.5"
    s = gradcheck.State()
    html = gradcheck.table_html(s.rows(), s.result)
    assert "2·a·xᵀ" in html and "rel. error" in html


def test_view_builds_and_follows_the_state():
    s = gradcheck.State()
    view = gradcheck.View(state=s)
    view.__panel__()
    assert view.sweep_src.name == "gradcheck-sweep"
    assert len(view.sweep_src.data["eps"]) == gradcheck.SWEEP_POINTS
    assert view.chosen_src.data["eps"] == [1e-7, 1e-7]
    s.eps = 1e-4
    assert view.chosen_src.data["eps"] == [1e-4, 1e-4] and view.eps_mark.location == 1e-4
    s.dtype = "float32"
    assert view.u_src.data["u"] == [2.0 ** -24] * 2
    assert "float32" in view.summary.object


def test_compute_rejects_bad_arguments():
    with pytest.raises(ValueError, match="eps must be a number in"):
        gc.gradcheck_at(spec(), engine, eps=0.0)
    with pytest.raises(ValueError, match="unknown dtype 'float16'"):
        gc.gradcheck_at(spec(), engine, dtype="float16")
    with pytest.raises(ValueError, match="unknown function 'loss'"):
        gc.error_sweep(spec(), engine, function="loss")


def test_compute_run_keeps_the_experiment_whole():
    out = compute.run("gradcheck", {"seed": 1, "points": 5}, engine)
    r = out["result"]
    assert len(r["sweep"]["eps"]) == 5 and r["eps"] == 1e-7
    assert set(r["autograd"]) == {"W", "b"} and r["error_analytic"] < 1e-15


# -- the same numbers through our engine and real torch ------------------------------------

@pytest.mark.parametrize("function", gc.FUNCTIONS)
@pytest.mark.parametrize("dtype", gc.DTYPES)
def test_same_gradients_and_errors_on_engine_and_torch(function, dtype):
    # no data given: each engine draws its own from the seed (the engine's generator is torch's)
    kw = {"dtype": dtype, "function": function}
    ours = gc.gradcheck_at(spec(), engine, eps=1e-2, **kw)
    theirs = gc.gradcheck_at(spec(), real_torch, eps=1e-2, **kw)
    tol = 1e-12 if dtype == "float64" else 1e-6
    for key in ("autograd", "analytic", "exact", "numeric", "central", "params"):
        for name in ours[key]:
            assert flat(ours[key][name]) == pytest.approx(flat(theirs[key][name]), rel=tol), key
    assert ours["cost"] == pytest.approx(theirs["cost"], rel=tol)
    # at eps = 1e-2 truncation dominates: the errors agree closely
    assert ours["error_numeric"] == pytest.approx(theirs["error_numeric"], rel=1e-3)


@pytest.mark.parametrize("function", gc.FUNCTIONS)
@pytest.mark.parametrize("dtype", gc.DTYPES)
def test_same_v_on_engine_and_torch(function, dtype):
    data = gc.draw(spec(points=16), engine, function)
    ours = gc.error_sweep(spec(points=16), engine, dtype=dtype, function=function, data=data)
    theirs = gc.error_sweep(spec(points=16), real_torch, dtype=dtype, function=function,
                            data=data)
    assert ours["eps"] == theirs["eps"]
    for kind in ("forward", "central"):
        best_ours, best_theirs = ours["best"][kind]["eps"], theirs["best"][kind]["eps"]
        assert abs(math.log10(best_ours / best_theirs)) <= 2.01  # within two sweep steps
        for eps, a, b in zip(ours["eps"], ours[kind], theirs[kind]):
            # well right of the dip truncation dominates: the same error; elsewhere rounding,
            # which depends on the order of sums (numpy vs torch kernels): the same size
            if eps >= 100 * max(best_ours, best_theirs):
                assert a == pytest.approx(b, rel=0.05)
            elif a > 0 and b > 0:
                assert abs(math.log10(a / b)) < 1.5


def flat(nested):
    return [v for item in nested for v in flat(item)] if isinstance(nested, list) else [nested]

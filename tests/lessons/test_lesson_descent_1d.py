"""Lesson 5 (descent-1d): the State without a browser, and its experiment on both engines."""
import math

import pytest
import torch as real_torch

import playground.torch as engine
from playground import compute, protocol
from playground.lessons import descent_1d, urlstate


def test_defaults_reproduce_the_seed_table():
    s = descent_1d.State()
    lines = s.table().splitlines()
    # the seed notebook's printout for x0 = 5, step 0.25 on (x-2)^2
    assert lines[1] == "0, \t5.000, \t9.000, \t6.000"
    assert lines[2] == "1, \t3.500, \t2.250, \t3.000"
    assert lines[15] == "14, \t2.000, \t0.000, \t0.000"
    assert s.error == ""


@pytest.mark.parametrize("lr, kind", [(0.25, "below 1/L"), (0.75, "oscillate"),
                                      (1.5, "Diverged")])
def test_verdict_follows_the_learning_rate(lr, kind):
    s = descent_1d.State(lr=lr)
    assert kind in s.result["verdict"]
    names = [b["name"] for b in s.result["bands"]]
    assert names == ["monotone", "oscillating", "diverging"]
    assert s.result["bands"][1]["low"] == pytest.approx(0.5)   # 1/L, L = f''(2) = 2
    assert s.result["bands"][2]["low"] == pytest.approx(1.0)


def test_divergence_is_stopped_and_explained():
    s = descent_1d.State(lr=5.0, steps=200)
    r = s.result
    assert r["diverged_at"] is not None and r["diverged_at"] < 200
    assert len(r["x"]) == r["diverged_at"] + 1
    assert "Lower the learning rate" in r["verdict"]
    assert s.error == ""


def test_changing_a_param_recomputes():
    s = descent_1d.State()
    before = s.result["x"]
    s.x0 = -3.0
    assert s.result["x"][0] == -3.0 and s.result["x"] != before


def test_bad_values_from_a_link_are_explained_not_applied():
    s = descent_1d.State()
    problems = urlstate.apply_query(s, {"lr": "0", "steps": "1000000000", "x0": "nan"})
    assert len(problems) == 3
    assert "lr='0' was ignored (it must be between 0.0001 and 10)" in problems[0]
    assert "steps" in problems[1] and "between 1 and 1000" in problems[1]
    assert "x0='nan'" in problems[2] and "finite" in problems[2]
    assert (s.lr, s.steps, s.x0) == (0.25, 15, 5.0)


def test_url_round_trip():
    s = descent_1d.State(function="double well", lr=0.03, steps=40, x0=-1.5)
    query = urlstate.parse_query(urlstate.query_for(s))
    assert query["lesson"] == "descent-1d"
    t = descent_1d.State()
    assert urlstate.apply_query(t, query) == []
    assert t.url_state() == s.url_state()


@pytest.mark.parametrize("function", protocol.SURFACES_1D)
def test_same_trajectory_on_engine_and_torch(function):
    spec = protocol.validate("descent1d", {"function": function, "lr": 0.05, "steps": 30,
                                           "x0": 1.3})
    ours = compute.descent_1d(spec, engine)
    theirs = compute.descent_1d(spec, real_torch)
    for key in ("x", "f", "grad"):
        assert ours[key] == pytest.approx(theirs[key], rel=1e-9, abs=1e-12), key
    assert ours["curvature"]["value"] == pytest.approx(theirs["curvature"]["value"], rel=1e-6)
    assert ours["verdict"] == theirs["verdict"]


def test_view_builds_and_follows_the_state():
    s = descent_1d.State()
    view = descent_1d.View(state=s)
    view.__panel__()
    n = len(view.steps_src.data["x"])
    s.steps = 5
    assert len(view.steps_src.data["x"]) == 5 != n
    assert math.isclose(view.lr_mark.location, s.lr)


def test_where_it_ran_is_shown_after_the_result():
    """In the browser each change reaches the page as it is made: the new steps must go
    before the 'ran in ...' line, so the plot the student watches moves first."""
    s = descent_1d.State()
    order = []
    s.param.watch(lambda e: order.append(e.name), ["result", "ran_on"])
    for lr in (0.3, 0.31):
        s.ran_on = ""  # the line may read the same as before ("... · 1 ms"): make it change
        order.clear()
        s.lr = lr
        assert order == ["result", "ran_on"]
        assert s.ran_on.startswith("ran in this app")

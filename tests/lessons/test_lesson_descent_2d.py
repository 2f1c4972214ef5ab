"""Lesson 6 (descent-2d): the State without a browser, and its experiment on both engines."""
import math

import numpy as np
import pytest
import torch as real_torch

import playground.torch as engine
from playground import compute, protocol
from playground.compute import descent2d, surfaces
from playground.lessons import descent_2d, urlstate


def test_defaults_run_three_optimizers_on_the_narrow_bowl():
    s = descent_2d.State()
    assert s.error == ""
    assert list(s.result["runs"]) == ["sgd", "momentum", "adam"]
    for run in s.result["runs"].values():
        assert len(run["x"]) == s.steps + 1 == 51
        assert (run["x"][0], run["y"][0]) == s.start
        assert run["diverged_at"] is None
    assert len(s.grid["surface"]["z"]) == descent_2d.GRID
    assert s.grid["minima"] == [[0.0, 0.0]]
    c = s.result["curvature"]
    assert c["eigenvalues"] == pytest.approx([1.0, 10.0])
    assert c["lr_limit"] == pytest.approx(0.2)
    assert "lr < 2/10 = 0.2" in s.curvature_note()


def test_the_design_link_works_and_explains_the_divergence():
    s = descent_2d.State()
    query = urlstate.parse_query("?lesson=descent-2d&lr=0.3&optimizer=adam&seed=7")
    assert urlstate.apply_query(s, query) == []
    assert (s.lr, s.optimizer, s.seed) == (0.3, "adam", 7)
    sgd, adam = s.result["runs"]["sgd"], s.result["runs"]["adam"]
    assert sgd["diverged_at"] is not None
    assert len(sgd["x"]) == sgd["diverged_at"] + 1  # stopped where it blew up
    assert "above its stability limit 0.2" in sgd["verdict"]
    assert adam["diverged_at"] is None
    assert s.printout().splitlines()[0] == "adam:"


@pytest.mark.parametrize("key, text, reason", [
    ("optimizer", "foo", "it must be one of sgd, momentum, nesterov, rmsprop, adagrad, adam"),
    ("optimizers", '["sgd","bogus"]', "'bogus' is not an optimizer here"),
    ("surface", "moon", "it must be one of ill-conditioned quadratic"),
    ("lr", "0", "it must be between 0.0001 and 10"),
    ("steps", "1000000000", "it must be between 1 and 5000"),
    ("start", "[50,0]", "each coordinate must lie within [-10, 10]"),
    ("start", "[1]", "not of the correct length"),
    ("start", "[NaN,0]", "finite"),
    ("start", "[nan,0]", "ignored"),  # not JSON: urlstate explains it poorly (reported)
    ("noise", "-1", "between 0 and 10"),
])
def test_bad_link_values_are_explained_and_ignored(key, text, reason):
    s = descent_2d.State()
    before = s.url_state()
    problems = urlstate.apply_query(s, {key: text})
    assert len(problems) == 1 and reason in problems[0], problems
    assert f"The link's {key}=" in problems[0] and "using" in problems[0]
    assert s.url_state() == before and s.error == ""


def test_the_focused_optimizer_is_always_run():
    s = descent_2d.State()
    s.optimizer = "rmsprop"
    assert s.optimizers == ["sgd", "momentum", "adam", "rmsprop"]
    assert "rmsprop" in s.result["runs"]
    s.optimizers = ["adam", "nesterov"]
    assert s.optimizer == "adam" and list(s.result["runs"]) == ["adam", "nesterov"]


def test_no_optimizer_is_explained_and_the_last_runs_stay():
    s = descent_2d.State()
    runs = s.result["runs"]
    s.optimizers = []
    assert s.error == "No optimizer is chosen: tick at least one to run."
    assert s.result["runs"] is runs
    s.optimizers = ["sgd"]
    assert s.error == "" and list(s.result["runs"]) == ["sgd"]


def test_choosing_a_surface_loads_its_preset_and_grid():
    s = descent_2d.State()
    s.surface = "rosenbrock"
    assert (s.lr, s.steps, s.start) == (0.001, 300, (-1.5, 2.0))
    assert s.grid["surface"]["x"][0] == -2.0 and s.grid["surface"]["y"][-1] == 3.0
    assert s.grid["minima"] == [[1.0, 1.0]]
    assert s.result["runs"]["momentum"]["loss"][-1] < 0.1   # momentum follows the valley
    assert s.result["runs"]["sgd"]["loss"][-1] > 1          # plain descent crawls
    s.surface = "seed g(w)"
    assert s.grid["saddles"] == [[-0.450184, 0.0]] and s.result["curvature"] is None


def test_a_learning_rate_move_does_not_recompute_the_surface():
    s = descent_2d.State()
    grid, runs = s.grid, s.result
    s.lr = 0.07
    assert s.grid is grid and s.result is not runs
    s.condition = 100.0
    assert s.grid is not grid
    assert s.result["curvature"]["lr_limit"] == pytest.approx(0.02)


def test_runs_that_all_diverge_stop_early():
    s = descent_2d.State(optimizers=["sgd", "momentum"], lr=10.0, steps=5000)
    for run in s.result["runs"].values():
        assert run["diverged_at"] is not None and run["diverged_at"] < 20
        assert "diverged at step" in run["verdict"]
    assert s.last_seconds < 1.0


def test_a_run_started_on_the_ridge_stalls_at_the_saddle_and_noise_frees_it():
    s = descent_2d.State(surface="saddle", start=(-1.5, 0.0), optimizers=["sgd"], steps=200)
    assert "stalled at the saddle point (0, 0)" in s.result["runs"]["sgd"]["verdict"]
    s.noise = 0.5
    run = s.result["runs"]["sgd"]
    assert "left the plotted region" in run["verdict"] or run["diverged_at"] is not None
    again = descent_2d.State(surface="saddle", start=(-1.5, 0.0), optimizers=["sgd"],
                             steps=200, noise=0.5)
    assert again.result["runs"]["sgd"]["y"] == run["y"]  # the seed fixes the noise
    again.seed = 1
    assert again.result["runs"]["sgd"]["y"] != run["y"]


def test_nesterov_without_momentum_runs_as_plain_descent_and_says_so():
    s = descent_2d.State(optimizers=["sgd", "nesterov"], momentum=0.0)
    sgd, nesterov = s.result["runs"]["sgd"], s.result["runs"]["nesterov"]
    assert nesterov["x"] == sgd["x"]
    assert nesterov["verdict"].startswith("nesterov with momentum 0 is plain gradient descent")


def test_random_start_is_drawn_from_the_next_seed_inside_the_box():
    s = descent_2d.State(seed=3)
    s.random_start()
    x0, x1, y0, y1 = surfaces.box2d(s.surface)
    assert s.seed == 4 and x0 < s.start[0] < x1 and y0 < s.start[1] < y1
    assert s.start == descent2d.random_start(s.surface, 4, engine)
    assert s.result["runs"]["sgd"]["x"][0] == s.start[0]


def test_seed_gradient_matches_the_notebook():
    """The seed checks grad g([pi, 1]) = [2, pi - 1]; g(w)'s preset starts there."""
    s = descent_2d.State(surface="seed g(w)", start=(math.pi, 1.0))
    run = s.result["runs"]["sgd"]
    assert run["gx"][0] == pytest.approx(2.0) and run["gy"][0] == pytest.approx(2 * math.pi - 1)
    # the seed's own w.grad for g = 2 w1 w2 + w2 cos(w1): (2 w2 - w2 sin w1, 2 w1 + cos w1)


def test_url_round_trip():
    s = descent_2d.State(surface="himmelblau", optimizers=["adam", "rmsprop"],
                         optimizer="rmsprop", lr=0.02, momentum=0.5, steps=40,
                         start=(1.5, -2.0), noise=0.3, seed=11, condition=30.0)
    query = urlstate.parse_query(urlstate.query_for(s))
    assert query["lesson"] == "descent-2d"
    t = descent_2d.State()
    assert urlstate.apply_query(t, query) == []
    assert t.url_state() == s.url_state()
    assert t.result["runs"]["rmsprop"]["x"] == s.result["runs"]["rmsprop"]["x"]


def test_the_protocol_experiment_still_returns_everything():
    out = compute.run("descent2d", {"steps": 5, "grid": 12}, engine)
    result = out["result"]
    assert {"surface", "minima", "saddles", "runs", "curvature"} <= set(result)
    assert len(result["surface"]["z"]) == 12 and len(result["runs"]["sgd"]["x"]) == 6


@pytest.mark.parametrize("surface", protocol.SURFACES_2D)
def test_same_runs_on_engine_and_torch(surface):
    spec = protocol.validate("descent2d", {
        "surface": surface, "optimizers": protocol.OPTIMIZERS, "lr": 0.01, "steps": 25,
        "start": surfaces.surface2d(surface).start, "condition": 7.0, "grid": 15})
    ours = compute.descent_2d(spec, engine)
    theirs = compute.descent_2d(spec, real_torch)
    assert np.allclose(ours["surface"]["z"], theirs["surface"]["z"], rtol=1e-9, atol=1e-12)
    for name in protocol.OPTIMIZERS:
        a, b = ours["runs"][name], theirs["runs"][name]
        for key in ("x", "y", "loss", "gx", "gy"):
            assert a[key] == pytest.approx(b[key], rel=1e-9, abs=1e-12), (name, key)
        assert a["verdict"] == b["verdict"]
    if ours["curvature"]:
        assert ours["curvature"]["eigenvalues"] == pytest.approx(
            theirs["curvature"]["eigenvalues"], rel=1e-6)


def test_same_noisy_runs_on_engine_and_torch():
    """The engine's generator is torch's: each engine draws the same noise from the seed."""
    spec = protocol.validate("descent2d", {"steps": 30, "optimizers": ("sgd", "adam"),
                                           "noise": 0.7, "seed": 5})
    ours = descent2d.trajectories(spec, engine)
    theirs = descent2d.trajectories(spec, real_torch)
    for name in ("sgd", "adam"):
        for key in ("x", "y", "loss"):
            assert ours["runs"][name][key] == pytest.approx(theirs["runs"][name][key],
                                                            rel=1e-9, abs=1e-12)


def test_view_follows_the_player_the_state_and_clicks():
    s = descent_2d.State()
    view = descent_2d.View(state=s)
    view.__panel__()
    points = view.contour.point_source.data
    assert len(points["x"]) == 3 * 51 and view.player.max_step == 50
    view.player.step = 5
    assert len(view.contour.point_source.data["x"]) == 3 * 6
    assert [len(v) for v in view.losses.series.values()] == [6, 6, 6]
    assert "<td>5</td>" in view.summary.object
    view.contour.start = (0.5, -0.5)  # what a click on the plot does
    assert s.start == (0.5, -0.5) and s.result["runs"]["sgd"]["x"][0] == 0.5
    view.player.step = view.player.max_step  # at the end, a new run is shown to its end
    s.surface = "himmelblau"
    assert view.contour.start == (0.0, 0.0)
    assert len(view.contour.mark_source.data["x"]) == 4
    assert view.contour.figure.x_range.start == -5.0
    assert view.player.step == view.player.max_step == 80
    s.optimizer = "nesterov"
    assert view.printout.object.startswith("nesterov:")


def test_runs_on_a_cuda_device_the_engine_simulates():
    """The backend runs compute/ on CUDA: every tensor must follow the device."""
    previous = engine.cuda.simulate(True)
    try:
        spec = {**protocol.validate("descent2d", {"steps": 12, "grid": 10,
                                                  "optimizers": protocol.OPTIMIZERS}),
                "noise": 0.5, "seed": 2}
        on_gpu = descent2d.trajectories(spec, engine, device="cuda")
        on_cpu = descent2d.trajectories(spec, engine)
        assert on_gpu["runs"]["adam"]["x"] == on_cpu["runs"]["adam"]["x"]
    finally:
        engine.cuda.simulate(previous)

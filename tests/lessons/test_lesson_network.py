"""Lesson 8 (network): the State without a browser, its training run on both engines, the
activation curves, the printed model, and the view kept in step with the player."""
import math

import pytest
import torch as real_torch

import playground.torch as engine
from playground import compute, protocol
from playground.compute.activations import activation_curves
from playground.compute.training import TrainingRun, make_dataset
from playground.lessons import network, urlstate


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    # These networks are tiny: with several threads real torch spends 40x longer on
    # handing out work than on doing it (2 s instead of 0.05 s a run on a 2-core machine).
    threads = real_torch.get_num_threads()
    real_torch.set_num_threads(1)
    yield
    real_torch.set_num_threads(threads)


def test_opens_untrained_and_trains_to_the_end():
    s = network.State()
    assert s.error == "" and s.step == 0
    assert len(s.data["train"]["x"]) == 140 and len(s.data["test"]["x"]) == 60
    assert len(s.result["train_loss"]) == 1                 # the loss at step 0 only
    assert "untrained" in s.summary() and "Play" in s.summary()
    s.train_to(s.steps)
    r = s.result
    assert s.step == r["step"] == 200 and s.finished
    assert len(r["train_loss"]) == len(r["test_loss"]) == 201  # after 0 .. 200 updates
    assert r["train_loss"][-1] < r["train_loss"][0] / 10
    assert r["train_accuracy"] == 1.0 and r["test_accuracy"] > 0.9   # circle, 8-8 tanh
    assert "Step 200 of 200" in s.summary()
    p = r["map"]["p"]
    assert len(p) == len(p[0]) == network.MAP_GRID and all(0 <= v <= 1 for v in p[0])


def test_chunks_give_the_same_run_as_one_go_and_going_back_retrains():
    chunked = network.State(dataset="xor")
    for target in (7, 30, 31, 60):
        chunked.train_to(target)
    whole = network.State(dataset="xor")
    whole.train_to(60)
    assert chunked.result["train_loss"] == whole.result["train_loss"]
    assert chunked.result["map"] == whole.result["map"]
    chunked.train_to(20)                                     # back: a fresh run to step 20
    fresh = network.State(dataset="xor")
    fresh.train_to(20)
    assert chunked.step == 20 and chunked.result["test_loss"] == fresh.result["test_loss"]


def test_a_time_budget_stops_a_chunk_early():
    s = network.State(hidden="64, 64, 64", points=1000, steps=5000)
    reached = s.train_to(5000, budget_s=0.05)
    assert 0 < reached < 5000 and s.step == reached == s.result["step"]
    assert not s.finished


def test_new_inputs_start_over_and_steps_only_move_the_end():
    s = network.State()
    s.train_to(50)
    s.lr = 0.1
    assert s.step == 0 and len(s.result["train_loss"]) == 1
    s.train_to(50)
    s.steps = 80                                             # more room: keeps the progress
    assert s.step == 50 and s.result["steps"] == 80
    s.steps = 30                                             # less: retrained up to the end
    assert s.step == 30 and s.finished


def test_no_hidden_layer_draws_a_straight_line_and_says_so():
    s = network.State(dataset="circle", hidden="")
    s.train_to(150)
    assert s.result["parameters"] == 3                       # Linear(2, 1)
    assert s.result["train_accuracy"] < 0.8
    assert "no hidden layer" in s.summary()
    assert "Linear(in_features=2, out_features=1, bias=True)" in s.result["model"]


def test_overfitting_and_overshooting_are_explained():
    s = network.State(dataset="spiral", noise=0.6, points=100, hidden="64, 64", lr=0.03,
                      activation="relu", steps=400)
    s.train_to(400)
    assert s.result["diagnosis"] == ["overfitting"] and "Overfitting" in s.summary()
    jumpy = network.State(dataset="xor", optimizer="rmsprop", lr=10.0, steps=150)
    jumpy.train_to(150)
    assert jumpy.result["diagnosis"] == ["overshooting"]
    assert "Lower the learning rate" in jumpy.summary()


def test_a_diverging_run_is_stopped_and_explained():
    # deep ReLU layers with plain SGD at lr 10: the logits overflow within a few steps
    s = network.State(hidden="128, 128, 128, 128", activation="relu", optimizer="sgd",
                      lr=10.0, steps=100)
    s.train_to(100)
    r = s.result
    assert r["diverged_at"] is not None and s.step == r["diverged_at"] < 100 and s.finished
    assert r["diagnosis"] == ["diverged"]
    assert not math.isfinite(r["train_loss"][-1])           # the step that broke is shown
    assert "diverged at step" in s.summary() and "Lower the learning rate" in s.summary()
    assert s.train_to(100) == s.step                         # nothing more to train
    view = network.View(state=s)
    view.__panel__()
    assert view.map_src.data["image"][0].shape == (network.MAP_GRID, network.MAP_GRID)
    assert len(view.train_src.data["x"]) == 140              # the points still show
    assert "not drawn" in view.losses.note


@pytest.mark.parametrize("text, widths", [("8, 8", (8, 8)), ("", ()), (" 3 ", (3,)),
                                          ("4,4 2", (4, 4, 2)), ("128", (128,))])
def test_widths_parse(text, widths):
    assert network.parse_widths(text) == widths


@pytest.mark.parametrize("text, problem", [
    ("8, x", "'x' is not a whole number"), ("8, -1", "'-1' is not a whole number"),
    ("0", "a layer of 0 units; each needs 1 to 128"), ("500", "a layer of 500 units"),
    ("1,2,3,4,5", "5 given, at most 4"), ("2.5", "'2.5' is not a whole number")])
def test_bad_widths_are_refused_with_the_fix(text, problem):
    with pytest.raises(ValueError, match=problem):
        network.parse_widths(text)
    s = network.State()
    with pytest.raises(ValueError, match=problem):
        s.hidden = text
    assert s.hidden == "8, 8" and s.error == ""


def test_bad_values_from_a_link_are_explained_not_applied():
    s = network.State()
    problems = urlstate.apply_query(s, {"hidden": "8,x", "lr": "0", "steps": "1000000000",
                                        "dataset": "moons", "noise": "nan", "seed": "-1"})
    assert len(problems) == 6
    text = "\n".join(problems)
    assert "hidden='8,x' was ignored (hidden layers: 'x' is not a whole number" in text
    assert "lr='0' was ignored (it must be between 0.0001 and 10)" in text
    assert "steps='1000000000' was ignored (it must be between 1 and 5000)" in text
    assert "dataset='moons' was ignored (it must be one of circle, xor, gauss, spiral)" in text
    assert "noise='nan'" in text and "finite" in text
    assert (s.hidden, s.lr, s.steps, s.dataset, s.seed) == ("8, 8", 0.03, 200, "circle", 0)


def test_url_round_trip():
    s = network.State(dataset="spiral", noise=0.25, points=300, test_fraction=0.5,
                      hidden="16, 16, 4", activation="relu", lr=0.01, optimizer="sgd",
                      steps=900, seed=42)
    query = urlstate.parse_query(urlstate.query_for(s))
    assert query["lesson"] == "network" and query["hidden"] == "16, 16, 4"
    t = network.State()
    assert urlstate.apply_query(t, query) == []
    assert t.url_state() == s.url_state()
    assert t.data == s.data                                  # the seed makes the same points


def test_the_code_shown_builds_the_model_that_is_trained():
    s = network.State(hidden="5, 3", activation="relu", optimizer="nesterov", lr=0.2,
                      steps=10)
    s.train_to(10)
    X_train = real_torch.tensor(list(zip(s.data["train"]["x"], s.data["train"]["y"])))
    y_train = real_torch.tensor(s.data["train"]["label"]).view(-1, 1)
    namespace = {"X_train": X_train, "y_train": y_train}
    exec(s.code(), namespace)                                # on real torch
    assert repr(namespace["model"]) == s.result["model"]
    assert isinstance(namespace["optimizer"], real_torch.optim.SGD)
    assert namespace["optimizer"].defaults["nesterov"] is True
    assert sum(p.numel() for p in namespace["model"].parameters()) == s.result["parameters"]


# -- the experiment on both engines --------------------------------------------------------

def shared_numbers(spec):
    """Data and initial weights drawn once, on the engine (the engines' RNGs differ)."""
    X, Y = make_dataset(spec, engine)
    weights = {k: v.tolist() for k, v in TrainingRun(spec, engine).model.state_dict().items()}
    return {"X": X.tolist(), "Y": Y.view(-1).tolist()}, weights


@pytest.mark.parametrize("dataset, hidden, activation, optimizer", [
    ("circle", (8, 8), "tanh", "adam"), ("xor", (6,), "relu", "sgd"),
    ("spiral", (8, 4, 4), "sigmoid", "rmsprop"), ("gauss", (), "tanh", "nesterov")])
def test_same_training_on_engine_and_torch(dataset, hidden, activation, optimizer):
    spec = protocol.validate("training", {"dataset": dataset, "hidden": hidden,
                                          "activation": activation, "optimizer": optimizer,
                                          "lr": 0.05, "steps": 60, "grid": 12})
    data, weights = shared_numbers(spec)
    ours = compute.training(spec, engine, data=data, weights=weights)
    theirs = compute.training(spec, real_torch, data=data, weights=weights)
    for key in ("train_loss", "test_loss"):
        assert ours[key] == pytest.approx(theirs[key], rel=1e-4, abs=1e-6), key
    assert [row for row in ours["map"]["p"]] == [
        pytest.approx(row, abs=1e-4) for row in theirs["map"]["p"]]
    for key in ("train_accuracy", "test_accuracy"):
        assert ours[key] == pytest.approx(theirs[key], abs=1 / 60), key
    assert ours["model"] == theirs["model"] and ours["parameters"] == theirs["parameters"]
    assert ours["train"] == theirs["train"] and ours["test"] == theirs["test"]


def test_the_seed_alone_reproduces_a_run_on_each_engine():
    spec = protocol.validate("training", {"dataset": "spiral", "steps": 20, "seed": 9})
    for torch in (engine, real_torch):
        a, b = compute.training(spec, torch), compute.training(spec, torch)
        assert a["train_loss"] == b["train_loss"] and a["train"] == b["train"]


def test_training_does_not_touch_the_global_rng():
    for torch in (engine, real_torch):
        torch.manual_seed(123)
        expected = torch.rand(3).tolist()
        torch.manual_seed(123)
        compute.training(protocol.validate("training", {"steps": 3}), torch)
        assert torch.rand(3).tolist() == expected


def test_on_a_cuda_device_the_run_is_the_same():
    # the engine's simulated GPU: every tensor must be on the device (mixing devices raises
    # torch's error), and results come back to the host
    previous = engine.cuda.simulate(True)
    try:
        spec = protocol.validate("training", {"steps": 5, "grid": 10})
        on_gpu = compute.training(spec, engine, device="cuda")
    finally:
        engine.cuda.simulate(previous)
    assert on_gpu == compute.training(spec, engine)


def test_compute_run_gives_a_json_safe_result():
    out = compute.run("training", {"dataset": "gauss", "steps": 5, "grid": 10}, engine)
    assert out["result"]["step"] == 5 and len(out["result"]["train_loss"]) == 6
    assert out["ran_on"]["engine"] == "playground.torch"


def test_activation_curves_and_their_autograd_derivatives_agree():
    ours, theirs = activation_curves(engine), activation_curves(real_torch)
    assert list(ours) == ["relu", "sigmoid", "tanh"]
    for name in ours:
        for key in ("x", "y", "dy"):
            assert ours[name][key] == pytest.approx(theirs[name][key], rel=1e-12, abs=1e-15)
        assert ours[name]["module"] == theirs[name]["module"]
    x, relu, sig, tanh = ours["relu"]["x"], ours["relu"], ours["sigmoid"], ours["tanh"]
    assert relu["dy"][x.index(0.0)] == 0.0                   # torch's ReLU'(0)
    for i in (0, 37, 100, 180):
        s = 1 / (1 + math.exp(-x[i]))
        assert sig["dy"][i] == pytest.approx(s * (1 - s))
        assert tanh["dy"][i] == pytest.approx(1 - math.tanh(x[i]) ** 2)


# -- the view -------------------------------------------------------------------------------

def test_view_follows_the_player_and_the_state():
    s = network.State(dataset="gauss", steps=40)
    view = network.View(state=s)
    view.__panel__()
    assert len(view.train_src.data["x"]) == 140 and len(view.test_src.data["x"]) == 60
    assert view.map_src.data["image"][0].shape == (network.MAP_GRID, network.MAP_GRID)
    first = view.map_src.data["image"][0].copy()
    view.player.playing = True
    for _ in range(3):
        view.player.tick()                                   # what the clock does
    assert s.step == view.player.step == 30
    assert (view.map_src.data["image"][0] != first).any()
    assert len(view.losses.point_source.data["step"]) == 2 * 31
    view.player.tick()                                       # 40: the end, the clock stops
    assert s.step == 40 and not view.player.playing
    s.dataset = "xor"                                        # new inputs: back to step 0
    assert view.player.step == 0 and len(view.train_src.data["x"]) == 140
    s.activation = "relu"
    assert "in use" in view.act_figs["relu"].title.text
    assert "in use" not in view.act_figs["tanh"].title.text
    assert "Sequential(" in view.model_text.object and "ReLU()" in view.model_text.object
    s.steps = 25
    assert view.player.max_step == 25
    s.hidden = ""                                            # no hidden layer: no activation
    assert not any("in use" in fig.title.text for fig in view.act_figs.values())


def test_view_explains_bad_widths_inline():
    s = network.State()
    view = network.View(state=s)
    view.__panel__()
    widths = view.controls()["hidden"]
    box, message = widths.objects
    box.value = "8, x"
    assert message.visible and "not a whole number" in message.object
    assert s.hidden == "8, 8"
    box.value = "<b>8</b>"
    assert "&lt;b&gt;" in message.object and "<b>" not in message.object
    box.value = "4,2"
    assert not message.visible and s.hidden == "4, 2" and box.value == "4, 2"

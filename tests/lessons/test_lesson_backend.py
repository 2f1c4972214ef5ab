"""The session's backend choice (lessons/backend.py) against a real server: connecting (and
the clear messages when the address, the token or the server is wrong), every lesson's
experiments on the server giving what they give here, refresh when the choice changes, the
devices lesson's comparison, scratchpad cells on the server, and the #fragment round trip."""
import pytest

from playground.client import Backend, BackendError
from playground.lessons import descent_1d, descent_2d, devices, gradcheck, network, regression
from playground.lessons import scratchpad
from playground.lessons.backend import Where, describe_run
from playground.where_panel import fragment_for, parse_fragment

from backend_support import TOKEN, assert_close


@pytest.fixture
def where(server):
    w = Where()
    assert w.connect(server, TOKEN), w.error
    return w


def test_connecting_shows_the_device_and_switches_to_the_server(server):
    w = Where()
    assert not w.remote and w.mode == "here"
    assert w.connect(server, TOKEN)
    assert w.remote and w.mode == "server" and w.allows_code
    assert w.status.startswith("cpu · torch ")
    w.use_here()
    assert not w.remote and w.mode == "here" and w.status == ""


@pytest.mark.parametrize("url, token, words", [
    ("127.0.0.1:8765", TOKEN, "must start with http:// or https://"),
    ("SERVER", "", "the server needs its token"),
    ("SERVER", "wrong-token-wrong-token", "the server refused the token (wrong token"),
    ("http://127.0.0.1:9", TOKEN, "cannot reach the server at http://127.0.0.1:9"),
])
def test_bad_connections_are_explained_and_stay_here(server, url, token, words):
    w = Where()
    assert not w.connect(server if url == "SERVER" else url, token)
    assert words in w.error and not w.remote and w.mode == "here"
    assert w.status == "not connected"


def test_the_client_explains_status_codes(server):
    client = Backend(server, TOKEN)
    with pytest.raises(BackendError, match="the server answered 422: invalid request: lr"):
        client.experiment("descent1d", {"lr": 99})
    with pytest.raises(BackendError, match="there is no experiment 'fft'"):
        client.experiment("fft", {})


def test_descent_1d_on_the_server_equals_here(where):
    here, there = descent_1d.State(lr=0.6), descent_1d.State(lr=0.6, where=where)
    assert_close(there.result, here.result, rtol=1e-9, atol=1e-12)
    assert there.ran_on.startswith("ran on the server: cpu · torch ")
    assert here.ran_on.startswith("ran in this app (panel serve): playground.torch · cpu")


def test_descent_2d_on_the_server_equals_here(where):
    kw = {"surface": "rosenbrock", "optimizers": ["sgd", "adam"], "steps": 40, "noise": 0.2,
          "seed": 3}
    here, there = descent_2d.State(**kw), descent_2d.State(where=where, **kw)
    assert_close(there.result, here.result, rtol=1e-8, atol=1e-12)
    assert_close(there.grid, here.grid, rtol=1e-8, atol=1e-12)
    there.lr = 0.002  # a move asks the server again
    here.lr = 0.002
    assert_close(there.result, here.result, rtol=1e-8, atol=1e-12)


def test_regression_on_the_server_equals_here(where):
    here, there = regression.State(lr=0.3, seed=5), regression.State(lr=0.3, seed=5, where=where)
    assert_close(there.fit, here.fit, rtol=1e-9, atol=1e-12)
    assert_close(there.landscape, here.landscape, rtol=1e-9, atol=1e-12)


def test_gradcheck_on_the_server_matches_here(where):
    here = gradcheck.State(eps=1e-3, function="l", seed=2)
    there = gradcheck.State(eps=1e-3, function="l", seed=2, where=where)
    for key in ("autograd", "analytic", "exact", "cost"):
        assert_close(there.result[key], here.result[key], rtol=1e-12, atol=1e-14)
    assert there.sweep["eps"] == here.sweep["eps"] and there.result["eps"] == 1e-3


def test_network_trains_on_the_server_in_one_go(where):
    kw = {"dataset": "xor", "steps": 30, "hidden": "6", "seed": 4, "lr": 0.05}
    here, there = network.State(**kw), network.State(where=where, **kw)
    assert there.step == 0 and there.data == here.data  # step 0 is made here, as the same
    assert there.train_to(5) == 30  # the server trains the whole run at once
    here.train_to(30)
    assert there.finished and there.result["step"] == here.result["step"] == 30
    assert_close(there.result["train_loss"], here.result["train_loss"], rtol=1e-4, atol=1e-6)
    assert there.ran_on.startswith("ran on the server")


def test_switching_to_the_server_recomputes_the_open_lessons(server):
    w = Where()
    state = descent_1d.State(where=w)
    assert state.ran_on.startswith("ran in this app")
    w.connect(server, TOKEN)
    state.refresh()
    assert state.ran_on.startswith("ran on the server")


def test_devices_compares_here_with_the_server(where):
    state = devices.State(max_size=256, where=where)
    state.measure()
    assert [r["size"] for r in state.here["rows"]] == [64, 128, 256]
    assert [r["size"] for r in state.server["rows"]] == [64, 128, 256]
    assert state.server["device"] == "cpu"
    assert "Server (cpu)" in state.summary()


def test_devices_without_a_server_says_how_to_get_one():
    state = devices.State(max_size=128)
    state.measure()
    assert state.server == {} and state.crossover() is None
    assert "Connect a server in the sidebar" in state.summary()


def test_scratchpad_cells_run_on_the_server_with_the_cells_above(where, restore_torch_modules):
    state = scratchpad.State(where=where)
    state.cells = ["import torch\nx = torch.arange(4.)", "x * 2"]
    result = state.run_on_server(1, state.cells[1])
    assert result.status == "ok" and result.text == "tensor([0., 2., 4., 6.])\n"
    assert state.ran_on.startswith("ran on the server: cpu")
    stopped = state.run_on_server(0, "while True:\n    pass")
    assert stopped.status == "interrupted"
    # whichever of the server's limits comes first (on a busy machine 4 s pass before 3 s of CPU)
    assert "CPU time limit of 3 s" in stopped.text or "time limit of 4 s" in stopped.text


def test_the_fragment_round_trip(where):
    fragment = fragment_for(where)
    assert fragment.startswith("#backend=http%3A%2F%2F127.0.0.1%3A") and TOKEN in fragment
    assert parse_fragment(fragment) == (where.url, TOKEN)
    assert parse_fragment("") is None and parse_fragment("#other=1") is None
    where.use_here()
    assert fragment_for(where) == ""


def test_describe_run_says_where_and_how_long():
    assert describe_run({"ran_on": {"engine": "torch 2.13.0", "device": "cuda",
                                    "gpu": "NVIDIA H100"}, "seconds": 0.012,
                         "round_trip_s": 0.04}) == \
        "ran on the server: cuda · NVIDIA H100 · torch 2.13.0 · 12 ms (round trip 40 ms)"

"""Every experiment on the real backend (real torch, CPU) gives the result the engine gives in
the browser, within float tolerance: the same envelope, the same spec with defaults filled in,
the same numbers (the engine draws torch's own random numbers, so seeded data agree too)."""
import pytest

import playground.torch as engine
import torch as real_torch
from playground import compute

from backend_support import assert_close, call

# small but complete specs: every code path of each experiment, in a second or two
SPECS = {
    "descent1d": ({"function": "double well", "lr": 0.1, "steps": 30, "x0": -1.5}, 1e-9),
    "descent2d": ({"surface": "rosenbrock", "optimizers": ["sgd", "momentum", "nesterov",
                                                           "rmsprop", "adagrad", "adam"],
                   "lr": 0.001, "steps": 40, "grid": 20, "noise": 0.3, "seed": 2}, 1e-7),
    "regression": ({"n": 30, "noise": 0.4, "beta": [0.5, -1.5], "seed": 3, "lr": 0.2,
                    "steps": 30, "grid": 12}, 1e-9),
    "training": ({"dataset": "xor", "points": 60, "hidden": [6, 4], "activation": "tanh",
                  "optimizer": "adam", "lr": 0.05, "steps": 25, "seed": 4, "grid": 10}, 1e-4),
}
ROUNDING = 100  # finite differences at eps carry rounding noise up to about u/eps each


def rounding_bound(unit_roundoff, eps):
    """How far two engines' finite-difference errors may differ at eps: they sum in other
    orders, so each error is only known to within a few unit roundoffs over eps."""
    return ROUNDING * unit_roundoff / eps


@pytest.mark.parametrize("name", list(SPECS))
def test_same_result_as_the_engine(server, name):
    spec, rtol = SPECS[name]
    status, remote, _ = call(server, f"/v1/experiments/{name}", spec)
    assert status == 200, remote
    local = compute.run(name, spec, engine)
    assert remote["ran_on"] == {"engine": f"torch {real_torch.__version__}", "device": "cpu",
                               "gpu": None}
    assert local["ran_on"] == {"engine": "playground.torch", "device": "cpu"}
    assert remote["experiment"] == name and remote["spec"] == local["spec"]
    assert remote["seconds"] > 0
    assert_close(remote["result"], local["result"], rtol=rtol, atol=rtol * 1e-3)


def test_gradcheck_agrees_up_to_rounding_noise(server):
    status, remote, _ = call(server, "/v1/experiments/gradcheck", {"seed": 5, "points": 7})
    assert status == 200, remote
    r, l = remote["result"], compute.run("gradcheck", {"seed": 5, "points": 7}, engine)["result"]
    for key in ("function", "dtype", "eps", "unit_roundoff"):
        assert r[key] == l[key]
    for key in ("params", "autograd", "analytic", "exact", "cost"):
        assert_close(r[key], l[key], rtol=1e-12, atol=1e-14, path=key)
    for key in ("numeric", "central"):  # differences of nearby values: ~u/eps relative noise
        assert_close(r[key], l[key], rtol=rounding_bound(r["unit_roundoff"], r["eps"]), atol=0)
    assert r["error_autograd"] == l["error_autograd"] == 0.0
    for key in ("error_numeric", "error_central"):
        assert abs(r[key] - l[key]) <= rounding_bound(r["unit_roundoff"], r["eps"])
    assert r["sweep"]["eps"] == l["sweep"]["eps"]
    for key in ("forward", "central"):
        for eps, a, b in zip(r["sweep"]["eps"], r["sweep"][key], l["sweep"][key]):
            assert abs(a - b) <= rounding_bound(r["unit_roundoff"], eps) + 1e-6 * abs(b), (key, eps)


def test_matmul_times_each_size_on_the_backends_device(server):
    status, remote, _ = call(server, "/v1/experiments/matmul", {"sizes": [16, 64, 128],
                                                                "repeat": 2})
    assert status == 200, remote
    local = compute.run("matmul", {"sizes": [16, 64, 128], "repeat": 2}, engine)
    assert remote["spec"] == {**local["spec"], "device": "cpu"}
    for result in (remote["result"], local["result"]):
        assert [row["size"] for row in result["rows"]] == [16, 64, 128]
        assert all(row["seconds"] > 0 and row["gflops"] > 0 for row in result["rows"])
        assert result["device"] == "cpu" and result["dtype"] == "float32"


def test_an_empty_body_runs_the_defaults(server):
    status, remote, _ = call(server, "/v1/experiments/descent1d", method="POST")
    assert status == 200
    assert remote["spec"] == {"function": "quadratic", "lr": 0.25, "steps": 15, "x0": 5.0}
    assert remote["result"]["x"][:3] == [5.0, 3.5, 2.75]  # x <- x - 0.25 * 2(x - 2)


def test_a_diverging_run_comes_back_as_json_with_nulls(server):
    """NaN and infinity are not JSON: a blown-up run's values arrive as null."""
    status, remote, _ = call(server, "/v1/experiments/descent1d",
                             {"lr": 10.0, "steps": 400, "x0": 9.0})
    assert status == 200
    local = compute.run("descent1d", {"lr": 10.0, "steps": 400, "x0": 9.0}, engine)
    assert remote["result"]["diverged_at"] == local["result"]["diverged_at"] is not None
    assert_close(remote["result"], local["result"], rtol=1e-9, atol=0)


def test_info_names_the_device_versions_and_limits(server):
    status, info, _ = call(server, "/v1/info")
    assert status == 200
    assert info["device"] == "cpu" and info["gpu"] is None
    assert info["torch"] == real_torch.__version__ and info["allow_code"] is True
    assert info["limits"]["code"] == {"cpu_s": 3, "wall_s": 4.0, "memory_mb": 1024,
                                      "output_chars": 50000, "code_chars": 20000}
    assert set(info["experiments"]) == set(compute.EXPERIMENTS)
    assert info["experiments"]["descent1d"]["lr"] == {
        "default": 0.25, "type": "float", "low": 0.0001, "high": 10.0, "doc": "learning rate"}

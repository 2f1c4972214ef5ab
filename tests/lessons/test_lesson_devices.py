"""Lesson 9, devices: the seeds' CUDA cells on the engine's simulated GPU print what torch
prints on a real one; the matmul timing here stops within its budget; the crossover is the
size from which the server stays faster; the link round-trips."""
import contextlib
import io

import pytest
import torch as real_torch

from playground.compute.devices import EXAMPLES, run_example
from playground.lessons import devices, urlstate

import playground.torch as engine


def printed_by_torch(code):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {"torch": real_torch})
    return out.getvalue()


def test_moving_a_tensor_prints_torchs_numbers_then_the_device():
    out = run_example("move a tensor", engine)
    on_cpu = printed_by_torch("torch.manual_seed(0)\nprint(torch.rand(10))")
    assert out["error"] == ""
    assert out["output"] == on_cpu + on_cpu.replace("])", "], device='cuda:0')")


def test_the_two_failing_cells_fail_with_torchs_messages():
    assert run_example("back to numpy", engine)["error"] == (
        "TypeError: can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy "
        "the tensor to host memory first.")
    assert run_example("mixing devices", engine)["error"] == (
        "RuntimeError: Expected all tensors to be on the same device, but found at least two "
        "devices, cuda:0 and cpu!")


def test_examples_leave_the_simulated_gpu_off():
    for name in EXAMPLES:
        run_example(name, engine)
        assert not engine.cuda.is_available()


def test_on_a_cpu_only_torch_the_cells_fail_as_there():
    assert run_example("move a tensor", real_torch)["error"] == \
        "AssertionError: Torch not compiled with CUDA enabled"


def test_unknown_example():
    with pytest.raises(ValueError, match="unknown example 'x': choose one of move a tensor"):
        run_example("x", engine)


def test_local_sizes_stop_within_the_budget(monkeypatch):
    monkeypatch.setattr(devices, "LOCAL_BUDGET_S", 0.0)  # every size is "too slow"
    s = devices.State(max_size=4096)
    s.measure()
    assert [r["size"] for r in s.here["rows"]] == [64]
    assert "Stopped at n = 64" in s.summary()


@pytest.mark.parametrize("here, there, expected", [
    ([1e-4, 1e-3, 1e-2, 1e-1], [1e-3, 2e-3, 1e-3, 1e-3], {"size": 256, "largest": 512,
                                                          "speedup": 100.0}),
    ([1e-4, 1e-3], [1e-3, 1e-2], None),
    ([1e-2, 1e-4, 1e-2], [1e-3, 1e-3, 1e-3], {"size": 256, "largest": 256, "speedup": 10.0}),
])
def test_the_crossover_is_where_the_server_stays_faster(here, there, expected):
    s = devices.State()
    sizes = devices.SIZES[:len(here)]
    s.here = {"rows": [{"size": n, "seconds": t, "gflops": 1.0} for n, t in zip(sizes, here)],
              "device": "cpu", "engine": "playground.torch"}
    s.server = {"rows": [{"size": n, "seconds": t, "gflops": 1.0}
                         for n, t in zip(sizes, there)], "device": "cuda"}
    assert s.crossover() == (pytest.approx(expected) if expected else None)
    view = devices.View(state=s)
    view.__panel__()
    assert view.cross.visible is (expected is not None)
    if expected:
        assert view.cross.location == expected["size"]
        assert f"Crossover at n = {expected['size']}" in view.summary.object


def test_url_round_trip_and_the_view_follows():
    s = devices.State(example="mixing devices", max_size=512, dtype="float64")
    query = urlstate.parse_query(urlstate.query_for(s))
    t = devices.State()
    assert urlstate.apply_query(t, query) == [] and t.url_state() == s.url_state()
    view = devices.View(state=t)
    view.__panel__()
    assert "cuda:0 and cpu!" in view.output.object
    t.measure()
    assert view.sources["here"].data["size"] == [64, 128, 256, 512]

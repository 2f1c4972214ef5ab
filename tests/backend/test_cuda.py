"""On a machine where torch finds a GPU: the backend picks it, names it in /v1/info, runs every
experiment there with the engine's results, and runs cells with CUDA tensors. Marked `cuda`;
where torch finds no GPU they do not run (they are not counted in this machine's coverage)."""
import pytest
import torch
from fastapi.testclient import TestClient

import playground.torch as engine
from playground import compute
from playground.backend import Settings, create_app

from backend_support import AUTH, TOKEN, assert_close

pytestmark = [pytest.mark.cuda,
              pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")]

SPECS = {"descent1d": {"lr": 0.3, "steps": 20},
         "descent2d": {"steps": 40, "grid": 20, "noise": 0.2, "seed": 1},
         "regression": {"n": 40, "steps": 30, "grid": 12},
         "training": {"points": 80, "steps": 20, "grid": 10, "hidden": [8]}}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings(token=TOKEN, device="auto", allow_code=True))) as c:
        yield c


def test_auto_picks_the_gpu_and_names_it(client):
    info = client.get("/v1/info", headers=AUTH).json()
    assert info["device"] == "cuda"
    assert info["gpu"]["name"] == torch.cuda.get_device_name(0)
    assert info["gpu"]["memory_bytes"] == torch.cuda.get_device_properties(0).total_memory


@pytest.mark.parametrize("name", list(SPECS))
def test_experiments_on_the_gpu_give_the_engines_results(client, name):
    r = client.post(f"/v1/experiments/{name}", json=SPECS[name], headers=AUTH)
    assert r.status_code == 200, r.json()
    remote = r.json()
    assert remote["ran_on"]["device"] == "cuda" and remote["ran_on"]["gpu"]
    local = compute.run(name, SPECS[name], engine)
    # TF32 and other kernels: float32 work agrees to about 1e-3 relative
    assert_close(remote["result"], local["result"], rtol=1e-3, atol=1e-5)


def test_matmul_on_the_gpu_and_its_cpu(client):
    for device in ("cuda", "cpu"):
        r = client.post("/v1/experiments/matmul", json={"sizes": [256, 1024], "device": device},
                        headers=AUTH)
        assert r.status_code == 200 and r.json()["result"]["device"] == device


def test_cells_use_the_gpu(client):
    r = client.post("/v1/run", json={"code": "import torch\ntorch.ones(2, device='cuda')"},
                    headers=AUTH)
    assert r.json()["output"] == "tensor([1., 1.], device='cuda:0')\n"

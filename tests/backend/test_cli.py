"""`python -m playground.backend`: what it says at start-up (device, URL, token), a generated
token that works, and clear errors (exit status 2) for settings that cannot work."""
import json
import re
import subprocess
import sys
import time

import pytest
import torch

from backend_support import call
from browser_support import REPO_ROOT, free_port

BACKEND = [sys.executable, "-m", "playground.backend"]


def fails_with(args, words):
    proc = subprocess.run([*BACKEND, *args], capture_output=True, text=True, cwd=REPO_ROOT,
                          timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert words in proc.stderr, proc.stderr


@pytest.mark.skipif(torch.cuda.is_available(), reason="on a GPU machine --device cuda works")
def test_cuda_asked_for_without_a_gpu():
    fails_with(["--device", "cuda"], "--device cuda: torch finds no CUDA device here")


@pytest.mark.parametrize("args, words", [
    (["--token-file", "/nonexistent/token"], "cannot read the token file /nonexistent/token"),
    (["--token", "short"], "the token must be at least 16 characters long"),
    (["--allow-origin", "course.example.org"], "--allow-origin takes a page's origin"),
    (["--queue", "-1"], "--queue must be 0 or more"),
])
def test_settings_that_cannot_work(args, words):
    fails_with(args, words)


def test_start_up_prints_the_device_url_and_a_generated_token_that_works():
    port = free_port()
    proc = subprocess.Popen([*BACKEND, "--port", str(port), "--device", "auto"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=REPO_ROOT)
    try:
        lines = []
        while not any(line.lstrip().startswith("origins:") for line in lines):
            line = proc.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        text = "".join(lines)
        where = "cuda (" if torch.cuda.is_available() else "cpu (torch finds no CUDA device)"
        assert f"playground backend: torch {torch.__version__} on {where}" in text
        assert f"url:     http://127.0.0.1:{port}/  (API docs at /docs)" in text
        token = re.search(r"token:\s+(\S+)\s+\(generated\)", text).group(1)
        assert len(token) >= 32
        assert "origins: none (no browser page may call); code: not allowed" in text
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if call(url, "/v1/health", token=None)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        assert call(url, "/v1/info", token=token)[0] == 200
        wrong = token[:-1] + ("y" if token.endswith("x") else "x")  # one character off
        assert call(url, "/v1/info", token=wrong)[0] == 401
    finally:
        proc.terminate()
        proc.wait(10)


LAZY_IMPORTS_PROBE = """
import json, sys
from fastapi.testclient import TestClient
from playground import compute, protocol
from playground.backend import Settings, create_app
with TestClient(create_app(Settings(token="t" * 32, device="cpu"))) as client:
    before = set(sys.modules)
    for name, fields in protocol.EXPERIMENTS.items():  # defaults, then each choice in turn
        specs = [{}] + [{key: (choice,) if f.kind is tuple else choice}
                        for key, f in fields.items() if f.choices and key != "device"
                        for choice in f.choices]
        for spec in specs:
            compute.run(name, spec, client.app.state.backend.torch, "cpu")
    print(json.dumps({"dynamo": "torch._dynamo" in before,
                      "new": sorted(set(sys.modules) - before)}))
"""


def test_torchs_lazy_imports_happen_before_any_job():
    """torch imports parts of itself on first use (an optimizer's first step: torch._dynamo,
    seconds); inside a job, a job time limit landing in such an import left a module
    half-imported for the whole process. After the app's start-up, no experiment a request
    can ask for (each choice of each field, at the default sizes) imports anything new. In a
    fresh process; on the old start-up (one optimizer made) descent2d still imported
    torch.profiler._cupti_monitor."""
    out = subprocess.run([sys.executable, "-c", LAZY_IMPORTS_PROBE], capture_output=True,
                         text=True, cwd=REPO_ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found == {"dynamo": True, "new": []}

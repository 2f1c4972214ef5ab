"""A real backend (`python -m playground.backend`) on 127.0.0.1 for tests and benchmarks, and a
small JSON client for it (urllib: what the app itself uses under CPython)."""
import contextlib
import json
import math
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from browser_support import REPO_ROOT, free_port, serving

TOKEN = "test-token-0123456789abcdef"
PAGE = "http://127.0.0.1:9999"  # the page origin the shared test server allows (CORS)
CODE_LIMITS = ["--code-cpu", "3", "--code-wall", "4", "--code-memory", "1024"]
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@contextlib.contextmanager
def backend_server(log_path, args=(), token=TOKEN, env_extra=None):
    """The backend on a free port (CPU torch); yields its base URL. The token goes in a file."""
    port = free_port()
    log_path = Path(log_path)
    token_file = log_path.with_suffix(".token")
    token_file.write_text(token + "\n")
    token_file.chmod(0o600)
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), **(env_extra or {}))
    cmd = [sys.executable, "-m", "playground.backend", "--host", "127.0.0.1", "--port",
           str(port), "--device", "cpu", "--token-file", str(token_file), *args]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
                                cwd=REPO_ROOT)
    url = f"http://127.0.0.1:{port}"
    with serving(proc, url, url + "/v1/health", log_path):
        yield url


def call(url, path, body=None, token=TOKEN, headers=None, method=None, timeout=60):
    """(status, JSON body, headers) of one request; HTTP errors are returned, not raised."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method or (
        "GET" if body is None else "POST"))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for k, v in (headers or {}).items():
        request.add_header(k, v)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, _body(response.read()), _headers(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, _body(exc.read()), _headers(exc.headers)


def _body(raw):
    """JSON where it is JSON (the API); the text otherwise (CORS preflight answers)."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


def _headers(headers):
    return {k.lower(): v for k, v in headers.items()}


def assert_close(got, want, rtol, atol, path="", skip=("seconds", "gflops")):
    """Nested dicts/lists equal, floats within tolerance; keys in `skip` (timings) ignored."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), f"{path}: keys differ"
        for key in want:
            if key not in skip:
                assert_close(got[key], want[key], rtol, atol, f"{path}.{key}", skip)
    elif isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(want), f"{path}: length"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_close(g, w, rtol, atol, f"{path}[{i}]", skip)
    elif isinstance(want, float) and isinstance(got, (int, float)):
        assert math.isclose(got, want, rel_tol=rtol, abs_tol=atol), f"{path}: {got} != {want}"
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"

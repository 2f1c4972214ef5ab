"""Fixtures for the backend's tests: a real server on 127.0.0.1 (CPU torch) with code allowed
and small code limits, an in-process app per test for settings a test needs, and a comparison
of nested results within float tolerance."""
import math

import pytest
from fastapi.testclient import TestClient

from backend_support import TOKEN, backend_server
from browser_support import ARTIFACTS


AUTH = {"Authorization": f"Bearer {TOKEN}"}
CODE_LIMITS = ["--code-cpu", "3", "--code-wall", "4", "--code-memory", "1024"]
PAGE = "http://127.0.0.1:9999"  # the page origin the server allows (CORS)


@pytest.fixture(scope="session")
def server():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with backend_server(ARTIFACTS / "backend-server.log",
                        ["--allow-code", "--allow-origin", PAGE, *CODE_LIMITS],
                        env_extra={"PLAYGROUND_TEST_SECRET": "do-not-leak"}) as url:
        yield url


@pytest.fixture
def make_client():
    """make_client(**settings) -> a TestClient of create_app(Settings(token=TOKEN, ...))."""
    from playground.backend import Settings, create_app
    clients = []

    def make(**fields):
        client = TestClient(create_app(Settings(token=TOKEN, device="cpu", **fields)))
        client.__enter__()
        clients.append(client)
        return client
    yield make
    for client in clients:
        client.__exit__(None, None, None)


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

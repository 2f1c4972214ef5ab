"""Fixtures for the backend's tests (the real server, `server`, is tests/conftest.py's): an
in-process app per test for the settings a test needs."""
import pytest
from fastapi.testclient import TestClient

from backend_support import TOKEN


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

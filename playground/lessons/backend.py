"""Where the lessons' experiments run: here (our engine in the browser, or whatever torch this
`panel serve` computes with) or on a backend server with real PyTorch (`python -m
playground.backend`), chosen once per session in the app's backend panel.

A param.Parameterized with no widgets, like the lessons' States. `run(name, spec, torch)` is
the one door every lesson's experiment goes through: compute.run() here, or the same
experiment by HTTP on the server (playground/client.py). Both give the same envelope (the
spec, the result, where it ran, how long it took), so a lesson draws either without knowing
which it got. The server's address and token never go into the URL's query: the app keeps
them in the page's #fragment (see shell.py), which browsers do not send to web servers.
"""
import sys

import param

from .. import compute, protocol
from ..client import Backend, BackendError
from . import engine

HERE = "here"
SERVER = "server"


def here_label():
    return "In this browser" if sys.platform == "emscripten" else "In this app (panel serve)"


class Where(param.Parameterized):
    mode = param.Selector(default=HERE, objects=[HERE, SERVER])
    url = param.String(default="", doc="the backend's address, e.g. http://127.0.0.1:8765")
    token = param.String(default="", doc="the token the backend printed when it started")
    info = param.Dict(default={}, doc="the connected server's /v1/info")
    status = param.String(default="", doc="one line on the connection, for the badge")
    error = param.String(default="", doc="why the last connection or request failed")

    def __init__(self, **params):
        super().__init__(**params)
        self._client = None

    @property
    def remote(self):
        """True when experiments go to a connected server."""
        return self.mode == SERVER and self._client is not None

    def connect(self, url=None, token=None):
        """Connect to the server at url with token (or the current ones); True if it answered."""
        if url is not None:
            self.url = url
        if token is not None:
            self.token = token
        try:
            client = Backend(self.url, self.token)
            info = client.info()
        except BackendError as exc:
            self._client = None
            self.param.update(info={}, error=str(exc), status="not connected",
                              mode=HERE)
            return False
        self._client = client
        self.param.update(info=info, error="", status=describe_server(info), mode=SERVER)
        return True

    def use_here(self):
        self._client = None
        self.param.update(mode=HERE, status="", error="")

    @property
    def allows_code(self):
        return self.remote and bool(self.info.get("allow_code"))

    def run(self, name, spec, torch):
        """compute.run()'s envelope for experiment `name`, here or on the server."""
        if not self.remote:
            return compute.run(name, spec, torch, engine.device())
        spec = protocol.json_safe(protocol.validate(name, spec))  # the same errors as here
        try:
            return self._client.experiment(name, spec)
        except BackendError as exc:
            self.error = str(exc)
            raise

    def run_code(self, code, setup=()):
        return self._client.run_code(code, setup)


def describe_server(info):
    gpu = info.get("gpu")
    device = f"cuda · {gpu['name']}" if gpu else info.get("device", "?")
    return f"{device} · torch {info.get('torch', '?')}"


def describe_run(envelope):
    """'ran on the server: cuda · NVIDIA H100 · torch 2.13.0 · 12 ms (round trip 40 ms)' or
    'ran in this browser: playground.torch · cpu · 3 ms'."""
    ran = envelope.get("ran_on", {})
    ms = 1000 * (envelope.get("seconds") or 0)
    if "round_trip_s" in envelope:
        where = ran.get("device", "?") + (f" · {ran['gpu']}" if ran.get("gpu") else "")
        return (f"ran on the server: {where} · {ran.get('engine', '?')} · {ms:.0f} ms "
                f"(round trip {1000 * envelope['round_trip_s']:.0f} ms)")
    return f"ran {here_label()[0].lower()}{here_label()[1:]}: {ran.get('engine', '?')} · " \
           f"{ran.get('device', 'cpu')} · {ms:.0f} ms"

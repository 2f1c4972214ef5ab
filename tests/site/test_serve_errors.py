"""`python build.py --serve` with a port it cannot take: a sentence naming the problem and the
fix, not a traceback."""
import socket

import pytest

import build


def test_serving_on_a_port_in_use_says_so_and_how_to_fix_it(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(build.BuildError, match=rf"port {port} on 127.0.0.1 is already in "
                                                   r"use .* --port N \(--port 0 picks a free"):
            build.serve(tmp_path, port)

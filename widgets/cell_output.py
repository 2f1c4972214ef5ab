"""Output of a running code cell: captured per thread, in order, up to a size cap.

    capture = OutputCapture(max_output=200_000)
    with capture_output(capture):      # in the thread that runs the cell
        print("hi")                    # -> capture.chunks == [("stdout", "hi\n")]

sys.stdout, sys.stderr and sys.stdin are replaced (once, and again if someone else swaps
them) by routers: a thread that is inside `capture_output` writes into its capture, every
other thread (the server's own logging, other sessions' cells) to the original stream.
stdin reads give end-of-file inside a cell, so `input()` raises EOFError instead of
waiting for a keyboard the server doesn't have. Pure Python, no Panel.
"""
from __future__ import annotations

import contextlib
import io
import sys
import threading
from dataclasses import dataclass, field


@dataclass
class CellResult:
    """What a cell produced. `chunks` keeps each stream apart so a page can colour them."""

    chunks: list[tuple[str, str]] = field(default_factory=list)  # (stream, text)
    status: str = "ok"  # 'ok' | 'error' | 'interrupted'
    duration_s: float = 0.0
    truncated: bool = False

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.chunks)


class OutputCapture:
    """Collects (stream, text) chunks up to a size cap. Streams are: stdout, stderr,
    result (the displayed value), error (the traceback), note (the runner's own notes)."""

    def __init__(self, max_output: int):
        self.max_output = max_output
        self.chunks: list[tuple[str, str]] = []
        self.size = 0
        self.truncated = False
        self._lock = threading.Lock()  # the UI thread reads while the cell writes

    def write(self, stream: str, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        with self._lock:
            room = self.max_output - self.size
            if room <= 0:
                self.truncated = True
                return len(text)
            kept = text[:room]
            if len(kept) < len(text):
                self.truncated = True
            self.size += len(kept)
            if self.chunks and self.chunks[-1][0] == stream:
                self.chunks[-1] = (stream, self.chunks[-1][1] + kept)
            else:
                self.chunks.append((stream, kept))
        return len(text)

    def write_always(self, stream: str, text: str) -> None:
        """For the traceback and the runner's notes, which must show even past the cap."""
        with self._lock:
            self.chunks.append((stream, text))

    def snapshot(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self.chunks)


_thread_state = threading.local()  # .capture: the OutputCapture of the cell this thread runs


class _StreamRouter(io.TextIOBase):
    """Stands in for sys.stdout / sys.stderr / sys.stdin: a thread that is running a cell
    writes into that cell's capture, every other thread into the original stream."""

    def __init__(self, stream: str, original):
        self.stream = stream
        self.original = original

    def _capture(self):
        return getattr(_thread_state, "capture", None)

    def write(self, text):
        capture = self._capture()
        if capture is not None:
            return capture.write(self.stream, text)
        return self.original.write(text) if self.original is not None else len(text)

    def flush(self):
        if self._capture() is None and self.original is not None:
            self.original.flush()

    def readline(self, size=-1):
        # input() in a cell: there is no keyboard on the server side; EOFError is clear.
        if self._capture() is not None:
            return ""
        return self.original.readline(size) if self.original is not None else ""

    def isatty(self):
        return False

    def writable(self):
        return self.stream != "stdin"

    def readable(self):
        return self.stream == "stdin"

    @property
    def encoding(self):
        return "utf-8"

    def __getattr__(self, name):  # fileno, buffer, ... of the real stream
        return getattr(self.original, name)


_router_lock = threading.Lock()


def _install_routers() -> None:
    # Done on every run, not at import: test runners and hosts swap sys.stdout around.
    with _router_lock:
        for stream in ("stdout", "stderr", "stdin"):
            current = getattr(sys, stream)
            if not isinstance(current, _StreamRouter):
                setattr(sys, stream, _StreamRouter(stream, current))


@contextlib.contextmanager
def capture_output(capture: OutputCapture):
    """Route this thread's stdout/stderr/stdin into `capture` for the `with` block."""
    _install_routers()
    previous = getattr(_thread_state, "capture", None)
    _thread_state.capture = capture
    try:
        yield capture
    finally:
        _thread_state.capture = previous

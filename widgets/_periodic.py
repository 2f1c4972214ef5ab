"""Start a Panel periodic callback only where something can drive it.

`pn.state.add_periodic_callback` needs a server session (`panel serve`), Pyodide, or a
running asyncio loop (a notebook). Elsewhere, e.g. in unit tests, starting one fails with
"no running event loop"; there the widgets' stepping methods (`Player.tick`,
`CodeCell.poll`) are called directly instead, so we return None rather than fail.
"""
from __future__ import annotations

import asyncio
import sys

import panel as pn


def can_schedule() -> bool:
    doc = pn.state.curdoc
    if doc is not None and doc.session_context is not None:
        return True
    if sys.platform == "emscripten":
        return True
    try:
        asyncio.get_running_loop()
        return True
    except RuntimeError:
        return False


def start_periodic(callback, period_ms: int):
    """A started PeriodicCallback (stop it with `.stop()`), or None where none can run."""
    if not can_schedule():
        return None
    return pn.state.add_periodic_callback(callback, period=max(1, int(period_ms)), start=True)


def stop_periodic(handle) -> None:
    if handle is not None and handle.running:
        handle.stop()

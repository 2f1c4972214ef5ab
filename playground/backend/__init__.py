"""The playground's optional backend: the same experiments on real PyTorch (CUDA when
present), for pages that forward work to it.

    python -m playground.backend --port 8765 [--device auto|cuda|cpu] [--token-file F]
        [--allow-origin https://course.example.org] [--allow-code]

Needs the `backend` extra (FastAPI, uvicorn) and torch. Imports compute/, protocol.py and
real torch; never Panel, the widgets or the engine (the code sandbox's child process runs
cells with widgets.cell_runner, which is pure Python).
"""
from .settings import CodeLimits, Settings, SettingsError


def create_app(settings, torch=None):
    from .app import create_app as _create_app
    return _create_app(settings, torch)


__all__ = ["CodeLimits", "Settings", "SettingsError", "create_app"]

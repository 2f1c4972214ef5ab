"""create_app(settings): the FastAPI application.

Routes: GET /v1/health, GET /v1/info, POST /v1/experiments/{name}, POST /v1/run (with
--allow-code); OpenAPI at /openapi.json, docs at /docs. Middleware, outermost first: CORS
(only the listed origins), the body-size limit. Every protected route checks the bearer token
and the token's rate limit; jobs run one at a time on the device (jobs.py).

Requests are stateless (the spec carries everything, results carry where they ran), so
several backends can sit behind a load balancer with the same --token-file; the rate limit and
the queue are per backend.
"""
import ctypes
import logging
import sys
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from .. import __version__
from . import errors
from .deps import Backend
from .jobs import JobGate
from .limits import BodyLimit
from .routes import code, experiments, status
from .security import RateLimiter
from .settings import Settings, SettingsError
from .warmup import warm_up

log = logging.getLogger("playground.backend")


def pick_device(torch, wanted: str) -> str:
    """'cuda' or 'cpu' for --device auto|cuda|cpu; a clear error if CUDA is asked for and
    missing."""
    available = torch.cuda.is_available()
    if wanted == "cuda" and not available:
        raise SettingsError("--device cuda: torch finds no CUDA device here "
                            f"(torch {torch.__version__}, built for CUDA "
                            f"{torch.version.cuda or 'none: a CPU-only build'}); use --device "
                            "cpu or auto")
    return "cuda" if wanted == "cuda" or (wanted == "auto" and available) else "cpu"


def gpu_info(torch, device: str):
    if device != "cuda":
        return None
    p = torch.cuda.get_device_properties(0)
    return {"name": p.name, "memory_bytes": int(p.total_memory),
            "capability": f"{p.major}.{p.minor}"}


def create_app(settings: Settings, torch=None) -> FastAPI:
    if torch is None:
        import torch
    device = pick_device(torch, settings.device)
    if settings.allow_code:
        _hide_process_memory()

    @asynccontextmanager
    async def lifespan(app):
        if device == "cuda":  # create the CUDA context now, not in the first student's request
            torch.zeros(1, device="cuda").sum().item()
        # torch's lazy imports happen now, not in a job where a time limit could cut one
        # short and leave a module half-imported for good (warmup.py)
        t0 = time.perf_counter()
        runs = warm_up(torch, device)
        log.info("playground backend: torch %s on %s (warmed up: %d experiments in %.1f s)",
                 torch.__version__, device, runs, time.perf_counter() - t0)
        yield
        app.state.backend.gate.close()

    app = FastAPI(title="playground backend", version=__version__, lifespan=lifespan,
                  description="The playground's experiments on real PyTorch (CUDA when "
                              "present). Send 'Authorization: Bearer <token>'.")
    app.state.backend = Backend(
        settings=settings, torch=torch, device=device, gpu=gpu_info(torch, device),
        gate=JobGate(settings.queue, settings.job_timeout_s),
        limiter=RateLimiter(settings.rate_per_minute, settings.burst))
    errors.install(app)
    for module in (status, experiments, code):
        app.include_router(module.router)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(CORSMiddleware, allow_origins=list(settings.allow_origins),
                       allow_methods=["GET", "POST"],
                       allow_headers=["Authorization", "Content-Type"], max_age=600)
    return app


def _hide_process_memory():
    """Cells run as this process's user: make /proc/<server>/environ and /mem unreadable to
    them (PR_SET_DUMPABLE 0), so a cell cannot read the server's environment."""
    if sys.platform != "linux":
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):
        log.warning("could not mark the server non-dumpable")

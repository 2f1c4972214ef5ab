"""What the routes share: the running backend (device, torch, gate, limiter) and the check
every protected route makes (a valid token, within its rate limit)."""
from dataclasses import dataclass

from fastapi import Request

from .jobs import JobGate
from .security import RateLimiter, check_bearer
from .settings import Settings


@dataclass
class Backend:
    settings: Settings
    torch: object
    device: str          # 'cuda' or 'cpu', resolved from settings.device
    gpu: dict | None     # name, memory_bytes, capability
    gate: JobGate
    limiter: RateLimiter

    def ran_on(self, device=None):
        device = device or self.device
        return {"engine": f"torch {self.torch.__version__}", "device": device,
                "gpu": self.gpu["name"] if self.gpu and device.startswith("cuda") else None}


def backend(request: Request) -> Backend:
    return request.app.state.backend


def authorized(request: Request) -> Backend:
    """The FastAPI dependency of every route but /v1/health: token, then rate limit."""
    b = backend(request)
    token = check_bearer(request.headers.get("authorization"), b.settings.token)
    b.limiter.take(token)
    return b

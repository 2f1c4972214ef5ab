"""GET /v1/health (no token: for load balancers) and GET /v1/info (device, versions, limits)."""
from dataclasses import asdict

from fastapi import APIRouter, Depends

from ... import __version__ as playground_version
from ..deps import Backend, authorized
from ..schemas import Health, Info, error_responses, field_table

router = APIRouter(prefix="/v1", tags=["status"])


@router.get("/health", response_model=Health, summary="Is the server up? (no token needed)")
def health():
    return {"status": "ok"}


@router.get("/info", response_model=Info, summary="Device, versions, experiments and limits",
            responses=error_responses(401, 429))
def info(b: Backend = Depends(authorized)):
    s = b.settings
    limits = {"max_body_bytes": s.max_body_bytes, "job_timeout_s": s.job_timeout_s,
              "queue": s.queue, "rate_per_minute": s.rate_per_minute, "burst": s.burst,
              "code": asdict(s.code) if s.allow_code else None}
    return {"version": playground_version, "torch": b.torch.__version__, "device": b.device,
            "gpu": b.gpu, "experiments": field_table(), "allow_code": s.allow_code,
            "limits": limits}

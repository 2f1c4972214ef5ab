"""Every error the API returns is JSON {"detail": "<what went wrong and what to do>"}, with
the right status code and never a stack trace."""
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..protocol import SpecError
from .jobs import Busy, JobTimeout
from .security import RateLimited, Unauthorized

log = logging.getLogger("playground.backend")


class ApiError(Exception):
    def __init__(self, status: int, detail: str, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers


def as_api_error(exc: BaseException) -> ApiError:
    """The API's answer to what a job raised."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, SpecError):
        return ApiError(422, str(exc))
    if isinstance(exc, Busy):
        return ApiError(409, str(exc), {"Retry-After": "2"})
    if isinstance(exc, JobTimeout):
        return ApiError(504, str(exc))
    if isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError":
        return ApiError(503, "the device ran out of memory: ask for smaller sizes or fewer "
                             "points")
    log.exception("an experiment failed", exc_info=exc)
    return ApiError(500, f"the experiment failed on the server ({type(exc).__name__}: "
                         f"{str(exc)[:300]}); the server's log has the details")


def _json(status, detail, headers=None):
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _validation_detail(exc: RequestValidationError) -> str:
    """pydantic's errors as one readable line: 'body.lr: Input should be ...; ...'."""
    parts = []
    for err in exc.errors()[:10]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return _json(exc.status, exc.detail, exc.headers)

    @app.exception_handler(Unauthorized)
    async def unauthorized(request: Request, exc: Unauthorized):
        return _json(401, str(exc), {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, exc: RateLimited):
        return _json(429, str(exc), {"Retry-After": str(exc.retry_after_s)})

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        return _json(422, _validation_detail(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 400:
            detail = "the request body could not be read: send JSON text in UTF-8"
        elif exc.status_code == 404:
            detail = f"there is no {request.url.path}: the API's routes are listed at /docs"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return _json(exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.exception("unexpected error", exc_info=exc)
        return _json(500, "internal error; the server's log has the details")

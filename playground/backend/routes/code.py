"""POST /v1/run: one scratchpad cell on real torch, only on a server started with
--allow-code, in a separate process with CPU, wall-clock, memory and output limits
(sandbox.py)."""
from fastapi import APIRouter, Depends

from ..deps import Backend, authorized
from ..errors import ApiError, as_api_error
from ..sandbox import run_cell
from ..schemas import RunRequest, RunResult, error_responses

router = APIRouter(prefix="/v1", tags=["code"])


@router.post("/run", response_model=RunResult, summary="Run a notebook cell on real torch",
             responses=error_responses(400, 401, 403, 409, 413, 422, 429, 504))
def run(request: RunRequest, b: Backend = Depends(authorized)):
    limits = b.settings.code
    if not b.settings.allow_code:
        raise ApiError(403, "this server does not run code: its owner can start it with "
                            "--allow-code (the experiments work without it)")
    size = len(request.code) + sum(len(cell) for cell in request.setup)
    if size > limits.code_chars:
        raise ApiError(422, f"the cells are {size:,} characters long; the limit is "
                            f"{limits.code_chars:,}")
    try:  # one job at a time on the device, cells included
        result = b.gate.run(run_cell, request.code, request.setup, limits, b.device)
    except Exception as exc:
        raise as_api_error(exc) from None
    return {**result, "ran_on": b.ran_on()}

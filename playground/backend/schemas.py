"""Request and response models. The experiments' request models are made from the one table
in playground/protocol.py, so the API's limits (published in its OpenAPI schema) are the
limits the app and the engine enforce; protocol.validate() then checks rules across fields."""
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from .. import protocol

MAX_TEXT = 64  # no string field of an experiment is longer


def _annotation(f: protocol.Field):
    """The pydantic type for one protocol field, with its limits."""
    if f.kind is tuple:
        item = _scalar(f.item, f.low, f.high, f.choices)
        length = {"min_length": f.length, "max_length": f.length} if f.length else \
            {"min_length": f.min_length, "max_length": f.max_length}
        return Annotated[list[item], Field(**length)]
    return _scalar(f.kind, f.low, f.high, f.choices)


def _json_integer(value):
    """JSON Schema's integer: a number without a fractional part (128.0 is one); never a
    boolean or a string."""
    if isinstance(value, (bool, str)):
        raise ValueError("Input should be a valid integer")
    return value


def _scalar(kind, low, high, choices):
    """JSON's own types only (false is not 0, "3" is not 3), as the published schema says."""
    if kind is str:
        return Literal[choices] if choices else Annotated[str, Field(max_length=MAX_TEXT,
                                                                     strict=True)]
    if kind is bool:
        return Annotated[bool, Field(strict=True)]
    if kind is int:
        return Annotated[int, Field(ge=low, le=high), BeforeValidator(_json_integer)]
    return Annotated[float, Field(ge=low, le=high, strict=True, allow_inf_nan=False)]


def _model(name, fields):
    definitions = {
        key: (_annotation(f), Field(default=list(f.default) if f.kind is tuple else f.default,
                                    description=f.doc or None))
        for key, f in fields.items()}
    return create_model(f"{name.capitalize()}Spec", __config__=ConfigDict(extra="forbid"),
                        **definitions)


SPECS = {name: _model(name, fields) for name, fields in protocol.EXPERIMENTS.items()}


class RanOn(BaseModel):
    engine: str = Field(description="'torch 2.13.0' on the backend, 'playground.torch' here")
    device: str
    gpu: str | None = Field(default=None, description="the GPU's name when it ran on one")


class ExperimentResult(BaseModel):
    """The envelope compute.run() returns, on the engine and here alike."""
    experiment: str
    spec: dict
    result: dict
    ran_on: RanOn
    seconds: float = Field(description="compute time on the device, without the queue")


class Health(BaseModel):
    status: Literal["ok"]


class Gpu(BaseModel):
    name: str
    memory_bytes: int
    capability: str


class Info(BaseModel):
    version: str = Field(description="playground's version")
    torch: str = Field(description="the torch version experiments run on")
    device: Literal["cuda", "cpu"]
    gpu: Gpu | None
    experiments: dict = Field(description="each experiment's fields: default, limits, choices")
    allow_code: bool
    limits: dict


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(description="a notebook cell: statements; the last expression's value "
                                  "is shown, as in Jupyter")
    setup: list[str] = Field(default_factory=list, max_length=100,
                             description="the notebook's earlier cells: run first, in the same "
                                         "namespace, their output not shown")


class RunResult(BaseModel):
    status: Literal["ok", "error", "interrupted", "killed"]
    output: str = Field(description="everything the cell printed, as Python prints it")
    truncated: bool
    seconds: float
    ran_on: RanOn
    reason: str | None = Field(default=None, description="why a killed cell was stopped")


class ErrorBody(BaseModel):
    detail: str


def error_responses(*codes):
    """The OpenAPI `responses` for these error statuses, each an ErrorBody."""
    return {code: {"model": ErrorBody, "description": ERRORS[code]} for code in codes}


ERRORS = {400: "the body could not be read (not UTF-8 JSON)", 401: "no token or the wrong one",
          403: "code is not allowed on this server", 409: "the server is busy (queue full)",
          413: "the body is too large", 422: "the request is invalid",
          429: "too many requests", 503: "the device ran out of memory",
          504: "the job ran past the time limit"}


def field_table():
    """protocol.EXPERIMENTS as JSON, for /v1/info (clients can build forms from it)."""
    def one(f):
        out = {"default": list(f.default) if f.kind is tuple else f.default,
               "type": "list" if f.kind is tuple else f.kind.__name__}
        for key in ("low", "high", "length", "max_length"):
            if getattr(f, key) is not None:
                out[key] = getattr(f, key)
        if f.choices:
            out["choices"] = list(f.choices)
        if f.doc:
            out["doc"] = f.doc
        return out
    return {name: {key: one(f) for key, f in fields.items()}
            for name, fields in protocol.EXPERIMENTS.items()}

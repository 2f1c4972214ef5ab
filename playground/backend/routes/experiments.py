"""POST /v1/experiments/{name}: every compute/ experiment on real torch, on the backend's
device. The body is the experiment's spec (the fields of playground/protocol.py, each
optional); the answer is the envelope compute.run() gives in the browser too."""
from fastapi import APIRouter, Depends

from ... import compute, protocol
from ..deps import Backend, authorized
from ..errors import ApiError, as_api_error
from ..schemas import SPECS, ExperimentResult, error_responses

router = APIRouter(prefix="/v1/experiments", tags=["experiments"])
ERRORS = error_responses(400, 401, 409, 413, 422, 429, 503, 504)


def _run(b: Backend, name: str, spec: dict):
    device = b.device
    if name == "matmul":
        device = spec.setdefault("device", b.device)  # the backend's own device by default
        if device == "cuda" and b.device != "cuda":
            raise ApiError(422, "matmul.device: this backend has no GPU (it runs on the "
                                "cpu); ask for device 'cpu'")
    try:
        envelope = b.gate.run(compute.run, name, spec, b.torch, device)
    except Exception as exc:  # each becomes its own status and message
        raise as_api_error(exc) from None
    envelope["ran_on"] = b.ran_on(device)
    return envelope


def _route(name, model):
    def run_experiment(spec: model = None, b: Backend = Depends(authorized)):
        fields = spec.model_dump(exclude_unset=True) if spec is not None else {}
        return _run(b, name, fields)
    run_experiment.__name__ = f"run_{name}"
    doc = ", ".join(protocol.EXPERIMENTS[name])
    router.add_api_route(f"/{name}", run_experiment, methods=["POST"],
                         response_model=ExperimentResult, responses=ERRORS,
                         summary=f"Run the {name} experiment",
                         description=f"Fields (all optional, defaults as in the app): {doc}.")


for _name, _model in SPECS.items():
    _route(_name, _model)


@router.post("/{name}", include_in_schema=False)
def unknown_experiment(name: str):
    raise ApiError(404, f"there is no experiment '{name}': choose one of "
                        f"{', '.join(sorted(SPECS))}")

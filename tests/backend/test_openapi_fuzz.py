"""schemathesis over the published OpenAPI schema: generated requests (valid and invalid) for
every operation, with the token, and not one server error; every response matches the schema
it documents. The one 5xx answer allowed is the documented job time limit (504, with its
message): the fuzzer draws the largest specs the limits allow, which take longer on this
machine's CPU than the short limit this app is given. And the rules across fields, which a
JSON schema cannot state (eps_low below eps_high; no cuda on a CPU backend), reject some
requests the schema allows: for those 422s only, the check that valid data is accepted is
left out (the response must still match its documentation). Code execution is off in this app (each /v1/run would start a process), so /v1/run
answers 403; tests/backend/test_code.py covers it on a real server."""
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance
from hypothesis import HealthCheck, Phase, settings

from playground.backend import Settings, create_app

from backend_support import AUTH, TOKEN

# a roomy queue and rate limit (the fuzzer sends requests as fast as it can), and a short job
# time limit: the largest specs it draws are stopped (504, documented) instead of running on
APP = create_app(Settings(token=TOKEN, device="cpu", rate_per_minute=10 ** 6, burst=10 ** 6,
                          queue=4, job_timeout_s=2))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          phases=(Phase.explicit, Phase.generate),
          suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_responses_as_documented(case):
    response = case.call(headers=AUTH)
    if response.status_code == 504:
        assert response.json()["detail"].startswith("the experiment ran longer than 2 s")
        return
    cross_field = response.status_code == 422 and response.json()["detail"].startswith(
        ("gradcheck.eps_low must be smaller than", "matmul.device: this backend has no GPU"))
    case.validate_response(response, headers=AUTH,
                           excluded_checks=[positive_data_acceptance] if cross_field else None)

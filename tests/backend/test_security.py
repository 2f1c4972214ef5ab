"""Auth, CORS, body and field limits, the rate limit, one job at a time with a short queue,
the job time limit, and bad input: each answered with the right status and a JSON `detail`
that says what to do, never a stack trace."""
import threading
import time

import pytest

from playground import compute

from backend_support import AUTH, PAGE, TOKEN, call


# -- auth ------------------------------------------------------------------------------------

def test_health_needs_no_token_but_everything_else_does(server):
    assert call(server, "/v1/health", token=None)[:2] == (200, {"status": "ok"})
    for path, body in (("/v1/info", None), ("/v1/experiments/descent1d", {}),
                       ("/v1/run", {"code": "1"})):
        status, out, headers = call(server, path, body, token=None,
                                    method="POST" if path != "/v1/info" else "GET")
        assert status == 401 and "Authorization: Bearer" in out["detail"], path
        assert headers["www-authenticate"] == "Bearer"


def test_a_wrong_or_malformed_token_is_refused(server):
    status, out, _ = call(server, "/v1/info", token="not-the-token-at-all")
    assert status == 401 and out["detail"].startswith("wrong token")
    status, out, _ = call(server, "/v1/info", token=None, headers={"Authorization": TOKEN})
    assert status == 401 and "'Bearer <token>'" in out["detail"]


def test_openapi_is_published(server):
    status, spec, _ = call(server, "/openapi.json", token=None)
    assert status == 200
    paths = spec["paths"]
    assert {"/v1/health", "/v1/info", "/v1/run"} <= set(paths)
    assert {f"/v1/experiments/{n}" for n in ("descent1d", "descent2d", "regression", "training",
                                             "gradcheck", "matmul")} <= set(paths)
    lr = spec["components"]["schemas"]["Descent1dSpec"]["properties"]["lr"]
    assert lr["minimum"] == 0.0001 and lr["maximum"] == 10.0


# -- CORS --------------------------------------------------------------------------------------

def test_cors_allows_only_the_listed_origin(server):
    for origin, allowed in ((PAGE, True), ("http://evil.example", False)):
        status, _, headers = call(server, "/v1/experiments/descent1d", method="OPTIONS",
                                  token=None, headers={
                                      "Origin": origin, "Access-Control-Request-Method": "POST",
                                      "Access-Control-Request-Headers": "authorization,content-type"})
        assert (headers.get("access-control-allow-origin") == origin) is allowed, origin
        status, _, headers = call(server, "/v1/experiments/descent1d", {"steps": 2},
                                  headers={"Origin": origin})
        assert status == 200 and (headers.get("access-control-allow-origin") == origin) is allowed


def test_errors_carry_cors_headers_so_the_page_can_read_them(server):
    status, out, headers = call(server, "/v1/experiments/descent1d", {"lr": 99},
                                headers={"Origin": PAGE})
    assert status == 422 and headers.get("access-control-allow-origin") == PAGE
    status, out, headers = call(server, "/v1/info", token="wrong-token-wrong-token",
                                headers={"Origin": PAGE})
    assert status == 401 and headers.get("access-control-allow-origin") == PAGE


# -- limits and bad input -------------------------------------------------------------------

@pytest.mark.parametrize("body, words", [
    ({"lr": 50}, "lr: Input should be less than or equal to 10"),
    ({"lr": "fast"}, "lr: Input should be a valid number"),
    ({"lr": "0.1"}, "lr: Input should be a valid number"),
    ({"x0": False}, "x0: Input should be a valid number"),
    ({"steps": 10 ** 9}, "steps: Input should be less than or equal to 1000"),
    ({"steps": 2.5}, "steps: Input should be a valid integer"),
    ({"steps": True}, "steps: Value error, Input should be a valid integer"),
    ({"function": "sine"}, "function: Input should be 'quadratic'"),
    ({"learning_rate": 0.1}, "learning_rate: Extra inputs are not permitted"),
    ({"x0": None}, "x0: Input should be a valid number"),
])
def test_bad_fields_are_named_with_their_limits(make_client, body, words):
    r = make_client().post("/v1/experiments/descent1d", json=body, headers=AUTH)
    assert r.status_code == 422 and words in r.json()["detail"], r.json()


def test_nan_and_infinity_are_refused(make_client):
    client = make_client()
    for text in (b'{"lr": NaN}', b'{"x0": Infinity}', b'{"start": [0, -Infinity]}'):
        r = client.post("/v1/experiments/descent1d" if b"start" not in text else
                        "/v1/experiments/descent2d", content=text,
                        headers={**AUTH, "Content-Type": "application/json"})
        assert r.status_code == 422 and "finite" in r.json()["detail"], (text, r.json())


def test_list_limits_and_rules_across_fields(make_client):
    client = make_client()
    cases = {
        ("training", '{"hidden": [8, 8, 8, 8, 8]}'): "hidden: List should have at most 4 items",
        ("training", '{"hidden": [1000]}'): "hidden.0: Input should be less than or equal to 128",
        ("matmul", '{"sizes": [8192]}'): "sizes.0: Input should be less than or equal to 4096",
        ("matmul", '{"sizes": []}'): "sizes: List should have at least 1 item",
        ("descent2d", '{"optimizers": ["lbfgs"]}'): "optimizers.0: Input should be 'sgd'",
        ("regression", '{"beta": [1, 2, 3]}'): "beta: List should have at most 2 items",
        ("gradcheck", '{"eps_low": 0.01, "eps_high": 0.001}'):
            "gradcheck.eps_low must be smaller than gradcheck.eps_high",
        ("matmul", '{"device": "cuda"}'): "this backend has no GPU",
    }
    for (name, body), words in cases.items():
        r = client.post(f"/v1/experiments/{name}", content=body.encode(),
                        headers={**AUTH, "Content-Type": "application/json"})
        assert r.status_code == 422 and words in r.json()["detail"], (name, body, r.json())


def test_bodies_that_are_not_json_objects(make_client):
    client = make_client()
    for body in (b"{broken", b"[1, 2]", b'"text"'):
        r = client.post("/v1/experiments/descent1d", content=body,
                        headers={**AUTH, "Content-Type": "application/json"})
        assert r.status_code == 422 and r.json()["detail"].startswith("invalid request"), body


def test_unknown_routes_and_methods(make_client):
    client = make_client()
    r = client.post("/v1/experiments/fft", json={}, headers=AUTH)
    assert r.status_code == 404 and "choose one of descent1d" in r.json()["detail"]
    r = client.get("/v2/info", headers=AUTH)
    assert r.status_code == 404 and "/docs" in r.json()["detail"]
    r = client.get("/v1/experiments/descent1d", headers=AUTH)
    assert r.status_code == 405 and r.json()["detail"].startswith("GET is not allowed")


def test_large_bodies_get_413_whether_announced_or_streamed(make_client):
    client = make_client(max_body_bytes=1024)
    big = b'{"lr": 0.1, "pad": "' + b"x" * 2000 + b'"}'
    r = client.post("/v1/experiments/descent1d", content=big,
                    headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413 and "larger than 1024 bytes" in r.json()["detail"]

    def chunks():  # no Content-Length: the server counts as the bytes arrive
        for i in range(0, len(big), 100):
            yield big[i:i + 100]
    r = client.post("/v1/experiments/descent1d", content=chunks(),
                    headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 413
    assert client.post("/v1/experiments/descent1d", json={"steps": 3},
                       headers=AUTH).status_code == 200


def test_code_is_refused_unless_allowed(make_client):
    r = make_client().post("/v1/run", json={"code": "print(1)"}, headers=AUTH)
    assert r.status_code == 403 and "--allow-code" in r.json()["detail"]


# -- rate limit, queue, time limit ----------------------------------------------------------

def test_rate_limit_per_token_with_retry_after(make_client):
    client = make_client(rate_per_minute=60, burst=3)
    codes = [client.get("/v1/info", headers=AUTH).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = client.get("/v1/info", headers=AUTH)
    assert r.status_code == 429 and r.headers["retry-after"] == "1"
    assert "60 per minute" in r.json()["detail"]
    assert client.get("/v1/health").status_code == 200  # not limited
    time.sleep(1.1)  # one request a second comes back
    assert client.get("/v1/info", headers=AUTH).status_code == 200


def test_one_job_at_a_time_and_a_short_queue(make_client, monkeypatch):
    client = make_client(queue=1)
    release, running = threading.Event(), []

    def held(spec, torch, device="cpu"):  # an experiment that runs until released
        running.append(threading.get_ident())
        release.wait(30)
        return {"done": True}
    monkeypatch.setitem(compute.EXPERIMENTS, "descent1d", held)
    codes, lock = [], threading.Lock()

    def post():
        r = client.post("/v1/experiments/descent1d", json={}, headers=AUTH)
        with lock:
            codes.append((r.status_code, r.json().get("detail", "")))
    threads = [threading.Thread(target=post) for _ in range(4)]
    for t in threads:  # in order: one runs, one waits its turn, two find the queue full
        t.start()
        time.sleep(0.2)
    assert sorted(c[0] for c in codes) == [409, 409] and "the server is busy" in codes[0][1]
    assert len(running) == 1  # the waiting one has not started
    release.set()
    for t in threads:
        t.join(30)
    assert sorted(c[0] for c in codes) == [200, 200, 409, 409]
    assert len(set(running)) == 1 and len(running) == 2  # both ran, on the one device thread


def test_a_job_past_its_time_limit_is_stopped_and_the_server_goes_on(make_client, monkeypatch):
    client = make_client(job_timeout_s=0.5)
    real = compute.EXPERIMENTS["descent1d"]

    def spin(spec, torch, device="cpu"):
        if spec["steps"] == 999:  # the runaway one
            while True:
                pass
        return real(spec, torch, device)
    monkeypatch.setitem(compute.EXPERIMENTS, "descent1d", spin)
    t0 = time.perf_counter()
    r = client.post("/v1/experiments/descent1d", json={"steps": 999}, headers=AUTH)
    assert r.status_code == 504 and "longer than 0.5 s" in r.json()["detail"]
    assert time.perf_counter() - t0 < 5
    r = client.post("/v1/experiments/descent1d", json={"steps": 3}, headers=AUTH)
    assert r.status_code == 200 and len(r.json()["result"]["x"]) == 3

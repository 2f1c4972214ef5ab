"""A client for the backend (`python -m playground.backend`): what the app calls when the
student picks "Server". Stdlib only, and the same code in both places the app runs:

  * under CPython (`panel serve`): urllib, from the server process;
  * in the browser (Pyodide, in the site's web worker): a synchronous XMLHttpRequest, which
    workers may make (the page keeps responding); the request is cross-origin, so the backend
    must list the page's origin with --allow-origin.

Every failure becomes a BackendError whose message says what to do.
"""
import json
import sys
import time

TIMEOUT_S = 120


class BackendError(Exception):
    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class Backend:
    def __init__(self, url, token, timeout_s=TIMEOUT_S):
        url = (url or "").strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise BackendError(f"the server's address must start with http:// or https:// "
                               f"(got '{url or 'nothing'}'), e.g. http://127.0.0.1:8765")
        if not (token or "").strip():
            raise BackendError("the server needs its token: the one it printed when it started")
        self.url, self.token, self.timeout_s = url, token.strip(), timeout_s

    def info(self):
        return self.request("GET", "/v1/info")

    def experiment(self, name, spec):
        """The compute.run() envelope from the server, plus 'round_trip_s'."""
        return self._timed(f"/v1/experiments/{name}", spec)

    def run_code(self, code, setup=()):
        """The cell's result from the server, plus 'round_trip_s'."""
        return self._timed("/v1/run", {"code": code, "setup": list(setup)})

    def _timed(self, path, body):
        t0 = time.perf_counter()
        answer = self.request("POST", path, body)
        answer["round_trip_s"] = time.perf_counter() - t0
        return answer

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body)
        send = _send_js if sys.platform == "emscripten" else _send_urllib
        status, text = send(method, self.url + path, data, self.token, self.timeout_s)
        try:
            payload = json.loads(text) if text else None
        except ValueError:
            payload = None
        if status == 200 and isinstance(payload, dict):
            return payload
        detail = payload.get("detail") if isinstance(payload, dict) else None
        raise BackendError(_explain(status, detail, self.url), status)


def _explain(status, detail, url):
    if status == 401:
        return f"the server refused the token ({detail or 'unauthorized'}): check it"
    if status == 0:
        return (f"cannot reach the server at {url}: is it running, and was it started with "
                f"--allow-origin for this page's address?")
    if status is None:
        return f"cannot reach the server at {url}: is it running?"
    if detail:
        return f"the server answered {status}: {detail}"
    return f"the server answered {status} without an explanation: is {url} a playground backend?"


def _send_urllib(method, url, data, token, timeout_s):
    import urllib.error
    import urllib.request
    request = urllib.request.Request(url, data=None if data is None else data.encode(),
                                     method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None, ""


def _send_js(method, url, data, token, timeout_s):
    """A synchronous XMLHttpRequest from the web worker. A CORS refusal and an unreachable
    server both surface as a network error (status 0): the browser hides which it was."""
    import js
    xhr = js.XMLHttpRequest.new()
    xhr.open(method, url, False)
    xhr.timeout = int(timeout_s * 1000)  # allowed for synchronous requests in workers
    xhr.setRequestHeader("Authorization", f"Bearer {token}")
    if data is not None:
        xhr.setRequestHeader("Content-Type", "application/json")
    try:
        xhr.send(data)
    except Exception:  # pyodide's JsException: NetworkError
        return 0, ""
    return int(xhr.status), str(xhr.responseText or "")

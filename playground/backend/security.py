"""Who may call the API, and how often: a bearer token, and a token bucket per token.

The token is compared in constant time. The rate limit is per token (a class sharing one
token shares its budget) and per process: behind a load balancer each backend counts for
itself, so the effective limit is the per-backend one times the number of backends.
"""
import hmac
import math
import threading
import time


class Unauthorized(Exception):
    """No token, or the wrong one."""


class RateLimited(Exception):
    def __init__(self, message, retry_after_s):
        super().__init__(message)
        self.retry_after_s = retry_after_s


def check_bearer(header: str | None, token: str) -> str:
    """The token from an `Authorization: Bearer <token>` header, if it is the right one."""
    if not header:
        raise Unauthorized("this API needs a token: send the header 'Authorization: Bearer "
                           "<token>' (the server printed the token when it started)")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise Unauthorized("the Authorization header must read 'Bearer <token>'")
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise Unauthorized("wrong token: use the one the server printed when it started "
                           "(or the one in its --token-file)")
    return given.strip()


class RateLimiter:
    """A token bucket per key: `burst` requests at once, refilled at `per_minute`."""

    def __init__(self, per_minute: int, burst: int, clock=time.monotonic):
        self.rate = per_minute / 60.0
        self.burst = burst
        self.clock = clock
        self._lock = threading.Lock()
        self._buckets = {}  # key -> (tokens, last time)

    def take(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1:
                wait = (1 - tokens) / self.rate
                self._buckets[key] = (tokens, now)
                raise RateLimited(f"too many requests: this token may make "
                                  f"{self.rate * 60:g} per minute (bursts of {self.burst}); "
                                  f"try again in {math.ceil(wait)} s", math.ceil(wait))
            self._buckets[key] = (tokens - 1, now)

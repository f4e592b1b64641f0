"""Each client's callbacks paced, so one client cannot take the server's CPU from the rest.

A busy person opening pages sends a burst of a dozen callbacks, then reads. A script looping
on the export button or on malformed posts keeps requests in flight all the time and, however
cheaply each is refused inside Dash, takes that share of every worker's CPU from everyone
else. So callbacks (`POST /_dash-update-component`) from one address draw on a token bucket
per worker process: `burst` at once, then `rate` a second; past that the answer is 429 with
Retry-After, given before Flask or Dash parse anything. Refusing at once rather than holding
the request back is deliberate: a held request keeps one of the worker's few threads, and
two clients holding five threads stalled everyone (measured in bench/load). Static files,
the page and the API are not paced. The address is REMOTE_ADDR: behind a proxy set
DASHBOARD_TRUSTED_PROXIES so it is the client's, not the proxy's.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

PACED_PATH = "/_dash-update-component"
BURST_SECONDS = 6  # the bucket holds this many seconds' worth of callbacks
MAX_CLIENTS = 10_000  # addresses remembered per worker; full (idle) buckets are dropped first
TOO_FAST = b"Too many requests from your address; wait a second and try again.\n"


@dataclass
class _Bucket:
    tokens: float
    at: float


class ClientPacer:
    """WSGI middleware: a token bucket per client address in front of the Dash callbacks."""

    def __init__(self, app, rate: float, burst: float | None = None, clock=time.monotonic):
        self.app = app
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate * BURST_SECONDS)
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == PACED_PATH and not self.allow(environ.get("REMOTE_ADDR")):
            start_response(
                "429 Too Many Requests",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(TOO_FAST))),
                    ("Retry-After", "1"),
                ],
            )
            return [TOO_FAST]
        return self.app(environ, start_response)

    def allow(self, client: str | None) -> bool:
        """Take one token from `client`'s bucket; False when it is empty."""
        client = client or "-"
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= MAX_CLIENTS:
                    self._forget_full(now)
                bucket = self._buckets[client] = _Bucket(self.burst, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
            if bucket.tokens < 1:
                return False
            bucket.tokens -= 1
            return True

    def _forget_full(self, now: float) -> None:
        """Drop the buckets that have refilled (a new one starts full anyway); if every
        client is mid-burst, start over rather than grow without bound."""
        self._buckets = {
            client: bucket
            for client, bucket in self._buckets.items()
            if bucket.tokens + (now - bucket.at) * self.rate < self.burst
        }
        if len(self._buckets) >= MAX_CLIENTS:
            self._buckets = {}

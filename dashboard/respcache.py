"""A short-lived, bounded memory of callback answers, shared by every user of one worker.

A team mostly looks at the same views — the default Overview, today's triggers, the same
pairs — and a view callback's answer depends only on its request body and the data on disk.
With `DASHBOARD_RESPONSE_CACHE_SECONDS=N` (off by default) a worker answers a request whose
body it answered successfully in the last N seconds from memory, instead of recomputing.
The data layer already serves data up to a minute old (it re-reads the disk cache once a
minute), so N ≤ 60 adds no staleness a user could tell apart.

Not cached: callbacks driven by a click or a timer (an `n_*` input such as `n_clicks`: refresh,
export, swap), answers other than 200, and answers over `MAX_ENTRY_BYTES`. At most
`MAX_ENTRIES` answers are kept per worker (least recently used dropped first), and one client
(by address) may add at most `MAX_STORES_PER_CLIENT` answers per `ttl` window: past that its
answers are computed but not kept, so one client posting endless distinct views cannot push
everyone else's answers out (nor fill a shared Redis).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import dash
from flask import Response, g, request

MAX_ENTRIES = 256
MAX_ENTRY_BYTES = 4 * 2**20
MAX_STORES_PER_CLIENT = 32  # a busy real user opens a few views a minute
HEADER = "X-Dashboard-Cache"


class ResponseCache:
    """Bytes by key for `ttl` seconds, at most `max_entries` of them (LRU). Thread-safe."""

    def __init__(
        self,
        ttl: float,
        max_entries: int = MAX_ENTRIES,
        max_entry_bytes: int = MAX_ENTRY_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_entry_bytes = max_entry_bytes
        self.clock = clock
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored_at, body = entry
            if self.clock() - stored_at > self.ttl:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        if len(body) > self.max_entry_bytes:
            return
        with self._lock:
            self._entries[key] = (self.clock(), body)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class ClientQuota:
    """How many things (cached answers, export starts) each client may do per `window` seconds. Thread-safe; forgets
    clients whose window has passed so it stays small."""

    def __init__(
        self,
        window: float,
        per_client: int = MAX_STORES_PER_CLIENT,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.window = window
        self.per_client = per_client
        self.clock = clock
        self._used: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        """Count one for `client`; False once it has used its share of this window."""
        now = self.clock()
        with self._lock:
            if len(self._used) > 4 * MAX_ENTRIES:
                self._used = {c: v for c, v in self._used.items() if now - v[0] <= self.window}
            started, count = self._used.get(client, (now, 0))
            if now - started > self.window:
                started, count = now, 0
            if count >= self.per_client:
                return False
            self._used[client] = (started, count + 1)
            return True


# What Dash's dispatcher reads from a callback body; anything else a client adds changes
# nothing in the answer, so it must not make a new entry (one client could evict everyone's).
DISPATCH_FIELDS = ("output", "outputs", "inputs", "state", "changedPropIds")


def body_key(body: dict) -> str:
    """The cache key of a callback body: a digest of the fields Dash dispatches on only."""
    used = {name: body.get(name) for name in DISPATCH_FIELDS}
    text = json.dumps(used, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _action_outputs(app: dash.Dash) -> set[str]:
    """Outputs of callbacks a click or a timer drives: never answered from memory."""
    return {
        output
        for output, spec in app.callback_map.items()
        if any(str(i.get("property", "")).startswith("n_") for i in spec.get("inputs", []))
    }


def install_response_cache(
    app: dash.Dash, seconds: float, redis_url: str | None = None
) -> ResponseCache | None:
    """Answer repeated view-callback requests from memory for `seconds` (0 = off); with
    `redis_url`, from Redis, shared by every worker on every host."""
    if not seconds > 0:  # also refuses NaN
        return None
    cache = ResponseCache(seconds)
    if redis_url:
        from dashboard.data.redis_cache import RedisResponseCache

        cache = RedisResponseCache(redis_url, seconds, cache, MAX_ENTRY_BYTES)
    server = app.server
    update_path = app.config.routes_pathname_prefix + "_dash-update-component"
    actions: set[str] | None = None
    quota = ClientQuota(seconds)

    def cacheable_key() -> str | None:
        nonlocal actions
        if request.path != update_path or request.method != "POST":
            return None
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return None
        if actions is None:  # the callback map is complete once the first request arrives
            actions = _action_outputs(app)
        if body.get("output") in actions:
            return None
        return body_key(body)

    @server.before_request
    def _answer_from_memory():
        key = cacheable_key()
        g.response_cache_key = key
        if key is None:
            return None
        body = cache.get(key)
        if body is None:
            return None
        g.response_cache_key = None  # nothing to store after this answer
        return Response(body, mimetype="application/json", headers={HEADER: "hit"})

    @server.after_request
    def _remember(response: Response) -> Response:
        key = getattr(g, "response_cache_key", None)
        if key is not None and response.status_code == 200 and not response.direct_passthrough:
            if quota.allow(request.remote_addr or "-"):
                cache.put(key, response.get_data())
                response.headers[HEADER] = "miss"
            else:
                response.headers[HEADER] = "not-kept"
        return response

    return cache

"""The shared cache for several hosts: series, their metadata and callback answers in Redis.

Used instead of the disk cache (`dashboard/data/cache.py`) when `DASHBOARD_REDIS_URL` is set;
`open_cache` is the one place that picks. Same interface and the same rules:

- A series is one Redis value (one `SET`), so a reader gets the whole series or the one
  before, never half. The value is plain data, not pickle: its last date on the first line
  (so a Lua script can compare without decoding), then JSON with the dates and values as
  base64 of little-endian int64/float64 arrays.
- Newest wins: a write whose last observation is older than the one Redis holds is refused
  by the script (another host refreshed in between); equal dates overwrite (revisions).
- One refresher at a time across hosts: `refresh_lock()` is `SET refresh-lock NX EX 600`,
  released only by its owner.
- Redis going away never breaks a page: each worker keeps what it last read and serves it,
  its source marked "may be stale", and asks Redis again every `RETRY_AFTER` seconds, so it
  reconnects on its own. A Redis that comes back empty (restarted without persistence) is
  re-filled from what the workers last read; newest still wins.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from dashboard.data.cache import CachedSeries, SeriesCache, _pack, _unpack

if TYPE_CHECKING:
    from dashboard.config import Settings

log = logging.getLogger(__name__)

KEY_PREFIX = "fed-dashboard:"
SOCKET_TIMEOUT = 1.0  # seconds; a page must not wait on a dead Redis for long
RETRY_AFTER = 2.0  # seconds before an unreachable Redis is asked again
LOCK_SECONDS = 600  # a refresher that dies frees the lock after this long
LOCK_WAIT = 30.0  # seconds a refresh waits for another host's to finish before skipping
STALE_NOTE = "shared cache unreachable, may be stale"
UNREACHABLE = (
    "The shared cache (Redis) cannot be reached; showing the data this worker last read, "
    "which may be stale. It reconnects on its own."
)

# KEYS[1] = series key; ARGV[1] = value, ARGV[2] = its last date (YYYY-MM-DD).
# Dates in ISO form compare as strings; an older series never replaces a newer one.
_NEWEST_WINS = """
local held = redis.call('GET', KEYS[1])
if held and string.sub(held, 1, 10) > ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class _UnreachableError(Exception):
    pass


def client_for(url: str) -> redis.Redis:
    """A client that fails fast (1 s) and retries once, so a connection left dead by a Redis
    restart is replaced on the next command instead of failing it."""
    return redis.Redis.from_url(
        url,
        socket_timeout=SOCKET_TIMEOUT,
        socket_connect_timeout=SOCKET_TIMEOUT,
        retry=Retry(NoBackoff(), 1),
        health_check_interval=30,
    )


def describe(url: str) -> str:
    """host:port/db of a Redis URL, without a password (for messages and logs)."""
    try:
        kwargs = redis.connection.parse_url(url)
    except ValueError:
        return "Redis"
    return f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}/{kwargs.get('db', 0)}"


# ---- encoding: plain data, never pickle ------------------------------------------------------
def encode_series(entry: CachedSeries) -> bytes:
    packed = _pack(
        entry.values,
        source=entry.source,
        fetched_at=entry.fetched_at,
        last_date=str(entry.last_date.date()),
    )
    body = {k: v for k, v in packed.items() if k not in ("dates", "values")}
    body["dates"] = base64.b64encode(packed["dates"].astype("<i8").tobytes()).decode("ascii")
    body["values"] = base64.b64encode(packed["values"].astype("<f8").tobytes()).decode("ascii")
    return packed["last_date"].encode("ascii") + b"\n" + json.dumps(body).encode("utf-8")


def decode_series(raw: bytes | None) -> CachedSeries | None:
    """The series in `raw`, or None for anything that is not a whole, valid series."""
    if not raw:
        return None
    try:
        _, text = raw.split(b"\n", 1)
        body = json.loads(text)
        body["dates"] = np.frombuffer(base64.b64decode(body["dates"]), dtype="<i8")
        body["values"] = np.frombuffer(base64.b64decode(body["values"]), dtype="<f8")
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return _unpack(body)


class RedisSeriesCache:
    """`SeriesCache`'s interface on Redis. Never raises on Redis trouble; `problem` says what
    went wrong, in words, until Redis answers again."""

    def __init__(self, url: str, client: redis.Redis | None = None):
        self.url = url
        self.where = describe(url)
        self.problem: str | None = None
        self._client = client or client_for(url)
        self._newest_wins = self._client.register_script(_NEWEST_WINS)
        self._release = self._client.register_script(_RELEASE)
        self._last: dict[str, bytes] = {}  # what this worker last read or wrote, by key
        self._files: dict[str, tuple[tuple[int, int], pd.Series]] = {}
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def read_only(self) -> bool:
        return False

    @property
    def reachable(self) -> bool:
        return self.problem is None

    @property
    def state(self) -> str:
        """As `SeriesCache.state`: ok, or unreachable (serving what this worker last read)."""
        return "ok" if self.problem is None else "unreachable"

    # ---- talking to Redis ------------------------------------------------------------------
    def _call(self, action: Callable[[redis.Redis], Any]) -> Any:
        if time.monotonic() < self._down_until:
            raise _UnreachableError
        try:
            result = action(self._client)
        except redis.RedisError as exc:
            with self._lock:
                self._down_until = time.monotonic() + RETRY_AFTER
                if self.problem is None:
                    log.warning("Redis at %s unreachable (%s)", self.where, type(exc).__name__)
                self.problem = UNREACHABLE
            raise _UnreachableError from None
        if self.problem is not None:
            with self._lock:
                if self.problem is not None:
                    log.warning("Redis at %s reachable again", self.where)
                self.problem = None
        return result

    def _read(self, key: str) -> tuple[bytes | None, bool]:
        """(value, fresh): from Redis, or what this worker last read when Redis is away."""
        try:
            raw = self._call(lambda c: c.get(KEY_PREFIX + key))
        except _UnreachableError:
            return self._last.get(key), False
        if raw is None and key in self._last:
            # Redis lost it (restarted without its data): put back what we read.
            raw = self._last[key]
            self._restore(key, raw)
        elif raw is not None:
            self._last[key] = raw
        return raw, True

    def _restore(self, key: str, raw: bytes) -> None:
        try:
            if key.startswith("series:"):
                self._call(
                    lambda c: self._newest_wins(keys=[KEY_PREFIX + key], args=[raw, raw[:10]])
                )
            else:
                self._call(lambda c: c.set(KEY_PREFIX + key, raw, nx=True))
        except _UnreachableError:
            pass

    # ---- series ----------------------------------------------------------------------------
    def get(self, key: str) -> CachedSeries | None:
        raw, fresh = self._read("series:" + key)
        entry = decode_series(raw)
        if entry is None or fresh:
            return entry
        return CachedSeries(entry.values, f"{entry.source} ({STALE_NOTE})", entry.fetched_at)

    def put(self, key: str, entry: CachedSeries) -> bool:
        """True when Redis holds this series or a newer one; False when it could only be
        kept in this process (Redis away), as `SeriesCache.put` for an unwritable disk."""
        raw = encode_series(entry)
        skey = "series:" + key
        try:
            stored = self._call(
                lambda c: self._newest_wins(keys=[KEY_PREFIX + skey], args=[raw, raw[:10]])
            )
        except _UnreachableError:
            self._last[skey] = raw  # served here until Redis is back
            return False
        if stored:
            self._last[skey] = raw
        return True

    def get_meta(self, key: str) -> dict | None:
        raw, _ = self._read("meta:" + key)
        try:
            value = json.loads(raw) if raw else None
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def put_meta(self, key: str, meta: dict) -> None:
        raw = json.dumps(meta).encode("utf-8")
        self._last["meta:" + key] = raw
        try:
            self._call(lambda c: c.set(KEY_PREFIX + "meta:" + key, raw))
        except _UnreachableError:
            pass

    # ---- parsed folder files: this host's own files, so kept in this process ---------------
    def get_file(self, path: Path, signature: tuple[int, int]) -> pd.Series | None:
        held = self._files.get(str(path))
        return held[1] if held is not None and held[0] == tuple(signature) else None

    def put_file(self, path: Path, signature: tuple[int, int], values: pd.Series) -> None:
        self._files[str(path)] = (tuple(signature), values)

    # ---- one refresher across hosts --------------------------------------------------------
    @contextmanager
    def refresh_lock(self, seconds: int = LOCK_SECONDS, wait: float = LOCK_WAIT) -> Iterator[bool]:
        """Yields True when this process holds the refresh lock (then releases it), False
        when another host kept it for `wait` seconds or Redis cannot be reached."""
        token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        key = KEY_PREFIX + "refresh-lock"
        deadline = time.monotonic() + wait
        while True:
            try:
                held = bool(self._call(lambda c: c.set(key, token, nx=True, ex=seconds)))
            except _UnreachableError:
                held = False
                break
            if held or time.monotonic() >= deadline:
                break
            time.sleep(0.5)
        try:
            yield held
        finally:
            if held:
                try:
                    self._call(lambda c: self._release(keys=[key], args=[token]))
                except _UnreachableError:
                    pass  # it expires on its own

    def close(self) -> None:
        self._client.close()


def open_cache(settings: Settings) -> SeriesCache | RedisSeriesCache:
    """The series cache the settings ask for: Redis when `DASHBOARD_REDIS_URL` is set, else
    the disk cache in `DASHBOARD_CACHE_DIR`."""
    if settings.redis_url:
        return RedisSeriesCache(settings.redis_url)
    return SeriesCache(settings.cache_dir / "series")


def refresh_lock(cache: SeriesCache | RedisSeriesCache):
    """The cross-host refresh lock of `cache` (a context yielding True when ours); the disk
    cache needs none (its refreshes run on one host, and cron runs one at a time)."""
    lock = getattr(cache, "refresh_lock", None)
    return lock() if lock is not None else nullcontext(True)


# ---- the response cache (dashboard/respcache.py) in Redis ------------------------------------
class RedisResponseCache:
    """`ResponseCache`'s get/put, shared by every worker on every host; each answer expires
    after `ttl` seconds. When Redis is away, a per-worker memory stands in."""

    def __init__(self, url: str, ttl: float, fallback, max_entry_bytes: int):
        self.ttl = ttl
        self.max_entry_bytes = max_entry_bytes
        self._fallback = fallback
        self._cache = RedisSeriesCache(url)  # for its fail-fast, reconnecting client

    def get(self, key: str) -> bytes | None:
        try:
            return self._cache._call(lambda c: c.get(KEY_PREFIX + "resp:" + key))
        except _UnreachableError:
            return self._fallback.get(key)

    def put(self, key: str, body: bytes) -> None:
        if len(body) > self.max_entry_bytes:
            return
        seconds = max(1, math.ceil(self.ttl))
        try:
            self._cache._call(lambda c: c.set(KEY_PREFIX + "resp:" + key, body, ex=seconds))
        except _UnreachableError:
            self._fallback.put(key, body)

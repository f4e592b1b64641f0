"""The one HTTP helper every network source uses: a timeout, bounded retries on 429/5xx and
broken connections, Retry-After, FRED's rate limit, and error texts that never carry the API
key. Nothing else in the app opens a connection (yfinance gets its own session, `market.py`)."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests

USER_AGENT = "fed-liquidity-dashboard/1.0 (+https://fred.stlouisfed.org)"
MAX_RETRY_WAIT = 5.0  # seconds; a longer Retry-After is reported, not waited out
RETRIES = 2  # extra attempts after the first, for 429 / 5xx / broken connections
BACKOFF = 0.5  # seconds before the first retry; doubles each time
MAX_BODY = 64 * 2**20  # bytes; no series comes close, a runaway answer is cut off
FRED_INTERVAL = 0.5  # seconds between FRED requests: FRED allows about 2 per second

log = logging.getLogger(__name__)


class SourceError(Exception):
    """A fetch failed. `kind` is one of: missing, bad_key, rate_limited, timeout, server,
    network, format, empty, not_found. `retry_after` (seconds) when the server said when."""

    def __init__(self, message: str, kind: str, retry_after: float | None = None):
        super().__init__(message)
        self.kind = kind
        self.retry_after = retry_after


def redact(text: str, secret: str | None) -> str:
    """`text` with every occurrence of `secret` masked."""
    return text.replace(secret, "***") if secret else text


_KEY_IN_URL = re.compile(r"(api_key=)[^&\s\"']+", re.IGNORECASE)


class _RedactKeyInUrls(logging.Filter):
    """urllib3 logs every request line at DEBUG, query string (and so the FRED key) included."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "api_key=" in message.lower():
            record.msg = _KEY_IN_URL.sub(r"\1***", message)
            record.args = None
        return True


# Filters on a logger only see records created by that very logger, so attach to the
# one that writes request lines, not just to its "urllib3" parent.
for _name in ("urllib3.connectionpool", "urllib3", "requests"):
    logging.getLogger(_name).addFilter(_RedactKeyInUrls())


class RateLimiter:
    """At most one request per `interval` seconds across threads (FRED allows ~2/s)."""

    def __init__(self, interval: float):
        self.interval = interval
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            delay = max(0.0, self._next - now)
            self._next = max(now, self._next) + self.interval
        if delay:
            time.sleep(delay)


FRED_LIMITER = RateLimiter(FRED_INTERVAL)


@dataclass(frozen=True)
class HttpAnswer:
    """A complete HTTP answer: status, headers and the whole body as sent."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


def http_get(
    url: str,
    params: dict | None,
    timeout: float,
    what: str,
    secret: str | None = None,
    limiter: RateLimiter | None = None,
) -> HttpAnswer:
    """GET with a timeout, retries on 429/5xx/broken connections, and key-free errors.

    Returns the answer for 2xx and for 4xx other than 429 (the caller reads 4xx bodies);
    raises `SourceError` otherwise. Error messages never contain the URL, so never the key.
    A whole answer must arrive within 3 x `timeout` (a server dripping bytes is cut off).
    """
    last: SourceError | None = None
    for attempt in range(RETRIES + 1):
        if attempt:
            pause = (
                last.retry_after if last.retry_after is not None else BACKOFF * 2 ** (attempt - 1)
            )
            time.sleep(pause)
        if limiter:
            limiter.wait()
        answer, failure = _attempt(url, params, timeout)
        if failure == "timeout":
            # A stalled server stays stalled: retrying would only multiply the wait.
            raise SourceError(f"{what}: no answer within {timeout:g} s.", "timeout")
        if failure == "broken":
            last = SourceError(f"{what}: the connection broke off mid-answer.", "network")
            continue
        if failure is not None:
            last = SourceError(f"{what}: could not connect ({failure}).", "network")
            continue
        if answer.status == 429:
            wait = _retry_after(answer.headers.get("Retry-After"))
            shown = f" for {wait:g} s" if wait is not None else ""
            last = SourceError(
                f"{what}: the server asked us to slow down{shown} (HTTP 429); will retry later.",
                "rate_limited",
                wait,
            )
            if wait is None or wait > MAX_RETRY_WAIT:
                break
            continue
        if answer.status >= 500:
            last = SourceError(f"{what}: the server had an error (HTTP {answer.status}).", "server")
            continue
        return answer
    assert last is not None
    raise SourceError(redact(str(last), secret), last.kind, last.retry_after)


def _attempt(url: str, params: dict | None, timeout: float) -> tuple[HttpAnswer | None, str | None]:
    """One request: (answer, None), or (None, what went wrong). requests' exceptions carry
    the URL (and so the key): they end here, never raised or chained into our errors."""
    try:
        return _get_once(url, params, timeout), None
    except requests.Timeout:
        return None, "timeout"
    except _BrokenAnswerError:
        return None, "broken"
    except requests.RequestException as exc:
        return None, type(exc).__name__


class _BrokenAnswerError(Exception):
    """The body ended before its announced length (urllib3 1.x would not say so itself)."""


def _get_once(url: str, params: dict | None, timeout: float) -> HttpAnswer:
    deadline = time.monotonic() + 3 * timeout
    with requests.get(
        url,
        params=params,
        timeout=(min(timeout, 5.0), timeout),
        headers={"User-Agent": USER_AGENT},
        stream=True,
    ) as response:
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BODY or time.monotonic() > deadline:
                    raise requests.Timeout()
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            raise _BrokenAnswerError() from None
        announced = response.headers.get("Content-Length")
        if announced is not None and announced.isdigit() and response.raw.tell() < int(announced):
            raise _BrokenAnswerError()
        return HttpAnswer(response.status_code, dict(response.headers), b"".join(chunks))


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); 1 s if absent."""
    if value is None:
        return 1.0
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())

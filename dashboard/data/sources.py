"""Where observations come from. Each source has one method, `fetch(info) -> pd.Series`.

A source either returns a clean observation series (see `parsing.clean_observations`) or
raises `SourceError` whose message is plain words, safe to show a user, and never contains
the FRED API key. Network sources share one HTTP helper with a timeout, bounded retries and
FRED's rate limit; nothing else in the app opens a connection.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pandas as pd
import requests
from fredapi import Fred

from dashboard.catalog import SeriesInfo
from dashboard.config import Settings
from dashboard.data.parsing import DataFormatError, clean_observations, parse_fred_csv

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


MAX_FOLDER_FILE_BYTES = 32 * 2**20


class FolderSource:
    """A folder of FRED-format CSV files named `<ID>.csv` (the data dir or the bundle)."""

    def __init__(self, folder: Path, label: str):
        self.folder = Path(folder)
        self.label = label

    def path_for(self, info: SeriesInfo) -> Path:
        return self.folder / f"{info.id}.csv"

    def has(self, info: SeriesInfo) -> bool:
        return self.path_for(info).is_file()

    def not_a_file(self, info: SeriesInfo) -> str | None:
        """Words for a `<ID>.csv` that is there but is no file (a folder, say), else None."""
        path = self.path_for(info)
        if path.exists() and not path.is_file():
            return f"{self.label}: {path.name} is a folder or special file, not a CSV file."
        return None

    def signature(self, info: SeriesInfo) -> tuple[int, int] | None:
        """(mtime in ns, size) of the file, or None when it is not there: a changed file
        has a changed signature, so a parse can be reused while the signature holds."""
        try:
            stat = self.path_for(info).stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def fetch(self, info: SeriesInfo) -> pd.Series:
        path = self.path_for(info)
        try:
            size = path.stat().st_size
            if size > MAX_FOLDER_FILE_BYTES:
                # A century of daily rows is ~1 MB; parsing hundreds of MB would hold
                # gigabytes in every worker for a file that cannot be a FRED series.
                raise SourceError(
                    f"{self.label}: {path.name} is {size / 2**20:,.0f} MB, over the "
                    f"{MAX_FOLDER_FILE_BYTES // 2**20} MB a series file may have; not read.",
                    "format",
                )
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SourceError(f"{info.id} is not in the {self.label}.", "missing") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(
                f"{self.label}: cannot read {path.name} ({type(exc).__name__}).", "format"
            ) from None
        try:
            return parse_fred_csv(text, f"{self.label} file {path.name}", expected_id=info.id)
        except DataFormatError as exc:
            raise SourceError(str(exc), "format") from None


FRED_ANSWER_TAGS = ("observations",)


class _TimedFred(Fred):
    """fredapi with our HTTP helper underneath: timeout, retries, rate limit, no key leaks.

    fredapi builds the URLs and turns the XML into a series; only its private fetch is
    replaced, because it calls `urlopen` without a timeout and raises errors carrying the URL.
    """

    what = "FRED API"

    def __init__(self, api_key: str, root_url: str, timeout: float):
        super().__init__(api_key=api_key)
        self.root_url = root_url.rstrip("/")
        self._timeout = timeout

    def _Fred__fetch_data(self, url: str):  # noqa: N802 - overrides fredapi's private method
        answer = http_get(
            url + "&api_key=" + self.api_key,
            None,
            self._timeout,
            self.what,
            secret=self.api_key,
            limiter=FRED_LIMITER,
        )
        try:
            root = ET.fromstring(answer.body)
        except ET.ParseError:
            if answer.status >= 400:
                raise SourceError(
                    f"{self.what}: refused (HTTP {answer.status}).", "server"
                ) from None
            raise SourceError(self._not_data(answer), "format") from None
        if answer.status >= 400 or root.tag == "error":
            raise self._error(answer.status, root.get("message") or "")
        if root.tag not in FRED_ANSWER_TAGS:
            raise SourceError(self._not_data(answer), "format")
        return root

    def _not_data(self, answer: HttpAnswer) -> str:
        if answer.body.lstrip()[:100].lower().startswith((b"<!doctype html", b"<html")):
            return f"{self.what}: got a web page instead of data (the service may be down)."
        return f"{self.what}: the answer was not FRED data."

    def _error(self, status: int, message: str) -> SourceError:
        text = message.lower()
        if "api_key" in text:
            return SourceError(
                f"{self.what}: the API key was rejected; check FRED_API_KEY.", "bad_key"
            )
        if "does not exist" in text:
            return SourceError(f"{self.what}: FRED has no such series.", "not_found")
        # Quote FRED's own words, but never a key a careless server may have echoed back.
        shown = _KEY_IN_URL.sub(r"\1***", redact(message, self.api_key)).strip()[:150]
        return SourceError(
            f"{self.what}: refused (HTTP {status}): {shown or 'no reason given'}", "server"
        )


class FredApiSource:
    """FRED's XML API through fredapi; needs `FRED_API_KEY`."""

    label = "FRED API"

    def __init__(self, settings: Settings):
        if not settings.fred_api_key:
            raise ValueError("FredApiSource needs an API key")
        self._fred = _TimedFred(settings.fred_api_key, settings.fred_api_url, settings.http_timeout)

    def fetch(self, info: SeriesInfo) -> pd.Series:
        what = self._fred.what = f"{self.label} ({info.id})"
        try:
            raw = self._fred.get_series(info.source_id)
        except (ValueError, TypeError) as exc:
            # fredapi could not read an observation (a date or value that is not one).
            detail = redact(str(exc), self._fred.api_key)[:80]
            raise SourceError(f"{what}: unreadable observation ({detail}).", "format") from None
        try:
            series = clean_observations(raw, what)
        except DataFormatError as exc:
            raise SourceError(str(exc), "format") from None
        if series.empty:
            raise SourceError(f"{what}: no observations in the answer.", "empty")
        return series


class FredCsvSource:
    """FRED's keyless download (`fredgraph.csv?id=...`)."""

    label = "FRED download"

    def __init__(self, settings: Settings):
        self.url = settings.fred_csv_url
        self.timeout = settings.http_timeout

    def fetch(self, info: SeriesInfo) -> pd.Series:
        what = f"{self.label} ({info.id})"
        answer = http_get(
            self.url, {"id": info.source_id}, self.timeout, what, limiter=FRED_LIMITER
        )
        if answer.status == 404:
            raise SourceError(f"{what}: FRED has no such series.", "not_found")
        if answer.status >= 400:
            raise SourceError(f"{what}: refused (HTTP {answer.status}).", "server")
        try:
            return parse_fred_csv(answer.text, what, expected_id=info.source_id)
        except DataFormatError as exc:
            kind = "empty" if str(exc).endswith("no observations.") else "format"
            raise SourceError(str(exc), kind) from None


class YahooChartSource:
    """Daily closes (unadjusted) from Yahoo Finance's public chart endpoint, no key needed."""

    label = "Yahoo Finance"

    def __init__(self, settings: Settings):
        self.url = settings.market_url.rstrip("/")
        self.timeout = settings.http_timeout

    def fetch(self, info: SeriesInfo) -> pd.Series:
        params = {
            "period1": 0,
            "period2": int(time.time()),
            "interval": "1d",
            "events": "history",
            "includeAdjustedClose": "false",
        }
        what = f"{self.label} ({info.id})"
        answer = http_get(f"{self.url}/{info.source_id}", params, self.timeout, what)
        if answer.status == 404:
            raise SourceError(f"{what}: Yahoo has no such ticker.", "not_found")
        if answer.status >= 400:
            raise SourceError(f"{what}: refused (HTTP {answer.status}).", "server")
        try:
            result = answer.json()["chart"]["result"][0]
            stamps = result.get("timestamp") or []
            closes = result["indicators"]["quote"][0].get("close") or []
            offset = int(result.get("meta", {}).get("gmtoffset", 0) or 0)
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise SourceError(self._unreadable(answer, what), "format") from None
        if len(stamps) != len(closes):
            raise SourceError(f"{what}: mismatched answer.", "format")
        if not stamps:
            raise SourceError(f"{what}: no prices in the answer.", "empty")
        try:
            # Exchange-local trading day: shift the UTC timestamp by the exchange's offset.
            days = pd.to_datetime([int(s) + offset for s in stamps], unit="s").normalize()
            values = pd.Series(closes, index=days, dtype="float64")
            series = clean_observations(values, what)
        except DataFormatError as exc:
            raise SourceError(str(exc), "format") from None
        except (ValueError, TypeError, OverflowError):
            raise SourceError(self._unreadable(answer, what), "format") from None
        if series.empty:
            raise SourceError(f"{what}: no prices in the answer.", "empty")
        return series

    def _unreadable(self, answer: HttpAnswer, what: str) -> str:
        if answer.body.lstrip()[:100].lower().startswith((b"<!doctype html", b"<html")):
            return f"{what}: got a web page instead of prices."
        return f"{what}: unreadable answer."


class LbmaSource:
    """The LBMA gold price JSON (`gold_pm.json`: [{"d": date, "v": [USD, GBP, EUR]}])."""

    label = "LBMA"

    def __init__(self, settings: Settings):
        self.url = settings.lbma_url.rstrip("/")
        self.timeout = settings.http_timeout

    def fetch(self, info: SeriesInfo) -> pd.Series:
        what = f"{self.label} ({info.id})"
        answer = http_get(f"{self.url}/{info.source_id}.json", None, self.timeout, what)
        if answer.status >= 400:
            kind = "not_found" if answer.status == 404 else "server"
            raise SourceError(f"{what}: refused (HTTP {answer.status}).", kind)
        try:
            rows = answer.json()
            days = pd.to_datetime([r["d"] for r in rows], format="%Y-%m-%d")
            usd = [r["v"][0] for r in rows]
            series = clean_observations(pd.Series(usd, index=days, dtype="float64"), what)
        except DataFormatError as exc:
            raise SourceError(str(exc), "format") from None
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise SourceError(f"{what}: unreadable answer.", "format") from None
        if series.empty:
            raise SourceError(f"{what}: no prices in the answer.", "empty")
        return series


def live_source_for(info: SeriesInfo, settings: Settings):
    """The network source for a catalog entry, or None when it cannot be fetched live."""
    if settings.offline or info.source == "derived":
        return None
    if info.source == "fred":
        return FredApiSource(settings) if settings.fred_api_key else FredCsvSource(settings)
    if info.source == "yahoo":
        return YahooChartSource(settings)
    if info.source == "lbma":
        return LbmaSource(settings)
    return None

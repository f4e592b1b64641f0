"""Where observations come from. Each source has one method, `fetch(info) -> pd.Series`.

A source either returns a clean observation series (see `parsing.clean_observations`) or
raises `SourceError` whose message is plain words, safe to show a user, and never contains
the FRED API key. Network sources share one HTTP helper with a timeout, bounded retries and
FRED's rate limit; nothing else in the app opens a connection.
"""

from __future__ import annotations

import json
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import requests
from fredapi import Fred

from dashboard.catalog import SeriesInfo
from dashboard.config import Settings
from dashboard.data.parsing import DataFormatError, clean_observations, parse_fred_csv

USER_AGENT = "fed-liquidity-dashboard/1.0 (+https://fred.stlouisfed.org)"
MAX_RETRY_WAIT = 5.0  # seconds; a longer Retry-After is reported, not waited out
RETRIES = 2


class SourceError(Exception):
    """A fetch failed. `kind` is one of: missing, bad_key, rate_limited, timeout, server,
    network, format, empty, not_found."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


def redact(text: str, secret: str | None) -> str:
    """`text` with every occurrence of `secret` masked."""
    return text.replace(secret, "***") if secret else text


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


FRED_LIMITER = RateLimiter(0.5)


def http_get(
    url: str,
    params: dict | None,
    timeout: float,
    what: str,
    secret: str | None = None,
    limiter: RateLimiter | None = None,
) -> requests.Response:
    """GET with a timeout, retries on 429/5xx/connection errors, and key-free errors.

    Returns the response for 2xx and 4xx other than 429 (the caller reads 4xx bodies);
    raises `SourceError` otherwise.
    """
    last: SourceError | None = None
    for attempt in range(RETRIES + 1):
        if limiter:
            limiter.wait()
        try:
            response = requests.get(
                url,
                params=params,
                timeout=(min(timeout, 5.0), timeout),
                headers={"User-Agent": USER_AGENT},
            )
        except requests.Timeout:
            # A stalled server stays stalled: retrying would only multiply the wait.
            raise SourceError(f"{what}: no answer within {timeout:g} s.", "timeout") from None
        except requests.RequestException as exc:
            last = SourceError(f"{what}: could not connect ({type(exc).__name__}).", "network")
            time.sleep(min(0.5 * 2**attempt, MAX_RETRY_WAIT))
            continue
        if response.status_code == 429:
            wait = _retry_after(response.headers.get("Retry-After"))
            last = SourceError(
                f"{what}: rate-limited by the server; will retry later.", "rate_limited"
            )
            if wait is None or wait > MAX_RETRY_WAIT or attempt == RETRIES:
                raise last
            time.sleep(wait)
            continue
        if response.status_code >= 500:
            last = SourceError(f"{what}: server error {response.status_code}.", "server")
            if attempt < RETRIES:
                time.sleep(min(0.5 * 2**attempt, MAX_RETRY_WAIT))
            continue
        return response
    assert last is not None
    raise SourceError(redact(str(last), secret), last.kind)


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else 1.0
    except ValueError:
        return None


class FolderSource:
    """A folder of FRED-format CSV files named `<ID>.csv` (the data dir or the bundle)."""

    def __init__(self, folder: Path, label: str):
        self.folder = Path(folder)
        self.label = label

    def path_for(self, info: SeriesInfo) -> Path:
        return self.folder / f"{info.id}.csv"

    def has(self, info: SeriesInfo) -> bool:
        return self.path_for(info).is_file()

    def fetch(self, info: SeriesInfo) -> pd.Series:
        path = self.path_for(info)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SourceError(f"{info.id} is not in the {self.label}.", "missing") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(
                f"{self.label}: cannot read {path.name} ({type(exc).__name__}).", "format"
            ) from None
        try:
            return parse_fred_csv(text, f"{self.label} file {path.name}")
        except DataFormatError as exc:
            raise SourceError(str(exc), "format") from None


class _TimedFred(Fred):
    """fredapi with our HTTP helper underneath: timeout, retries, rate limit, no key leaks.

    fredapi builds the URLs and parses the XML; only its private fetch is replaced, because
    it calls `urlopen` without a timeout and raises errors that can carry the URL.
    """

    def __init__(self, api_key: str, root_url: str, timeout: float):
        super().__init__(api_key=api_key)
        self.root_url = root_url.rstrip("/")
        self._timeout = timeout

    def _Fred__fetch_data(self, url: str):  # noqa: N802 - overrides fredapi's private method
        what = "FRED API"
        response = http_get(
            url + "&api_key=" + self.api_key,
            None,
            self._timeout,
            what,
            secret=self.api_key,
            limiter=FRED_LIMITER,
        )
        try:
            root = ET.fromstring(response.content)
        except ET.ParseError:
            raise SourceError(f"{what}: the answer was not FRED data.", "format") from None
        if response.status_code >= 400:
            message = redact(root.get("message") or f"HTTP {response.status_code}", self.api_key)
            kind = "bad_key" if "api_key" in message.lower() else "not_found"
            if kind == "bad_key":
                message = "the FRED API key was rejected; check FRED_API_KEY."
            raise SourceError(f"{what}: {message}", kind)
        return root


class FredApiSource:
    """FRED's JSON/XML API through fredapi; needs `FRED_API_KEY`."""

    label = "FRED API"

    def __init__(self, settings: Settings):
        if not settings.fred_api_key:
            raise ValueError("FredApiSource needs an API key")
        self._fred = _TimedFred(settings.fred_api_key, settings.fred_api_url, settings.http_timeout)

    def fetch(self, info: SeriesInfo) -> pd.Series:
        try:
            raw = self._fred.get_series(info.source_id)
        except SourceError:
            raise
        except (ValueError, TypeError) as exc:
            text = redact(str(exc), self._fred.api_key)[:120]
            kind = "empty" if "no data" in text.lower() else "format"
            raise SourceError(f"FRED API: {text or 'unreadable answer'}", kind) from None
        series = clean_observations(raw, f"FRED API {info.id}")
        if series.empty:
            raise SourceError(f"FRED API: no observations for {info.id}.", "empty")
        return series


class FredCsvSource:
    """FRED's keyless download (`fredgraph.csv?id=...`)."""

    label = "FRED download"

    def __init__(self, settings: Settings):
        self.url = settings.fred_csv_url
        self.timeout = settings.http_timeout

    def fetch(self, info: SeriesInfo) -> pd.Series:
        response = http_get(
            self.url, {"id": info.source_id}, self.timeout, self.label, limiter=FRED_LIMITER
        )
        if response.status_code >= 400:
            raise SourceError(
                f"{self.label}: HTTP {response.status_code} for {info.id}.",
                "not_found" if response.status_code == 404 else "server",
            )
        try:
            return parse_fred_csv(response.text, f"{self.label} of {info.id}")
        except DataFormatError as exc:
            kind = "empty" if "no observations" in str(exc) else "format"
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
        response = http_get(f"{self.url}/{info.source_id}", params, self.timeout, self.label)
        try:
            result = response.json()["chart"]["result"][0]
            stamps = result["timestamp"]
            closes = result["indicators"]["quote"][0]["close"]
            offset = int(result.get("meta", {}).get("gmtoffset", 0) or 0)
        except (ValueError, KeyError, IndexError, TypeError):
            raise SourceError(f"{self.label}: unreadable answer for {info.id}.", "format") from None
        if len(stamps) != len(closes):
            raise SourceError(f"{self.label}: mismatched answer for {info.id}.", "format")
        # Exchange-local trading day: shift the UTC timestamp by the exchange's offset.
        days = pd.to_datetime([int(s) + offset for s in stamps], unit="s").normalize()
        series = clean_observations(pd.Series(closes, index=days, dtype="float64"), info.id)
        if series.empty:
            raise SourceError(f"{self.label}: no prices for {info.id}.", "empty")
        return series


class LbmaSource:
    """The LBMA gold price JSON (`gold_pm.json`: [{"d": date, "v": [USD, GBP, EUR]}])."""

    label = "LBMA"

    def __init__(self, settings: Settings):
        self.url = settings.lbma_url.rstrip("/")
        self.timeout = settings.http_timeout

    def fetch(self, info: SeriesInfo) -> pd.Series:
        response = http_get(f"{self.url}/{info.source_id}.json", None, self.timeout, self.label)
        try:
            rows = json.loads(response.text)
            series = pd.Series({pd.Timestamp(r["d"]): r["v"][0] for r in rows}, dtype="float64")
        except (ValueError, KeyError, IndexError, TypeError):
            raise SourceError(f"{self.label}: unreadable answer.", "format") from None
        series = clean_observations(series, info.id)
        if series.empty:
            raise SourceError(f"{self.label}: no prices.", "empty")
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

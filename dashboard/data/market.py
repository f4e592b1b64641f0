"""Market prices (ETFs, BTC, ETH) through yfinance: one curl_cffi browser session, our
timeout, Yahoo's rate limit mapped onto the same hold/Retry-After rules as FRED, and our own
error texts. `DASHBOARD_MARKET_URL` routes every Yahoo host to a mirror (tests: the fake server)."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

import pandas as pd
import yfinance as yf
from curl_cffi import requests as curl_requests
from yfinance.config import YfConfig
from yfinance.data import YfData
from yfinance.exceptions import YFPricesMissingError, YFRateLimitError, YFTickerMissingError

from dashboard.catalog import SeriesInfo
from dashboard.config import MARKET_URL, Settings
from dashboard.data.http import BACKOFF, MAX_RETRY_WAIT, RETRIES, SourceError, _retry_after
from dashboard.data.parsing import DataFormatError, clean_observations


class _YahooSession(curl_requests.Session):
    """The one HTTP session yfinance uses: curl_cffi impersonating a browser (Yahoo answers
    plain clients with 429), our timeout on every request, and — when the market address is
    not Yahoo's own (tests: the fake server) — every Yahoo host routed there, cookie and
    crumb endpoints included. It remembers the last answer per thread, so a failure yfinance
    reports only as an exception can still be told apart (HTTP status, Retry-After)."""

    def __init__(self, base: str | None, timeout: float):
        super().__init__(impersonate="chrome")
        self.base = base
        self.timeout = timeout
        self._local = threading.local()

    def forget_last(self) -> None:
        self._local.last = None

    @property
    def last(self):
        return getattr(self._local, "last", None)

    @property
    def total_timeout(self) -> float:
        return 3 * self.timeout

    def request(self, method, url, *args, **kwargs):
        # As in `http_get`: connected within the timeout, the whole answer within three times
        # it (curl's timeout is for the whole transfer; a long history on a slow link needs
        # more than one timeout, a server that never answers is still cut off).
        connect = min(self.timeout, 5.0)
        kwargs["timeout"] = (connect, self.total_timeout - connect)
        if self.base:
            parts = urlsplit(url)
            if (parts.hostname or "").endswith("yahoo.com"):
                url = self.base + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        response = super().request(method, url, *args, **kwargs)
        self._local.last = response
        return response


_YAHOO_SESSIONS: dict[tuple[str | None, float], _YahooSession] = {}
_YAHOO_LOCK = threading.Lock()
_YAHOO_HISTORY_LOCK = threading.Lock()  # yfinance keeps one process-wide cookie/crumb state


def _yahoo_session(settings: Settings) -> _YahooSession:
    """One session per (address, timeout), reused for every ticker: cookies and the TLS
    connection carry over, as they would in a browser."""
    base = settings.market_url.rstrip("/").removesuffix("/v8/finance/chart")
    base = None if base == MARKET_URL else base
    key = (base, settings.http_timeout)
    with _YAHOO_LOCK:
        session = _YAHOO_SESSIONS.get(key)
        if session is None:
            if not _YAHOO_SESSIONS:
                # yfinance's own caches (ticker time zones, Yahoo's cookie) live with ours,
                # not in the user's home; and it should raise, not log and return nothing.
                yf.set_tz_cache_location(str(settings.cache_dir / "yfinance"))
                YfConfig.debug.hide_exceptions = False
            session = _YAHOO_SESSIONS[key] = _YahooSession(base, settings.http_timeout)
        return session


class YFinanceSource:
    """Daily closes, unadjusted (`auto_adjust=False`), full history, through yfinance.

    Dates are the exchange's trading day (crypto: the UTC day), as yfinance gives them.
    Whatever yfinance raises ends here as a `SourceError` in our words: its messages and
    tracebacks are not for users.
    """

    label = "Yahoo Finance"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.timeout = settings.http_timeout

    def fetch(self, info: SeriesInfo) -> pd.Series:
        what = f"{self.label} ({info.id})"
        session = _yahoo_session(self.settings)
        last: SourceError | None = None
        for attempt in range(RETRIES + 1):
            if attempt:
                pause = (
                    last.retry_after
                    if last.retry_after is not None
                    else BACKOFF * 2 ** (attempt - 1)
                )
                time.sleep(pause)
            try:
                frame = self._history(session, info)
            except SourceError as exc:
                last = exc
                if exc.kind == "server" or exc.kind == "network":
                    continue
                if exc.kind == "rate_limited" and (
                    exc.retry_after is not None and exc.retry_after <= MAX_RETRY_WAIT
                ):
                    continue
                raise
            return self._closes(frame, what)
        assert last is not None
        raise last

    def _history(self, session: _YahooSession, info: SeriesInfo) -> pd.DataFrame:
        what = f"{self.label} ({info.id})"
        with _YAHOO_HISTORY_LOCK:
            session.forget_last()
            # yfinance memoises the time-zone probe's answer in-process, errors included:
            # a failed probe would otherwise be served again until a restart.
            YfData.cache_get.cache_clear()
            try:
                return yf.Ticker(info.source_id, session=session).history(
                    period="max",
                    interval="1d",
                    auto_adjust=False,
                    actions=False,
                    timeout=self.timeout,
                )
            except YFRateLimitError:
                wait = _retry_after(_header(session.last, "Retry-After"))
                shown = f" for {wait:g} s" if wait is not None else ""
                raise SourceError(
                    f"{what}: the server asked us to slow down{shown} (HTTP 429); "
                    "will retry later.",
                    "rate_limited",
                    wait,
                ) from None
            except curl_requests.exceptions.Timeout:
                seconds = session.total_timeout
                raise SourceError(f"{what}: no answer within {seconds:g} s.", "timeout") from None
            except (
                curl_requests.exceptions.ChunkedEncodingError,
                curl_requests.exceptions.IncompleteRead,
            ):
                raise SourceError(
                    f"{what}: the connection broke off mid-answer.", "network"
                ) from None
            except curl_requests.exceptions.ConnectionError as exc:
                raise SourceError(
                    f"{what}: could not connect ({type(exc).__name__}).", "network"
                ) from None
            except Exception as exc:  # noqa: BLE001 - yfinance raises many kinds; say ours
                raise self._explain(session.last, exc, what) from None

    def _explain(self, answer, exc: Exception, what: str) -> SourceError:
        """Our words for a failure yfinance reported, judged by the answer it got."""
        status = getattr(answer, "status_code", None)
        body = (getattr(answer, "content", b"") or b"").lstrip()[:200].lower()
        if isinstance(exc, curl_requests.exceptions.RequestException) and "curl: (18)" in str(exc):
            return SourceError(f"{what}: the connection broke off mid-answer.", "network")
        if status is not None and status >= 500:
            return SourceError(f"{what}: the server had an error (HTTP {status}).", "server")
        # Yahoo answers an unknown ticker with 404 and {"chart": {"error": {...}}}.
        if status == 404 or (isinstance(exc, YFTickerMissingError) and b"no data found" in body):
            return SourceError(f"{what}: Yahoo has no such ticker.", "not_found")
        if body.startswith((b"<!doctype html", b"<html")):
            return SourceError(f"{what}: got a web page instead of prices.", "format")
        if status is not None and status >= 400:
            return SourceError(f"{what}: refused (HTTP {status}).", "server")
        if isinstance(exc, YFPricesMissingError) and b'"result":[' in body.replace(b" ", b""):
            return SourceError(f"{what}: no prices in the answer.", "empty")
        return SourceError(f"{what}: unreadable answer.", "format")

    def _closes(self, frame: pd.DataFrame, what: str) -> pd.Series:
        if frame is None or frame.empty or "Close" not in frame:
            raise SourceError(f"{what}: no prices in the answer.", "empty")
        try:
            # yfinance indexes daily bars at midnight of the exchange's own day (UTC for
            # crypto): keep that calendar day, drop the zone.
            days = pd.DatetimeIndex(frame.index).tz_localize(None).normalize()
            values = pd.Series(frame["Close"].to_numpy(dtype="float64"), index=days)
            series = clean_observations(values, what)
        except DataFormatError as exc:
            raise SourceError(str(exc), "format") from None
        except (ValueError, TypeError, OverflowError):
            raise SourceError(f"{what}: unreadable answer.", "format") from None
        if series.empty:
            raise SourceError(f"{what}: no prices in the answer.", "empty")
        return series


def _header(answer, name: str) -> str | None:
    headers = getattr(answer, "headers", None)
    return headers.get(name) if headers is not None else None

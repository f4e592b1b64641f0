"""Where observations come from. Each source has one method, `fetch(info) -> pd.Series`.

A source either returns a clean observation series (see `parsing.clean_observations`) or
raises `SourceError` whose message is plain words, safe to show a user, and never contains
the FRED API key. Network sources share one HTTP helper with a timeout, bounded retries and
FRED's rate limit; nothing else in the app opens a connection.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
from fredapi import Fred

from dashboard.catalog import SeriesInfo
from dashboard.config import Settings
from dashboard.data.http import (  # noqa: F401  (FRED_INTERVAL, RETRIES: re-exported for tests)
    _KEY_IN_URL,
    FRED_INTERVAL,
    FRED_LIMITER,
    RETRIES,
    HttpAnswer,
    SourceError,
    http_get,
    redact,
)
from dashboard.data.market import YFinanceSource
from dashboard.data.parsing import DataFormatError, clean_observations, parse_fred_csv

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
        return YFinanceSource(settings)
    if info.source == "lbma":
        return LbmaSource(settings)
    return None

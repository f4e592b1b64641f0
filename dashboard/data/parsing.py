"""Turn what sources send into a clean observation series, or say plainly why not.

A clean series is a float64 `pd.Series` indexed by unique ascending dates (`DatetimeIndex`
named "date"), with missing values dropped: real observations only.
"""

from __future__ import annotations

import io

import pandas as pd

DATE_HEADERS = ("observation_date", "date")


class DataFormatError(ValueError):
    """The payload could not be read as observations; the message is safe to show users."""


def clean_observations(values: pd.Series, what: str) -> pd.Series:
    """Sort, drop missing values and exact duplicate dates; reject conflicting duplicates."""
    series = pd.to_numeric(values, errors="coerce").astype("float64").dropna()
    series = series[~series.index.isna()]
    series.index = pd.DatetimeIndex(series.index).normalize()
    series = series.sort_index(kind="stable")
    dupes = series.index.duplicated(keep=False)
    if dupes.any():
        clash = series[dupes].groupby(level=0).nunique()
        if (clash > 1).any():
            day = clash[clash > 1].index[0].date()
            raise DataFormatError(f"{what}: two different values for {day}; file rejected.")
        series = series[~series.index.duplicated(keep="first")]
    series.index.name = "date"
    series.name = None
    return series


def parse_fred_csv(text: str, what: str = "CSV") -> pd.Series:
    """Parse FRED's download format (`observation_date,<ID>` or `DATE,<ID>`, "." = missing)."""
    if not text or not text.strip():
        raise DataFormatError(f"{what}: empty file.")
    head = text.lstrip()[:200].lower()
    if head.startswith("<") or "<html" in head:
        raise DataFormatError(f"{what}: got a web page instead of data.")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, na_values=["."], keep_default_na=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"{what}: not a readable CSV ({type(exc).__name__}).") from None
    columns = [str(c).strip() for c in frame.columns]
    if len(columns) < 2 or columns[0].lower() not in DATE_HEADERS:
        raise DataFormatError(f"{what}: expected a header 'observation_date,<ID>'.")
    dates = pd.to_datetime(frame.iloc[:, 0].str.strip(), format="%Y-%m-%d", errors="coerce")
    if dates.isna().all() and len(frame):
        raise DataFormatError(f"{what}: no valid dates in the first column.")
    raw = frame.iloc[:, 1].str.strip()
    values = pd.to_numeric(raw, errors="coerce")
    bad = raw.notna() & values.isna()
    if bad.any():
        sample = str(raw[bad].iloc[0])[:20]
        raise DataFormatError(f"{what}: value '{sample}' is not a number.")
    series = clean_observations(pd.Series(values.to_numpy(), index=dates), what)
    if series.empty:
        raise DataFormatError(f"{what}: no observations.")
    return series

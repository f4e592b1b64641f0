"""Turn what sources send into a clean observation series, or say plainly why not.

A clean series is a float64 `pd.Series` indexed by unique ascending dates (`DatetimeIndex`
named "date"), with missing values dropped: real observations only.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

DATE_HEADERS = ("observation_date", "date")
DATE_UNIT = "us"  # pandas' default resolution: every series the data layer hands out uses it


class DataFormatError(ValueError):
    """The payload could not be read as observations; the message is safe to show users."""


def clean_observations(values: pd.Series, what: str) -> pd.Series:
    """Sort, drop missing values and exact duplicate dates; reject conflicting duplicates."""
    series = pd.to_numeric(values, errors="coerce").astype("float64").dropna()
    if not np.isfinite(series.to_numpy()).all():
        raise DataFormatError(f"{what}: a value is infinite; rejected.")
    series = series[~series.index.isna()]
    series.index = pd.DatetimeIndex(series.index).normalize().as_unit(DATE_UNIT)
    series = series.sort_index(kind="stable")
    dupes = series.index.duplicated(keep=False)
    if dupes.any():
        clash = series[dupes].groupby(level=0).nunique()
        if (clash > 1).any():
            day = clash[clash > 1].index[0].date()
            raise DataFormatError(f"{what}: two different values for {day}; rejected.")
        series = series[~series.index.duplicated(keep="first")]
    series.index.name = "date"
    series.name = None
    return series


def parse_fred_csv(text: str, what: str = "CSV", expected_id: str | None = None) -> pd.Series:
    """Parse FRED's download format (`observation_date,<ID>` or `DATE,<ID>`, "." = missing).

    With `expected_id`, a file whose value column names another series is refused (a file
    saved under the wrong name must not show as the series it is named after).
    """
    if not text or not text.strip():
        raise DataFormatError(f"{what}: empty file.")
    head = text.lstrip()[:200].lower()
    if head.startswith("<") or "<html" in head:
        raise DataFormatError(f"{what}: got a web page instead of data.")
    if "\x00" in text[:4096]:
        raise DataFormatError(f"{what}: not a CSV file (binary data).")
    try:
        # Let the C parser type the columns: a clean file becomes floats in one pass; only a
        # file with a bad cell takes the slower path that finds it for the message.
        frame = pd.read_csv(io.StringIO(text), na_values=["."], keep_default_na=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"{what}: not a readable CSV ({type(exc).__name__}).") from None
    columns = [str(c).strip() for c in frame.columns]
    if len(columns) < 2 or columns[0].lower() not in DATE_HEADERS:
        raise DataFormatError(f"{what}: expected a header 'observation_date,<ID>'.")
    if expected_id is not None and columns[1].upper() != expected_id.upper():
        raise DataFormatError(
            f"{what}: the file holds {columns[1][:40]!r}, not {expected_id!r}; rejected."
        )
    dates = _dates(frame.iloc[:, 0], what)
    values = _numbers(frame.iloc[:, 1], what)
    series = clean_observations(pd.Series(values.to_numpy(), index=dates), what)
    if series.empty:
        raise DataFormatError(f"{what}: no observations.")
    return series


def _dates(column: pd.Series, what: str) -> pd.Series:
    dates = pd.to_datetime(column, format="%Y-%m-%d", errors="coerce")
    if not (column.notna() & dates.isna()).any():
        return dates
    raw = column.astype("string").str.strip()  # tolerate stray spaces, then look again
    dates = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
    bad = raw.notna() & dates.isna()
    if bad.any():
        row = int(bad.to_numpy().argmax()) + 2  # 1-based, after the header line
        sample = str(raw[bad].iloc[0])[:20]
        raise DataFormatError(f"{what}: line {row}: '{sample}' is not a date (YYYY-MM-DD).")
    return dates


def _numbers(column: pd.Series, what: str) -> pd.Series:
    if column.dtype.kind in "fi":
        return column.astype("float64")
    raw = column.astype("string").str.strip()
    values = pd.to_numeric(raw, errors="coerce")
    bad = raw.notna() & values.isna()
    if bad.any():
        row = int(bad.to_numpy().argmax()) + 2
        sample = str(raw[bad].iloc[0])[:20]
        raise DataFormatError(f"{what}: line {row}: value '{sample}' is not a number.")
    return values.astype("float64")

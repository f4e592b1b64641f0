"""Steps that turn a raw series into a plotted line: the date window for a preset, unit
scaling (millions → trillions), weekly thinning of daily series, rebasing to 100."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dashboard.analytics.overview.state import RANGE_YEARS
from dashboard.catalog import SeriesInfo
from dashboard.data.align import asof_join
from dashboard.episodes import Episode

# Daily series over windows longer than this are sampled weekly (see `thin_weekly`).
THIN_AFTER_DAYS = int(5 * 365.25)
ROUND_REBASED = 4  # decimals kept on rebased values (index points)

TRILLIONS = "Trillions of U.S. Dollars"
MILLIONS = "Millions of U.S. Dollars"
BILLIONS = "Billions of U.S. Dollars"


def window_for(
    range_: str,
    first: date,
    last: date,
    episode: Episode | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[date, date]:
    """The (start, end) dates for a range preset, anchored at `last`, the latest observation
    (not today: the data may end before today). `first` bounds Max and long presets.
    "EPISODE" spans one year before the episode's start to one year after its end (or
    `last` if it is ongoing), cut at `last`. `date_from` / `date_to` (a typed or zoomed
    window) replace the preset's ends, kept within [first, last]; a window that ends up
    empty falls back to the preset."""
    start, end = _preset_window(range_, first, last, episode)
    custom_start = min(max(date_from, first), last) if date_from else start
    custom_end = max(min(date_to, last), first) if date_to else end
    if custom_start < custom_end:
        return custom_start, custom_end
    return start, end


def _preset_window(
    range_: str, first: date, last: date, episode: Episode | None
) -> tuple[date, date]:
    if range_ in RANGE_YEARS:
        start = (pd.Timestamp(last) - pd.DateOffset(years=RANGE_YEARS[range_])).date()
        return max(start, first), last
    if range_ == "EPISODE" and episode is not None:
        start = (pd.Timestamp(episode.start) - pd.DateOffset(years=1)).date()
        end = (pd.Timestamp(episode.end_or(last)) + pd.DateOffset(years=1)).date()
        return max(start, first), min(end, last)
    return first, last


def display_scale(info: SeriesInfo) -> tuple[float, str]:
    """(divisor, units) for drawing: balance-sheet items in millions are shown in trillions
    so the left axis reads like the headlines ($6.7 tn, not 6,745,699)."""
    if info.units == MILLIONS:
        return 1e6, TRILLIONS
    return 1.0, info.units


def units_scale(info: SeriesInfo, kind: str) -> tuple[float, str]:
    """(divisor, units) before a unit of `kind` is applied: changes of balance-sheet items in
    millions are shown in billions (as on the headline cards), levels as `display_scale`."""
    if kind == "change" and info.units == MILLIONS:
        return 1e3, BILLIONS
    return display_scale(info)


def is_daily(info: SeriesInfo) -> bool:
    return info.is_daily


def wednesdays(start: date, end: date) -> pd.DatetimeIndex:
    """Every Wednesday in [start, end] (numpy arithmetic: pd.date_range with a weekly
    offset is ~50x slower, and this runs on every chart update)."""
    first = np.datetime64(start, "D")
    first = first + (2 - (first.astype("int64") + 3) % 7) % 7  # 1970-01-01 was a Thursday
    days = np.arange(first, np.datetime64(end, "D") + 1, 7, dtype="datetime64[D]")
    return pd.DatetimeIndex(days.astype("datetime64[ns]"), name="date")


def thin_weekly(values: pd.Series, start: date, end: date) -> pd.Series:
    """The last observation of each week ending Wednesday, dated that Wednesday.

    Used for daily series over long windows to keep the chart light. Each plotted value is a
    real observation at most 6 days older than its Wednesday; every observation is used at
    most once; weeks with no observation stay empty (nothing is carried or interpolated).
    """
    grid = wednesdays(start, end)
    sampled = asof_join(values, grid, max_age_days=6)["value"].dropna()
    sampled.index.name = "date"
    return sampled


REBASE_MAX_GAP_DAYS = 7


def rebase_to_100(
    values: pd.Series, anchor: date, max_gap_days: int = REBASE_MAX_GAP_DAYS
) -> tuple[pd.Series, date] | None:
    """`values` × 100 / the first observation on or after `anchor`, rounded to 4 decimals.

    Returns (rebased, base_date), or None when there is no observation within `max_gap_days`
    after `anchor` (a series that starts later, e.g. Bitcoin in 2014, cannot be "100 at
    2012-09-13") or the base is not positive (a spread at or below zero has no index)."""
    after = values[values.index >= pd.Timestamp(anchor)].dropna()
    if after.empty or (after.index[0] - pd.Timestamp(anchor)).days > max_gap_days:
        return None
    base = float(after.iloc[0])
    if not np.isfinite(base) or base <= 0:
        return None
    rebased = (values * (100.0 / base)).round(ROUND_REBASED)
    return rebased, after.index[0].date()

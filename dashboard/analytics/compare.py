"""Pair statistics for the Compare page: period changes, 90-day statistics, weekly changes on
the Wednesday grid and the z-scored spread. The correlation of those weekly changes (full,
rolling, lagged) and the scatter fit live in `correlation.py`; this module re-exports them, so
`from dashboard.analytics import compare as stats` still reaches every Compare number.

Inputs are level series as the data layer hands them out (float64, DatetimeIndex, real
observations only, sorted). Every "as of" value is the latest observation dated on or before
the date in question; nothing here looks ahead.

How a move is measured follows the catalog's `change_kind`:
- "log" (prices, balances): period changes in percent, (end / base − 1) × 100; weekly changes
  as log changes × 100 ("log %", close to percent for small moves).
- "diff" (rates, spreads, indices): differences in the series' own units; series quoted in
  percent are shown in basis points (× 100).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dashboard.analytics.correlation import (  # noqa: F401  (one import for the Compare page)
    BONFERRONI_Z,
    SIGNIFICANCE_Z,
    Correlation,
    LeadLag,
    LinearFit,
    correlation,
    correlation_windows,
    cross_correlation,
    lead_lag_sentence,
    lead_lag_verdict,
    linear_fit,
    rolling_correlation,
)
from dashboard.data.align import asof_join, wednesday_grid

LOG, DIFF = "log", "diff"
PERCENT_UNITS = "Percent"
BP_UNITS = "Basis points"
WEEKLY_MAX_AGE_DAYS = 7  # a weekly grid point may use an observation up to a week old
BASE_MAX_AGE_DAYS = 14  # the base of a period change must be near its date (no long gaps)
PERIODS: tuple[tuple[str, pd.DateOffset | None], ...] = (
    ("1W", pd.DateOffset(weeks=1)),
    ("1M", pd.DateOffset(months=1)),
    ("3M", pd.DateOffset(months=3)),
    ("YTD", None),  # base: as of 31 December of the previous year
    ("1Y", pd.DateOffset(years=1)),
)
RANGES: dict[str, pd.DateOffset | None] = {
    "1Y": pd.DateOffset(years=1),
    "3Y": pd.DateOffset(years=3),
    "5Y": pd.DateOffset(years=5),
    "10Y": pd.DateOffset(years=10),
    "MAX": None,
}


# ---- units ------------------------------------------------------------------------------
def change_unit(change_kind: str, units: str) -> tuple[float, str]:
    """How a change of a series is expressed: (multiplier, unit label).

    "log" → (100, "%"); "diff" of a series in percent → (100, "bp"); "diff" of a series in
    basis points → (1, "bp"); any other "diff" → (1, the series' own units).
    """
    if change_kind == LOG:
        return 100.0, "%"
    if units == PERCENT_UNITS:
        return 100.0, "bp"
    if units == BP_UNITS:
        return 1.0, "bp"
    return 1.0, units


def weekly_change_unit(change_kind: str, units: str) -> str:
    """Axis label unit for weekly changes: "log %" for log changes, else as `change_unit`."""
    return "log %" if change_kind == LOG else change_unit(change_kind, units)[1]


# ---- as-of values -----------------------------------------------------------------------
@dataclass(frozen=True)
class Observation:
    """One real observation: the date it is dated and its value (series units)."""

    date: date
    value: float


def observation_asof(
    series: pd.Series, day: date | pd.Timestamp, max_age_days: int | None = None
) -> Observation | None:
    """The latest observation dated on or before `day`, or None if there is none or it is
    more than `max_age_days` older than `day`."""
    obs = series.dropna()
    day = pd.Timestamp(day)
    # Same rule as align.asof_join, for one date without building a frame.
    position = int(obs.index.searchsorted(day, side="right")) - 1
    if position < 0:
        return None
    used = obs.index[position]
    if max_age_days is not None and (day - used).days > max_age_days:
        return None
    return Observation(used.date(), float(obs.iloc[position]))


def measure_change(base: float, end: float, change_kind: str, units: str) -> float | None:
    """The change from `base` to `end`: percent for "log" series (None if base ≤ 0), else the
    difference scaled as `change_unit` says (basis points for series in percent)."""
    scale, _ = change_unit(change_kind, units)
    if change_kind == LOG:
        if base <= 0:
            return None
        return (end / base - 1.0) * scale
    return (end - base) * scale


# ---- side-by-side summary ---------------------------------------------------------------
@dataclass(frozen=True)
class PeriodChange:
    """Change over a named period ending at the series' last observation."""

    label: str
    base: Observation | None  # None: the series does not reach back that far
    end: Observation
    change: float | None  # in `unit`
    unit: str


def period_base_date(label: str, last: pd.Timestamp) -> pd.Timestamp:
    """The date whose as-of value is the base of period `label` ending at `last`."""
    offset = dict(PERIODS)[label]
    if offset is None:
        return pd.Timestamp(year=last.year - 1, month=12, day=31)
    return last - offset


def period_changes(series: pd.Series, change_kind: str, units: str) -> list[PeriodChange]:
    """Changes over 1W, 1M, 3M, YTD and 1Y up to the last observation of `series`.

    The base of each period is the observation as of (on or before) the period's start,
    at most `BASE_MAX_AGE_DAYS` old. Empty list for an empty series.
    """
    obs = series.dropna()
    if obs.empty:
        return []
    last = obs.index[-1]
    end = Observation(last.date(), float(obs.iloc[-1]))
    unit = change_unit(change_kind, units)[1]
    out = []
    for label, _ in PERIODS:
        base = observation_asof(obs, period_base_date(label, last), BASE_MAX_AGE_DAYS)
        change = None if base is None else measure_change(base.value, end.value, change_kind, units)
        out.append(PeriodChange(label, base, end, change, unit))
    return out


@dataclass(frozen=True)
class WindowStats:
    """Statistics of the levels in the last `days` calendar days (series units), and the
    change over the window (in `change_unit`)."""

    days: int
    first: date
    last: date
    count: int
    mean: float
    min: float
    max: float
    std: float  # sample standard deviation (ddof=1); NaN with one observation
    change: float | None
    change_unit: str


def window_stats(series: pd.Series, change_kind: str, units: str, days: int = 90) -> WindowStats:
    """Mean, min, max and sample std of the observations dated in (last − days, last], and
    the change from the observation as of `last − days` to the last one. Raises ValueError
    on an empty series."""
    obs = series.dropna()
    if obs.empty:
        raise ValueError("no observations")
    last = obs.index[-1]
    start = last - pd.Timedelta(days=days)
    window = obs[obs.index > start]
    base = observation_asof(obs, start, BASE_MAX_AGE_DAYS)
    change = (
        None
        if base is None
        else measure_change(base.value, float(obs.iloc[-1]), change_kind, units)
    )
    return WindowStats(
        days=days,
        first=window.index[0].date(),
        last=last.date(),
        count=int(window.size),
        mean=float(window.mean()),
        min=float(window.min()),
        max=float(window.max()),
        std=float(window.std(ddof=1)) if window.size > 1 else float("nan"),
        change=change,
        change_unit=change_unit(change_kind, units)[1],
    )


# ---- weekly changes on the Wednesday grid -----------------------------------------------
def overlap_grid(a: pd.Series, b: pd.Series) -> pd.DatetimeIndex:
    """Wednesdays from the later of the two first observations to the earlier of the two
    last ones (empty when the series do not overlap)."""
    a, b = a.dropna(), b.dropna()
    if a.empty or b.empty:
        return pd.DatetimeIndex([], name="date")
    start, end = max(a.index[0], b.index[0]), min(a.index[-1], b.index[-1])
    if start > end:
        return pd.DatetimeIndex([], name="date")
    return wednesday_grid(start, end)


def weekly_levels(series: pd.Series, grid: pd.DatetimeIndex) -> pd.Series:
    """Level as of each grid Wednesday (latest observation on or before it, at most
    `WEEKLY_MAX_AGE_DAYS` old; NaN otherwise)."""
    return asof_join(series, grid, WEEKLY_MAX_AGE_DAYS)["value"]


def weekly_changes(series: pd.Series, change_kind: str, units: str, grid) -> pd.Series:
    """Week-over-week change of the as-of Wednesday levels: log change × 100 for "log"
    series (non-positive levels give NaN), else the difference scaled to basis points for
    series in percent (native units otherwise). Indexed by `grid`; the first row is NaN."""
    levels = weekly_levels(series, grid)
    if change_kind == LOG:
        logs = np.log(levels.where(levels > 0))
        return logs.diff() * 100.0
    scale, _ = change_unit(change_kind, units)
    return levels.diff() * scale


def pair_weekly_changes(
    a: pd.Series, kind_a: str, units_a: str, b: pd.Series, kind_b: str, units_b: str
) -> pd.DataFrame:
    """Weekly changes of both series on their common Wednesday grid: columns "a" and "b"
    (NaN where a week is missing for one of them)."""
    grid = overlap_grid(a, b)
    return pd.DataFrame(
        {
            "a": weekly_changes(a, kind_a, units_a, grid),
            "b": weekly_changes(b, kind_b, units_b, grid),
        },
        index=grid,
    )


# ---- spread view ---------------------------------------------------------------------
def range_start(end: pd.Timestamp, range_key: str, first: pd.Timestamp) -> pd.Timestamp:
    """Start of the visible range `range_key` (a key of RANGES) ending at `end`, never
    before `first`."""
    offset = RANGES.get(range_key)
    if offset is None:
        return first
    return max(first, end - offset)


def zscore_spread(a: pd.Series, kind_a: str, b: pd.Series, kind_b: str, start, end) -> pd.DataFrame:
    """Both series as of each Wednesday in [start, end], z-scored over the weeks where both
    exist: z = (x − mean) / std (population std, ddof=0), where x is the log level for "log"
    series and the level otherwise. Columns za, zb and spread = za − zb (in σ units)."""
    grid = wednesday_grid(pd.Timestamp(start), pd.Timestamp(end))
    levels = pd.DataFrame({"a": weekly_levels(a, grid), "b": weekly_levels(b, grid)}, index=grid)
    for col, kind in (("a", kind_a), ("b", kind_b)):
        if kind == LOG:
            levels[col] = np.log(levels[col].where(levels[col] > 0))
    levels = levels.dropna()
    out = pd.DataFrame(index=levels.index)
    for col in ("a", "b"):
        x = levels[col]
        std = x.std(ddof=0)
        out["z" + col] = (x - x.mean()) / std if std > 0 else np.nan
    out["spread"] = out["za"] - out["zb"]
    return out

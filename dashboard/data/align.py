"""Frequency alignment: as-of joins with no look-ahead, and the age of every carried value.

Storage holds real observations only; these helpers align at read time. "As of" a date means
the latest observation dated on or before it: a value is never taken from the future.
"""

from __future__ import annotations

import pandas as pd


def wednesday_grid(start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    """Every Wednesday from the first on/after `start` to the last on/before `end`."""
    return pd.date_range(
        pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize(), freq="W-WED", name="date"
    )


def asof_join(
    series: pd.Series, grid: pd.DatetimeIndex, max_age_days: int | None = None
) -> pd.DataFrame:
    """Values of `series` as of each date in `grid`.

    Returns a frame indexed by `grid` with columns `value` (NaN before the first observation
    or when the latest one is older than `max_age_days`) and `age_days` (days between the grid
    date and the observation used).
    """
    grid = pd.DatetimeIndex(grid, name="date")
    obs = series.dropna().sort_index()
    if obs.empty or grid.empty:
        return pd.DataFrame({"value": float("nan"), "age_days": float("nan")}, index=grid)
    positions = obs.index.searchsorted(grid, side="right") - 1
    valid = positions >= 0
    safe = positions.clip(min=0)
    values = pd.Series(obs.to_numpy()[safe], index=grid).where(valid)
    used = pd.Series(obs.index.to_numpy()[safe], index=grid).where(valid)
    age = (grid.to_series() - used).dt.days.astype("float64")
    if max_age_days is not None:
        values = values.where(age <= max_age_days)
    return pd.DataFrame({"value": values.astype("float64"), "age_days": age}, index=grid)


def to_weekly(
    series: pd.Series, grid: pd.DatetimeIndex | None = None, max_age_days: int | None = 7
) -> pd.Series:
    """A daily series sampled on the Wednesday grid (as of each Wednesday, no look-ahead)."""
    obs = series.dropna()
    if grid is None:
        if obs.empty:
            return obs
        grid = wednesday_grid(obs.index[0], obs.index[-1])
    return asof_join(obs, grid, max_age_days)["value"]


def to_daily(
    series: pd.Series, days: pd.DatetimeIndex, max_age_days: int | None = None
) -> pd.Series:
    """A (weekly) series carried forward onto daily dates: each day sees the latest
    observation dated on or before it."""
    return asof_join(series, days, max_age_days)["value"]


def align_frame(
    columns: dict[str, pd.Series],
    grid: pd.DatetimeIndex | None = None,
    max_age_days: int | None = None,
) -> pd.DataFrame:
    """Several series as of a common grid (by default, the union of their dates)."""
    if grid is None:
        grid = pd.DatetimeIndex(sorted(set().union(*(s.index for s in columns.values()))))
    return pd.DataFrame(
        {name: asof_join(s, grid, max_age_days)["value"] for name, s in columns.items()},
        index=pd.DatetimeIndex(grid, name="date"),
    )

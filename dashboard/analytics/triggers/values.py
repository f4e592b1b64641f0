"""A trigger's value over time: its formula evaluated on the series' observation dates.

`ID` is a level; `A-B` is A minus B as of each of A's dates; `:mean5d` is the mean of the
last 5 observations; `:change13w` is the change over 13 weeks on the Wednesday grid (each
series taken as of each Wednesday, never a later observation). The result is multiplied by
the trigger's `scale` (e.g. 100 for percent → basis points).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.analytics.triggers.definitions import Trigger
from dashboard.data.align import asof_join

ASOF_MAX_AGE_DAYS = 7  # a daily value carried onto a Wednesday may be a week old, no more
_ROUND = 9  # drop float noise like 1.8e-14 so "> 0" means a real move


def _clean(series: pd.Series) -> pd.Series:
    out = series.dropna().sort_index().astype("float64")
    out.index = pd.DatetimeIndex(out.index, name="date")
    return out


def _empty() -> pd.Series:
    return pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))


def wednesdays(start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    """Every Wednesday in [start, end]; the same dates as `align.wednesday_grid`, built with
    a fixed 7-day step (vectorised; the "W-WED" anchor is generated in a Python loop)."""
    first = pd.Timestamp(start).normalize()
    first += pd.Timedelta(days=(2 - first.day_of_week) % 7)
    return pd.date_range(first, pd.Timestamp(end).normalize(), freq="7D", name="date")


def weekly_change(series: pd.Series, weeks: int) -> pd.Series:
    """Change over `weeks` weeks on the Wednesday grid (as of each Wednesday, no look-ahead).

    The grid runs from the first to the last observation; a Wednesday whose latest
    observation is over a week old counts as missing, so is any change touching it.
    """
    obs = _clean(series)
    if obs.empty:
        return _empty()
    grid = wednesdays(obs.index[0], obs.index[-1])
    weekly = asof_join(obs, grid, ASOF_MAX_AGE_DAYS)["value"]
    return (weekly - weekly.shift(weeks)).dropna()


def trigger_values(trigger: Trigger, series: Mapping[str, pd.Series]) -> pd.Series:
    """The trigger's value at every date it can be computed, in its units (after `scale`).

    `series` maps each input id to its observations (missing ids count as empty).
    """
    formula = trigger.parsed
    first = _clean(series.get(formula.series[0], _empty()))
    if len(formula.series) == 2:
        other = _clean(series.get(formula.series[1], _empty()))
        base = (first - asof_join(other, first.index, ASOF_MAX_AGE_DAYS)["value"]).dropna()
    else:
        base = first
    if base.empty:
        return _empty()
    if formula.transform == "mean":
        values = base.rolling(formula.window, min_periods=formula.window).mean()
    elif formula.transform == "change":
        values = weekly_change(base, formula.window)
    else:
        values = base
    values = (values.dropna() * trigger.scale).round(_ROUND)
    values.index.name = "date"
    return values.astype("float64")

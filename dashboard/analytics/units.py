"""Units per series, as FRED's graphs offer them: the level, or a change computed from it.

`apply_units(values, code)` is pure: a dated series in, the transformed series out, on the
same dates (NaN where the comparison point does not exist). The codes are FRED's (`lin`,
`chg`, `ch1`, `pch`, `pc1`, `log`) plus `c13` for the 13-week change.

Changes "from the previous observation" compare neighbouring observations as published.
Year-ago and 13-week comparisons are calendar-based as-of lookups: each value against the
last observation on or before its date minus 365 (or 91) days, so a weekly and a daily
series are compared over the same span; nothing after the date is ever used, and a date
with no observation that far back gets NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PERCENT = "Percent"
PERCENTAGE_POINTS = "Percentage points"


@dataclass(frozen=True)
class Unit:
    """One way to show a series. label: the menu text. title: what the values are, for axis
    titles and hover ("% change from a year ago"); `None` for the level (its own units).
    lag_days: the calendar span of a year-ago / 13-week comparison; 0 for the previous
    observation. kind: "level", "change" (in the series' units), "percent" or "log"."""

    code: str
    label: str
    title: str | None
    kind: str
    lag_days: int = 0


UNITS: tuple[Unit, ...] = (
    Unit("lin", "Level", None, "level"),
    Unit("chg", "Change", "Change", "change"),
    Unit("pch", "% change", "% change", "percent"),
    Unit("ch1", "Change from a year ago", "Change from a year ago", "change", 365),
    Unit("pc1", "% change from a year ago", "% change from a year ago", "percent", 365),
    Unit("c13", "13-week change", "13-week change", "change", 91),
    Unit("log", "Natural log", "Natural log", "log"),
)
UNITS_BY_CODE = {u.code: u for u in UNITS}
LEVEL = "lin"


def unit_for(code: str) -> Unit:
    """The unit for a code (the level for anything unknown)."""
    return UNITS_BY_CODE.get(code, UNITS_BY_CODE[LEVEL])


def unit_text(code: str, units: str) -> str:
    """What values of a series in `units` are after `code`: the units themselves for the
    level, "% change from a year ago" for percent changes, "Change, Billions of U.S. Dollars"
    for changes (a change of a percent is in percentage points), "Natural log, …" for logs."""
    unit = unit_for(code)
    if unit.kind == "level":
        return units
    if unit.kind == "percent":
        return unit.title or unit.label
    base = PERCENTAGE_POINTS if unit.kind == "change" and units == PERCENT else units
    return f"{unit.title}, {base}"


def value_then(values: pd.Series, lag_days: int) -> np.ndarray:
    """For each observation, the last value on or before its date minus `lag_days` (the
    previous observation when `lag_days` is 0); NaN where there is none."""
    stamps = values.index.to_numpy(dtype="datetime64[ns]")
    data = values.to_numpy(dtype="float64")
    if lag_days:
        # side="right": an observation exactly `lag_days` earlier counts
        pos = np.searchsorted(stamps, stamps - np.timedelta64(lag_days, "D"), side="right") - 1
    else:
        pos = np.arange(len(data)) - 1
    then = np.full(len(data), np.nan)
    found = pos >= 0
    then[found] = data[pos[found]]
    return then


def apply_units(values: pd.Series, code: str) -> pd.Series:
    """`values` (dated, any frequency) shown in unit `code`; missing values are dropped
    first, the result keeps the remaining dates. Percent changes are NaN where the earlier
    value is zero or negative (no meaningful percentage), logs where the value is."""
    unit = unit_for(code)
    obs = values.dropna().astype("float64").sort_index()
    if unit.kind == "level":
        return obs
    now = obs.to_numpy(dtype="float64")
    if unit.kind == "log":
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(now > 0, np.log(np.where(now > 0, now, 1.0)), np.nan)
    else:
        then = value_then(obs, unit.lag_days)
        if unit.kind == "change":
            out = now - then
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                out = np.where(then > 0, (now / then - 1.0) * 100.0, np.nan)
    return pd.Series(out, index=obs.index, name=values.name)

"""Trigger readings: how close each one is to firing, how far, by when, and when it last fired.

Triggers are data (`dashboard/reference/triggers.csv`, see `definitions`); this is a pure
function of the series handed in (pandas Series with a DatetimeIndex, in the units the
catalog states) and of `today`. Nothing here reads the store, the network or Dash.

Definitions (every number is reproducible with a few lines of pandas):

- **value**: the trigger's formula evaluated on the series' own observation dates.
  `ID` is a level; `A-B` is A minus B as of each of A's dates; `:mean5d` is the mean of the
  last 5 observations; `:change13w` is the change over 13 weeks on the Wednesday grid (each
  series taken as of each Wednesday, never a later observation). The result is multiplied by
  the trigger's `scale` (e.g. 100 for percent → basis points).
- **firing**: value above (below) the threshold; `inclusive` makes the threshold itself fire.
- **calm reference**: a fixed number from the file, else the median value over the 5 years
  up to the as-of date. If that median is itself past the threshold (the trigger fired for
  much of those years), the median of the quiet values in the window is used instead.
- **proximity** (0–100 %): how far the value has travelled from calm to the threshold,
  clipped; 100 when firing. **approaching** = not firing and proximity ≥ 75 %.
- **distance**: how much further the value must move to reach the threshold, in its units
  (≤ 0 once past it); also divided by the typical weekly move = the median absolute change
  between consecutive Wednesdays over the last 3 years.
- **ETA**: at the 13-week pace (value now minus value 13 weeks earlier, ÷ 13 per week), the
  date the threshold would be reached; "not on current path" when the pace points away, is
  zero, or would take more than 5 years.
- **spells**: maximal runs of consecutive firing observations. A spell ends on its last firing
  observation; its length in days runs to the first quiet observation after it (to the as-of
  date while it is still going). Spells are counted from the trigger's `counts_from` date
  (from when the threshold means something: reserves were never above $3T before April 2020,
  the reverse repo never held $500bn before June 2021), else from 2003; a spell still going
  on that date counts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

import numpy as np
import pandas as pd

from dashboard.analytics.triggers.definitions import Trigger
from dashboard.analytics.triggers.spells import SPELLS_SINCE, Spell, fired_spells
from dashboard.analytics.triggers.values import (
    ASOF_MAX_AGE_DAYS,
    trigger_values,
    wednesdays,
)
from dashboard.catalog import get_info
from dashboard.data.align import asof_join
from dashboard.data.freshness import assess

QUIET, APPROACHING, FIRING, NO_DATA = "quiet", "approaching", "firing", "no data"
STATUS_ORDER = {FIRING: 0, APPROACHING: 1, QUIET: 2, NO_DATA: 3}
APPROACHING_AT = 75.0  # proximity (%) from which a quiet trigger counts as approaching
CALM_YEARS = 5
TYPICAL_MOVE_YEARS = 3
PACE_WEEKS = 13
ETA_HORIZON_WEEKS = 260  # beyond ~5 years a straight-line projection means nothing
NOT_ON_PATH = "not on current path"
FIRING_NOW = "firing now"


class StatusLike(Protocol):
    """What the engine reads from a data-layer status: its state and a label to show."""

    state: str
    label: str


@dataclass(frozen=True)
class TriggerReading:
    """Where one trigger stands. Numbers are in `units`; dates are the observations used."""

    id: str
    name: str
    formula: str
    units: str
    direction: str
    op: str  # ≥ > ≤ <
    threshold: float
    why: str
    status: str  # quiet | approaching | firing | no data
    value: float | None = None
    as_of: date | None = None
    proximity: float | None = None  # 0–100 %
    calm: float | None = None
    calm_note: str = ""
    distance: float | None = None  # still to travel toward the threshold; ≤ 0 once past it
    typical_weekly_move: float | None = None
    distance_weeks: float | None = None  # distance ÷ typical weekly move
    pace_per_week: float | None = None  # 13-week change ÷ 13
    eta: date | None = None
    eta_note: str = ""
    last_fired: Spell | None = None
    spells_since_2003: int = 0
    counts_from: date = SPELLS_SINCE  # spells are counted from this date
    spells_counted: int = 0  # spells that ended on or after counts_from
    lookback_weeks: int | None = None
    age_days: int | None = None
    stale: bool = False
    freshness: str = ""
    message: str = ""

    @property
    def firing(self) -> bool:
        return self.status == FIRING

    def to_json(self) -> dict:
        """JSON-safe dict (ISO dates, no NaN) — the shape of the CLI and API feed."""
        return {
            "id": self.id,
            "name": self.name,
            "value": _finite(self.value),
            "units": self.units,
            "as_of": _iso(self.as_of),
            "threshold": self.threshold,
            "direction": self.direction,
            "op": self.op,
            "status": self.status,
            "proximity": _finite(self.proximity),
            "distance": _finite(self.distance),
            "distance_weeks": _finite(self.distance_weeks),
            "typical_weekly_move": _finite(self.typical_weekly_move),
            "pace_per_week": _finite(self.pace_per_week),
            "eta": _iso(self.eta),
            "eta_note": self.eta_note,
            "last_fired": self.last_fired.to_json() if self.last_fired else None,
            "spells_since_2003": self.spells_since_2003,
            "counts_from": _iso(self.counts_from),
            "spells_counted": self.spells_counted,
            "calm": _finite(self.calm),
            "calm_note": self.calm_note,
            "formula": self.formula,
            "lookback_weeks": self.lookback_weeks,
            "age_days": self.age_days,
            "stale": self.stale,
            "freshness": self.freshness,
            "message": self.message,
            "why": self.why,
        }


def _finite(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def value_asof(values: pd.Series, day: pd.Timestamp, max_age_days: int = 14) -> float | None:
    """The latest value on or before `day` (None if none within `max_age_days`)."""
    got = asof_join(values, pd.DatetimeIndex([day]), max_age_days)["value"].iloc[0]
    return None if pd.isna(got) else float(got)


def calm_reference(
    trigger: Trigger, values: pd.Series, as_of: pd.Timestamp
) -> tuple[float | None, str]:
    """The calm level and a note on how it was chosen (see the module docstring)."""
    if trigger.calm is not None:
        return trigger.calm, "fixed in the triggers file"
    window = values[
        (values.index > as_of - pd.DateOffset(years=CALM_YEARS)) & (values.index <= as_of)
    ]
    if window.empty:
        return None, "no history for a calm reference"
    median = float(window.median())
    if trigger.quiet_side(median):
        return median, f"median of the last {CALM_YEARS} years"
    quiet = (
        window[window < trigger.threshold]
        if trigger.direction == "above"
        else window[window > trigger.threshold]
    )
    if quiet.empty:
        return None, f"past the threshold for all of the last {CALM_YEARS} years"
    return float(quiet.median()), f"median of the quiet readings of the last {CALM_YEARS} years"


def typical_weekly_move(values: pd.Series, as_of: pd.Timestamp) -> float | None:
    """Median absolute change between consecutive Wednesdays over the 3 years to `as_of`."""
    grid = wednesdays(as_of - pd.DateOffset(years=TYPICAL_MOVE_YEARS), as_of)
    weekly = asof_join(values, grid, ASOF_MAX_AGE_DAYS)["value"]
    moves = weekly.diff().abs().dropna()
    if len(moves) < 8:
        return None
    typical = float(moves.median())
    return typical if typical > 0 else None


def proximity_pct(trigger: Trigger, value: float, calm: float | None) -> float | None:
    """0–100 %: share of the way from calm to the threshold, clipped; 100 when firing."""
    if bool(trigger.fires(value)):
        return 100.0
    if calm is None:
        return None
    travel = (value - calm) / (trigger.threshold - calm)
    return float(np.clip(travel, 0.0, 1.0) * 100.0)


def distance_to_threshold(trigger: Trigger, value: float) -> float:
    """How much further `value` must move toward firing (≤ 0 once at or past it)."""
    gap = trigger.threshold - value
    return gap if trigger.direction == "above" else -gap


def project_eta(
    trigger: Trigger, distance: float, pace_per_week: float | None, as_of: date, firing: bool
) -> tuple[date | None, str]:
    """Date the threshold is reached at `pace_per_week`, or why there is none."""
    if firing:
        return None, FIRING_NOW
    if pace_per_week is None:
        return None, "no 13-week history"
    toward = pace_per_week if trigger.direction == "above" else -pace_per_week
    if toward <= 0:
        return None, NOT_ON_PATH
    weeks = max(distance, 0.0) / toward
    if weeks > ETA_HORIZON_WEEKS:
        return None, NOT_ON_PATH
    return as_of + timedelta(days=round(weeks * 7)), f"~{weeks:.0f} weeks"


def _freshness(
    trigger: Trigger,
    series: Mapping[str, pd.Series],
    statuses: Mapping[str, StatusLike] | None,
    today: date,
) -> tuple[bool, str]:
    """(stale?, label): stale when any input is past its next release plus a grace period."""
    now = datetime.combine(today, time(12), UTC)
    stale, labels = False, []
    for sid in trigger.inputs:
        obs = series.get(sid)
        if obs is not None and not obs.dropna().empty:
            last = pd.Timestamp(obs.dropna().index.max()).date()
            if assess(get_info(sid), last, now).stale:
                stale = True
        status = statuses.get(sid) if statuses else None
        if status is not None:
            labels.append(status.label)
            stale = stale or status.state == "stale"
    label = ", ".join(dict.fromkeys(labels))
    return stale, label


def evaluate(
    trigger: Trigger,
    series: Mapping[str, pd.Series],
    today: date,
    statuses: Mapping[str, StatusLike] | None = None,
) -> TriggerReading:
    """The reading of one trigger on the latest observation in `series` (see module doc)."""
    values = trigger_values(trigger, series)
    stale, label = _freshness(trigger, series, statuses, today)
    base = {
        "id": trigger.id,
        "name": trigger.name,
        "formula": trigger.formula,
        "units": trigger.units,
        "direction": trigger.direction,
        "op": trigger.op,
        "threshold": trigger.threshold,
        "why": trigger.why,
        "lookback_weeks": trigger.lookback_weeks,
        "stale": stale,
        "freshness": label,
    }
    if values.empty:
        missing = ", ".join(trigger.inputs)
        return TriggerReading(status=NO_DATA, message=f"No data for {missing}.", **base)
    as_of_ts = values.index[-1]
    as_of = as_of_ts.date()
    value = float(values.iloc[-1])
    firing = bool(trigger.fires(value))
    calm, calm_note = calm_reference(trigger, values, as_of_ts)
    proximity = proximity_pct(trigger, value, calm)
    if firing:
        status = FIRING
    elif proximity is not None and proximity >= APPROACHING_AT:
        status = APPROACHING
    else:
        status = QUIET
    distance = distance_to_threshold(trigger, value)
    typical = typical_weekly_move(values, as_of_ts)
    earlier = value_asof(values, as_of_ts - pd.Timedelta(weeks=PACE_WEEKS))
    pace = None if earlier is None else (value - earlier) / PACE_WEEKS
    eta, eta_note = project_eta(trigger, distance, pace, as_of, firing)
    spells = fired_spells(values, trigger.fires(values))
    counts_from = trigger.counts_from or SPELLS_SINCE
    return TriggerReading(
        status=status,
        value=value,
        as_of=as_of,
        proximity=proximity,
        calm=calm,
        calm_note=calm_note,
        distance=distance,
        typical_weekly_move=typical,
        distance_weeks=distance / typical if typical else None,
        pace_per_week=pace,
        eta=eta,
        eta_note=eta_note,
        last_fired=spells[-1] if spells else None,
        spells_since_2003=sum(1 for s in spells if s.end >= SPELLS_SINCE),
        counts_from=counts_from,
        spells_counted=sum(1 for s in spells if s.end >= counts_from),
        age_days=(today - as_of).days,
        **base,
    )


def sort_readings(readings: Iterable[TriggerReading]) -> list[TriggerReading]:
    """Firing first, then approaching, then quiet, nearest first within each."""
    return sorted(
        readings,
        key=lambda r: (
            STATUS_ORDER[r.status],
            -(r.proximity or 0.0),
            r.distance_weeks if r.distance_weeks is not None else math.inf,
        ),
    )


class DataLike(Protocol):
    values: pd.Series
    status: StatusLike


def evaluate_all(
    triggers: Sequence[Trigger], datas: Mapping[str, DataLike], today: date
) -> list[TriggerReading]:
    """Readings for every trigger, sorted (firing and nearest first).

    `datas` maps series id → anything with `.values` (Series) and `.status` (state, label),
    e.g. the data layer's `SeriesData`.
    """
    series = {sid: d.values for sid, d in datas.items()}
    statuses = {sid: d.status for sid, d in datas.items()}
    return sort_readings(evaluate(t, series, today, statuses) for t in triggers)

"""Liquidity triggers: how close each one is to firing, when it last fired, and the QT phase.

Triggers are data (`dashboard/reference/triggers.csv`); everything here is a pure function of
the series handed in (pandas Series with a DatetimeIndex, in the units the catalog states)
and of `today`. Nothing here reads the store, the network or Dash.

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

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from dashboard.catalog import get_info, is_known
from dashboard.data.align import asof_join
from dashboard.data.freshness import assess

TRIGGERS_FILE = Path(__file__).resolve().parent.parent / "reference" / "triggers.csv"

QUIET, APPROACHING, FIRING, NO_DATA = "quiet", "approaching", "firing", "no data"
STATUS_ORDER = {FIRING: 0, APPROACHING: 1, QUIET: 2, NO_DATA: 3}
APPROACHING_AT = 75.0  # proximity (%) from which a quiet trigger counts as approaching
CALM_YEARS = 5
TYPICAL_MOVE_YEARS = 3
PACE_WEEKS = 13
ETA_HORIZON_WEEKS = 260  # beyond ~5 years a straight-line projection means nothing
SPELLS_SINCE = date(2003, 1, 1)
ASOF_MAX_AGE_DAYS = 7  # a daily value carried onto a Wednesday may be a week old, no more
NOT_ON_PATH = "not on current path"
FIRING_NOW = "firing now"
_ROUND = 9  # drop float noise like 1.8e-14 so "> 0" means a real move

_TRANSFORM = re.compile(r"^(?:(?P<mean>mean)(?P<days>\d+)d|(?P<change>change)(?P<weeks>\d+)w)$")


class StatusLike(Protocol):
    """What the engine reads from a data-layer status: its state and a label to show."""

    state: str
    label: str


# ---- trigger definitions -------------------------------------------------------------------
@dataclass(frozen=True)
class Formula:
    """A parsed formula: one series, or the difference of two, then an optional transform."""

    series: tuple[str, ...]  # ("WALCL",) or ("SOFR", "DFEDTARU") for SOFR − DFEDTARU
    transform: str = "level"  # "level" | "mean" | "change"
    window: int = 0  # observations for "mean", weeks for "change"


def parse_formula(text: str) -> Formula:
    """`ID`, `A-B`, optionally followed by `:meanNd` or `:changeNw`; raises ValueError."""
    expr, _, transform = text.strip().partition(":")
    expr = expr.strip()
    if is_known(expr):
        ids: tuple[str, ...] = (expr,)
    else:
        ids = tuple(part.strip() for part in expr.split("-"))
        if len(ids) > 2:
            raise ValueError(f"formula '{text}': expected ID or ID-ID")
    for series_id in ids:
        if not is_known(series_id):
            raise ValueError(f"formula '{text}': unknown series '{series_id}'")
    transform = transform.strip()
    if not transform:
        return Formula(ids)
    match = _TRANSFORM.match(transform)
    if not match:
        raise ValueError(f"formula '{text}': transform must look like mean5d or change13w")
    if match["mean"]:
        window, kind = int(match["days"]), "mean"
    else:
        window, kind = int(match["weeks"]), "change"
    if window < 1:
        raise ValueError(f"formula '{text}': the window must be at least 1")
    return Formula(ids, kind, window)


@dataclass(frozen=True)
class Trigger:
    """One row of the triggers file. `threshold` and `calm` are in `units` (after `scale`)."""

    id: str
    name: str
    formula: str
    units: str
    direction: str  # "above" | "below"
    inclusive: bool  # True: reaching the threshold already fires (≥ / ≤)
    threshold: float
    calm: float | None = None  # None: median of the prior 5 years
    scale: float = 1.0
    why: str = ""
    counts_from: date | None = None  # spells are counted from here (None: SPELLS_SINCE)
    parsed: Formula = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parsed", parse_formula(self.formula))

    @property
    def inputs(self) -> tuple[str, ...]:
        return self.parsed.series

    @property
    def lookback_weeks(self) -> int | None:
        """Weeks a change-based trigger looks back over; None for levels and averages."""
        return self.parsed.window if self.parsed.transform == "change" else None

    @property
    def is_change(self) -> bool:
        return self.parsed.transform == "change"

    @property
    def op(self) -> str:
        if self.direction == "above":
            return "≥" if self.inclusive else ">"
        return "≤" if self.inclusive else "<"

    def fires(self, values: pd.Series | float) -> Any:
        """Boolean (Series or scalar): is `values` past the threshold?"""
        t = self.threshold
        if self.direction == "above":
            return values >= t if self.inclusive else values > t
        return values <= t if self.inclusive else values < t

    def quiet_side(self, value: float) -> bool:
        """Strictly on the quiet side (so proximity can be measured from it)."""
        return value < self.threshold if self.direction == "above" else value > self.threshold


_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n", ""}
_COLUMNS = ("id", "name", "formula", "units", "direction", "inclusive", "threshold")


def _number(text: str, column: str, row_id: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"triggers file: {row_id}: {column} '{text}' is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"triggers file: {row_id}: {column} must be a finite number")
    return number


def _day(text: str, row_id: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"triggers file: {row_id}: counts_from '{text}' is not a date") from None


def parse_triggers(text: str) -> tuple[Trigger, ...]:
    """Read and check a triggers CSV (its text); raises ValueError naming the bad row."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"triggers file: missing columns {', '.join(missing)}")
    triggers = []
    for line, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        row_id = row["id"] or f"line {line}"
        direction = row["direction"].lower()
        if direction not in ("above", "below"):
            raise ValueError(f"triggers file: {row_id}: direction must be above or below")
        inclusive = row["inclusive"].lower()
        if inclusive not in _TRUE | _FALSE:
            raise ValueError(f"triggers file: {row_id}: inclusive must be yes or no")
        try:
            trigger = Trigger(
                id=row["id"],
                name=row["name"] or row["id"],
                formula=row["formula"],
                units=row["units"],
                direction=direction,
                inclusive=inclusive in _TRUE,
                threshold=_number(row["threshold"], "threshold", row_id),
                calm=_number(row["calm"], "calm", row_id) if row.get("calm") else None,
                scale=_number(row["scale"], "scale", row_id) if row.get("scale") else 1.0,
                why=row.get("why", ""),
                counts_from=_day(row.get("counts_from", ""), row_id),
            )
        except ValueError as exc:
            raise ValueError(f"triggers file: {row_id}: {exc}") from None
        if not trigger.id:
            raise ValueError(f"triggers file: line {line}: id is empty")
        if trigger.calm is not None and not trigger.quiet_side(trigger.calm):
            raise ValueError(f"triggers file: {row_id}: calm must be on the quiet side")
        triggers.append(trigger)
    ids = [t.id for t in triggers]
    if len(set(ids)) != len(ids):
        raise ValueError("triggers file: duplicate ids")
    if not triggers:
        raise ValueError("triggers file: no triggers")
    return tuple(triggers)


def load_triggers(path: Path | str = TRIGGERS_FILE) -> tuple[Trigger, ...]:
    """The triggers in `path` (read on every call, so edits show without a restart)."""
    return parse_triggers(Path(path).read_text(encoding="utf-8"))


def required_series(triggers: Iterable[Trigger]) -> list[str]:
    """Every series id the triggers read, in first-use order."""
    return list(dict.fromkeys(sid for t in triggers for sid in t.inputs))


# ---- values --------------------------------------------------------------------------------
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


# ---- spells --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Spell:
    """A run of consecutive firing observations."""

    start: date
    end: date  # the last firing observation
    ongoing: bool  # still firing at the latest observation
    days: int  # start → first quiet observation after it (→ as-of date while ongoing)

    def to_json(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": None if self.ongoing else self.end.isoformat(),
            "last_firing": self.end.isoformat(),
            "ongoing": self.ongoing,
            "days": self.days,
        }


def fired_spells(values: pd.Series, firing: pd.Series) -> list[Spell]:
    """Split the observations into firing spells. `firing` is a boolean Series on
    `values.index`. Returns spells oldest first."""
    if values.empty:
        return []
    flags = firing.reindex(values.index).fillna(False).astype(bool).to_numpy()
    dates = values.index
    spells: list[Spell] = []
    i, n = 0, len(flags)
    while i < n:
        if not flags[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and flags[j + 1]:
            j += 1
        ongoing = j == n - 1
        stop = dates[j] if ongoing else dates[j + 1]
        spells.append(Spell(dates[i].date(), dates[j].date(), ongoing, int((stop - dates[i]).days)))
        i = j + 1
    return spells


# ---- readings ------------------------------------------------------------------------------
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


# ---- the end-of-QT phase tracker -----------------------------------------------------------
@dataclass(frozen=True)
class PhaseRules:
    """Thresholds of the phase tracker, in millions of USD over 13 weeks."""

    weeks: int = 13
    runoff_band: float = 25_000.0  # phase 1: |WALCL change| within this
    runoff_seen: float = 50_000.0  # ...after a 13-week fall at least this big during the QT
    rising: float = 5_000.0  # a holding "rises" when it grows by more than this
    flat: float = 5_000.0  # MBS "falls or is flat" when it grows by no more than this
    full_qe: float = 100_000.0  # phase 3: WALCL change at least this


BILLS_SERIES = "WSHOBL"  # Treasury bills held outright (H.4.1), millions of USD
BILLS_NOT_SEPARATED = (
    "Bills cannot be separated from coupon Treasuries (WSHOBL, bills held outright, is not "
    "available), so bill purchases may count as Treasuries rising."
)



def bills_ids() -> list[str]:
    """[WSHOBL] when the catalog knows it (then phase 3 can leave bills out), else []."""
    from dashboard.catalog import is_known

    return [BILLS_SERIES] if is_known(BILLS_SERIES) else []


PHASE_NAMES = {
    0: "No end-of-QT phase",
    -1: "Before phase 1 — QT runoff continuing",
    1: "Phase 1 — runoff stopped",
    2: "Phase 2 — bill purchases",
    3: "Phase 3 — full QE",
}


@dataclass(frozen=True)
class Evidence:
    label: str
    value: float | None  # millions of USD (13-week change) where it is a number
    met: bool
    detail: str = ""


@dataclass(frozen=True)
class PhaseReading:
    phase: int  # 0–3
    name: str
    as_of: date | None
    since: date | None  # first Wednesday of the current run of this phase
    evidence: tuple[Evidence, ...]
    last_qt: str | None  # name of the latest QT episode begun before as_of
    bills_separated: bool = False  # Treasury bills (WSHOBL) told apart from coupons
    note: str = ""  # what the reading could not tell apart, in words

    def to_json(self) -> dict:
        return {
            "phase": self.phase,
            "name": self.name,
            "as_of": _iso(self.as_of),
            "since": _iso(self.since),
            "last_qt": self.last_qt,
            "bills_separated": self.bills_separated,
            "note": self.note,
            "evidence": [
                {"label": e.label, "value": _finite(e.value), "met": e.met, "detail": e.detail}
                for e in self.evidence
            ],
        }


class EpisodeLike(Protocol):
    name: str
    kind: str
    start: date


def _after_qt(day: date, episodes: Sequence[EpisodeLike]) -> EpisodeLike | None:
    """The QT episode we are after: the latest QE/QT episode begun by `day`, if it is QT."""
    begun = [e for e in episodes if e.kind in ("QE", "QT") and e.start <= day]
    if not begun:
        return None
    latest = max(begun, key=lambda e: e.start)
    return latest if latest.kind == "QT" else None


def _qt_start(day: date, episodes: Sequence[EpisodeLike]) -> date | None:
    qt = _after_qt(day, episodes)
    return qt.start if qt else None


def phase_series(
    walcl: pd.Series,
    treasuries: pd.Series,
    mbs: pd.Series,
    episodes: Sequence[EpisodeLike],
    rules: PhaseRules = PhaseRules(),
    bills: pd.Series | None = None,
) -> pd.DataFrame:
    """The phase on every Wednesday where all three 13-week changes exist.

    Inputs in millions of USD (H.4.1, Wednesday levels). Columns: walcl, treasuries, mbs
    (13-week changes), bills and coupons (Treasuries less bills; NaN without `bills`),
    after_qt (bool), p1, p2, p3 (conditions) and phase (0–3, the highest
    condition met). Phases 1 and 2 need a QT episode that actually shrank the balance sheet:
    the latest QE/QT episode begun is QT, and since its start WALCL's 13-week change has been
    at or below −`runoff_seen` at least once (so the start of a QT is not "runoff stopped").

    Phase 3 (full QE) means buying duration: Treasuries *excluding bills* (coupons) or MBS
    rising. Bill purchases add reserves but no duration, so with `bills` (WSHOBL) they do not
    count; without it the rule can only use all Treasuries, bills included.
    """
    parts = {
        "walcl": weekly_change(walcl, rules.weeks),
        "treasuries": weekly_change(treasuries, rules.weeks),
        "mbs": weekly_change(mbs, rules.weeks),
    }
    separated = bills is not None and not bills.dropna().empty
    if separated:
        parts["bills"] = weekly_change(bills, rules.weeks)
    frame = pd.concat(parts, axis=1).dropna()
    if separated:
        frame["coupons"] = frame["treasuries"] - frame["bills"]
    else:
        frame["bills"] = np.nan
        frame["coupons"] = np.nan
    if frame.empty:
        return frame.assign(after_qt=[], p1=[], p2=[], p3=[], phase=[])
    qt_start = pd.Series(
        [_qt_start(d.date(), episodes) for d in frame.index], index=frame.index, dtype="object"
    )
    shrinking = frame["walcl"] <= -rules.runoff_seen
    # Runoff "seen" = a big enough fall on some Wednesday since the current QT began.
    seen = shrinking.groupby(qt_start.fillna(date.min)).cummax()
    frame["after_qt"] = qt_start.notna() & seen
    frame["p1"] = frame["after_qt"] & (frame["walcl"].abs() <= rules.runoff_band)
    frame["p2"] = (
        frame["after_qt"] & (frame["treasuries"] > rules.rising) & (frame["mbs"] <= rules.flat)
    )
    duration = frame["coupons"] if separated else frame["treasuries"]
    frame["p3"] = (frame["walcl"] >= rules.full_qe) & (
        (duration > rules.rising) | (frame["mbs"] > rules.rising)
    )
    frame["phase"] = np.select([frame["p3"], frame["p2"], frame["p1"]], [3, 2, 1], 0)
    return frame


def _money(millions: float) -> str:
    return format_value(millions, "millions of USD", signed=True)


def phase_tracker(
    walcl: pd.Series,
    treasuries: pd.Series,
    mbs: pd.Series,
    episodes: Sequence[EpisodeLike],
    rules: PhaseRules = PhaseRules(),
    bills: pd.Series | None = None,
) -> PhaseReading:
    """The current end-of-QT phase with the evidence behind it (see `phase_series`)."""
    frame = phase_series(walcl, treasuries, mbs, episodes, rules, bills)
    separated = bool(frame["bills"].notna().any()) if not frame.empty else False
    note = "" if separated else BILLS_NOT_SEPARATED
    if frame.empty:
        return PhaseReading(0, PHASE_NAMES[0], None, None, (), None, separated, note)
    last = frame.iloc[-1]
    day = frame.index[-1]
    phase = int(last["phase"])
    qt = _after_qt(day.date(), episodes)
    name = PHASE_NAMES[-1 if phase == 0 and qt is not None else phase]
    changed = frame.index[frame["phase"] != phase]
    earlier = changed[changed < day]
    since = frame.index[frame.index > earlier[-1]][0] if len(earlier) else frame.index[0]
    band, rise = rules.runoff_band, rules.rising
    evidence = (
        Evidence(
            f"After a QT that shrank Fed assets by {_money(rules.runoff_seen).lstrip('+')}"
            f" or more in {rules.weeks} weeks",
            None,
            bool(last["after_qt"]),
            f"latest: {qt.name} (from {qt.start:%Y-%m-%d})"
            if qt
            else "the latest QE/QT episode is QE",
        ),
        Evidence(
            f"Phase 1: Fed assets flat within ±{_money(band).lstrip('+')} over {rules.weeks} weeks",
            float(last["walcl"]),
            bool(last["p1"]),
            f"WALCL {_money(last['walcl'])}",
        ),
        Evidence(
            "Phase 2: Treasury holdings rising while MBS fall or stay flat",
            float(last["treasuries"]),
            bool(last["p2"]),
            f"TREAST {_money(last['treasuries'])}"
            + (
                f" (bills {_money(last['bills'])}, coupons {_money(last['coupons'])})"
                if separated
                else ""
            )
            + f", WSHOMCB {_money(last['mbs'])} (rising = more than {_money(rise)})",
        ),
        Evidence(
            f"Phase 3: Fed assets up {_money(rules.full_qe)} or more with Treasuries excluding "
            "bills or MBS rising",
            float(last["walcl"]),
            bool(last["p3"]),
            f"WALCL {_money(last['walcl'])}, "
            + (
                f"coupons {_money(last['coupons'])}, bills {_money(last['bills'])}"
                if separated
                else f"Treasuries incl. bills {_money(last['treasuries'])}"
            )
            + f", WSHOMCB {_money(last['mbs'])}",
        ),
    )
    return PhaseReading(
        phase, name, day.date(), since.date(), evidence, qt.name if qt else None, separated, note
    )


# ---- formatting ----------------------------------------------------------------------------
MINUS = "−"


def format_value(value: float | None, units: str, signed: bool = False) -> str:
    """A number in its units for people: $ amounts scaled to B/T, %, bp, index points."""
    if value is None or not math.isfinite(value):
        return "—"
    sign = MINUS if value < 0 else ("+" if signed and value > 0 else "")
    size = abs(value)
    unit = units.lower()
    if unit.startswith(("millions", "billions")):
        millions = size * (1000.0 if unit.startswith("billions") else 1.0)
        if millions >= 1_000_000:
            text = f"${millions / 1_000_000:,.2f}T"
        elif millions >= 1_000:
            text = f"${millions / 1_000:,.{0 if millions >= 100_000 else 1}f}B"
        else:
            text = (
                f"${millions:,.0f}M"
                if unit.startswith("millions")
                else (f"${millions / 1000:,.1f}B")
            )
        return sign + text
    if unit == "percent":
        return f"{sign}{size:.2f}%"
    if unit == "basis points":
        return f"{sign}{size:.1f} bp"
    return f"{sign}{size:.2f}"


def threshold_text(reading: TriggerReading) -> str:
    return f"{reading.op} {format_value(reading.threshold, reading.units, signed=False)}"


def distance_text(reading: TriggerReading) -> str:
    """E.g. "$65B to go (2.1 typical weeks)" or "past by 12.0 bp"."""
    if reading.distance is None:
        return "—"
    amount = format_value(abs(reading.distance), reading.units)
    if reading.distance <= 0:
        head = f"past by {amount}" if reading.distance < 0 else "at the threshold"
    else:
        head = f"{amount} to go"
    if reading.distance_weeks is not None:
        head += f" ({abs(reading.distance_weeks):.1f} typical weeks)"
    return head


def eta_passed(reading: TriggerReading) -> bool:
    """True when the projected date is already behind us: the data stopped before the
    threshold was reached (or crossed it since without a new observation)."""
    if reading.eta is None or reading.as_of is None or reading.age_days is None:
        return False
    return reading.eta < reading.as_of + timedelta(days=reading.age_days)


def eta_text(reading: TriggerReading) -> str:
    if reading.eta is not None:
        text = f"{reading.eta:%Y-%m-%d} · {reading.eta_note}"
        if eta_passed(reading):
            text += f" · date passed: projected from data as of {reading.as_of:%Y-%m-%d}"
        return text
    return reading.eta_note or "—"


def spells_text(reading: TriggerReading) -> str:
    """ "Fired 3 times since 2020-04-22" — from the date the count starts."""
    times = "once" if reading.spells_counted == 1 else f"{reading.spells_counted} times"
    return f"Fired {times} since {reading.counts_from:%Y-%m-%d}"


def last_fired_text(reading: TriggerReading) -> str:
    spell = reading.last_fired
    if spell is None:
        return "never in the data"
    days = f"{spell.days} day{'' if spell.days == 1 else 's'}"
    if spell.ongoing:
        return f"firing since {spell.start:%Y-%m-%d} ({days})"
    return f"{spell.start:%Y-%m-%d} → {spell.end:%Y-%m-%d} ({days})"

"""Trigger definitions: `dashboard/reference/triggers.csv` read into typed `Trigger`s.

A formula is `ID`, `A-B` (A minus B as of each of A's dates), optionally followed by
`:meanNd` (mean of the last N observations) or `:changeNw` (change over N weeks on the
Wednesday grid). The file is read on every call, so edits show without a restart.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.catalog import is_known

TRIGGERS_FILE = Path(__file__).resolve().parents[2] / "reference" / "triggers.csv"

_TRANSFORM = re.compile(r"^(?:(?P<mean>mean)(?P<days>\d+)d|(?P<change>change)(?P<weeks>\d+)w)$")


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

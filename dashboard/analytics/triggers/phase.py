"""The end-of-QT phase tracker: runoff stopped, bill purchases, full QE (bills vs coupons).

A pure function of H.4.1 Wednesday levels (millions of USD) and the QE/QT episodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import numpy as np
import pandas as pd

from dashboard.analytics.triggers.readings import _finite, _iso
from dashboard.analytics.triggers.text import format_value
from dashboard.analytics.triggers.values import weekly_change


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

"""Numbers of the QE and QT playbooks beyond the event study: which triggers fired in the
months before past turning points (each QE start for the QE playbook, each QT end for the QT
playbook), and the market-impact rows (one per asset) built from the study's summaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboard.analytics import event_study as es
from dashboard.analytics.triggers import Trigger, trigger_values

LOOKBACK_DAYS = 182  # "preceded": fired at least once in the six months before the event


@dataclass(frozen=True)
class TurningPoint:
    """A past event a playbook is about: a QE start or a QT end."""

    episode_id: str
    name: str
    day: date


def turning_points(episodes: Iterable, kind: str) -> list[TurningPoint]:
    """QE playbook: the start of each QE episode. QT playbook: the end of each QT episode
    (the restart of balance-sheet growth is what a QT watcher waits for)."""
    if kind == "QE":
        return [TurningPoint(e.id, f"{e.name} start", e.start) for e in episodes if e.kind == "QE"]
    return [
        TurningPoint(e.id, f"{e.name} end", e.end)
        for e in episodes
        if e.kind == "QT" and e.end is not None
    ]


@dataclass(frozen=True)
class Precedent:
    """Whether a trigger fired in the `LOOKBACK_DAYS` before each turning point: True, False,
    or None when its values do not cover that window (not computable then)."""

    trigger_id: str
    fired: tuple[tuple[TurningPoint, bool | None], ...]
    base_rate: float | None  # % of all its observations that fire: how common firing is

    @property
    def hits(self) -> int:
        return sum(1 for _, f in self.fired if f)

    @property
    def measured(self) -> int:
        return sum(1 for _, f in self.fired if f is not None)


def fired_before(values: pd.Series, firing: pd.Series, day: date) -> bool | None:
    """Did the trigger fire on any observation in (day − LOOKBACK_DAYS, day]? None when the
    values start after the window's start or end before `day` (nothing to judge on)."""
    start = pd.Timestamp(day - timedelta(days=LOOKBACK_DAYS))
    end = pd.Timestamp(day)
    if values.empty or values.index[0] > start or values.index[-1] < end:
        return None
    window = firing[(firing.index > start) & (firing.index <= end)]
    return bool(window.any())


def precedents(
    triggers: Sequence[Trigger], series: Mapping[str, pd.Series], points: Sequence[TurningPoint]
) -> list[Precedent]:
    """Each trigger against each turning point, the most often preceding first."""
    out = []
    for trigger in triggers:
        values = trigger_values(trigger, series)
        firing = trigger.fires(values)
        out.append(
            Precedent(
                trigger.id,
                tuple((p, fired_before(values, firing, p.day)) for p in points),
                float(firing.mean() * 100) if len(firing) else None,
            )
        )
    return sorted(out, key=lambda p: (-p.hits, -p.measured))


@dataclass(frozen=True)
class ImpactRow:
    """One asset in a playbook's market-impact table."""

    series_id: str
    label: str
    asset_class: str
    unit: str
    median_during: float | None
    median_12m: float | None
    hits: int
    measured: int
    verdict: str
    claim: str

    @property
    def hit_rate(self) -> float | None:
        return 100.0 * self.hits / self.measured if self.measured else None


def impact_rows(
    study: es.Study, kind: str, classes: Mapping[str, es.AssetClass]
) -> list[ImpactRow]:
    """One row per asset of the study for `kind` episodes: median change from start to end
    and 12 months after the start, the hit rate at 12 months against the class claim's
    direction, and the claim's verdict."""
    rows = []
    for asset in study.assets:
        summary = study.summary(asset.id, kind)
        hits, measured = summary.hits("12m") if summary.claim else (0, 0)
        rows.append(
            ImpactRow(
                asset.id,
                asset.label,
                classes.get(asset.id, es.OTHER_CLASS).label,
                es.change_unit(asset.change_kind, asset.units)[1],
                summary.median("end"),
                summary.median("12m"),
                hits,
                measured,
                summary.verdict,
                summary.claim.text if summary.claim else "",
            )
        )
    return rows

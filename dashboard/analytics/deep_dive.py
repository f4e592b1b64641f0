"""Numbers of an asset deep dive beyond the event study: how the asset's weekly changes move
with the balance sheet's (correlation over 1Y/3Y/full, the lead/lag peak and the beta), with
Compare's conventions (Wednesday as-of grid, log % for prices and balances, bp for yields),
and which triggers read the asset or matter for its class.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard.analytics.compare import (
    Correlation,
    LeadLag,
    LinearFit,
    correlation_windows,
    cross_correlation,
    lead_lag_sentence,
    linear_fit,
    pair_weekly_changes,
)
from dashboard.analytics.event_study import Asset

CLASS_TRIGGERS_FILE = Path(__file__).resolve().parent.parent / "reference" / "class_triggers.csv"


@dataclass(frozen=True)
class Comovement:
    """The asset's weekly changes against a base series' (WALCL or net liquidity).

    Pairs are (base, asset): a lead/lag peak at k > 0 weeks means the base moves first;
    `fit.slope` is the asset's weekly change per unit of the base's weekly change (log %)."""

    base_id: str
    base_label: str
    correlations: tuple[Correlation, ...]  # 1Y, 3Y, Full
    lead_lag: LeadLag
    sentence: str
    fit: LinearFit
    weeks: int  # weeks with both changes


def comovement(base: pd.Series, base_asset: Asset, series: pd.Series, asset: Asset) -> Comovement:
    changes = pair_weekly_changes(
        base, base_asset.change_kind, base_asset.units, series, asset.change_kind, asset.units
    )
    lead = cross_correlation(changes)
    return Comovement(
        base_asset.id,
        base_asset.label,
        tuple(correlation_windows(changes)),
        lead,
        lead_lag_sentence(lead, base_asset.label, asset.label),
        linear_fit(changes),
        int(changes.dropna().shape[0]),
    )


def parse_class_triggers(path: Path) -> dict[str, tuple[str, ...]]:
    """asset class → ids of the triggers that matter for it (space-separated in the CSV)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {
            row["class"].strip(): tuple(row["triggers"].split()) for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=1)
def load_class_triggers() -> dict[str, tuple[str, ...]]:
    return parse_class_triggers(CLASS_TRIGGERS_FILE)


@dataclass(frozen=True)
class TriggerLink:
    trigger_id: str
    reads_it: bool  # the trigger's formula reads this series


def relevant_triggers(
    series_id: str, asset_class: str, triggers: Iterable, class_triggers: dict | None = None
) -> list[TriggerLink]:
    """Triggers whose formula reads `series_id` (first), then those listed for its class;
    each once, in the triggers file's order within each group."""
    triggers = list(triggers)
    listed: Sequence[str] = (class_triggers or load_class_triggers()).get(asset_class, ())
    reading = [t.id for t in triggers if series_id in t.inputs]
    for_class = [t.id for t in triggers if t.id in listed and t.id not in reading]
    return [TriggerLink(t, True) for t in reading] + [TriggerLink(t, False) for t in for_class]

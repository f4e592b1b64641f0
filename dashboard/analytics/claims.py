"""The commercial claims about QE and QT ("QE lifts Bitcoin 100 % in a year"), read from
reference/claims.csv, the asset classes they are about (reference/asset_classes.csv), and each
claim judged on the event study's measured changes (`event_study.event_change`).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only named in annotations: event_study imports this module
    from dashboard.analytics.event_study import EventChange

CLAIMS_FILE = Path(__file__).resolve().parent.parent / "reference" / "claims.csv"
CLASSES_FILE = Path(__file__).resolve().parent.parent / "reference" / "asset_classes.csv"
STUDY_KINDS = ("QE", "QT")  # the episode kinds the deep dives and playbooks summarise


@dataclass(frozen=True)
class Claim:
    """A claim: asset `asset_id` changes by between `low` and `high` (`unit`; None = open)
    in the `horizon_months` after each QE start."""

    id: str
    asset_id: str
    text: str
    horizon_months: int
    low: float | None
    high: float | None
    unit: str
    asset_class: str = ""  # the asset class the claim is about (asset_classes.csv)
    kind: str = "QE"  # the episodes it is about: after each QE start, or each QT start

    @property
    def window(self) -> str:
        return f"{self.horizon_months}m"

    def contains(self, value: float) -> bool:
        """Inside the claimed range. Bounds are inclusive, except a bound of 0, which is
        strict: "compressed" means strictly narrower, not unchanged."""
        if self.low is not None and (value < self.low or (self.low == 0 and value == 0)):
            return False
        return not (
            self.high is not None and (value > self.high or (self.high == 0 and value == 0))
        )

    @property
    def direction(self) -> int:
        """+1 if the claim is a rise, −1 a fall (an open-ended range by its open side, a
        closed one by the sign of its middle)."""
        if self.high is None:
            return 1
        if self.low is None:
            return -1
        mid = [self.low, self.high]
        return 1 if sum(mid) / len(mid) > 0 else -1

    def range_text(self) -> str:
        """The claimed range in words, e.g. "+15 to +35 %", "−15 to −5 %", "below 0 bp"."""

        def signed(value: float) -> str:
            return f"{value:+g}".replace("-", "−")

        if self.low is None:
            return (
                f"below {self.high:g} {self.unit}"
                if self.high == 0
                else f"at most {signed(self.high)} {self.unit}"
            )
        if self.high is None:
            return (
                f"above {self.low:g} {self.unit}"
                if self.low == 0
                else f"at least {signed(self.low)} {self.unit}"
            )
        return f"{signed(self.low)} to {signed(self.high)} {self.unit}"


def _bound(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def parse_claims(path: Path) -> tuple[Claim, ...]:
    """Read the claims CSV (id, asset, class, kind, claim, horizon_months, low, high, unit).
    `asset` is the series the Episodes page checks the claim on (blank for a claim only
    about a class); `class` and `kind` default to blank and "QE"."""
    with open(path, newline="", encoding="utf-8") as handle:
        claims = tuple(
            Claim(
                id=row["id"].strip(),
                asset_id=row["asset"].strip(),
                text=row["claim"].strip(),
                horizon_months=int(row["horizon_months"]),
                low=_bound(row["low"]),
                high=_bound(row["high"]),
                unit=row["unit"].strip(),
                asset_class=(row.get("class") or "").strip(),
                kind=(row.get("kind") or "QE").strip(),
            )
            for row in csv.DictReader(handle)
        )
    for claim in claims:
        if claim.low is None and claim.high is None:
            raise ValueError(f"claims file: {claim.id}: needs a low or a high bound")
        if claim.kind not in STUDY_KINDS:
            raise ValueError(f"claims file: {claim.id}: kind must be QE or QT")
    return claims


@lru_cache(maxsize=1)
def load_claims() -> tuple[Claim, ...]:
    return parse_claims(CLAIMS_FILE)


def episodes_page_claims() -> tuple[Claim, ...]:
    """The claims the Episodes page checks: QE claims named on one asset."""
    return tuple(c for c in load_claims() if c.asset_id and c.kind == "QE")


@dataclass(frozen=True)
class AssetClass:
    id: str  # e.g. "equities"
    label: str  # e.g. "Equities"


OTHER_CLASS = AssetClass("other", "Other")


def parse_asset_classes(path: Path) -> dict[str, AssetClass]:
    """series id → its asset class, from the CSV (series_id, class, class_label)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {
            row["series_id"].strip(): AssetClass(row["class"].strip(), row["class_label"].strip())
            for row in csv.DictReader(handle)
        }


@lru_cache(maxsize=1)
def load_asset_classes() -> dict[str, AssetClass]:
    return parse_asset_classes(CLASSES_FILE)


def class_of(series_id: str) -> AssetClass:
    """The asset class of a series ("Other" for a series the classes file does not list)."""
    return load_asset_classes().get(series_id, OTHER_CLASS)


def class_claim(asset_class: str, kind: str, claims: Iterable[Claim] | None = None) -> Claim | None:
    """The common claim about `asset_class` after each `kind` start, if the claims file has
    one (the first row for that class and kind)."""
    for claim in load_claims() if claims is None else claims:
        if claim.asset_class == asset_class and claim.kind == kind:
            return claim
    return None


HOLDS, PARTLY, FAILS, NO_DATA = "holds", "partly", "does not hold", "no data"


@dataclass(frozen=True)
class ClaimCheck:
    """A claim against the measured changes of the QE episodes that have data.

    Verdict rule: "holds" when every measured episode is inside the claimed range, "partly"
    when some are, "does not hold" when none is, "no data" when no episode can be measured.
    """

    claim: Claim
    measured: tuple[EventChange, ...]  # episodes with data, in start order
    missing: tuple[EventChange, ...]  # episodes without (n/a)
    verdict: str

    @property
    def values(self) -> list[float]:
        return [m.change for m in self.measured if m.change is not None]

    @property
    def low(self) -> float:
        return min(self.values) if self.values else math.nan

    @property
    def high(self) -> float:
        return max(self.values) if self.values else math.nan

    @property
    def inside(self) -> list[EventChange]:
        return [m for m in self.measured if self.claim.contains(m.change)]

    @property
    def same_direction(self) -> list[EventChange]:
        return [m for m in self.measured if m.change * self.claim.direction > 0]


def check_claim(claim: Claim, changes: Iterable[EventChange]) -> ClaimCheck:
    """Judge `claim` on the cells of `changes` for its asset and horizon (pass the QE
    episodes' cells only)."""
    relevant = [c for c in changes if c.asset_id == claim.asset_id and c.window == claim.window]
    measured = tuple(c for c in relevant if c.available)
    missing = tuple(c for c in relevant if not c.available)
    inside = sum(claim.contains(c.change) for c in measured)
    if not measured:
        verdict = NO_DATA
    elif inside == len(measured):
        verdict = HOLDS
    elif inside:
        verdict = PARTLY
    else:
        verdict = FAILS
    return ClaimCheck(claim, measured, missing, verdict)

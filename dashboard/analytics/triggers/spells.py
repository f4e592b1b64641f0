"""Firing spells: maximal runs of consecutive firing observations (a trigger's history).

A spell ends on its last firing observation; its length in days runs to the first quiet
observation after it (to the as-of date while it is still going).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

SPELLS_SINCE = date(2003, 1, 1)


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

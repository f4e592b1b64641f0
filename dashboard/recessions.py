"""U.S. recessions as dated by the NBER's Business Cycle Dating Committee (peak and trough
months, https://www.nber.org/research/data/us-business-cycle-expansions-and-contractions),
from dashboard/reference/recessions.csv. Like FRED's USREC, a recession runs from the month
after the peak through the trough month."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

RECESSIONS_FILE = Path(__file__).resolve().parent / "reference" / "recessions.csv"
SOURCE_URL = "https://www.nber.org/research/data/us-business-cycle-expansions-and-contractions"


@dataclass(frozen=True)
class Recession:
    peak: date  # first day of the peak month
    trough: date  # first day of the trough month

    @property
    def start(self) -> date:
        """First day of the month after the peak."""
        return (self.peak.replace(day=28) + timedelta(days=4)).replace(day=1)

    @property
    def end(self) -> date:
        """Last day of the trough month."""
        return (self.trough.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _month(text: str, where: str) -> date:
    try:
        year, month = text.strip().split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(f"recessions file: {where}: '{text}' is not a YYYY-MM month") from None


def parse_recessions(text: str) -> tuple[Recession, ...]:
    """Recessions from CSV text (peak,trough as YYYY-MM), checked: trough after peak, in order."""
    rows = list(csv.DictReader(text.splitlines()))
    out = []
    for line, row in enumerate(rows, start=2):
        peak = _month(row.get("peak") or "", f"line {line}")
        trough = _month(row.get("trough") or "", f"line {line}")
        if trough <= peak:
            raise ValueError(f"recessions file: line {line}: the trough must follow the peak")
        if out and peak <= out[-1].trough:
            raise ValueError(f"recessions file: line {line}: out of order or overlapping")
        out.append(Recession(peak, trough))
    return tuple(out)


@lru_cache(maxsize=1)
def load_recessions() -> tuple[Recession, ...]:
    return parse_recessions(RECESSIONS_FILE.read_text(encoding="utf-8"))

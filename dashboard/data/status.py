"""What the store hands out: a series' data with its status, and the outcome of a refresh."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from dashboard.catalog import SeriesInfo

FRESH, STALE, SNAPSHOT, UNAVAILABLE = "fresh", "stale", "offline snapshot", "unavailable"


@dataclass(frozen=True)
class SeriesStatus:
    """What the UI shows about a series: its state, where it came from, how old it is."""

    state: str  # fresh | stale | offline snapshot | unavailable
    source: str  # e.g. "FRED download", "data folder", "bundled snapshot"
    last_date: date | None = None
    fetched_at: datetime | None = None
    age_days: int | None = None
    message: str = ""  # plain words; empty when all is well

    @property
    def label(self) -> str:
        if self.state == STALE and self.age_days is not None:
            return f"stale ({self.age_days} days old)"
        return self.state


@dataclass(frozen=True)
class SeriesData:
    info: SeriesInfo
    values: pd.Series  # a copy; callers may do what they like with it
    status: SeriesStatus

    @property
    def empty(self) -> bool:
        return self.values.empty


@dataclass(frozen=True)
class RefreshResult:
    series_id: str
    outcome: str  # updated | unchanged | skipped | failed | unsaved (memory only) | offline
    rows: int = 0
    last_date: date | None = None
    message: str = ""


@dataclass(frozen=True)
class FetchProgress:
    waiting: tuple[str, ...]  # queued or being fetched now, in the page's order
    unreachable: dict[str, str]  # series id -> the source that could not be reached

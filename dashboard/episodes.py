"""QE/QT episodes: read from `reference/episodes.csv` (data, not code) and validated once."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

EPISODES_FILE = Path(__file__).parent / "reference" / "episodes.csv"

KIND_LABELS = {
    "QE": "QE (asset purchases)",
    "QT": "QT (runoff)",
    "RMP": "Reserve-management bill purchases",
    "TWIST": "Maturity extension (Twist)",
    "FACILITY": "Emergency facility",
}


@dataclass(frozen=True)
class Episode:
    id: str
    name: str
    kind: str  # a key of KIND_LABELS
    parent: str | None  # sub-phases name their episode
    announced: date
    start: date
    end: date | None  # None while ongoing
    description: str
    source_url: str

    @property
    def ongoing(self) -> bool:
        return self.end is None

    def end_or(self, today: date) -> date:
        return self.end or today

    @property
    def is_phase(self) -> bool:
        return self.parent is not None


def _date(text: str, field: str, row_id: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"episodes file: {row_id}: {field} '{text}' is not a date") from None


def parse_episodes(path: Path) -> tuple[Episode, ...]:
    """Read and check an episodes CSV; raises ValueError naming the bad row."""
    episodes = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            row_id = row["id"].strip()
            kind = row["kind"].strip()
            if kind not in KIND_LABELS:
                raise ValueError(f"episodes file: {row_id}: unknown kind '{kind}'")
            end = _date(row["end"], "end", row_id) if row["end"].strip() else None
            episode = Episode(
                id=row_id,
                name=row["name"].strip(),
                kind=kind,
                parent=row["parent"].strip() or None,
                announced=_date(row["announced"], "announced", row_id),
                start=_date(row["start"], "start", row_id),
                end=end,
                description=row["description"].strip(),
                source_url=row["source_url"].strip(),
            )
            if end is not None and end < episode.start:
                raise ValueError(f"episodes file: {row_id}: ends before it starts")
            episodes.append(episode)
    ids = [e.id for e in episodes]
    if len(set(ids)) != len(ids):
        raise ValueError("episodes file: duplicate ids")
    return tuple(sorted(episodes, key=lambda e: e.start))


@lru_cache(maxsize=1)
def load_episodes() -> tuple[Episode, ...]:
    return parse_episodes(EPISODES_FILE)


def main_episodes() -> tuple[Episode, ...]:
    """Episodes without their sub-phases."""
    return tuple(e for e in load_episodes() if not e.is_phase)


def get_episode(episode_id: str) -> Episode | None:
    return next((e for e in load_episodes() if e.id == episode_id), None)


def episode_at(day: date) -> Episode | None:
    """The main episode in force on `day`, if any (the latest-starting one on overlaps)."""
    active = [e for e in main_episodes() if e.start <= day and (e.end is None or day <= e.end)]
    return active[-1] if active else None

"""FOMC meetings from `reference/fomc_meetings.csv` (data, not code), checked once.

Every regularly scheduled meeting from December 2002 (WALCL starts on 2002-12-18) to the
latest schedule the Fed has published, plus the unscheduled meetings that ended in a public
policy announcement (a rate cut or a purchase programme). Other conference calls are left
out. Dates: federalreserve.gov (fomccalendars.htm, fomchistorical<year>.htm and the press
releases named per row), cross-checked against a second published list (see the README).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

FOMC_FILE = Path(__file__).resolve().parent / "reference" / "fomc_meetings.csv"
CALENDAR_URL = "https://www.federalreserve.gov/monetarypolicy/fomccalendars.htm"
SCHEDULED, UNSCHEDULED = "scheduled", "unscheduled"
KINDS = (SCHEDULED, UNSCHEDULED)
COLUMNS = ("start", "end", "kind", "statement_date", "note", "source")
MAX_MEETING_DAYS = 3  # the longest FOMC meeting is two days; more is a typo


@dataclass(frozen=True)
class FomcMeeting:
    start: date
    end: date
    kind: str  # SCHEDULED or UNSCHEDULED
    statement_date: date  # the day the decision was announced
    note: str
    source: str

    @property
    def unscheduled(self) -> bool:
        return self.kind == UNSCHEDULED

    def label(self) -> str:
        """ "FOMC 28–29 Jan 2025" / "FOMC 15 Mar 2020 (unscheduled)"."""
        if self.start == self.end:
            days = f"{self.end.day} {self.end:%b %Y}"
        elif self.start.month == self.end.month:
            days = f"{self.start.day}–{self.end.day} {self.end:%b %Y}"
        else:
            days = f"{self.start.day} {self.start:%b}–{self.end.day} {self.end:%b %Y}"
        return f"FOMC {days}" + (" (unscheduled)" if self.unscheduled else "")


def _day(text: str | None, field: str, line: int) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValueError(
            f"FOMC meetings file: line {line}: {field} '{text}' is not a YYYY-MM-DD date"
        ) from None


def parse_fomc_meetings(text: str) -> tuple[FomcMeeting, ...]:
    """Meetings from CSV text, checked: known kind, start ≤ end within MAX_MEETING_DAYS, the
    statement on or up to a day after the end, sorted, no duplicates. A ValueError names the
    bad line."""
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"FOMC meetings file: line 1: missing column(s) {', '.join(missing)}")
    meetings: list[FomcMeeting] = []
    for line, row in enumerate(reader, start=2):
        kind = (row.get("kind") or "").strip()
        if kind not in KINDS:
            raise ValueError(f"FOMC meetings file: line {line}: unknown kind '{kind}'")
        meeting = FomcMeeting(
            start=_day(row.get("start"), "start", line),
            end=_day(row.get("end"), "end", line),
            kind=kind,
            statement_date=_day(row.get("statement_date"), "statement_date", line),
            note=(row.get("note") or "").strip(),
            source=(row.get("source") or "").strip(),
        )
        if not 0 <= (meeting.end - meeting.start).days < MAX_MEETING_DAYS:
            raise ValueError(f"FOMC meetings file: line {line}: end must be 0-2 days after start")
        if not 0 <= (meeting.statement_date - meeting.end).days <= 1:
            raise ValueError(
                f"FOMC meetings file: line {line}: statement_date must be the end date "
                "or the day after"
            )
        if meetings and meeting.start <= meetings[-1].end:
            raise ValueError(f"FOMC meetings file: line {line}: out of order or a duplicate")
        meetings.append(meeting)
    return tuple(meetings)


@lru_cache(maxsize=1)
def load_fomc_meetings() -> tuple[FomcMeeting, ...]:
    return parse_fomc_meetings(FOMC_FILE.read_text(encoding="utf-8"))


def meetings_between(
    meetings: tuple[FomcMeeting, ...], start: date, end: date
) -> tuple[FomcMeeting, ...]:
    """The meetings whose statement falls within [start, end]."""
    return tuple(m for m in meetings if start <= m.statement_date <= end)

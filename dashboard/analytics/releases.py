"""When the next H.4.1 (the Fed's weekly balance sheet, source of WALCL, WRESBAL and
WTREGEN) is expected: pure date arithmetic, no network.

The rule: the Board publishes H.4.1 weekly, normally on Thursday at 4:30 p.m. Eastern Time,
with data as of the Wednesday before. When that Thursday, or the Wednesday before it, is a
Federal Reserve holiday, the release moves to the next business day (we expect the Friday).
The Board can move a release for other reasons, so the result is always labelled
"expected" and linked to the Board's own schedule (`SCHEDULE_URL`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SCHEDULE_URL = "https://www.federalreserve.gov/releases/h41/"
EASTERN = ZoneInfo("America/New_York")
RELEASE_TIME = time(16, 30)  # 4:30 p.m. Eastern Time
THURSDAY = 3
# Fixed-date Federal Reserve holidays (month, day). Only Wednesdays and Thursdays matter
# here, so the Saturday/Sunday observance rules never apply. Juneteenth since 2021.
FIXED_HOLIDAYS = ((1, 1), (7, 4), (11, 11), (12, 25))
JUNETEENTH_FROM = 2021


@dataclass(frozen=True)
class ExpectedRelease:
    day: date
    moved: bool  # True when a holiday moved it off its Thursday

    def text(self) -> str:
        """ "Thu 2026-12-03, 4:30 p.m. ET"."""
        return f"{self.day:%a %Y-%m-%d}, 4:30 p.m. ET"


def is_fed_holiday(day: date) -> bool:
    """A Federal Reserve holiday falling on a weekday (enough for Wednesdays and Thursdays):
    New Year's Day, Juneteenth, Independence Day, Veterans Day, Thanksgiving (fourth
    Thursday of November) and Christmas. The Monday holidays never touch the release."""
    if (day.month, day.day) in FIXED_HOLIDAYS:
        return True
    if (day.month, day.day) == (6, 19) and day.year >= JUNETEENTH_FROM:
        return True
    return day.month == 11 and day.weekday() == THURSDAY and 22 <= day.day <= 28


def release_for_week(thursday: date) -> ExpectedRelease:
    """The expected release day of the H.4.1 normally published on `thursday`."""
    if not (is_fed_holiday(thursday) or is_fed_holiday(thursday - timedelta(days=1))):
        return ExpectedRelease(thursday, False)
    day = thursday + timedelta(days=1)
    while day.weekday() >= 5 or is_fed_holiday(day):
        day += timedelta(days=1)
    return ExpectedRelease(day, True)


def next_h41_release(now: datetime) -> ExpectedRelease:
    """The first expected release at or after `now` (an aware datetime; a naive one is read
    as UTC). A release is "next" until its 4:30 p.m. ET publication time has passed."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo("UTC"))
    local = now.astimezone(EASTERN)
    thursday = local.date() + timedelta(days=(THURSDAY - local.weekday()) % 7)
    thursday -= timedelta(days=7)  # last week's release may have been moved into this week
    while True:
        release = release_for_week(thursday)
        if datetime.combine(release.day, RELEASE_TIME, EASTERN) > local:
            return release
        thursday += timedelta(days=7)

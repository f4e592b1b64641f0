"""When a series' next observation should be out, from its release cadence.

Times are UTC. Eastern time is taken as UTC-5 all year: an hour late in summer, which only
delays a refresh check, never triggers one too early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from pandas.tseries.offsets import BDay

from dashboard.catalog import SeriesInfo

ET_OFFSET = timedelta(hours=5)
RETRY_AFTER_FAILURE = timedelta(minutes=15)
MIN_RECHECK = timedelta(hours=1)


def _at_et(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) + ET_OFFSET


def _next_bday(day: date) -> date:
    return (datetime(day.year, day.month, day.day) + BDay(1)).date()


def expected_next_release(info: SeriesInfo, last_obs: date) -> datetime:
    """The UTC time after which the observation following `last_obs` should be published."""
    if info.frequency == "W-WED":
        # H.4.1: Wednesday data, published Thursday 4:30 pm ET of the following week.
        return _at_et(last_obs + timedelta(days=8), 16, 30)
    if info.frequency == "W-FRI":
        # NFCI (Wednesday) and STLFSI (Thursday) follow the Friday they describe.
        return _at_et(last_obs + timedelta(days=13), 10)
    if info.source in {"yahoo", "lbma"}:
        # Market closes are known the same evening.
        nxt = last_obs + timedelta(days=1) if info.frequency == "D7" else _next_bday(last_obs)
        return _at_et(nxt, 18)
    nxt = last_obs + timedelta(days=1) if info.frequency == "D7" else _next_bday(last_obs)
    # FRED posts daily H.15/NY Fed rates the next business day in the morning.
    return _at_et(_next_bday(nxt), 10)


def stale_after(info: SeriesInfo) -> timedelta:
    """Grace beyond the expected release before we call data stale (holidays, slow posts)."""
    return timedelta(days=3) if not info.is_weekly else timedelta(days=7)


@dataclass(frozen=True)
class Freshness:
    due: bool  # a refresh could bring a newer observation
    stale: bool  # overdue by more than the grace period
    age_days: int  # days since the last observation


def assess(info: SeriesInfo, last_obs: date, now: datetime) -> Freshness:
    expected = expected_next_release(info, last_obs)
    return Freshness(
        due=now >= expected,
        stale=now >= expected + stale_after(info),
        age_days=(now.date() - last_obs).days,
    )

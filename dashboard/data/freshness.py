"""When a series' next observation should be out, from its release cadence.

The rules (times in New York time, converted to UTC with daylight saving):

- H.4.1 weekly ("W-WED": WALCL, WRESBAL, WTREGEN, ...): data for a Wednesday is published the
  next day, Thursday, at 4:30 pm.
- Weekly Friday indices ("W-FRI"): NFCI/ANFCI for a week ending Friday come out the following
  Wednesday at 8:30 am; STLFSI4 the following Thursday (we wait until 10 am).
- Daily FRED series ("D": H.15 rates, ICE spreads, SOFR...): each business day's value is
  posted the next business day (U.S. federal holidays skipped); we look from 10 am.
- Daily including weekends ("D7" on FRED: IORB, DFF, target range): weekend values are posted
  the next business day too.
- Monthly/quarterly ("MS"/"QS", dated the period's first day): released a fixed time after the
  period, per series (GDP: ~4 weeks after the quarter ends, at 8:30 am; the delinquency rates
  ~7 weeks after; the SLOOS early in the second month of the quarter it is dated).
- Market closes (Yahoo, LBMA): known the same evening (6 pm); crypto's UTC day closes at
  midnight UTC, so a day's close is due just after that.

`assess` says whether a refresh could bring something new (`due`) and whether the data is
overdue by more than a grace period for holidays and slow posts (`stale`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache

import numpy as np
from pandas.tseries.holiday import USFederalHolidayCalendar

from dashboard.catalog import SeriesInfo

try:
    from zoneinfo import ZoneInfo

    NEW_YORK: tzinfo = ZoneInfo("America/New_York")
except Exception:  # noqa: BLE001 - no tz database: standard time all year (late, never early)
    from datetime import timezone

    NEW_YORK = timezone(timedelta(hours=-5), "EST")

RETRY_AFTER_FAILURE = timedelta(minutes=15)
MIN_RECHECK = timedelta(hours=1)
WEDNESDAY, THURSDAY = 2, 3
# Weekday and New York time at which a W-FRI index for a week is published, per series.
WEEKLY_FRIDAY_RELEASE = {"NFCI": (WEDNESDAY, time(8, 30)), "ANFCI": (WEDNESDAY, time(8, 30))}
WEEKLY_FRIDAY_DEFAULT = (THURSDAY, time(10, 0))
PERIOD_MONTHS = {"MS": 1, "QS": 3}
# When a period's observation is released, per series: (months, days) after the period's first
# day, at a New York time. Earliest usual dates, so a refresh is never tried too late.
PERIODIC_RELEASE = {
    "GDP": (3, 24, time(8, 30)),  # BEA advance estimate, ~4 weeks after the quarter ends
    "DRCCLACBS": (3, 50, time(16, 15)),  # charge-off/delinquency rates, ~7 weeks after
    "DRTSCILM": (1, 0, time(14, 0)),  # SLOOS: early in the 2nd month of the quarter dated
}
PERIODIC_DEFAULT = {"MS": (1, 30, time(10, 0)), "QS": (3, 30, time(10, 0))}
# Release dates of periodic series move around (and slipped in the 2025 shutdown).
PERIODIC_GRACE = {"MS": timedelta(days=14), "QS": timedelta(days=30)}


def at_new_york(day: date, clock: time) -> datetime:
    """The UTC instant of `clock` New York time on `day`."""
    return datetime.combine(day, clock, tzinfo=NEW_YORK).astimezone(UTC)


@cache
def _federal_holidays() -> np.ndarray:
    # Computed once, for the years any series can be about (pandas' default span, 1970-2200,
    # would cost a page load twice as much).
    days = USFederalHolidayCalendar().holidays("1990-01-01", "2100-12-31")
    return days.to_numpy().astype("datetime64[D]")


def next_business_day(day: date, federal_holidays: bool = True) -> date:
    """The first weekday after `day` (skipping U.S. federal holidays unless told not to)."""
    holidays = _federal_holidays() if federal_holidays else np.array([], dtype="datetime64[D]")
    after = np.datetime64(day + timedelta(days=1), "D")
    return np.busday_offset(after, 0, roll="forward", holidays=holidays).astype(object)


def _next_weekday(day: date, weekday: int) -> date:
    """The first date strictly after `day` falling on `weekday` (Monday = 0)."""
    return day + timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def expected_next_release(info: SeriesInfo, last_obs: date) -> datetime:
    """The UTC time after which the observation following `last_obs` should be published."""
    if info.frequency in PERIOD_MONTHS:
        next_obs = add_months(last_obs, PERIOD_MONTHS[info.frequency])
        months, days, clock = PERIODIC_RELEASE.get(info.id, PERIODIC_DEFAULT[info.frequency])
        return at_new_york(add_months(next_obs, months) + timedelta(days=days), clock)
    if info.frequency == "W-WED":
        next_obs = _next_weekday(last_obs, WEDNESDAY)
        return at_new_york(next_obs + timedelta(days=1), time(16, 30))
    if info.frequency == "W-FRI":
        weekday, clock = WEEKLY_FRIDAY_RELEASE.get(info.id, WEEKLY_FRIDAY_DEFAULT)
        next_obs = last_obs + timedelta(days=7)
        return at_new_york(_next_weekday(next_obs, weekday), clock)
    if info.source in {"yahoo", "lbma"}:
        if info.frequency == "D7":
            # A crypto day is a UTC day: its close exists once that day has ended.
            return datetime.combine(last_obs + timedelta(days=2), time(0, 15), tzinfo=UTC)
        next_obs = next_business_day(last_obs, federal_holidays=False)
        return at_new_york(next_obs, time(18, 0))
    if info.frequency == "D7":
        next_obs = last_obs + timedelta(days=1)
    else:
        next_obs = next_business_day(last_obs)
    return at_new_york(next_business_day(next_obs), time(10, 0))


def stale_after(info: SeriesInfo) -> timedelta:
    """Grace beyond the expected release before we call data stale (holidays, slow posts)."""
    if info.frequency in PERIODIC_GRACE:
        return PERIODIC_GRACE[info.frequency]
    return timedelta(days=7) if info.is_weekly else timedelta(days=3)


@dataclass(frozen=True)
class Freshness:
    due: bool  # a refresh could bring a newer observation
    stale: bool  # overdue by more than the grace period
    age_days: int  # days since the last observation
    expected: datetime  # when the next observation should be out (UTC)


def assess(info: SeriesInfo, last_obs: date, now: datetime) -> Freshness:
    """How fresh data ending on `last_obs` is at `now` (an aware datetime; naive = UTC)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    expected = expected_next_release(info, last_obs)
    return Freshness(
        due=now >= expected,
        stale=now >= expected + stale_after(info),
        age_days=(now.astimezone(UTC).date() - last_obs).days,
        expected=expected,
    )

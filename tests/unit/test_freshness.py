"""Release cadence: when the next observation is due, and when data counts as stale.

Expected times are worked out by hand from the publishers' calendars (New York time, with
daylight saving) and written in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.catalog import SERIES, get_info
from dashboard.data.freshness import assess, expected_next_release


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("series_id", "last_obs", "expected"),
    [
        # H.4.1: Wednesday 2024-01-17's data is out Thursday 2024-01-18, 4:30 pm EST.
        ("WALCL", date(2024, 1, 10), utc(2024, 1, 18, 21, 30)),
        # ...and in summer at 4:30 pm EDT.
        ("WTREGEN", date(2024, 7, 10), utc(2024, 7, 18, 20, 30)),
        # Daily H.15: Wednesday's yield is posted Thursday morning.
        ("DGS10", date(2024, 1, 9), utc(2024, 1, 11, 15, 0)),
        # Friday before Martin Luther King Jr. Day: next value is Tuesday's, posted Wednesday.
        ("DGS10", date(2024, 1, 12), utc(2024, 1, 17, 15, 0)),
        # Friday before Labor Day in summer time.
        ("SOFR", date(2024, 8, 30), utc(2024, 9, 4, 14, 0)),
        # Seven-day series: Saturday's IORB is posted on Monday.
        ("IORB", date(2024, 1, 5), utc(2024, 1, 8, 15, 0)),
        # An ETF's close is known the same evening.
        ("SPY", date(2024, 1, 9), utc(2024, 1, 10, 23, 0)),
        ("SPY", date(2024, 1, 12), utc(2024, 1, 15, 23, 0)),  # Friday -> Monday
        # Bitcoin's UTC day of 2024-01-10 ends at midnight UTC.
        ("BTC-USD", date(2024, 1, 9), utc(2024, 1, 11, 0, 15)),
        # NFCI for the week to Friday 2024-01-12 is out Wednesday 2024-01-17, 8:30 am EST.
        ("NFCI", date(2024, 1, 5), utc(2024, 1, 17, 13, 30)),
        # STLFSI4 for the same week on Thursday.
        ("STLFSI4", date(2024, 1, 5), utc(2024, 1, 18, 15, 0)),
        # GDP is dated the quarter's first day: after Q4 2023 (2023-10-01) comes Q1 2024, whose
        # advance estimate BEA published Thursday 2024-04-25 at 8:30 am EDT.
        ("GDP", date(2023, 10, 1), utc(2024, 4, 25, 12, 30)),
        # The July 2026 SLOOS (dated 2026-07-01) after April's: early August, 2 pm EDT.
        ("DRTSCILM", date(2026, 4, 1), utc(2026, 8, 1, 18, 0)),
    ],
)
def test_frs001_next_release(series_id, last_obs, expected):
    assert expected_next_release(get_info(series_id), last_obs) == expected


def test_frs002_due_exactly_at_release_not_a_minute_before():
    walcl = get_info("WALCL")
    release = utc(2024, 1, 18, 21, 30)
    assert not assess(walcl, date(2024, 1, 10), release - timedelta(minutes=1)).due
    assert assess(walcl, date(2024, 1, 10), release).due


@pytest.mark.parametrize(
    ("series_id", "last_obs", "grace_days"),
    [
        ("WALCL", date(2024, 1, 10), 7),
        ("DGS10", date(2024, 1, 9), 3),
        ("SPY", date(2024, 1, 9), 3),
        ("GDP", date(2024, 1, 1), 30),
    ],
)
def test_frs003_stale_only_after_the_grace_period(series_id, last_obs, grace_days):
    info = get_info(series_id)
    release = expected_next_release(info, last_obs)
    just_before = assess(info, last_obs, release + timedelta(days=grace_days, seconds=-1))
    after = assess(info, last_obs, release + timedelta(days=grace_days))
    assert just_before.due and not just_before.stale
    assert after.stale
    assert after.age_days == ((release + timedelta(days=grace_days)).date() - last_obs).days


def test_frs004_age_counts_calendar_days_and_naive_now_is_utc():
    walcl = get_info("WALCL")
    aware = assess(walcl, date(2024, 1, 10), utc(2024, 1, 20, 23, 59))
    naive = assess(walcl, date(2024, 1, 10), datetime(2024, 1, 20, 23, 59))
    assert aware == naive and aware.age_days == 10


@given(
    info=st.sampled_from([s for s in SERIES if s.source != "derived"]),
    last_obs=st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
)
def test_frs005_never_due_before_the_next_observation_can_exist(info, last_obs):
    """Whatever the series and date, the next value cannot be out before its day has ended,
    and it is expected within two weeks (no series is forgotten); a monthly or quarterly value
    (dated its period's first day) not before its period has begun, and within two months of
    its period's end."""
    expected = expected_next_release(info, last_obs)
    end_of_next_day = datetime.combine(last_obs + timedelta(days=2), datetime.min.time(), UTC)
    assert expected >= end_of_next_day - timedelta(hours=5)  # New York's evening of that day
    period_days = {"MS": 31, "QS": 92}.get(info.frequency)
    if period_days is None:
        assert expected - end_of_next_day < timedelta(days=16)
    else:
        assert expected.date() > last_obs + timedelta(days=period_days)
        assert expected.date() - last_obs < timedelta(days=2 * period_days + 62)

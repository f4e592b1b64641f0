"""As-of alignment: every aligned value is the latest observation on or before its date.

Expected values come from a brute-force scan written here, not from pandas' own as-of tools.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.data.align import align_frame, asof_join, to_daily, to_weekly, wednesday_grid


def series(pairs) -> pd.Series:
    return pd.Series(
        [v for _, v in pairs], index=pd.DatetimeIndex([d for d, _ in pairs], name="date")
    )


def brute_asof(pairs, day):
    """(value, age in days) of the latest pair dated on or before `day`, or (None, None)."""
    before = [(d, v) for d, v in pairs if pd.Timestamp(d) <= pd.Timestamp(day)]
    if not before:
        return None, None
    d, v = max(before, key=lambda p: pd.Timestamp(p[0]))
    return v, (pd.Timestamp(day) - pd.Timestamp(d)).days


# Daily reverse repo-like values on business days around a Wednesday.
DAILY = [
    ("2024-01-02", 680.0),
    ("2024-01-03", 690.0),  # Wednesday
    ("2024-01-04", 700.0),
    ("2024-01-05", 710.0),
    ("2024-01-08", 650.0),
    ("2024-01-09", 640.0),
    ("2024-01-12", 600.0),
]


def test_aln001_wednesday_value_comes_from_that_wednesday_or_before():
    weekly = to_weekly(series(DAILY))
    assert list(weekly.index.strftime("%Y-%m-%d")) == ["2024-01-03", "2024-01-10"]
    assert weekly["2024-01-03"] == 690.0  # the same day
    assert weekly["2024-01-10"] == 640.0  # Tuesday's; never Friday's 600


def test_aln002_ages_of_carried_values():
    grid = pd.DatetimeIndex(["2024-01-01", "2024-01-03", "2024-01-07", "2024-01-10", "2024-01-20"])
    frame = asof_join(series(DAILY), grid)
    assert frame["value"].isna().tolist() == [True, False, False, False, False]
    assert frame["value"].tolist()[1:] == [690.0, 710.0, 640.0, 600.0]
    assert frame["age_days"].tolist()[1:] == [0.0, 2.0, 1.0, 8.0]


def test_aln003_values_older_than_the_limit_are_dropped():
    grid = pd.DatetimeIndex(["2024-01-10", "2024-01-20"])
    frame = asof_join(series(DAILY), grid, max_age_days=7)
    assert frame["value"].tolist()[0] == 640.0
    assert pd.isna(frame["value"].tolist()[1])  # 8 days old
    assert frame["age_days"].tolist() == [1.0, 8.0]  # the age still says why


def test_aln004_weekly_carried_onto_days():
    weekly = series([("2024-01-03", 7.70), ("2024-01-10", 7.68)])
    days = pd.date_range("2024-01-02", "2024-01-12", freq="D")
    daily = to_daily(weekly, days)
    assert pd.isna(daily["2024-01-02"])  # before the first Wednesday: unknown
    assert (daily["2024-01-03":"2024-01-09"] == 7.70).all()
    assert (daily["2024-01-10":] == 7.68).all()
    assert (
        to_daily(weekly, days, max_age_days=3)["2024-01-07"] != to_daily(weekly, days)["2024-01-07"]
    )


def test_aln005_wednesday_grid_bounds():
    grid = wednesday_grid(pd.Timestamp("2024-01-04"), pd.Timestamp("2024-01-31"))
    assert list(grid.strftime("%Y-%m-%d")) == [
        "2024-01-10",
        "2024-01-17",
        "2024-01-24",
        "2024-01-31",
    ]
    assert all(d.weekday() == 2 for d in grid)


def test_aln006_align_frame_on_the_union_of_dates():
    weekly = series([("2024-01-03", 7.70), ("2024-01-10", 7.68)])
    daily = series([("2024-01-04", 700.0), ("2024-01-09", 640.0)])
    frame = align_frame({"walcl": weekly, "rrp": daily})
    assert list(frame.index.strftime("%Y-%m-%d")) == [
        "2024-01-03",
        "2024-01-04",
        "2024-01-09",
        "2024-01-10",
    ]
    assert frame["walcl"].tolist() == [7.70, 7.70, 7.70, 7.68]
    assert frame["rrp"].isna().tolist() == [True, False, False, False]
    assert frame["rrp"].tolist()[1:] == [700.0, 640.0, 640.0]


def test_aln007_empty_inputs():
    empty = pd.Series(dtype="float64", index=pd.DatetimeIndex([], name="date"))
    grid = pd.DatetimeIndex(["2024-01-03"])
    assert asof_join(empty, grid)["value"].isna().all()
    assert to_weekly(empty).empty
    assert asof_join(series(DAILY), pd.DatetimeIndex([])).empty


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 6, 30))


@settings(max_examples=150, deadline=None)
@given(
    obs=st.dictionaries(dates, st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40),
    grid_days=st.lists(dates, min_size=1, max_size=30, unique=True),
    max_age=st.one_of(st.none(), st.integers(0, 30)),
)
def test_aln008_matches_a_brute_force_scan(obs, grid_days, max_age):
    pairs = [(d.isoformat(), v) for d, v in obs.items()]
    shuffled = series(pairs)  # unsorted on purpose: the helper must not rely on order
    grid = pd.DatetimeIndex(sorted(grid_days))
    frame = asof_join(shuffled, grid, max_age_days=max_age)
    for day, value, age in zip(grid, frame["value"], frame["age_days"]):
        want, want_age = brute_asof(pairs, day)
        if want is None:
            assert pd.isna(value) and pd.isna(age)
            continue
        assert age == want_age
        if max_age is not None and want_age > max_age:
            assert pd.isna(value)
        else:
            assert value == want


@settings(max_examples=100, deadline=None)
@given(
    obs=st.dictionaries(dates, st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=40),
    cut=dates,
)
def test_aln009_no_look_ahead(obs, cut):
    """Changing anything after a date never changes what is aligned on or before it."""
    pairs = [(d.isoformat(), v) for d, v in obs.items()]
    altered = [(d, v + 1.0 if date.fromisoformat(d) > cut else v) for d, v in pairs]
    altered.append(((cut + timedelta(days=1)).isoformat(), 123456.0))
    grid = pd.date_range("2020-01-01", cut.isoformat(), freq="D")
    before = asof_join(series(pairs), grid)
    after = asof_join(series(altered), grid)
    pd.testing.assert_frame_equal(before, after)
    weekly = wednesday_grid(grid[0], grid[-1]) if len(grid) else grid
    pd.testing.assert_series_equal(
        to_weekly(series(pairs), weekly, None), to_weekly(series(altered), weekly, None)
    )

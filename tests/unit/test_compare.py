"""Pair statistics on small hand-written series, each checked against a computation done
another way (numpy on hand-aligned arrays, explicit arithmetic)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import compare as stats


def _series(pairs: dict[str, float]) -> pd.Series:
    index = pd.DatetimeIndex(pd.to_datetime(list(pairs)), name="date")
    return pd.Series(list(pairs.values()), index=index, dtype="float64")


def _weekly(values, start="2024-01-03") -> pd.Series:
    """One observation per Wednesday from `start`."""
    index = pd.date_range(start, periods=len(values), freq="W-WED", name="date")
    return pd.Series(np.asarray(values, dtype="float64"), index=index)


# A deterministic, irregular sequence (no randomness): weekly moves of a made-up series.
MOVES = np.array([math.sin(1.7 * k) + 0.6 * math.cos(0.37 * k * k) for k in range(160)])


def test_cmp001_change_units_follow_change_kind():
    assert stats.change_unit("log", "U.S. Dollars per share") == (100.0, "%")
    assert stats.change_unit("diff", "Percent") == (100.0, "bp")
    assert stats.change_unit("diff", "Basis points") == (1.0, "bp")
    assert stats.change_unit("diff", "Index") == (1.0, "Index")
    assert stats.weekly_change_unit("log", "Millions of U.S. Dollars") == "log %"
    assert stats.weekly_change_unit("diff", "Percent") == "bp"


def test_cmp002_observation_asof_takes_last_on_or_before():
    s = _series({"2024-03-01": 10.0, "2024-03-04": 11.0, "2024-03-20": 12.0})
    # Saturday and Sunday see Friday's value; a Monday sees its own.
    assert stats.observation_asof(s, pd.Timestamp("2024-03-03")).value == 10.0
    assert stats.observation_asof(s, pd.Timestamp("2024-03-04")).value == 11.0
    assert stats.observation_asof(s, pd.Timestamp("2024-02-29")) is None
    # 2024-03-19 is 15 days after the last observation before it: too old for a 7-day limit.
    assert stats.observation_asof(s, pd.Timestamp("2024-03-19"), max_age_days=7) is None
    used = stats.observation_asof(s, pd.Timestamp("2024-03-10"), max_age_days=7)
    assert (str(used.date), used.value) == ("2024-03-04", 11.0)


def test_cmp003_period_changes_use_asof_bases():
    s = _series(
        {
            "2023-08-30": 80.0,  # base of 1Y (2024-08-30 − 1 year)
            "2023-12-29": 90.0,  # Friday: the YTD base (as of 2023-12-31, a Sunday)
            "2024-05-30": 95.0,  # base of 3M (2024-08-30 − 3 months)
            "2024-05-31": 96.0,  # after the 3M base date: must not be used for it
            "2024-07-30": 98.0,  # base of 1M
            "2024-08-23": 99.0,  # base of 1W
            "2024-08-30": 100.0,
        }
    )
    changes = {c.label: c for c in stats.period_changes(s, "log", "Index")}
    assert str(changes["1W"].base.date) == "2024-08-23"
    assert changes["1W"].change == pytest.approx((100 / 99 - 1) * 100)
    assert changes["1M"].change == pytest.approx((100 / 98 - 1) * 100)
    assert str(changes["3M"].base.date) == "2024-05-30"
    assert changes["3M"].change == pytest.approx((100 / 95 - 1) * 100)
    assert str(changes["YTD"].base.date) == "2023-12-29"
    assert changes["YTD"].change == pytest.approx((100 / 90 - 1) * 100)
    assert changes["1Y"].change == pytest.approx(25.0)
    assert {c.unit for c in changes.values()} == {"%"}


def test_cmp004_period_changes_of_rates_are_basis_points_and_na_without_history():
    s = _series(
        {
            "2024-04-01": 3.90,  # 59 days before the 3M base date: too old to stand in
            "2024-07-29": 4.10,
            "2024-08-23": 4.25,
            "2024-08-30": 4.31,
        }
    )
    changes = {c.label: c for c in stats.period_changes(s, "diff", "Percent")}
    assert changes["1W"].change == pytest.approx(6.0)
    assert changes["1W"].unit == "bp"
    assert changes["1M"].change == pytest.approx(21.0)  # base: 2024-07-29, as of 2024-07-30
    assert changes["3M"].change is None and changes["3M"].base is None
    assert changes["1Y"].change is None
    assert stats.period_changes(pd.Series(dtype="float64"), "log", "Index") == []


def test_cmp005_window_stats_match_numpy():
    values = [5.0, 7.0, 6.0, 9.0, 8.0]
    s = _series(
        {
            "2024-01-01": 4.0,  # before the 90-day window; the window's change base
            "2024-02-01": values[0],
            "2024-02-15": values[1],
            "2024-03-01": values[2],
            "2024-03-15": values[3],
            "2024-03-31": values[4],
        }
    )
    w = stats.window_stats(s, "log", "Index", days=90)
    assert w.count == 5
    assert w.mean == pytest.approx(np.mean(values))
    assert (w.min, w.max) == (5.0, 9.0)
    assert w.std == pytest.approx(np.std(values, ddof=1))
    assert w.change == pytest.approx((8.0 / 4.0 - 1) * 100)
    with pytest.raises(ValueError):
        stats.window_stats(pd.Series(dtype="float64"), "log", "Index")


def test_cmp006_weekly_changes_sample_each_wednesday_as_of():
    # Daily prices; Wednesday 2024-01-10 is missing, so Tuesday's close stands in for it.
    s = _series(
        {
            "2024-01-03": 100.0,
            "2024-01-09": 104.0,
            "2024-01-11": 999.0,  # after Wednesday 01-10: must not be used for it
            "2024-01-17": 102.0,
        }
    )
    grid = pd.date_range("2024-01-03", "2024-01-17", freq="W-WED")
    log_changes = stats.weekly_changes(s, "log", "U.S. Dollars per share", grid)
    assert math.isnan(log_changes.iloc[0])
    assert log_changes.iloc[1] == pytest.approx(math.log(104 / 100) * 100)
    assert log_changes.iloc[2] == pytest.approx(math.log(102 / 104) * 100)
    diffs = stats.weekly_changes(s / 100, "diff", "Percent", grid)
    assert diffs.iloc[1] == pytest.approx(4.0)  # 1.00 → 1.04 percent = +4 bp
    # A level more than a week old is not carried: the weeks around a gap have no change.
    gappy = _series({"2024-01-03": 1.0, "2024-01-31": 2.0})
    weeks = pd.date_range("2024-01-03", "2024-01-31", freq="W-WED")
    gap_changes = stats.weekly_changes(gappy, "diff", "Index", weeks)
    assert gap_changes.iloc[1] == 0.0  # 01-10 still sees 01-03's level (7 days old)
    assert gap_changes.iloc[2:].isna().all()  # 01-17 and 01-24 have none; 01-31 has no base


def test_cmp007_correlations_match_numpy_on_aligned_arrays():
    a = _weekly(100 * np.exp(np.cumsum(MOVES) / 100))
    b_moves = 0.5 * MOVES + np.cos(2.3 * np.arange(MOVES.size))
    b = _weekly(3 + np.cumsum(b_moves) / 100)
    changes = stats.pair_weekly_changes(a, "log", "Index", b, "diff", "Percent")
    x = np.diff(np.log(a.to_numpy())) * 100
    y = np.diff(b.to_numpy()) * 100
    full = stats.correlation_windows(changes)[2]
    assert full.n == x.size
    assert full.r == pytest.approx(np.corrcoef(x, y)[0, 1])
    one_year = stats.correlation_windows(changes)[0]
    # Changes dated after (last week − 1 year): the last 52 weeks.
    assert one_year.n == 52
    assert one_year.r == pytest.approx(np.corrcoef(x[-52:], y[-52:])[0, 1])


def test_cmp008_rolling_correlation_matches_numpy_windows():
    a = _weekly(np.cumsum(MOVES))
    b = _weekly(np.cumsum(np.roll(MOVES, 2) + 0.3 * np.sin(np.arange(MOVES.size))))
    changes = stats.pair_weekly_changes(a, "diff", "Index", b, "diff", "Index")
    rolling = stats.rolling_correlation(changes, window=52, min_pairs=40)
    x, y = np.diff(a.to_numpy()), np.diff(b.to_numpy())
    # Row i of `changes` holds change i − 1; the window ending at row i holds rows i−51..i.
    for end_row in (60, 100, 159):
        lo = end_row - 51
        expected = np.corrcoef(x[max(lo - 1, 0) : end_row], y[max(lo - 1, 0) : end_row])[0, 1]
        assert rolling.iloc[end_row] == pytest.approx(expected)
    # Fewer than 40 pairs: no value.
    assert rolling.iloc[:40].isna().all()


def test_cmp009_cross_correlation_finds_the_lead():
    # b repeats a's weekly move three weeks later: a leads b by 3 weeks.
    a = _weekly(np.cumsum(MOVES))
    b_moves = np.concatenate([np.cos(np.arange(3)), MOVES[:-3]])
    b = _weekly(np.cumsum(b_moves))
    changes = stats.pair_weekly_changes(a, "diff", "Index", b, "diff", "Index")
    result = stats.cross_correlation(changes, max_lag=26)
    assert result.peak_lag == 3
    assert result.peak_r == pytest.approx(1.0)
    assert result.significant
    x, y = np.diff(a.to_numpy()), np.diff(b.to_numpy())
    for lag in (-5, 0, 7):
        if lag >= 0:
            expected = np.corrcoef(x[: x.size - lag], y[lag:])[0, 1]
            pairs = x.size - lag
        else:
            expected = np.corrcoef(x[-lag:], y[: y.size + lag])[0, 1]
            pairs = x.size + lag
        assert result.table.loc[lag, "r"] == pytest.approx(expected)
        assert result.table.loc[lag, "n"] == pairs
        assert result.table.loc[lag, "band"] == pytest.approx(1.96 / math.sqrt(pairs))
    assert list(result.table.index) == list(range(-26, 27))
    sentence = stats.lead_lag_sentence(result, "Alpha", "Beta")
    assert sentence.startswith("Alpha leads Beta by 3 weeks")
    assert "same direction" in sentence and "The peak is significant" in sentence


def test_cmp010_lead_lag_sentence_other_cases():
    a = _weekly(np.cumsum(MOVES))
    b_moves = np.concatenate([-MOVES[2:], np.zeros(2)])  # b moves first, opposite sign
    b = _weekly(np.cumsum(b_moves))
    result = stats.cross_correlation(
        stats.pair_weekly_changes(a, "diff", "Index", b, "diff", "Index")
    )
    assert result.peak_lag == -2
    assert stats.lead_lag_sentence(result, "Alpha", "Beta").startswith(
        "Beta leads Alpha by 2 weeks: Alpha tends to move in the opposite direction"
    )
    same = stats.cross_correlation(
        stats.pair_weekly_changes(a, "diff", "Index", a * 2, "diff", "Index")
    )
    assert same.peak_lag == 0
    assert stats.lead_lag_sentence(same, "A", "B").startswith("Neither leads")
    tiny = stats.cross_correlation(
        stats.pair_weekly_changes(a.iloc[:10], "diff", "Index", a.iloc[:10], "diff", "Index")
    )
    assert tiny.peak_lag is None
    assert "Too few" in stats.lead_lag_sentence(tiny, "A", "B")


def test_cmp011_peak_inside_the_band_is_not_significant():
    lags = range(-2, 3)
    table = pd.DataFrame(
        {"r": [0.05, -0.08, 0.02, 0.09, 0.01], "n": [100] * 5, "band": [0.196] * 5},
        index=pd.Index(lags, name="lag"),
    )
    result = stats.LeadLag(table, 1, 0.09, 100, 0.196)
    assert not result.significant and result.crossings == 0
    sentence = stats.lead_lag_sentence(result, "A", "B")
    assert sentence.startswith("No reliable lead or lag: the strongest link, A leading B by 1 week")
    assert "inside the band" in sentence
    crossing = stats.LeadLag(table.assign(r=[0.05, -0.08, 0.02, 0.30, 0.01]), 1, 0.30, 100, 0.196)
    assert crossing.significant and crossing.crossings == 1
    assert "1 of 5 lags clear the band" in stats.lead_lag_sentence(crossing, "A", "B")


def test_cmp012_zscore_spread_is_standardised_over_the_range():
    a = _weekly(100 * np.exp(np.cumsum(MOVES) / 50))
    b = _weekly(2 + np.cumsum(MOVES[::-1]) / 10)
    z = stats.zscore_spread(a, "log", b, "diff", "2024-06-01", "2025-06-30")
    assert z.index[0] >= pd.Timestamp("2024-06-01") and z.index[-1] <= pd.Timestamp("2025-06-30")
    window_a = np.log(a[(a.index >= "2024-06-01") & (a.index <= "2025-06-30")].to_numpy())
    expected_a = (window_a - window_a.mean()) / window_a.std()
    np.testing.assert_allclose(z["za"].to_numpy(), expected_a)
    assert z["zb"].mean() == pytest.approx(0, abs=1e-12)
    assert z["zb"].std(ddof=0) == pytest.approx(1)
    np.testing.assert_allclose(z["spread"], z["za"] - z["zb"])


def test_cmp013_linear_fit_matches_polyfit():
    x = MOVES[:80]
    y = 0.7 * x + np.cos(np.arange(80))
    changes = pd.DataFrame({"a": x, "b": y})
    fit = stats.linear_fit(changes)
    slope, intercept = np.polyfit(x, y, 1)
    assert fit.slope == pytest.approx(slope)
    assert fit.intercept == pytest.approx(intercept)
    assert fit.r2 == pytest.approx(np.corrcoef(x, y)[0, 1] ** 2)
    assert fit.n == 80
    assert math.isnan(stats.linear_fit(changes.iloc[:2]).slope)


def test_cmp014_overlap_grid_and_ranges():
    a = _series({"2024-01-01": 1.0, "2024-03-01": 2.0})
    b = _series({"2024-02-01": 1.0, "2024-06-01": 2.0})
    grid = stats.overlap_grid(a, b)
    assert grid[0] == pd.Timestamp("2024-02-07") and grid[-1] == pd.Timestamp("2024-02-28")
    assert stats.overlap_grid(a, _series({"2025-01-01": 1.0})).empty
    end, first = pd.Timestamp("2026-08-19"), pd.Timestamp("2002-12-18")
    assert stats.range_start(end, "5Y", first) == pd.Timestamp("2021-08-19")
    assert stats.range_start(end, "MAX", first) == first
    assert stats.range_start(end, "10Y", pd.Timestamp("2020-01-01")) == pd.Timestamp("2020-01-01")


def test_cmp015_lead_lag_figure_draws_the_band_and_marks_crossings():
    from dashboard.figures.compare import COLOR_B, lead_lag_figure

    table = pd.DataFrame(
        {"r": [0.05, 0.30, -0.02], "n": [100, 100, 100], "band": [0.196] * 3},
        index=pd.Index([-1, 0, 1], name="lag"),
    )
    fig = lead_lag_figure(stats.LeadLag(table, 0, 0.30, 100, 0.196), "A", "B")
    bars = fig.data[0]
    assert list(bars.marker.color).count(COLOR_B) == 1  # only lag 0 clears the band
    upper, lower = fig.data[1], fig.data[2]
    assert list(upper.y) == pytest.approx([1.96 / 10] * 3)
    assert list(lower.y) == pytest.approx([-1.96 / 10] * 3)
    assert "positive: A moves first" in fig.layout.xaxis.title.text
    assert fig.layout.yaxis.title.text == "Correlation r of weekly changes"


def test_cmp016_number_formats_carry_units():
    from dashboard.figures.compare import format_change, format_dispersion, format_level

    assert format_level(6_745_699.0, "Millions of U.S. Dollars") == "$6,745.7 bn"
    assert format_level(2.75, "Percent") == "2.75 %"
    assert format_level(4482.95, "U.S. Dollars per troy ounce") == "$4,482.95/oz"
    assert format_level(73032.76, "U.S. Dollars") == "$73,033"
    assert format_level(float("nan"), "Percent") == "n/a"
    assert format_change(-19.0, "bp") == "−19 bp"
    assert format_change(1.5366, "%") == "+1.54 %"
    assert format_change(936.79, "%") == "+937 %"
    assert format_change(-120_000.0, "Millions of U.S. Dollars") == "−$120.0 bn"
    assert format_change(None, "%") == "n/a"
    assert format_dispersion(0.046, "Percent") == "4.6 bp"

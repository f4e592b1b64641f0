"""Compare statistics on the real series in ../shared/data/series, against numbers computed
another way: values read with the csv module, Wednesdays found by hand, np.corrcoef on the
hand-aligned arrays. Also the page's callbacks called as plain functions."""

from __future__ import annotations

import bisect
import csv
import importlib
import math
import statistics
from datetime import date, timedelta

import numpy as np
import pytest

from dashboard.analytics import compare as stats
from tests.conftest import SHARED_SERIES, requires_shared


def read_csv(series_id: str) -> tuple[list[date], list[float]]:
    dates, values = [], []
    with open(SHARED_SERIES / f"{series_id}.csv", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for day, value in reader:
            if value.strip() not in ("", "."):
                dates.append(date.fromisoformat(day))
                values.append(float(value))
    return dates, values


def asof(data, day: date, max_age: int | None = 7) -> float | None:
    dates, values = data
    i = bisect.bisect_right(dates, day) - 1
    if i < 0 or (max_age is not None and (day - dates[i]).days > max_age):
        return None
    return values[i]


def hand_weekly_changes(id_a: str, log_a: bool, id_b: str, log_b: bool):
    """Weekly changes on every Wednesday of the overlap, computed without pandas."""
    a, b = read_csv(id_a), read_csv(id_b)
    first, last = max(a[0][0], b[0][0]), min(a[0][-1], b[0][-1])
    day = first + timedelta(days=(2 - first.weekday()) % 7)  # first Wednesday
    weeks = []
    while day <= last:
        weeks.append(day)
        day += timedelta(days=7)

    def changes(data, log, scale):
        levels = [asof(data, w) for w in weeks]
        out = [None]
        for prev, cur in zip(levels, levels[1:]):
            if prev is None or cur is None:
                out.append(None)
            else:
                out.append((math.log(cur) - math.log(prev)) * 100 if log else (cur - prev) * scale)
        return out

    return weeks, changes(a, log_a, 100), changes(b, log_b, 100)


@pytest.fixture
def page(dash_app, snapshot_store):
    return importlib.import_module("dashboard.pages.compare")


def _changes(store, a, b):
    da, db = store.get(a), store.get(b)
    return stats.pair_weekly_changes(
        da.values, da.info.change_kind, da.info.units, db.values, db.info.change_kind, db.info.units
    )


@requires_shared
def test_cmr001_walcl_tlt_correlation_matches_hand_alignment(snapshot_store):
    weeks, x, y = hand_weekly_changes("WALCL", True, "TLT", True)
    pairs = [(p, q) for p, q in zip(x, y) if p is not None and q is not None]
    px, py = np.array(pairs).T
    windows = stats.correlation_windows(_changes(snapshot_store, "WALCL", "TLT"))
    full = windows[2]
    assert full.n == len(pairs)
    assert full.r == pytest.approx(np.corrcoef(px, py)[0, 1], abs=1e-12)
    assert windows[0].r == pytest.approx(np.corrcoef(px[-52:], py[-52:])[0, 1], abs=1e-12)
    assert windows[1].r == pytest.approx(np.corrcoef(px[-156:], py[-156:])[0, 1], abs=1e-12)
    assert windows[2].last == weeks[-1]


@requires_shared
def test_cmr002_lead_lag_peak_matches_shifted_arrays(snapshot_store):
    # A rate spread against the balance sheet: differences in bp against log changes.
    weeks, x, y = hand_weekly_changes("WALCL", True, "BAMLH0A0HYM2", False)
    result = stats.cross_correlation(_changes(snapshot_store, "WALCL", "BAMLH0A0HYM2"))
    best = None
    for lag in range(-26, 27):
        pairs = [
            (x[t], y[t + lag])
            for t in range(len(weeks))
            if 0 <= t + lag < len(weeks) and x[t] is not None and y[t + lag] is not None
        ]
        px, py = np.array(pairs).T
        r = np.corrcoef(px, py)[0, 1]
        assert result.table.loc[lag, "r"] == pytest.approx(r, abs=1e-12)
        assert result.table.loc[lag, "n"] == len(pairs)
        if best is None or abs(r) > abs(best[1]):
            best = (lag, r, len(pairs))
    assert result.peak_lag == best[0]
    assert result.peak_band == pytest.approx(1.96 / math.sqrt(best[2]))


@requires_shared
def test_cmr003_rolling_correlation_last_value(snapshot_store):
    weeks, x, y = hand_weekly_changes("WALCL", True, "BTC-USD", True)
    rolling = stats.rolling_correlation(_changes(snapshot_store, "WALCL", "BTC-USD"))
    window = [(p, q) for p, q in zip(x[-52:], y[-52:]) if p is not None and q is not None]
    px, py = np.array(window).T
    assert rolling.iloc[-1] == pytest.approx(np.corrcoef(px, py)[0, 1], abs=1e-12)
    assert rolling.index[-1].date() == weeks[-1]


@requires_shared
def test_cmr004_period_changes_and_90_day_stats_match_csv(snapshot_store):
    data = read_csv("SPY")
    last_day, last = data[0][-1], data[1][-1]
    changes = {
        c.label: c
        for c in stats.period_changes(snapshot_store.get("SPY").values, "log", "U.S. Dollars")
    }
    year_ago = date(last_day.year - 1, last_day.month, last_day.day)
    assert changes["1Y"].change == pytest.approx((last / asof(data, year_ago, 14) - 1) * 100)
    dec31 = date(last_day.year - 1, 12, 31)
    assert changes["YTD"].change == pytest.approx((last / asof(data, dec31, 14) - 1) * 100)
    hy = read_csv("BAMLH0A0HYM2")
    hy_last = hy[0][-1]
    window = [v for d, v in zip(*hy) if d > hy_last - timedelta(days=90)]
    w = stats.window_stats(snapshot_store.get("BAMLH0A0HYM2").values, "diff", "Percent")
    assert w.count == len(window)
    assert w.mean == pytest.approx(statistics.fmean(window))
    assert w.std == pytest.approx(statistics.stdev(window))
    assert (w.min, w.max) == (min(window), max(window))
    base = asof(hy, hy_last - timedelta(days=90), 14)
    assert w.change == pytest.approx((hy[1][-1] - base) * 100)
    assert w.change_unit == "bp"


@requires_shared
def test_cmr005_pair_callback_returns_the_measured_numbers(page, snapshot_store):
    summary, correlations, rolling_fig, why, freshness = page.update_pair("WALCL", "TLT", "light")
    weeks, x, y = hand_weekly_changes("WALCL", True, "TLT", True)
    pairs = [(p, q) for p, q in zip(x, y) if p is not None and q is not None]
    px, py = np.array(pairs).T
    assert f"{np.corrcoef(px, py)[0, 1]:+.2f}" in str(correlations)
    assert "The balance sheet and the long bond" in str(why)
    assert "as of" in str(freshness)
    line = next(t for t in rolling_fig.data if t.name == "Fed balance sheet vs TLT")
    tail = [(p, q) for p, q in zip(x[-52:], y[-52:]) if p is not None and q is not None]
    assert line.y[-1] == pytest.approx(np.corrcoef(*np.array(tail).T)[0, 1])
    # Units on every axis.
    assert rolling_fig.layout.yaxis.title.text and rolling_fig.layout.xaxis.title.text
    assert "$" in str(summary) and "Millions of U.S. Dollars" in str(summary)


@requires_shared
def test_cmr006_range_callback_uses_only_the_chosen_range(page, snapshot_store):
    lead_fig, sentence, spread_fig, scatter_fig = page.update_range_views(
        "WALCL", "BAMLH0A0HYM2", "3Y", "dark"
    )
    changes = _changes(snapshot_store, "WALCL", "BAMLH0A0HYM2")
    start = stats.range_start(changes.index[-1], "3Y", changes.index[0])
    visible = changes[changes.index >= start].dropna()
    r2 = np.corrcoef(visible["a"], visible["b"])[0, 1] ** 2
    assert f"R² = {r2:.3f}" in scatter_fig.layout.title.text
    assert scatter_fig.layout.xaxis.title.text == "Fed balance sheet: weekly change (log %)"
    assert scatter_fig.layout.yaxis.title.text == "HY OAS: weekly change (bp)"
    light_scatter = page.update_range_views("WALCL", "BAMLH0A0HYM2", "3Y", "light")[3]
    assert scatter_fig.layout.template != light_scatter.layout.template  # follows the theme
    assert f"Range: {start:%Y-%m-%d}" in sentence
    z_a = next(t for t in spread_fig.data if t.name == "Fed balance sheet")
    assert min(z_a.x) >= start and abs(float(np.mean(z_a.y))) < 1e-9
    assert "Lag in weeks" in lead_fig.layout.xaxis.title.text


def test_cmr007_garbage_urls_fall_back_with_a_notice(page, snapshot_store):
    assert page.resolve_query("WALCL", "SPY", "10y") == ("WALCL", "SPY", "10Y", [])
    a, b, r, notices = page.resolve_query(["x", "y"], "<script>", "forever")
    assert (a, b, r) == (page.DEFAULT_A, page.DEFAULT_B, page.DEFAULT_RANGE)
    assert len(notices) == 3
    text = str(page.layout(a="NOPE", b="BTC-USD"))
    assert "Unknown series 'NOPE'" in text and "'BTC-USD'" in text
    assert page.swap(1, "WALCL", "TLT") == ("TLT", "WALCL")
    assert page.compare_href("NETLIQ", "BTC-USD") == "/compare?a=NETLIQ&b=BTC-USD"

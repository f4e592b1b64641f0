"""The Compare page's lead shift: r at a shift of N weeks is the lead/lag analysis' r at lag N
and what pandas gives on the same real series aligned another way; the URL carries the shift;
bad values are clamped with a notice, never a traceback."""

from __future__ import annotations

import importlib
import math

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import compare as stats
from dashboard.analytics.lead_shift import (
    SHIFT_LIMIT_WEEKS,
    clamp_shift,
    shifted_levels,
    shifted_pair,
)
from tests.conftest import SHARED_SERIES, requires_series


def _csv(series_id: str) -> pd.Series:
    frame = pd.read_csv(SHARED_SERIES / f"{series_id}.csv", na_values=["."])
    values = frame.set_index(pd.to_datetime(frame["observation_date"]))[series_id]
    return values.dropna().astype(float)


def _pandas_log_changes(a: pd.Series, b: pd.Series, years: int) -> pd.DataFrame:
    """Weekly log changes × 100 of both series on the Wednesdays of their overlap (the value
    in force on each Wednesday, at most 7 days old), cut to the last `years` years: built with
    pandas' own resampling tools, not the app's alignment code."""
    first, last = max(a.index[0], b.index[0]), min(a.index[-1], b.index[-1])
    grid = pd.date_range(first, last, freq="W-WED")
    week = pd.Timedelta(days=7)
    levels = pd.DataFrame(
        {
            "a": a.reindex(grid, method="ffill", tolerance=week),
            "b": b.reindex(grid, method="ffill", tolerance=week),
        }
    )
    changes = np.log(levels).diff() * 100.0
    start = max(grid[0], grid[-1] - pd.DateOffset(years=years))
    return changes[changes.index >= start]


@requires_series("TLT", "BTC-USD")
@pytest.mark.parametrize(("id_a", "id_b"), [("WALCL", "TLT"), ("WALCL", "BTC-USD")])
@pytest.mark.parametrize("weeks", [13, -8, 0, 40])
def test_lsh001_r_at_a_shift_is_the_cross_correlation_at_that_lag(id_a, id_b, weeks):
    a, b = _csv(id_a), _csv(id_b)
    aligned = stats.pair_weekly_changes(
        a, "log", "Millions of U.S. Dollars", b, "log", "U.S. Dollars"
    )
    start = stats.range_start(aligned.index[-1], "5Y", aligned.index[0])
    visible = aligned[aligned.index >= start]
    pair = shifted_pair(visible, weeks)
    lag = stats.cross_correlation(visible, max_lag=SHIFT_LIMIT_WEEKS).table.loc[weeks]
    assert pair.n == int(lag["n"]) > 150
    assert pair.r == pytest.approx(float(lag["r"]), abs=1e-12)
    # Independently: pandas' own as-of reindex and Series.corr on the shifted column.
    independent = _pandas_log_changes(a, b, 5)
    assert list(independent.index) == list(visible.index)
    shifted_a = independent["a"].shift(weeks)
    both = shifted_a.notna() & independent["b"].notna()
    assert pair.n == int(both.sum())
    assert pair.r == pytest.approx(shifted_a.corr(independent["b"]), abs=1e-9)


def test_lsh002_levels_are_drawn_n_weeks_later_and_short_pairs_have_no_r():
    grid = pd.date_range("2024-01-03", periods=30, freq="W-WED")
    levels_a = pd.Series(np.arange(30.0), index=grid).where(lambda s: s > 1)  # two weeks absent
    levels_b = pd.Series(np.arange(30.0) ** 2, index=grid)
    a_shifted, b = shifted_levels(levels_a, levels_b, 13)
    assert a_shifted.index[0] == grid[2] + pd.Timedelta(weeks=13)
    assert a_shifted.iloc[0] == 2.0 and len(b) == 30
    back, _ = shifted_levels(levels_a, levels_b, -4)
    assert back.index[0] == grid[2] - pd.Timedelta(weeks=4)
    # A's changes exist from week 3 on; shifted by 13 they meet B's in weeks 16…29: 14 pairs,
    # fewer than the 20 r needs.
    changes = pd.DataFrame({"a": levels_a.diff(), "b": levels_b.diff()})
    pair = shifted_pair(changes, 13)
    assert pair.n == 14 and math.isnan(pair.r)


@pytest.mark.parametrize(
    ("raw", "weeks", "notice"),
    [
        (None, 0, None),
        ("13", 13, None),
        (-8, -8, None),
        ("abc", 0, "Shift 'abc' is not a number of weeks; showing no shift."),
        ("9999", 52, "Shift 9999 weeks is outside −52…+52; showing +52 weeks."),
        ("-60", -52, "Shift -60 weeks is outside −52…+52; showing −52 weeks."),
        ("nan", 0, "Shift is not a number of weeks; showing no shift."),
        ([1, 2], 0, "Shift '[1, 2]' is not a number of weeks; showing no shift."),
        ("2.5", 2, "Shift 2.5 weeks rounded to +2 (whole weeks)."),
    ],
)
def test_lsh003_bad_shift_values_are_clamped_with_a_notice(raw, weeks, notice):
    assert clamp_shift(raw) == (weeks, notice)


def _find(layout, component_id: str):
    """The component with `component_id` in a rendered layout."""
    found = []

    def walk(node):
        if getattr(node, "id", None) == component_id:
            found.append(node)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if hasattr(child, "to_plotly_json"):
                walk(child)

    walk(layout)
    return found[0]


def test_lsh004_the_url_carries_the_shift_and_bad_values_give_a_notice(dash_app):
    page = importlib.import_module("dashboard.pages.compare")
    view = page.layout(a="WALCL", b="TLT", range="3Y", shift="-13")
    assert _find(view, "compare-shift").value == -13
    assert _find(view, "compare-notice").children is None
    bad = page.layout(a="WALCL", b="TLT", shift="abc")
    assert _find(bad, "compare-shift").value == 0
    notice = str(_find(bad, "compare-notice"))
    assert "Shift 'abc' is not a number of weeks; showing no shift." in notice
    huge = page.layout(a="WALCL", b="TLT", shift="9999")
    assert _find(huge, "compare-shift").value == 52
    notice = str(_find(huge, "compare-notice"))
    assert "Shift 9999 weeks is outside −52…+52; showing +52 weeks." in notice


@requires_series("TLT")
def test_lsh005_page_text_gives_r_and_pairs_at_the_shift_as_the_lead_lag_does(
    dash_app, snapshot_store
):
    page = importlib.import_module("dashboard.pages.compare")
    graph, scatter, text, button, disabled, peak = page.callbacks.update_lead_shift(
        "WALCL", "TLT", "5Y", 13, "light"
    )
    da, db = snapshot_store.get("WALCL"), snapshot_store.get("TLT")
    aligned = stats.pair_weekly_changes(
        da.values, "log", da.info.units, db.values, "log", db.info.units
    )
    start = stats.range_start(aligned.index[-1], "5Y", aligned.index[0])
    lead = stats.cross_correlation(aligned[aligned.index >= start], 26)
    row = lead.table.loc[13]
    assert f"r = {row['r']:+.2f} over {int(row['n'])} weekly pairs" in str(text)
    assert f"{int(row['n'])} weekly pairs" in scatter.layout.title.text
    assert graph.data[0].name == "Fed balance sheet, shifted +13 wk"
    assert graph.data[1].name == "TLT"
    assert "Millions of U.S. Dollars" in graph.layout.yaxis.title.text
    assert "U.S. Dollars per share" in graph.layout.yaxis2.title.text
    first_aligned = aligned.index[aligned.index >= start][0]  # WALCL is weekly: never missing
    assert pd.Timestamp(graph.data[0].x[0]) == first_aligned + pd.Timedelta(weeks=13)
    assert peak == lead.peak_lag and not disabled
    sign = "+" if peak > 0 else "−" if peak < 0 else ""
    assert button == f"Use the peak lag ({sign}{abs(peak)} wk)"
    # The button sets the box to that lag; a malformed store value changes nothing.
    assert page.callbacks.use_peak_lag(1, peak) == peak
    assert page.callbacks.use_peak_lag(1, "x") is page.callbacks.no_update
    # Anything the browser sends as the shift gives a figure and a notice, not a traceback.
    for raw in ("abc", 9999, None, {"x": 1}, [3]):
        out = page.callbacks.update_lead_shift("WALCL", "TLT", "5Y", raw, "dark")
        assert out[0].data and isinstance(out[2], list)
    clamped = page.callbacks.update_lead_shift("WALCL", "TLT", "5Y", 9999, "x")
    assert "outside −52…+52" in str(clamped[2]) and clamped[0].data[0].name.endswith("+52 wk")

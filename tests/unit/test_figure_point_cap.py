"""Compare figures draw at most MAX_POINTS points per line and say so on the chart."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dashboard.analytics.compare import LinearFit
from dashboard.figures import compare as figs
from dashboard.figures.common import MAX_POINTS, thin

TODAY = date(2026, 8, 21)


def _weeks(n: int) -> pd.DatetimeIndex:
    return pd.date_range("1700-01-06", periods=n, freq="W-WED", name="date")


def _annotations(fig) -> str:
    return " ".join(a.text or "" for a in fig.layout.annotations)


def test_cap001_thin_keeps_first_last_and_stays_under_cap():
    rows = pd.Series(np.arange(12_345.0), index=_weeks(12_345))
    kept, total = thin(rows, 1000)
    assert total == 12_345 and len(kept) <= 1000
    assert kept.index[-1] == rows.index[-1] and kept.iloc[-1] == 12_344.0
    assert kept.index.is_monotonic_increasing
    small, total = thin(rows.iloc[:50], 1000)
    assert small.equals(rows.iloc[:50]) and total == 50


def test_cap002_long_spread_is_thinned_and_says_so():
    n = 20_000
    pattern = np.array([0.5, -0.25, 1.0, -1.5])
    z = pd.DataFrame(
        {"za": np.resize(pattern, n), "zb": np.resize(pattern[::-1], n)}, index=_weeks(n)
    )
    z["spread"] = z["za"] - z["zb"]
    fig = figs.spread_figure(z, "A", "B", [], TODAY)
    assert all(len(t.x) <= MAX_POINTS for t in fig.data)
    assert f"of {n:,} points" in _annotations(fig)

    rolling = pd.Series(np.resize(pattern / 2, n), index=_weeks(n))
    fig = figs.rolling_correlation_figure(rolling, [], "A", "B", TODAY)
    assert len(fig.data[0].x) <= MAX_POINTS and "Thinned" in _annotations(fig)

    changes = pd.DataFrame({"a": np.resize(pattern, n), "b": np.resize(pattern * 2, n)},
                           index=_weeks(n))
    fit = LinearFit(slope=2.0, intercept=0.0, r2=1.0, n=n)
    fig = figs.scatter_figure(changes, fit, "A", "%", "B", "%")
    assert sum(len(t.x) for t in fig.data if t.mode == "markers") <= MAX_POINTS
    assert "Thinned" in _annotations(fig)


def test_cap003_short_series_are_drawn_whole_without_a_note():
    z = pd.DataFrame({"za": [0.1, 0.2, 0.3], "zb": [0.3, 0.2, 0.1]}, index=_weeks(3))
    z["spread"] = z["za"] - z["zb"]
    fig = figs.spread_figure(z, "A", "B", [], TODAY)
    assert len(fig.data[0].x) == 3 and "Thinned" not in _annotations(fig)

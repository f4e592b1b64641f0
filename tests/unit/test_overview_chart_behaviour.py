"""Overview chart behaviour a trader notices: readable log ticks, a short unified hover with
band details on the band label, legend clicks that cannot contradict the overlay switches."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.overview import OverviewState, SeriesInput, prepare_view
from dashboard.catalog import get_info
from dashboard.episodes import Episode
from dashboard.figures.bands import HOVER_META
from dashboard.figures.overview import (
    GRAPH_META,
    log_tick_values,
    overview_figure,
    tick_label,
)

EPISODE = Episode(
    "QE9",
    "QE9",
    "QE",
    None,
    date(2021, 3, 3),
    date(2021, 3, 3),
    date(2022, 3, 2),
    "The Fed bought a great many bonds for a long time, and said so at length.",
    "https://example.org/qe9",
)


def _view(**state):
    index = pd.date_range("2020-01-01", periods=300, freq="7D", name="date")
    walcl = pd.Series(np.linspace(4e6, 9e6, 300), index=index)
    btc = pd.Series(np.geomspace(5_000, 110_000, 300), index=index)
    inputs = {
        "WALCL": SeriesInput(get_info("WALCL"), walcl, index[-1].date(), "fresh"),
        "BTC-USD": SeriesInput(get_info("BTC-USD"), btc, index[-1].date(), "fresh"),
    }
    return prepare_view(inputs, OverviewState(overlays=("BTC-USD",), **state), [EPISODE])


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (5_000, 110_000, [5e3, 1e4, 2e4, 5e4, 1e5]),
        (3.7, 9.1, [5.0]),  # one 1-2-5 value only: not enough, Plotly's own then
        (150, 900, [200, 500]),
        (0.01, 1e7, [1e-2, 1e0, 1e2, 1e4, 1e6]),  # 10 decades: every other power
        (1e3, 1e6, [1e3, 1e4, 1e5, 1e6]),  # ten 1-2-5 steps would crowd: powers of ten
    ],
)
def test_ovx001_log_ticks_are_1_2_5_or_powers_of_ten(low, high, expected):
    ticks = log_tick_values(low, high)
    assert ticks == pytest.approx(expected if len(expected) >= 2 else [])
    assert all(low <= t <= high for t in ticks) and len(ticks) <= 8


def test_ovx002_log_axis_labels_are_whole_numbers_not_digits():
    fig = overview_figure(_view(log=True), validate=True)
    axis = fig.layout.yaxis2
    assert axis.type == "log" and axis.tickmode == "array"
    assert list(axis.ticktext) == ["5k", "10k", "20k", "50k", "100k"]
    assert [tick_label(v) for v in (0.5, 200, 5e3, 2e6, 3e9)] == ["0.5", "200", "5k", "2M", "3B"]
    # Linear axes keep Plotly's own ticks.
    assert overview_figure(_view(), validate=True).layout.yaxis2.tickmode != "array"


def test_ovx003_band_hover_is_its_name_details_on_the_label():
    fig = overview_figure(_view(), validate=True)
    hover = [t for t in fig.data if t.meta == HOVER_META]
    assert hover and all(t.hovertemplate == "<b>QE9</b><extra></extra>" for t in hover)
    label = next(a for a in fig.layout.annotations if a.name == "episode-label-QE9")
    assert "bought a great many bonds" in label.hovertext and "2021-03-03" in label.hovertext


def test_ovx004_legend_clicks_cannot_hide_a_line_behind_the_switches():
    fig = overview_figure(_view(), validate=True)
    assert fig.layout.legend.itemclick is False and fig.layout.legend.itemdoubleclick is False
    assert [t.name for t in fig.data if t.meta == GRAPH_META] == ["Fed balance sheet", "Bitcoin"]


def test_ovx005_card_colours_follow_the_effect_on_liquidity(dash_app):
    import importlib

    from dashboard.analytics.overview import Change, Headline

    page = importlib.import_module("dashboard.pages.overview")

    def colour(series_id, absolute):
        card = Headline(
            series_id, "t", 1.0, "$ bn", date(2026, 8, 5), (Change(7, absolute, 1.0),), "$ bn"
        )
        text = str(page.headline_card(card))
        found = [c for c in ("success", "danger") if f"text-{c}" in text]
        assert len(found) == 1
        return found[0]

    assert colour("WTREGEN", +30.0).startswith("danger")  # TGA up drains reserves
    assert colour("WTREGEN", -30.0).startswith("success")
    assert colour("RRPONTSYD", +5.0).startswith("danger")
    assert colour("WALCL", +30.0).startswith("success")
    assert colour("WRESBAL", -30.0).startswith("danger")


def test_ovx006_net_liquidity_card_states_its_formula(dash_app):
    import importlib

    from dashboard.analytics.overview import Headline

    page = importlib.import_module("dashboard.pages.overview")
    card = Headline("NETLIQ", "Net liquidity", 5.7, "$ tn", date(2026, 8, 5), (), "$ bn")
    assert "WALCL − TGA − RRP" in str(page.headline_card(card))
    other = Headline("WALCL", "Fed balance sheet", 6.6, "$ tn", date(2026, 8, 5), (), "$ bn")
    assert "WALCL − TGA − RRP" not in str(page.headline_card(other))

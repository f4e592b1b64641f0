"""Gauge and history figures: what a user sees is where the numbers say it is."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.analytics.triggers import FIRING, QUIET, Spell
from dashboard.episodes import Episode
from dashboard.figures import triggers as figs


def test_trgfig001_gauge_needle_bands_and_firing_mark():
    fig = figs.gauge_figure(62.5, QUIET, "light")
    gauge = fig.data[0]
    assert gauge.type == "indicator" and gauge.value == 62.5
    assert [tuple(step.range) for step in gauge.gauge.steps] == [(0, 75), (75, 100)]
    assert gauge.gauge.threshold.value == 100
    assert gauge.gauge.bar.color == figs.STATUS_COLORS[QUIET]
    assert figs.gauge_figure(100.0, FIRING).data[0].gauge.bar.color == figs.STATUS_COLORS[FIRING]


def test_trgfig002_gauge_follows_the_theme_and_shows_no_number_without_data():
    dark = figs.gauge_figure(10, QUIET, "dark")
    light = figs.gauge_figure(10, QUIET, "light")
    assert dark.layout.font.color == figs.LINE_COLOR["dark"]
    assert light.layout.font.color == figs.LINE_COLOR["light"]
    assert dark.layout.paper_bgcolor == "rgba(0,0,0,0)"  # the card shows through
    empty = figs.gauge_figure(None, "no data")
    assert empty.data[0].mode == "gauge" and empty.data[0].value == 0


def test_trgfig003_history_threshold_fired_strip_and_episode_bands():
    # Reserves in millions, drawn in billions: threshold 3,000,000 → 3,000 on the axis.
    days = pd.date_range("2019-01-02", periods=10, freq="7D")
    values = pd.Series(
        [3.1e6, 2.9e6, 2.8e6, 3.2e6, 3.3e6, 2.95e6, 3.1e6, 3.2e6, 3.3e6, 3.4e6], index=days
    )
    spells = [
        Spell(days[1].date(), days[2].date(), False, 14),
        Spell(days[5].date(), days[5].date(), False, 7),
    ]
    episode = Episode(
        "QTX",
        "QT test",
        "QT",
        None,
        date(2019, 1, 1),
        date(2019, 1, 1),
        date(2019, 2, 1),
        "runoff",
        "https://example.org",
    )
    fig = figs.history_figure(
        values,
        3_000_000.0,
        "<",
        "millions of USD",
        spells,
        [episode],
        date(2019, 6, 1),
        "light",
        calm=3_200_000.0,
    )
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert sorted(s.y0 for s in lines) == [3000.0, 3200.0]
    strip = next(t for t in fig.data if t.meta == figs.FIRED_STRIP_META)
    assert strip.yaxis == "y2" and strip.fill == "toself"
    # One rectangle per spell: its left edge at the spell start, at least 4 days wide.
    corners = [pd.Timestamp(x) for x in strip.x if x is not None]
    assert corners[0] == days[1] and corners[1] == days[2]
    assert corners[5] == days[5] and corners[6] == days[5] + pd.Timedelta(days=4)
    assert list(strip.x).count(None) == 2
    assert any(s.name == "episode-QTX" for s in fig.layout.shapes)
    assert fig.layout.yaxis.title.text == "Billions of USD"
    series, firing = fig.data[0], fig.data[1]
    assert list(series.y) == [v / 1000 for v in values]
    # The red firing line is drawn exactly on the firing observations.
    drawn = [pd.Timestamp(x) for x, y in zip(firing.x, firing.y) if y == y]
    assert drawn == [days[1], days[2], days[5]]
    assert any("threshold < $3.00T" in (a.text or "") for a in fig.layout.annotations)


def test_trgfig004_history_without_values_says_so():
    fig = figs.history_figure(
        pd.Series(dtype="float64"), 0.0, ">", "index", [], [], date(2025, 1, 1)
    )
    assert "No history" in fig.layout.annotations[0].text


def test_trgfig005_change_triggers_say_so_on_the_axis():
    days = pd.date_range("2024-01-03", periods=3, freq="7D")
    fig = figs.history_figure(
        pd.Series([1.0e5, 2.0e5, 3.0e5], index=days),
        1.0e5,
        "≥",
        "millions of USD",
        [],
        [],
        date(2024, 6, 1),
        axis_note="change over 13 weeks",
    )
    assert fig.layout.yaxis.title.text == "Billions of USD, change over 13 weeks"

"""Overview figure and episode bands, built from small hand-written views."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.analytics.overview import OverviewState, SeriesInput, prepare_view
from dashboard.catalog import get_info
from dashboard.episodes import Episode
from dashboard.figures import bands
from dashboard.figures.overview import GRAPH_META, overview_figure, short_units


def _episode(id_, kind, start, end, parent=None):
    return Episode(
        id_, id_, kind, parent, start, start, end, f"what {id_} did", f"https://example.org/{id_}"
    )


EPISODES = [
    _episode("QEA", "QE", date(2020, 3, 15), date(2020, 9, 30)),
    _episode("QEA1", "QE", date(2020, 5, 1), date(2020, 6, 1), parent="QEA"),  # sub-phase
    _episode("QTA", "QT", date(2021, 6, 1), date(2022, 3, 1)),
    _episode("OLD", "QE", date(2010, 1, 1), date(2011, 1, 1)),  # outside every window below
    _episode("NOW", "RMP", date(2022, 6, 1), None),
]


def _inputs():
    days = pd.bdate_range("2020-01-01", "2022-12-30", name="date")
    wednesdays = pd.date_range("2020-01-01", "2022-12-28", freq="W-WED", name="date")
    ramp = np.linspace(1.0, 2.0, len(days))
    series = {
        "WALCL": pd.Series(np.linspace(4e6, 9e6, len(wednesdays)), index=wednesdays),
        "NETLIQ": pd.Series(np.linspace(3e6, 6e6, len(wednesdays)), index=wednesdays),
        "TLT": pd.Series(100 * ramp, index=days),
        "BAMLH0A0HYM2": pd.Series(3 * ramp, index=days),
        "BTC-USD": pd.Series(10000 * ramp, index=days),
        "LBMA_GOLD_PM_USD": pd.Series(1500 * ramp, index=days),
    }
    return {k: SeriesInput(get_info(k), v, v.index[-1].date(), "fresh") for k, v in series.items()}


def _fig(theme="light", **state) -> tuple[go.Figure, object]:
    view = prepare_view(_inputs(), OverviewState(**state), EPISODES)
    return overview_figure(view, theme), view


def _lines(fig):
    return [t for t in fig.data if t.meta == GRAPH_META]


def test_ovf001_default_view_has_walcl_and_four_overlays_on_their_own_axes():
    fig, view = _fig()
    lines = _lines(fig)
    assert [t.name for t in lines] == ["Fed balance sheet", "TLT", "HY OAS", "Bitcoin", "Gold"]
    assert [t.yaxis for t in lines] == ["y", "y2", "y3", "y4", "y5"]
    layout = fig.layout
    assert layout.yaxis.title.text == "Fed balance sheet (WALCL), $ trillions"
    assert layout.yaxis2.title.text == "TLT, $ per share"
    assert layout.yaxis3.title.text == "HY OAS, %"
    assert layout.yaxis4.title.text == "Bitcoin, $"
    assert layout.yaxis5.title.text == "Gold, $ per troy oz"
    for n in (2, 3, 4, 5):
        axis = layout[f"yaxis{n}"]
        assert (axis.side, axis.overlaying) == ("right", "y")
    # Plotted values are exactly the view's values (WALCL in trillions).
    assert list(lines[0].y) == pytest.approx(list(view.lines[0].values))
    assert lines[0].y[-1] == pytest.approx(9.0)
    assert list(lines[0].x[:2]) == ["2020-01-01", "2020-01-08"]


def test_ovf002_right_axes_do_not_overlap():
    fig, _ = _fig()
    positions = [fig.layout[f"yaxis{n}"].position for n in (3, 4, 5)]
    domain_right = fig.layout.xaxis.domain[1]
    assert domain_right < 1
    assert positions == sorted(positions) and len(set(positions)) == 3
    assert all(domain_right < p <= 1 for p in positions)


def test_ovf003_rebased_puts_every_line_on_one_index_axis():
    fig, view = _fig(rebase="start", netliq=True)
    lines = _lines(fig)
    assert len(lines) == 6 and {t.yaxis for t in lines} == {"y"}
    assert (
        "rebased" in fig.layout.yaxis.title.text
        and "100 = 2020-01-01" in fig.layout.yaxis.title.text
    )
    for trace in lines:
        assert trace.y[0] == pytest.approx(100.0)
    # TLT: 100*ramp rebased at its first value (100) equals 100*ramp.
    tlt = next(t for t in lines if t.name == "TLT")
    assert tlt.y[-1] == pytest.approx(200.0)
    assert any(s.name == "rebase-100" and s.y0 == 100 for s in fig.layout.shapes)


def test_ovf004_stacked_panels_share_one_zoom():
    fig, _ = _fig(mode="stacked", overlays=("TLT", "BTC-USD"))
    lines = _lines(fig)
    # One date axis for every panel: one zoom, one crosshair, one hover listing each panel.
    assert [(t.xaxis, t.yaxis) for t in lines] == [("x", "y"), ("x", "y2"), ("x", "y3")]
    assert fig.layout.hoversubplots == "axis" and fig.layout.hovermode == "x unified"
    assert fig.layout.xaxis.anchor == "y3"  # date ticks under the bottom panel
    domains = [fig.layout.yaxis.domain, fig.layout.yaxis2.domain, fig.layout.yaxis3.domain]
    for upper, lower in zip(domains, domains[1:]):
        assert lower[1] < upper[0]  # stacked top to bottom without overlap
    assert "$ per share" in fig.layout.yaxis2.title.text
    assert fig.layout.xaxis.rangeslider.visible


def test_ovf005_log_scale_only_where_all_values_are_positive():
    fig, _ = _fig(log=True)
    assert {fig.layout[f"yaxis{n}" if n > 1 else "yaxis"].type for n in range(1, 6)} == {"log"}
    inputs = _inputs()
    idx = inputs["TLT"].values.index
    spread = pd.Series(np.linspace(-0.5, 1.0, len(idx)), index=idx)
    inputs["T10Y2Y"] = SeriesInput(get_info("T10Y2Y"), spread, idx[-1].date(), "fresh")
    view = prepare_view(inputs, OverviewState(overlays=("TLT", "T10Y2Y"), log=True), [])
    fig = overview_figure(view)
    assert (fig.layout.yaxis2.type, fig.layout.yaxis3.type) == ("log", "linear")


def test_ovf006_bands_cover_visible_main_episodes_at_their_dates():
    fig, view = _fig()
    shapes = [s for s in fig.layout.shapes if (s.name or "").startswith("episode-")]
    assert [s.name for s in shapes] == ["episode-QEA", "episode-QTA", "episode-NOW"]
    by_name = {s.name: s for s in shapes}
    assert (by_name["episode-QEA"].x0, by_name["episode-QEA"].x1) == ("2020-03-15", "2020-09-30")
    # The ongoing episode runs to the end of the window.
    assert by_name["episode-NOW"].x1 == f"{view.end:%Y-%m-%d}"
    assert by_name["episode-QTA"].fillcolor == bands.KIND_COLORS["QT"]
    assert all(s.yref == "paper" and (s.y0, s.y1) == (0, 1) for s in shapes)


def test_ovf007_band_hover_lives_on_a_hidden_axis():
    fig, _ = _fig()
    hover = [t for t in fig.data if t.meta == bands.HOVER_META]
    assert len(hover) == 3
    assert {t.yaxis for t in hover} == {bands.HOVER_AXIS}
    axis = fig.layout[bands.HOVER_AXIS_KEY]
    assert axis.visible is False and tuple(axis.range) == (0, 1) and axis.overlaying == "y"
    # No data axis carries a hover trace, so none has its range stretched by one.
    assert not any(t.yaxis == "y" for t in hover)
    qea = next(t for t in hover if t.name == "QEA")
    # The unified hover names the band; its details and statement link are on its label.
    assert qea.hovertemplate == "<b>QEA</b><extra></extra>"
    label = next(a for a in fig.layout.annotations if a.name == "episode-label-QEA")
    assert "what QEA did" in label.hovertext and "https://example.org/QEA" in label.text
    # Hover points sit on WALCL's own dates inside the band, so the unified hover header
    # always names a date the series have.
    walcl_dates = set(_lines(fig)[0].x)
    assert set(qea.x) <= walcl_dates
    assert qea.x[0] == "2020-03-18" and qea.x[-1] == "2020-09-30"
    assert all("2020-03-15" <= x <= "2020-09-30" for x in qea.x)


def test_ovf007b_hover_positions_without_data_dates_span_the_band():
    x0, x1 = pd.Timestamp("2020-01-01"), pd.Timestamp("2020-01-10")
    xs = bands.hover_positions(x0, x1, pd.Timedelta(days=4), None)
    assert xs == [x0, pd.Timestamp("2020-01-05"), pd.Timestamp("2020-01-09"), x1]
    dates = pd.date_range("2019-12-25", "2020-01-15", freq="D")
    xs = bands.hover_positions(x0, x1, pd.Timedelta(days=4), dates)
    assert (
        xs[0] == x0
        and xs[-1] == x1
        and all(b - a >= pd.Timedelta(days=1) for a, b in zip(xs, xs[1:]))
    )


def test_ovf008_bands_toggle_off():
    fig, _ = _fig(episodes=False)
    assert not [s for s in fig.layout.shapes if (s.name or "").startswith("episode-")]
    assert not [t for t in fig.data if t.meta == bands.HOVER_META]
    assert not [a for a in fig.layout.annotations if a.name == "episode-key"]


def test_ovf009_band_key_lists_the_kinds_shown():
    fig, _ = _fig()
    key = next(a for a in fig.layout.annotations if a.name == "episode-key")
    assert "QE" in key.text and "QT" in key.text and "Reserve-mgmt" in key.text
    assert "Twist" not in key.text and "Emergency" not in key.text


def test_ovf010_label_rows_keep_close_labels_apart():
    start, end = date(2020, 1, 1), date(2021, 1, 1)
    spans = [
        (pd.Timestamp("2020-06-01"), pd.Timestamp("2020-06-10")),
        (pd.Timestamp("2020-06-05"), pd.Timestamp("2020-06-20")),
        (pd.Timestamp("2020-12-01"), pd.Timestamp("2020-12-20")),
    ]
    rows = bands.label_rows(spans, ["Long label one", "Long label two", "Far"], start, end)
    assert rows[0] != rows[1] and rows[2] == 0


def test_ovf011_add_episode_bands_still_works_on_any_figure():
    fig = go.Figure(go.Scatter(x=["2020-01-01", "2022-01-01"], y=[1, 2]))
    bands.add_episode_bands(fig, EPISODES, date(2020, 1, 1), date(2022, 12, 31), date(2022, 12, 31))
    assert len(fig.layout.shapes) == 3 and len(fig.data) == 4
    assert fig.data[0].yaxis in (None, "y")
    assert {t.yaxis for t in fig.data[1:]} == {bands.HOVER_AXIS}


def test_ovf012_themes_change_template_and_background():
    light, _ = _fig("light")
    dark, _ = _fig("dark")
    assert light.layout.paper_bgcolor != dark.layout.paper_bgcolor
    assert light.layout.template.layout.paper_bgcolor != dark.layout.template.layout.paper_bgcolor
    assert _lines(light)[0].line.color != _lines(dark)[0].line.color


def test_ovf013_export_variant_has_title_footer_and_no_slider():
    view = prepare_view(_inputs(), OverviewState(), EPISODES)
    fig = overview_figure(
        view, title="T", footer="a<br>b", rangeslider=False, width=1200, height=700
    )
    assert fig.layout.title.text == "T" and fig.layout.width == 1200
    assert fig.layout.height >= 700
    assert not fig.layout.xaxis.rangeslider.visible
    footer = next(a for a in fig.layout.annotations if a.name == "footer")
    assert footer.text == "a<br>b" and footer.y < 0  # below the plot area


def test_ovf014_empty_view_gives_a_message_figure():
    view = prepare_view({}, OverviewState(), EPISODES)
    fig = overview_figure(view)
    assert not fig.data and "No data" in fig.layout.annotations[0].text


def test_ovf015_short_units():
    assert short_units("U.S. Dollars per share") == "$ per share"
    assert short_units("Index, 100 = first value on/after 2016-08-21") == "index, 100 = 2016-08-21"
    assert short_units("Something new") == "Something new"


@pytest.mark.parametrize(
    "state",
    [
        {},
        {"mode": "stacked"},
        {"rebase": "start", "netliq": True, "log": True},
        {"mode": "stacked", "rebase": "start", "log": True},
        {"episodes": False, "overlays": ()},
    ],
)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_ovf016_every_variant_passes_plotly_validation(state, theme):
    # The page skips validation for speed; here every property must be one Plotly knows.
    view = prepare_view(_inputs(), OverviewState(**state), EPISODES)
    for kwargs in (
        {},
        {"title": "T", "footer": "f", "rangeslider": False, "width": 1400, "height": 800},
    ):
        fig = overview_figure(view, theme, validate=True, **kwargs)
        strict = go.Figure(fig.to_dict())  # raises ValueError on any unknown property
        fast = overview_figure(view, theme, **kwargs)
        assert strict.to_dict() == go.Figure(fast.to_dict()).to_dict()

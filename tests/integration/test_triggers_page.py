"""The Triggers page's layout and callbacks called as plain functions on the real snapshot."""

from __future__ import annotations

import importlib

import pandas as pd
import pytest
from dash import no_update
from dash.exceptions import PreventUpdate

from dashboard.analytics import triggers as engine
from tests.conftest import SHARED_SERIES, find_component, requires_series


@pytest.fixture
def page(dash_app, snapshot_store):
    return importlib.import_module("dashboard.pages.triggers")


def texts(component) -> str:
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    children = getattr(component, "children", None)
    items = children if isinstance(children, (list, tuple)) else [children]
    return " ".join(texts(c) for c in items)


def test_trgpage001_one_card_and_gauge_per_trigger_firing_first(page):
    layout = page.layout()
    grid = find_component(layout, page.GRID)
    cards = [col.children for col in grid.children]
    ids = [card.id["trigger"] for card in cards]
    assert sorted(ids) == sorted(t.id for t in engine.load_triggers())
    readings = find_component(layout, page.READINGS_STORE).data
    assert ids == [r["id"] for r in readings]
    statuses = [r["status"] for r in readings]
    order = {"firing": 0, "approaching": 1, "quiet": 2, "no data": 3}
    assert statuses == sorted(statuses, key=order.get)
    for card in cards:
        assert find_component(card, {"type": page.GAUGE, "trigger": card.id["trigger"]}) is not None
        assert find_component(card, {"type": page.HISTORY_BUTTON, "trigger": card.id["trigger"]})
    assert find_component(layout, page.PHASE_BANNER) is not None
    assert find_component(layout, page.FRESHNESS) is not None


def test_trgpage002_open_query_opens_that_history_and_garbage_gets_a_notice(page):
    opened = page.layout(open="hy_spread_stress")
    assert find_component(opened, page.HISTORY_MODAL).is_open is True
    assert find_component(opened, page.SELECTED_STORE).data == "hy_spread_stress"
    bad = page.layout(open="<script>x</script>" * 10)
    assert find_component(bad, page.HISTORY_MODAL).is_open is False
    assert "There is no trigger" in texts(find_component(bad, page.NOTICE))


@requires_series("BAMLH0A0HYM2")
def test_trgpage003_history_callback_draws_threshold_and_spells(page):
    title, figure, details = page.render_history("hy_spread_stress", "dark")
    assert title == "HY spread at stress level"
    assert any(s.type == "line" and s.y0 == 5.0 for s in figure.layout.shapes)
    hy = pd.read_csv(SHARED_SERIES / "BAMLH0A0HYM2.csv")
    values = pd.to_numeric(hy.iloc[:, 1], errors="coerce").dropna()
    assert list(figure.data[0].y) == list(values)
    _, light, _ = page.render_history("hy_spread_stress", "light")
    dark_bg = figure.layout.template.layout.plot_bgcolor
    assert dark_bg != light.layout.template.layout.plot_bgcolor  # follows the theme
    assert "Fired from" in texts(details)
    with pytest.raises(PreventUpdate):
        page.render_history(None, "light")
    title, _, _ = page.render_history("nope", "light")
    assert title == "Unknown trigger"


def test_trgpage004_clicks_open_and_close_the_history(page):
    gauge = {"type": page.GAUGE_AREA, "trigger": "rrp_drained"}
    button = {"type": page.HISTORY_BUTTON, "trigger": "nfci_tight"}
    assert page.history_request(gauge, 1) == ("rrp_drained", True)
    assert page.history_request(button, 2) == ("nfci_tight", True)
    assert page.history_request(page.HISTORY_CLOSE, 1) == (no_update, False)
    with pytest.raises(PreventUpdate):
        page.history_request(gauge, 0)  # re-rendered, not clicked


def test_trgpage005_gauges_redrawn_in_the_theme_from_the_page_readings(page):
    readings = find_component(page.layout(), page.READINGS_STORE).data
    gauge_ids = [{"type": page.GAUGE, "trigger": r["id"]} for r in reversed(readings)]
    figures = page.restyle_gauges("dark", gauge_ids, readings)
    by_id = {r["id"]: r for r in readings}
    for gauge_id, fig in zip(gauge_ids, figures):
        assert fig.data[0].value == pytest.approx(by_id[gauge_id["trigger"]]["proximity"] or 0)
    with pytest.raises(PreventUpdate):
        page.restyle_gauges("dark", [], readings)
    # A forged id or reading list draws an empty gauge rather than failing.
    junk = page.restyle_gauges("light", ["not-a-dict", {"trigger": "nope"}], [1, "x"])
    assert [fig.data[0].mode for fig in junk] == ["gauge", "gauge"]

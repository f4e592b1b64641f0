"""Overview callbacks and layout called as plain functions on the real snapshot; expected
numbers are computed here from the CSV files with the csv module."""

from __future__ import annotations

import base64
import csv
import importlib
from datetime import date, timedelta

import pytest
from dash import no_update

from dashboard.analytics.overview import DEFAULT_OVERLAYS, OverviewState, state_to_query
from dashboard.figures.bands import HOVER_META
from dashboard.figures.overview import GRAPH_META
from tests.conftest import REAL_SERIES, requires_series


@pytest.fixture
def page(dash_app, snapshot_store):
    return importlib.import_module("dashboard.pages.overview")


def _file(series_id: str) -> list[tuple[date, float]]:
    with open(REAL_SERIES / f"{series_id}.csv", newline="") as handle:
        rows = [
            (date.fromisoformat(r["observation_date"]), r[series_id])
            for r in csv.DictReader(handle)
        ]
    return [(d, float(v)) for d, v in rows if v not in ("", ".")]


DEFAULT_ARGS = (
    list(DEFAULT_OVERLAYS),
    "MAX",
    "off",
    False,
    "axes",
    True,
    False,
    None,
    "light",
    0,
    "",
)


def _texts(component) -> str:
    """All text in a Dash component tree."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(_texts(c) for c in component)
    return _texts(getattr(component, "children", None))


def _find(component, id_):
    if getattr(component, "id", None) == id_:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = _find(child, id_)
            if found is not None:
                return found
    return None


@requires_series("TLT", "BTC-USD", "LBMA_GOLD_PM_USD")
def test_ovc001_default_chart_has_walcl_and_four_overlays(page):
    fig, config, search, notice, freshness, *_ = page.update_chart(*DEFAULT_ARGS)
    lines = [t for t in fig.data if t.meta == GRAPH_META]
    assert [t.name for t in lines] == ["Fed balance sheet", "TLT", "HY OAS", "Bitcoin", "Gold"]
    walcl = _file("WALCL")
    assert lines[0].x[-1] == f"{walcl[-1][0]:%Y-%m-%d}"
    assert lines[0].y[-1] == walcl[-1][1] / 1e6
    assert len(lines[0].x) == len(walcl)  # Max = the whole WALCL history
    assert [t for t in fig.data if t.meta == HOVER_META]
    filename = config["toImageButtonOptions"]["filename"]
    assert filename == f"walcl-vs-tlt-hy-oas-btc-gold-{walcl[0][0].year}-2026"
    assert config["toImageButtonOptions"]["scale"] == 2
    assert search is no_update  # "/" already means the default view: no history entry
    assert notice is None
    text = _texts(freshness)
    for label in ("Fed balance sheet", "TLT", "HY OAS", "Bitcoin", "Gold"):
        assert f"{label}: as of" in text


@requires_series("TLT", "BTC-USD")
def test_ovc002_controls_are_written_to_the_url(page):
    args = (["TLT", "BTC-USD"], "10Y", "start", True, "stacked", False, True, None, "dark", 0, "")
    fig, _, search, _, _, *_ = page.update_chart(*args)
    assert search == state_to_query(
        OverviewState(
            overlays=("TLT", "BTC-USD"),
            range="10Y",
            rebase="start",
            log=True,
            mode="stacked",
            episodes=False,
            netliq=True,
        )
    )
    names = [t.name for t in fig.data if t.meta == GRAPH_META]
    assert names == ["Fed balance sheet", "Net liquidity", "TLT", "Bitcoin"]
    assert not [t for t in fig.data if t.meta == HOVER_META]
    assert fig.layout.paper_bgcolor == "#212529"
    # Unchanged controls on a URL that already says it: the URL is left alone.
    assert page.update_chart(*args[:-1], search)[2] is no_update


@pytest.mark.parametrize(
    "garbage",
    [
        (None, None, None, None, None, None, None, None, None, None, None),
        ("TLT", 5, {}, "x", 3, [], "no", ["QE1"], 42, "x", 7),
        (
            ["NOPE", None, 3],
            "EPISODE",
            "episode",
            True,
            "axes",
            True,
            True,
            "NOPE",
            "dark",
            {},
            "?x=1",
        ),
    ],
)
def test_ovc003_malformed_inputs_still_draw_a_chart(page, garbage):
    fig, config, search, notice, freshness, *_ = page.update_chart(*garbage)
    lines = [t for t in fig.data if t.meta == GRAPH_META]
    assert lines and lines[0].name == "Fed balance sheet"
    assert isinstance(config["toImageButtonOptions"]["filename"], str)


def test_ovc004_adding_a_series_switches_it_on(page):
    options = page.overlay_options(list(DEFAULT_OVERLAYS))
    new_options, value, cleared, picker = page.add_series("SPY", options, ["TLT"])
    assert [o["value"] for o in new_options][-1] == "SPY"
    assert value == ["TLT", "SPY"] and cleared is None
    assert "SPY" not in [o["value"] for o in picker]
    # Unknown ids, WALCL itself and group headers change nothing.
    for bad in ("NOPE", "WALCL", "group:Liquidity", None, 3):
        assert page.add_series(bad, options, ["TLT"])[:2] == (no_update, no_update)


def test_ovc005_picker_is_grouped_by_category(page):
    options = page.add_series_options(list(DEFAULT_OVERLAYS))
    headers = [o for o in options if o.get("disabled")]
    assert [h["value"] for h in headers][:3] == [
        "group:Liquidity",
        "group:Bonds & Duration",
        "group:Credit & Stress",
    ]
    values = [o["value"] for o in options if not o.get("disabled")]
    assert "TLT" not in values and "WALCL" not in values and "GLD" in values
    # Searching matches series (by id, label, name or category), never a header first.
    spy = next(o for o in options if o["value"] == "SPY")
    assert "Equities" in spy["search"] and "SPDR" in spy["search"]


@requires_series("TLT")
def test_ovc006_csv_export_through_the_callback(page):
    data, status = page.export_download(
        "csv", ["TLT"], "1Y", "off", False, "axes", True, False, None, "light"
    )
    assert data["filename"].startswith("walcl-vs-tlt-") and data["base64"]
    text = base64.b64decode(data["content"]).decode()
    rows = [r for r in csv.reader(text.splitlines()) if r and not r[0].startswith("#")]
    tlt = _file("TLT")
    start = tlt[-1][0] - timedelta(days=366)
    expected = {f"{d:%Y-%m-%d}": v for d, v in tlt if d >= start}
    got = {r[0]: float(r[2]) for r in rows[1:] if r[2]}
    assert set(got) <= set(expected) and len(got) >= len(expected) - 1
    assert all(got[d] == expected[d] for d in got)
    assert "Exported" in _texts(status)


def test_ovc007_layout_sets_controls_from_the_url_and_explains_bad_values(page):
    tree = page.layout(overlays="TLT,BOGUS", range="10Y", mode="stacked", log="x", episode="qt2")
    assert _find(tree, page.OVERLAYS).value == ["TLT"]
    assert _find(tree, page.RANGE).value == "10Y"
    assert _find(tree, page.MODE).value == "stacked"
    assert _find(tree, page.EPISODE).value == "QT2"
    notice = _texts(_find(tree, page.NOTICE))
    assert "BOGUS" in notice and "log" in notice
    clean = page.layout()
    assert _texts(_find(clean, page.NOTICE)) == ""


def test_ovc008_headline_cards_match_the_files(page):
    cards = _find(page.layout(), page.CARDS)
    text = {
        c.children.id["series"]: _texts(c)
        for c in cards.children
        if isinstance(getattr(c.children, "id", None), dict)
    }
    walcl = _file("WALCL")
    assert f"${walcl[-1][1] / 1e6:,.2f} tn" in text["WALCL"]
    week = (walcl[-1][1] - walcl[-2][1]) / 1e3  # weekly series: the row before
    assert page.signed(week, 1 if abs(week) < 10 else 0) + " bn" in text["WALCL"]
    assert f"as of {walcl[-1][0]:%Y-%m-%d}" in text["WALCL"]
    rrp = _file("RRPONTSYD")
    assert f"as of {rrp[-1][0]:%Y-%m-%d}" in text["RRPONTSYD"]


@requires_series("TREAST", "WSHOMCB")
def test_ovc009_regime_card_matches_holdings_arithmetic(page):
    treasuries, mbs = dict(_file("TREAST")), dict(_file("WSHOMCB"))
    days = sorted(set(treasuries) & set(mbs))
    last, then = days[-1], days[-14]
    assert (last - then).days == 91
    pct = ((treasuries[last] + mbs[last]) / (treasuries[then] + mbs[then]) - 1) * 100
    card = _find(page.layout(), "overview-regime-card")
    assert f"{pct:+.1f}% over 13 weeks" in _texts(card)
    expected = "QT" if pct <= -0.5 else ("Neutral" if pct < 0.5 else None)
    if expected:
        assert expected in _texts(card)

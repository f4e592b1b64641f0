"""Units per series on the Overview in headless Chromium: the YoY net liquidity vs Bitcoin
link draws year-ago % changes (checked against the data files), the Units menu changes a
line and the URL, and a bad unit in a link gives a notice and a working chart."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest

from tests.conftest import REAL_SERIES, requires_series

pytestmark = [pytest.mark.browser, requires_series("WALCL", "WTREGEN", "RRPONTSYD", "BTC-USD")]

GRAPH = "#overview-graph .js-plotly-plot"
LINES_JS = f"""() => {{
    const gd = document.querySelector('{GRAPH}');
    return gd && gd._fullData ? gd._fullData.filter(t => t.meta === 'overview-line')
        .map(t => [t.name, t.yaxis, Array.from(t.x), Array.from(t.y)]) : null; }}"""
TITLES_JS = f"""() => {{
    const lay = document.querySelector('{GRAPH}')._fullLayout;
    return Object.keys(lay).filter(k => /^yaxis\\d*$/.test(k) && lay[k].title)
        .reduce((o, k) => (o[k] = lay[k].title.text, o), {{}}); }}"""
YOY = "/?overlays=NETLIQ,BTC-USD&range=5Y&units=NETLIQ:pc1,BTC-USD:pc1"


def _open(page, url):
    page.goto(url)
    page.wait_for_function(f"() => {{ const n = ({LINES_JS})(); return n && n.length > 0; }}")
    page.wait_for_load_state("networkidle")


def _csv(series_id: str) -> list[tuple[date, float]]:
    with open(REAL_SERIES / f"{series_id}.csv", newline="") as handle:
        rows = []
        for r in csv.DictReader(handle):
            try:
                rows.append((date.fromisoformat(r["observation_date"]), float(r[series_id])))
            except ValueError:
                continue
    return rows


def _year_ago_pct(rows, day: date) -> float:
    now = dict(rows)[day]
    then = [v for d, v in rows if d <= day - timedelta(days=365)][-1]
    return (now / then - 1.0) * 100.0


def test_unb001_yoy_net_liquidity_vs_bitcoin_link(served_app, page):
    _open(page, served_app + YOY)
    lines = {name: (axis, x, y) for name, axis, x, y in page.evaluate(LINES_JS)}
    titles = page.evaluate(TITLES_JS)
    axis_of = {name: "yaxis" + axis[1:] for name, (axis, _, _) in lines.items()}
    assert titles[axis_of["Bitcoin"]] == "Bitcoin, % change from a year ago"
    assert titles[axis_of["Net liquidity"]] == "Net liquidity, % change from a year ago"
    assert titles["yaxis"].startswith("Fed balance sheet (WALCL), $ trillions")
    # Bitcoin's plotted points are its year-ago % changes, worked out here from the data
    # file (Bitcoin trades every day, so each plotted date is an observation date)
    btc = _csv("BTC-USD")
    _, xs, ys = lines["Bitcoin"]
    for i in (0, len(xs) // 2, len(xs) - 1):
        day = date.fromisoformat(xs[i][:10])
        assert ys[i] == pytest.approx(_year_ago_pct(btc, day), rel=1e-9), day
    # hover says the unit too
    hover = page.evaluate(
        f"document.querySelector('{GRAPH}')._fullData.find(t => t.name === 'Bitcoin').hovertemplate"
    )
    assert "% change from a year ago" in hover
    # the menu shows what the link asked for, with names a screen reader reads out
    assert page.input_value("#overview-units-series") == "NETLIQ"
    assert page.input_value("#overview-units") == "pc1"
    names = page.evaluate(
        "['overview-units-series', 'overview-units']"
        ".map(id => document.getElementById(id).labels[0].textContent.trim())"
    )
    assert names == ["Units of", "Units"]
    assert page.console_errors == []


def test_unb002_the_units_menu_changes_a_line_and_the_link(served_app, page):
    _open(page, served_app + YOY)
    page.select_option("#overview-units-series", "BTC-USD")
    page.wait_for_function("document.getElementById('overview-units').value === 'pc1'")
    page.select_option("#overview-units", "lin")
    page.wait_for_function(
        "location.search.includes('units=NETLIQ:pc1') && !location.search.includes('BTC-USD:pc1')"
    )
    page.wait_for_function(f"() => Object.values(({TITLES_JS})()).includes('Bitcoin, $')")
    # by keyboard: focus the unit menu, pick "13-week change" for Bitcoin
    page.focus("#overview-units")
    page.select_option("#overview-units", "c13")
    page.wait_for_function("location.search.includes('BTC-USD:c13')")
    page.wait_for_function(
        f"() => Object.values(({TITLES_JS})()).includes('Bitcoin, 13-week change, $')"
    )
    assert page.console_errors == []


def test_unb003_a_bad_unit_in_a_link_is_named_and_the_chart_still_draws(served_app, page):
    _open(page, served_app + "/?overlays=BTC-USD&units=BTC-USD:yoy,NOPE:pc1")
    notice = page.inner_text("#overview-notice")
    assert "'yoy' for BTC-USD" in notice and "NOPE:pc1" in notice
    assert [n for n, *_ in page.evaluate(LINES_JS)] == ["Fed balance sheet", "Bitcoin"]
    assert "units=" not in page.evaluate("location.search")
    assert page.console_errors == []

"""The Overview page in headless Chromium: what a user sees and does — the chart and its
traces, toggles, episode bands, URL state, adding a series, theme, and every export."""

from __future__ import annotations

import csv
import io
import json

import pytest

from dashboard.analytics.overview import DEFAULT_OVERLAYS
from tests.conftest import requires_series

pytestmark = [pytest.mark.browser]
# The default view overlays market series the bundled snapshot does not hold.
needs_overlays = requires_series(*DEFAULT_OVERLAYS)

GRAPH = "#overview-graph .js-plotly-plot"
LINES_JS = f"""() => {{
    const gd = document.querySelector('{GRAPH}');
    return gd && gd.data ? gd.data.filter(t => t.meta === 'overview-line').map(t => t.name)
                         : null; }}"""
BANDS_JS = f"""() => {{
    const gd = document.querySelector('{GRAPH}');
    return (gd.layout.shapes || []).filter(s => (s.name || '').startsWith('episode-')).length;
}}"""


def _open(page, url):
    page.goto(url)
    page.wait_for_function(f"() => {{ const n = ({LINES_JS})(); return n && n.length > 0; }}")
    page.wait_for_load_state("networkidle")


def _lines(page):
    return page.evaluate(LINES_JS)


def _wait_lines(page, expected):
    wanted = json.dumps(expected, separators=(",", ":"))  # JSON.stringify's spacing
    page.wait_for_function(f"() => JSON.stringify(({LINES_JS})()) === '{wanted}'")


def _radio(page, control, value):
    page.click(f"label[for='_dbcprivate_radioitems_{control}_input_{value}']")


@needs_overlays
def test_ovb001_chart_shows_walcl_and_the_four_default_overlays(served_app, page):
    _open(page, served_app + "/")
    assert _lines(page) == ["Fed balance sheet", "TLT", "HY OAS", "Bitcoin", "Gold"]
    # Drawn, not just in the data: one SVG path group per trace in the plot.
    assert page.locator(f"{GRAPH} .scatterlayer .trace").count() >= 5
    assert page.evaluate(BANDS_JS) >= 8  # QE1 .. RMP 2025 on the Max range
    assert page.locator("#overview-cards .overview-card").count() == 6
    assert "current regime" in page.inner_text("#overview-regime-card").lower()
    assert "as of" in page.inner_text("#overview-freshness")
    assert page.console_errors == []


@needs_overlays
def test_ovb002_toggling_an_overlay_changes_the_traces_and_the_url(served_app, page):
    _open(page, served_app + "/")
    page.click("#overview-overlays input[value='TLT']")
    _wait_lines(page, ["Fed balance sheet", "HY OAS", "Bitcoin", "Gold"])
    page.wait_for_function("location.search.includes('overlays=BAMLH0A0HYM2,BTC-USD,LBMA')")
    page.click("#overview-overlays input[value='TLT']")
    page.wait_for_function(f"({LINES_JS})().length === 5")
    assert sorted(_lines(page)) == ["Bitcoin", "Fed balance sheet", "Gold", "HY OAS", "TLT"]
    assert page.console_errors == []


def test_ovb003_episode_bands_appear_and_disappear(served_app, page):
    _open(page, served_app + "/")
    drawn = page.locator(f"{GRAPH} .shapelayer path").count()
    assert drawn >= 8
    page.click("#overview-episodes")
    page.wait_for_function(f"({BANDS_JS})() === 0")
    assert "episodes=0" in page.evaluate("location.search")
    page.click("#overview-episodes")
    page.wait_for_function(f"({BANDS_JS})() >= 8")
    assert page.console_errors == []


@needs_overlays
def test_ovb004_url_state_round_trips(served_app, page):
    url = "/?overlays=TLT,BTC-USD&range=10Y&rebase=1&log=0&mode=stacked&episodes=1"
    _open(page, served_app + url)
    assert _lines(page) == ["Fed balance sheet", "TLT", "Bitcoin"]
    checked = page.eval_on_selector_all(
        "#overview-overlays input:checked", "els => els.map(e => e.value)"
    )
    assert checked == ["TLT", "BTC-USD"]
    assert page.is_checked("#_dbcprivate_radioitems_overview-range_input_10Y")
    assert page.is_checked("#_dbcprivate_radioitems_overview-mode_input_stacked")
    assert page.is_checked("#_dbcprivate_radioitems_overview-rebase_input_start")
    layout = page.evaluate(f"document.querySelector('{GRAPH}').layout")
    assert layout["hoversubplots"] == "axis"  # stacked panels share one date axis and hover
    assert "xaxis2" not in layout
    first = page.evaluate(f"document.querySelector('{GRAPH}')._fullData[1].y[0]")
    assert first == pytest.approx(100.0)  # rebased
    # Change a control: the URL follows, and a reload reproduces the view.
    _radio(page, "overview-range", "5Y")
    page.wait_for_function("location.search.includes('range=5Y')")
    search = page.evaluate("location.search")
    assert "mode=stacked" in search and "overlays=TLT,BTC-USD" in search
    _open(page, served_app + "/" + search)
    assert page.is_checked("#_dbcprivate_radioitems_overview-range_input_5Y")
    assert _lines(page) == ["Fed balance sheet", "TLT", "Bitcoin"]
    assert page.console_errors == []


@needs_overlays
def test_ovb005_bad_url_values_fall_back_with_a_notice(served_app, page):
    _open(page, served_app + "/?overlays=TLT,<b>x</b>&range=99Y&mode=spiral&log=perhaps")
    notice = page.inner_text("#overview-notice")
    assert "99Y" in notice and "spiral" in notice
    assert page.locator("#overview-notice b").count() == 0  # shown as text, not markup
    assert _lines(page) == ["Fed balance sheet", "TLT"]
    assert page.is_checked("#_dbcprivate_radioitems_overview-range_input_MAX")
    assert page.console_errors == []


@needs_overlays
def test_ovb006_add_a_series_from_the_grouped_search(served_app, page):
    _open(page, served_app + "/?overlays=TLT")
    page.click("#overview-add-series")
    page.wait_for_selector(".dash-dropdown-search")
    page.fill(".dash-dropdown-search", "SPY")
    option = page.get_by_text("SPDR S&P 500 ETF", exact=False).first
    option.wait_for()
    option.click()
    _wait_lines(page, ["Fed balance sheet", "TLT", "SPY"])
    assert "overlays=TLT,SPY" in page.evaluate("location.search")
    assert page.console_errors == []


def test_ovb007_figure_follows_the_theme(served_app, page):
    _open(page, served_app + "/?overlays=TLT")
    light = page.evaluate(f"document.querySelector('{GRAPH}').layout.paper_bgcolor")
    page.click("#app-theme-switch")
    page.wait_for_function(f"document.querySelector('{GRAPH}').layout.paper_bgcolor !== '{light}'")
    assert page.console_errors == []


def _export(page, item):
    page.click("#overview-export-menu .dropdown-toggle")
    with page.expect_download(timeout=60_000) as info:
        page.click(f"#{item}")
    download = info.value
    return download.suggested_filename, open(download.path(), "rb").read()


@needs_overlays
def test_ovb008_csv_download_equals_the_plotted_points(served_app, page):
    _open(page, served_app + "/?overlays=TLT,BTC-USD&range=3Y")
    name, content = _export(page, "overview-export-csv")
    assert name == "walcl-vs-tlt-btc-2023-2026.csv"
    text = content.decode()
    rows = list(
        csv.reader(
            io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))
        )
    )
    header, body = rows[0], rows[1:]
    traces = page.evaluate(f"""document.querySelector('{GRAPH}')._fullData
        .filter(t => t.meta === 'overview-line').map(t => [t.name, t.x, Array.from(t.y)])""")
    assert len(header) == 1 + len(traces)
    for col, (_, xs, ys) in enumerate(traces, start=1):
        cells = {r[0]: float(r[col]) for r in body if r[col]}
        assert list(cells) == list(xs)
        assert list(cells.values()) == pytest.approx(ys, rel=0, abs=1e-12)
    assert page.console_errors == []


@needs_overlays
@pytest.mark.parametrize(
    ("item", "ext", "magic"),
    [
        ("overview-export-png", "png", b"\x89PNG\r\n\x1a\n"),
        ("overview-export-svg", "svg", b"<svg"),
        ("overview-export-pdf", "pdf", b"%PDF"),
    ],
)
def test_ovb009_server_side_image_downloads(served_app, page, item, ext, magic):
    _open(page, served_app + "/?overlays=TLT,BTC-USD&range=10Y")
    name, content = _export(page, item)
    assert name == f"walcl-vs-tlt-btc-2016-2026.{ext}"
    assert content.startswith(magic) and len(content) > 5000
    page.wait_for_selector("#overview-export-status:has-text('Exported')")
    assert page.console_errors == []


@needs_overlays
def test_ovb010_one_click_svg_and_camera_name(served_app, page):
    _open(page, served_app + "/?overlays=TLT,BTC-USD&range=10Y")
    page.hover(GRAPH)
    camera = "#overview-graph .modebar-btn[data-title*='png' i]"
    assert page.locator(camera).count() == 1
    with page.expect_download(timeout=30_000) as info:
        page.click("#overview-svg-button")
    download = info.value
    assert download.suggested_filename == "walcl-vs-tlt-btc-2016-2026.svg"
    assert open(download.path(), "rb").read().lstrip().startswith(b"<svg")
    with page.expect_download(timeout=30_000) as info:
        page.hover(GRAPH)
        page.click(camera)
    download = info.value
    assert download.suggested_filename == "walcl-vs-tlt-btc-2016-2026.png"
    assert open(download.path(), "rb").read().startswith(b"\x89PNG")
    assert page.console_errors == []

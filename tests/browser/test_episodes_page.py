"""The Episodes page in a real browser: tables, the path chart, the claims check, and the
controls a user touches (asset, window, links to the episodes behind a claim)."""

from __future__ import annotations

import pytest

from dashboard.episodes import load_episodes, main_episodes
from tests.conftest import requires_series

pytestmark = [pytest.mark.browser, requires_series("TLT", "BTC-USD", "SPY")]

PATHS_AXIS = """() => {
    const g = document.querySelector('#episodes-paths-graph .js-plotly-plot');
    return g && g.layout && g.layout.yaxis.title ? g.layout.yaxis.title.text : null;
}"""


def _wait_axis(page, text: str) -> None:
    page.wait_for_function(f"(({PATHS_AXIS})() || '').includes({text!r})", timeout=20_000)


def test_epib001_page_renders_every_part_without_console_errors(served_app, page):
    page.goto(served_app + "/episodes")
    page.wait_for_selector("#episodes-table")
    _wait_axis(page, "rebased: start = 100")
    assert page.locator("#episodes-table tbody tr").count() == len(load_episodes())
    rows = page.locator("#episodes-event-table-12m tbody tr")
    assert rows.count() == len(main_episodes())
    assert page.locator("#episodes-claims-table tbody tr").count() == 5
    verdicts = set(page.locator("#episodes-claims-table .badge").all_inner_texts())
    assert verdicts <= {"holds", "partly", "does not hold", "no data", "one episode only"}
    assert "last observation dated on or before" in page.inner_text("#episodes-method")
    names = page.evaluate(
        "document.querySelector('#episodes-paths-graph .js-plotly-plot').data.map(t => t.name)"
    )
    assert "Median of QE episodes" in names and "Median of QT episodes" in names
    page.wait_for_load_state("networkidle")
    assert page.console_errors == []


def test_epib002_switching_the_asset_redraws_the_chart(served_app, page):
    page.goto(served_app + "/episodes")
    _wait_axis(page, "S&P 500 (SPY)")
    page.click("#episodes-asset label:has-text('HY OAS')")
    _wait_axis(page, "HY OAS, change from start (bp)")
    page.wait_for_function("window.location.search.includes('asset=BAMLH0A0HYM2')")
    page.reload()
    _wait_axis(page, "HY OAS")
    assert page.console_errors == []


def test_epib003_window_tabs_and_na_cells(served_app, page):
    page.goto(served_app + "/episodes?window=3m&asset=BTC-USD")
    _wait_axis(page, "Bitcoin")
    table = page.locator("#episodes-event-table-3m")
    assert table.is_visible()
    qe1_row = table.locator("tbody tr", has_text="QE1")
    assert "n/a" in qe1_row.inner_text()  # no Bitcoin in 2008
    page.click("#episodes-event-tabs >> text=Start → end")
    page.wait_for_selector("#episodes-event-table-end", state="visible")
    page.wait_for_function("window.location.search.includes('window=end')")
    assert page.console_errors == []


def test_epib004_claim_cells_link_to_the_episodes_behind_them(served_app, page):
    page.goto(served_app + "/episodes")
    page.wait_for_selector("#episodes-claim-spx")
    link = page.locator("#episodes-claim-spx a", has_text="QE1").first
    assert link.get_attribute("href") == "#episodes-row-QE1"
    link.click()
    page.wait_for_function("window.location.hash === '#episodes-row-QE1'")
    assert page.locator("#episodes-row-QE1").is_visible()
    assert page.console_errors == []
